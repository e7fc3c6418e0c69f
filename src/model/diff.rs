//! The semantic diff of codes and codebooks: what a reviewer reads instead
//! of a raw TOML diff. Prose fields get a word-level inline diff, lists
//! their added and removed items, single values old → new; across a
//! codebook, codes are matched through aliases so a rename reads as a
//! rename, not as one code removed and another added.

use std::collections::BTreeSet;

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::codebook::{Code, Codebook};
use super::field::{Field, FieldKind};
use super::slug::Slug;

/// What happened to a run of words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WordOp {
    Same,
    Removed,
    Added,
}

/// A run of text (words and the spaces between them) with one fate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Words {
    pub op: WordOp,
    pub text: String,
}

/// The word-level diff of two texts. Within each changed stretch all the
/// removed words come first, then all the added ones, so a rewritten
/// phrase reads as one replacement rather than a word-by-word zigzag.
pub fn word_diff(old: &str, new: &str) -> Vec<Words> {
    let diff = TextDiff::configure().diff_words(old, new);
    let tokens: Vec<(ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|c| (c.tag(), c.value()))
        .collect();
    let mut out: Vec<Words> = Vec::new();
    let mut removed = String::new();
    let mut added = String::new();
    let flush = |out: &mut Vec<Words>, removed: &mut String, added: &mut String| {
        for (op, text) in [(WordOp::Removed, removed), (WordOp::Added, added)] {
            if !text.is_empty() {
                out.push(Words {
                    op,
                    text: std::mem::take(text),
                });
            }
        }
    };
    for (i, (tag, text)) in tokens.iter().enumerate() {
        let changed =
            |t: Option<&(ChangeTag, &str)>| t.is_some_and(|(tag, _)| *tag != ChangeTag::Equal);
        // Spaces between two changed words belong to the change.
        let glue = *tag == ChangeTag::Equal
            && text.trim().is_empty()
            && changed(i.checked_sub(1).and_then(|p| tokens.get(p)))
            && changed(tokens.get(i + 1));
        match tag {
            ChangeTag::Delete => removed.push_str(text),
            ChangeTag::Insert => added.push_str(text),
            ChangeTag::Equal if glue => {
                removed.push_str(text);
                added.push_str(text);
            }
            ChangeTag::Equal => {
                flush(&mut out, &mut removed, &mut added);
                match out.last_mut() {
                    Some(last) if last.op == WordOp::Same => last.text.push_str(text),
                    _ => out.push(Words {
                        op: WordOp::Same,
                        text: text.to_string(),
                    }),
                }
            }
        }
    }
    flush(&mut out, &mut removed, &mut added);
    out
}

/// A word diff as plain text, in the style of `git diff --word-diff=plain`:
/// `[-removed-]` and `{+added+}`, readable without colour.
pub fn plain(words: &[Words]) -> String {
    words
        .iter()
        .map(|w| match w.op {
            WordOp::Same => w.text.clone(),
            WordOp::Removed => format!("[-{}-]", w.text),
            WordOp::Added => format!("{{+{}+}}", w.text),
        })
        .collect()
}

/// How one field of a code changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldChange {
    Prose {
        field: Field,
        old: String,
        new: String,
        words: Vec<Words>,
    },
    Value {
        field: Field,
        old: Option<String>,
        new: Option<String>,
    },
    List {
        field: Field,
        added: Vec<String>,
        removed: Vec<String>,
    },
}

impl FieldChange {
    pub fn field(&self) -> Field {
        match self {
            FieldChange::Prose { field, .. }
            | FieldChange::Value { field, .. }
            | FieldChange::List { field, .. } => *field,
        }
    }
}

/// The changes between two versions of one code (possibly renamed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeDiff {
    pub old_id: Slug,
    pub new_id: Slug,
    pub fields: Vec<FieldChange>,
}

impl CodeDiff {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn get(&self, field: Field) -> Option<&FieldChange> {
        self.fields.iter().find(|c| c.field() == field)
    }

