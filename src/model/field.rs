//! The fields of a code as data: named, read as text, written back from
//! text. The semantic diff and the three-way merge work field by field
//! through this one table, so a field added to `Code` is added here once.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::codebook::{Code, Example, Status};
use super::slug::Slug;

/// One field of a code, named as in the TOML file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Id,
    Name,
    Parent,
    Definition,
    Description,
    Include,
    Exclude,
    Color,
    Status,
    MergedInto,
    Aliases,
    Examples,
}

/// How a field is compared and merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text, shown as a word-level diff.
    Prose,
    /// One value (or none), shown as old → new.
    Value,
    /// A set of items, shown as added and removed items; merged as sets.
    List,
}

impl Field {
    /// Every field, in the order a code is displayed.
    pub const ALL: [Field; 12] = [
        Field::Id,
        Field::Name,
        Field::Parent,
        Field::Definition,
        Field::Description,
        Field::Include,
        Field::Exclude,
        Field::Color,
        Field::Status,
        Field::MergedInto,
        Field::Aliases,
        Field::Examples,
    ];

    /// The key used in code files.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Parent => "parent",
            Field::Definition => "definition",
            Field::Description => "description",
            Field::Include => "include",
            Field::Exclude => "exclude",
            Field::Color => "color",
            Field::Status => "status",
            Field::MergedInto => "merged_into",
            Field::Aliases => "aliases",
            Field::Examples => "examples",
        }
    }

    pub fn parse(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == key)
    }

    pub fn kind(self) -> FieldKind {
        match self {
            Field::Name
            | Field::Definition
            | Field::Description
            | Field::Include
            | Field::Exclude => FieldKind::Prose,
            Field::Id | Field::Parent | Field::Color | Field::Status | Field::MergedInto => {
                FieldKind::Value
            }
            Field::Aliases | Field::Examples => FieldKind::List,
        }
    }

    /// The definition fields: a change to one of them changes what the
    /// code means, so segments coded before the change need a second look.
    pub fn is_meaning(self) -> bool {
        matches!(self, Field::Definition | Field::Include | Field::Exclude)
    }

    /// A prose or value field as text; an absent value is the empty string.
    /// List fields give their items one per line.
    pub fn text(self, code: &Code) -> String {
        match self {
            Field::Id => code.id.to_string(),
            Field::Name => code.name.clone(),
            Field::Parent => opt(&code.parent),
            Field::Definition => code.definition.clone(),
            Field::Description => code.description.clone(),
            Field::Include => code.include.clone(),
            Field::Exclude => code.exclude.clone(),
            Field::Color => code.color.clone().unwrap_or_default(),
            Field::Status => code.status.as_str().to_string(),
            Field::MergedInto => opt(&code.merged_into),
            Field::Aliases | Field::Examples => self.items(code).join("\n"),
        }
    }

    /// A list field's items as display text (empty for other fields).
    pub fn items(self, code: &Code) -> Vec<String> {
        match self {
            Field::Aliases => code.aliases.iter().map(Slug::to_string).collect(),
            Field::Examples => code.examples.iter().map(example_text).collect(),
            _ => Vec::new(),
        }
    }

    /// Sets a prose or value field from text (as typed when resolving a
    /// conflict by hand). List fields cannot be set from one text.
    pub fn set_text(self, code: &mut Code, text: &str) -> Result<(), String> {
        let slug = |t: &str| Slug::new(t.trim()).map_err(|e| e.to_string());
        let opt_slug = |t: &str| -> Result<Option<Slug>, String> {
            if t.trim().is_empty() {
                Ok(None)
            } else {
                slug(t).map(Some)
            }
        };
        match self {
            Field::Id => code.id = slug(text)?,
            Field::Name => code.name = text.trim().to_string(),
            Field::Parent => code.parent = opt_slug(text)?,
            Field::Definition => code.definition = text.to_string(),
            Field::Description => code.description = text.to_string(),
            Field::Include => code.include = text.to_string(),
            Field::Exclude => code.exclude = text.to_string(),
            Field::Color => {
                let t = text.trim();
                code.color = (!t.is_empty()).then(|| t.to_string());
            }
            Field::Status => {
                code.status = match text.trim() {
                    "active" => Status::Active,
                    "deprecated" => Status::Deprecated,
                    "merged" => Status::Merged,
                    other => {
                        return Err(format!(
                            "status `{other}` is not one of: active, deprecated, merged"
                        ));
                    }
                }
            }
            Field::MergedInto => code.merged_into = opt_slug(text)?,
            Field::Aliases | Field::Examples => {
                return Err(format!(
                    "`{self}` is a list; it cannot be set from one text (edit the code file instead)"
                ));
            }
        }
        Ok(())
    }

    /// Copies this field's value from one code to another.
    pub fn copy(self, from: &Code, to: &mut Code) {
        match self {
            Field::Id => to.id = from.id.clone(),
            Field::Name => to.name = from.name.clone(),
            Field::Parent => to.parent = from.parent.clone(),
            Field::Definition => to.definition = from.definition.clone(),
            Field::Description => to.description = from.description.clone(),
            Field::Include => to.include = from.include.clone(),
            Field::Exclude => to.exclude = from.exclude.clone(),
            Field::Color => to.color = from.color.clone(),
            Field::Status => to.status = from.status,
            Field::MergedInto => to.merged_into = from.merged_into.clone(),
            Field::Aliases => to.aliases = from.aliases.clone(),
            Field::Examples => to.examples = from.examples.clone(),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn opt(value: &Option<Slug>) -> String {
    value.as_ref().map(Slug::to_string).unwrap_or_default()
}

/// How an example reads in a diff: the quote, then where it comes from.
pub fn example_text(ex: &Example) -> String {
    if ex.source.is_empty() {
        format!("« {} »", ex.quote.trim())
    } else {
        format!("« {} » ({})", ex.quote.trim(), ex.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_parses_back_from_its_key() {
        for f in Field::ALL {
            assert_eq!(Field::parse(f.as_str()), Some(f));
        }
        assert_eq!(Field::parse("definitoin"), None);
    }

    #[test]
    fn set_text_round_trips_prose_and_values() {
        let mut code = Code::new(Slug::new("a").unwrap(), "A", "d");
        for (f, t) in [
            (Field::Parent, "violence"),
            (Field::Definition, "New words."),
            (Field::Status, "deprecated"),
            (Field::Color, "red"),
        ] {
            f.set_text(&mut code, t).unwrap();
            assert_eq!(f.text(&code), t);
        }
        Field::Parent.set_text(&mut code, "  ").unwrap();
        assert_eq!(code.parent, None);
        assert!(Field::Status.set_text(&mut code, "gone").is_err());
        assert!(Field::Parent.set_text(&mut code, "Not A Slug").is_err());
        assert!(Field::Aliases.set_text(&mut code, "x").is_err());
    }
}