    pub fn is_rename(&self) -> bool {
        self.old_id != self.new_id
    }

    /// True when what the code means changed (definition, include, exclude).
    pub fn changes_meaning(&self) -> bool {
        self.fields.iter().any(|c| c.field().is_meaning())
    }
}

/// Field-by-field differences between two versions of a code.
pub fn diff_code(old: &Code, new: &Code) -> CodeDiff {
    let mut fields = Vec::new();
    for field in Field::ALL {
        match field.kind() {
            FieldKind::Prose => {
                let (o, n) = (field.text(old), field.text(new));
                if o != n {
                    fields.push(FieldChange::Prose {
                        field,
                        words: word_diff(&o, &n),
                        old: o,
                        new: n,
                    });
                }
            }
            FieldKind::Value => {
                let (o, n) = (field.text(old), field.text(new));
                if o != n {
                    let some = |t: String| (!t.is_empty()).then_some(t);
                    fields.push(FieldChange::Value {
                        field,
                        old: some(o),
                        new: some(n),
                    });
                }
            }
            FieldKind::List => {
                let (o, n) = (field.items(old), field.items(new));
                let added: Vec<String> = n.iter().filter(|i| !o.contains(i)).cloned().collect();
                let removed: Vec<String> = o.iter().filter(|i| !n.contains(i)).cloned().collect();
                if !added.is_empty() || !removed.is_empty() {
                    fields.push(FieldChange::List {
                        field,
                        added,
                        removed,
                    });
                }
            }
        }
    }
    CodeDiff {
        old_id: old.id.clone(),
        new_id: new.id.clone(),
        fields,
    }
}

/// One code's fate between two codebooks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum CodeChange {
    Added { code: Box<Code> },
    Removed { code: Box<Code> },
    Changed { diff: CodeDiff },
}

impl CodeChange {
    /// The id the change is about: the new id, or the removed code's id.
    pub fn id(&self) -> &Slug {
        match self {
            CodeChange::Added { code } | CodeChange::Removed { code } => &code.id,
            CodeChange::Changed { diff } => &diff.new_id,
        }
    }

    /// Every id the change touches (old and new ids of a rename).
    pub fn ids(&self) -> Vec<&Slug> {
        match self {
            CodeChange::Changed { diff } if diff.is_rename() => vec![&diff.old_id, &diff.new_id],
            other => vec![other.id()],
        }
    }
}

/// How codes of one codebook correspond to those of another: same id, or
/// the newer code lists the older id as an alias and the older id is gone.
pub fn pair_codes<'a>(
    old: &'a Codebook,
    new: &'a Codebook,
) -> Vec<(Option<&'a Code>, Option<&'a Code>)> {
    let mut out = Vec::new();
    let mut matched_new: BTreeSet<&Slug> = BTreeSet::new();
    for o in old.codes.values() {
        let partner = new.codes.get(&o.id).or_else(|| {
            new.codes
                .values()
                .find(|n| !old.codes.contains_key(&n.id) && n.aliases.contains(&o.id))
        });
        let partner = partner.filter(|n| matched_new.insert(&n.id));
        out.push((Some(o), partner));
    }
    for n in new.codes.values() {
        if !matched_new.contains(&n.id) {
            out.push((None, Some(n)));
        }
    }
    out
}

/// Every difference between two codebooks, in id order.
pub fn diff_codebooks(old: &Codebook, new: &Codebook) -> Vec<CodeChange> {
    let mut out: Vec<CodeChange> = pair_codes(old, new)
        .into_iter()
        .filter_map(|pair| match pair {
            (Some(o), Some(n)) => {
                let diff = diff_code(o, n);
                (!diff.is_empty()).then_some(CodeChange::Changed { diff })
            }
            (Some(o), None) => Some(CodeChange::Removed {
                code: Box::new(o.clone()),
            }),
            (None, Some(n)) => Some(CodeChange::Added {
                code: Box::new(n.clone()),
            }),
            (None, None) => None,
        })
        .collect();
    out.sort_by(|a, b| a.id().cmp(b.id()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::codebook::{Example, Status};

    fn s(id: &str) -> Slug {
        Slug::new(id).unwrap()
    }

    #[test]
    fn word_diff_groups_a_rewritten_phrase() {
        let words = word_diff(
            "Hostile words addressed to a worker.",
            "Hostile words the worker experienced as an attack.",
        );
        assert_eq!(
            plain(&words),
            "Hostile words [-addressed to a worker.-]{+the worker experienced as an attack.+}"
        );
    }

    #[test]
    fn word_diff_keeps_accents_and_untouched_text() {
        let words = word_diff("« Je sais où tu habites »", "« Je sais où tu dors »");
        assert_eq!(plain(&words), "« Je sais où tu [-habites-]{+dors+} »");
        assert_eq!(
            word_diff("same", "same"),
            [Words {
                op: WordOp::Same,
                text: "same".into()
            }]
        );
        assert_eq!(plain(&word_diff("", "new")), "{+new+}");
    }

    #[test]
    fn code_diff_covers_prose_values_and_lists() {
        let mut old = Code::new(s("threats"), "Threats", "Threats of harm.");
        old.aliases = vec![s("menaces")];
        old.examples = vec![Example {
            quote: "Je sais où tu habites".into(),
            source: "interview-02:41".into(),
        }];
        let mut new = old.clone();
        new.definition = "Threats of harm to the worker.".into();
        new.parent = Some(s("violence"));
        new.status = Status::Deprecated;
        new.aliases.push(s("intimidation"));
        new.examples.clear();
        let d = diff_code(&old, &new);
        let fields: Vec<Field> = d.fields.iter().map(FieldChange::field).collect();
        assert_eq!(
            fields,
            [
                Field::Parent,
                Field::Definition,
                Field::Status,
                Field::Aliases,
                Field::Examples
            ]
        );
        assert_eq!(
            d.get(Field::Parent),
            Some(&FieldChange::Value {
                field: Field::Parent,
                old: None,
                new: Some("violence".into())
            })
        );
        assert_eq!(
            d.get(Field::Aliases),
            Some(&FieldChange::List {
                field: Field::Aliases,
                added: vec!["intimidation".into()],
                removed: vec![]
            })
        );
        let FieldChange::List { removed, .. } = d.get(Field::Examples).unwrap() else {
            panic!("examples is a list");
        };
        assert_eq!(removed, &["« Je sais où tu habites » (interview-02:41)"]);
        assert!(d.changes_meaning());
        assert!(!d.is_rename());
        assert!(diff_code(&old, &old).is_empty());
    }

    #[test]
    fn codebook_diff_finds_added_removed_renamed_and_changed() {
        let old = Codebook::from_codes([
            Code::new(s("insults"), "Insults", "Insults."),
            Code::new(s("gone"), "Gone", "Gone."),
            Code::new(s("kept"), "Kept", "Kept."),
        ]);
        let mut renamed = Code::new(s("verbal-violence"), "Verbal violence", "Insults.");
        renamed.aliases = vec![s("insults")];
        let mut kept = Code::new(s("kept"), "Kept", "Kept, clarified.");
        kept.include = "When kept.".into();
        let new = Codebook::from_codes([renamed, kept, Code::new(s("fresh"), "Fresh", "New.")]);
        let changes = diff_codebooks(&old, &new);
        let summary: Vec<String> = changes
            .iter()
            .map(|c| match c {
                CodeChange::Added { code } => format!("+{}", code.id),
                CodeChange::Removed { code } => format!("-{}", code.id),
                CodeChange::Changed { diff } => format!(
                    "{}>{} {}",
                    diff.old_id,
                    diff.new_id,
                    diff.fields
                        .iter()
                        .map(|f| f.field().as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "+fresh",
                "-gone",
                "kept>kept definition,include",
                "insults>verbal-violence id,name,aliases"
            ]
        );
        assert_eq!(changes[3].ids().len(), 2);
    }
}
