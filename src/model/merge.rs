//! Three-way merge of codebooks, field by field. Codes are matched across
//! the three versions through aliases (so a rename on one side meets an
//! edit on the other); a field changed on one side only takes that side;
//! lists merge as sets; the same field changed differently on both sides
//! is a [`Conflict`] carrying all three values, resolved by choosing a side
//! or typing the text — never by conflict markers in a file.

use serde::{Deserialize, Serialize};

use super::codebook::{Code, Codebook};
use super::diff::{Words, pair_codes, word_diff};
use super::field::{Field, FieldKind};
use super::slug::Slug;

/// How a conflict is settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Keep `main`'s value.
    Ours,
    /// Keep the suggestion's value.
    Theirs,
    /// Use this text instead (prose and single-value fields only).
    Text(String),
}

/// The same part of a code changed differently on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// The code, by its id in the merge base (or its new id if it is new).
    pub code: Slug,
    /// The field, or `None` when one side removed the whole code and the
    /// other changed it (values are then the code files, or empty).
    pub field: Option<Field>,
    pub base: String,
    pub ours: String,
    pub theirs: String,
}

impl Conflict {
    /// `code.field` (or just `code`), as typed to resolve it.
    pub fn key(&self) -> String {
        match self.field {
            Some(f) => format!("{}.{f}", self.code),
            None => self.code.to_string(),
        }
    }

    /// What `main` did to the base text, word by word.
    pub fn ours_words(&self) -> Vec<Words> {
        word_diff(&self.base, &self.ours)
    }

    /// What the suggestion did to the base text, word by word.
    pub fn theirs_words(&self) -> Vec<Words> {
        word_diff(&self.base, &self.theirs)
    }
}

/// The merge of one code.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CodeMerge {
    ours: Option<Code>,
    theirs: Option<Code>,
    /// The merged code so far (`None`: removed); a conflicted field holds ours until resolved.
    result: Option<Code>,
    conflicts: Vec<Conflict>,
}

/// The merge of two codebooks that share a base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodebookMerge {
    codes: Vec<CodeMerge>,
}

/// Why a resolution cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("no conflict on `{0}` (the open conflicts are listed by `cbr suggest merge`)")]
    NoSuchConflict(String),
    #[error("`{key}`: {message}")]
    BadText { key: String, message: String },
}

/// Merges `ours` and `theirs`, both descended from `base`.
pub fn merge_codebooks(base: &Codebook, ours: &Codebook, theirs: &Codebook) -> CodebookMerge {
    let ours_pairs = pair_codes(base, ours);
    let theirs_pairs = pair_codes(base, theirs);
    let partner = |pairs: &[(Option<&Code>, Option<&Code>)], id: &Slug| {
        pairs
            .iter()
            .find(|(b, _)| b.is_some_and(|b| &b.id == id))
            .and_then(|(_, n)| n.cloned())
    };
    let mut codes = Vec::new();
    for b in base.codes.values() {
        let o = partner(&ours_pairs, &b.id);
        let t = partner(&theirs_pairs, &b.id);
        codes.push(merge_code(b, o, t));
    }
    let added = |pairs: &[(Option<&Code>, Option<&Code>)]| -> Vec<Code> {
        pairs
            .iter()
            .filter(|(b, _)| b.is_none())
            .filter_map(|(_, n)| n.cloned())
            .collect()
    };
    let ours_added = added(&ours_pairs);
    let mut theirs_added = added(&theirs_pairs);
    for o in ours_added {
        match theirs_added.iter().position(|t| t.id == o.id) {
            // Both sides added the same id: merge against an empty base.
            Some(i) => {
                let t = theirs_added.remove(i);
                let empty = Code::new(o.id.clone(), "", "");
                codes.push(merge_code(&empty, Some(o), Some(t)));
            }
            None => codes.push(CodeMerge {
                result: Some(o.clone()),
                ours: Some(o),
                theirs: None,
                conflicts: Vec::new(),
            }),
        }
    }
    for t in theirs_added {
        codes.push(CodeMerge {
            result: Some(t.clone()),
            ours: None,
            theirs: Some(t),
            conflicts: Vec::new(),
        });
    }
    CodebookMerge { codes }
}

fn merge_code(base: &Code, ours: Option<Code>, theirs: Option<Code>) -> CodeMerge {
    let whole =
        |ours: &Option<Code>, theirs: &Option<Code>, result: Option<Code>, conflict| CodeMerge {
            ours: ours.clone(),
            theirs: theirs.clone(),
            result,
            conflicts: conflict,
        };
    let (o, t) = match (&ours, &theirs) {
        (Some(o), Some(t)) => (o, t),
        (None, None) => return whole(&ours, &theirs, None, Vec::new()),
        // Removed on one side: fine if the other left the code as it was.
        (None, Some(kept)) | (Some(kept), None) => {
            if kept == base {
                return whole(&ours, &theirs, None, Vec::new());
            }
            let file = |c: &Option<Code>| c.as_ref().map(Code::to_toml).unwrap_or_default();
            let conflict = Conflict {
                code: base.id.clone(),
                field: None,
                base: base.to_toml(),
                ours: file(&ours),
                theirs: file(&theirs),
            };
            return whole(&ours, &theirs, ours.clone(), vec![conflict]);
        }
    };
    let mut result = o.clone();
    let mut conflicts = Vec::new();
    for field in Field::ALL {
        if field.kind() == FieldKind::List {
            merge_list(field, base, o, t, &mut result);
            continue;
        }
        let (b, ov, tv) = (field.text(base), field.text(o), field.text(t));
        if ov == tv || b == tv {
            continue; // result already holds ours
        }
        if b == ov {
            field.copy(t, &mut result);
        } else {
            conflicts.push(Conflict {
                code: base.id.clone(),
                field: Some(field),
                base: b,
                ours: ov,
                theirs: tv,
            });
        }
    }
    CodeMerge {
        ours: Some(o.clone()),
        theirs: Some(t.clone()),
        result: Some(result),
        conflicts,
    }
}

/// Set merge keeping ours' order: ours without what theirs removed, then
/// what theirs added.
fn merge_list(field: Field, base: &Code, ours: &Code, theirs: &Code, result: &mut Code) {
    fn merged<T: PartialEq + Clone>(base: &[T], ours: &[T], theirs: &[T]) -> Vec<T> {
        let mut out: Vec<T> = ours
            .iter()
            .filter(|x| !base.contains(x) || theirs.contains(x))
            .cloned()
            .collect();
        for x in theirs {
            if !base.contains(x) && !out.contains(x) {
                out.push(x.clone());
            }
        }
        out
    }
    match field {
        Field::Aliases => result.aliases = merged(&base.aliases, &ours.aliases, &theirs.aliases),
        Field::Examples => {
            result.examples = merged(&base.examples, &ours.examples, &theirs.examples)
        }
        _ => unreachable!("only list fields are merged as lists"),
    }
}

impl CodebookMerge {
    /// The conflicts still open.
    pub fn conflicts(&self) -> Vec<&Conflict> {
        self.codes.iter().flat_map(|c| &c.conflicts).collect()
    }

    pub fn is_clean(&self) -> bool {
        self.codes.iter().all(|c| c.conflicts.is_empty())
    }

    /// Settles the conflict `key` (`code.field`, or `code` for a whole code).
    pub fn resolve(&mut self, key: &str, resolution: &Resolution) -> Result<(), ResolveError> {
        let missing = || ResolveError::NoSuchConflict(key.to_string());
        let (ci, ki) = self
            .codes
            .iter()
            .enumerate()
            .find_map(|(ci, c)| {
                c.conflicts
                    .iter()
                    .position(|k| k.key() == key)
                    .map(|ki| (ci, ki))
            })
            .ok_or_else(missing)?;
        let merge = &mut self.codes[ci];
        let conflict = &merge.conflicts[ki];
        match (conflict.field, resolution) {
            (None, Resolution::Ours) => merge.result = merge.ours.clone(),
            (None, Resolution::Theirs) => merge.result = merge.theirs.clone(),
            (None, Resolution::Text(_)) => {
                return Err(ResolveError::BadText {
                    key: key.to_string(),
                    message: "a whole code is kept or dropped by choosing ours or theirs".into(),
                });
            }
            (Some(field), _) => {
                let text = match resolution {
                    Resolution::Ours => conflict.ours.clone(),
                    Resolution::Theirs => conflict.theirs.clone(),
                    Resolution::Text(text) => text.clone(),
                };
                let result = merge.result.as_mut().ok_or_else(missing)?;
                field
                    .set_text(result, &text)
                    .map_err(|message| ResolveError::BadText {
                        key: key.to_string(),
                        message,
                    })?;
            }
        }
        merge.conflicts.remove(ki);
        Ok(())
    }

    /// The merged codebook, or the id two merged codes would both claim.
    /// Conflicted fields hold ours until resolved.
    pub fn result(&self) -> Result<Codebook, Slug> {
        let mut out = Codebook::default();
        for code in self.codes.iter().filter_map(|c| c.result.as_ref()) {
            if out.codes.insert(code.id.clone(), code.clone()).is_some() {
                return Err(code.id.clone());
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::codebook::Status;

    fn s(id: &str) -> Slug {
        Slug::new(id).unwrap()
    }

    fn base_code() -> Code {
        let mut c = Code::new(s("threats"), "Threats", "Threats of harm.");
        c.include = "Explicit threats.".into();
        c.aliases = vec![s("menaces")];
        c
    }

    fn one(code: Code) -> Codebook {
        Codebook::from_codes([code])
    }

    #[test]
    fn different_fields_merge_without_conflict() {
        let base = base_code();
        let mut ours = base.clone();
        ours.definition = "Threats of harm to the worker.".into();
        ours.aliases.push(s("intimidation"));
        let mut theirs = base.clone();
        theirs.include = "Explicit or veiled threats.".into();
        theirs.aliases.retain(|a| a.as_str() != "menaces");
        theirs.aliases.push(s("threat"));
        let m = merge_codebooks(&one(base), &one(ours), &one(theirs));
        assert!(m.is_clean());
        let r = m.result().unwrap();
        let code = r.get("threats").unwrap();
        assert_eq!(code.definition, "Threats of harm to the worker.");
        assert_eq!(code.include, "Explicit or veiled threats.");
        assert_eq!(code.aliases, [s("intimidation"), s("threat")]);
    }

    #[test]
    fn same_field_changed_twice_is_a_conflict_until_resolved() {
        let base = base_code();
        let mut ours = base.clone();
        ours.definition = "Threats against the worker.".into();
        let mut theirs = base.clone();
        theirs.definition = "Threats of harm, spoken or written.".into();
        theirs.name = "Threats of harm".into();
        let mut m = merge_codebooks(&one(base), &one(ours), &one(theirs));
        let conflicts = m.conflicts();
        assert_eq!(conflicts.len(), 1);
        let c = conflicts[0];
        assert_eq!(c.key(), "threats.definition");
        assert_eq!(
            (c.base.as_str(), c.ours.as_str(), c.theirs.as_str()),
            (
                "Threats of harm.",
                "Threats against the worker.",
                "Threats of harm, spoken or written."
            )
        );
        assert!(!c.theirs_words().is_empty());
        assert_eq!(
            m.resolve("threats.name", &Resolution::Ours),
            Err(ResolveError::NoSuchConflict("threats.name".into()))
        );
        m.resolve(
            "threats.definition",
            &Resolution::Text("Threats, any form.".into()),
        )
        .unwrap();
        assert!(m.is_clean());
        let r = m.result().unwrap();
        assert_eq!(r.get("threats").unwrap().definition, "Threats, any form.");
        assert_eq!(
            r.get("threats").unwrap().name,
            "Threats of harm",
            "theirs-only change kept"
        );
    }

    #[test]
    fn a_rename_meets_an_edit() {
        let base = base_code();
        let mut ours = base.clone();
        ours.exclude = "Insults without threat.".into();
        let mut theirs = base.clone();
        theirs.id = s("threat-of-harm");
        theirs.aliases.push(s("threats"));
        let m = merge_codebooks(&one(base), &one(ours), &one(theirs));
        assert!(m.is_clean(), "{:?}", m.conflicts());
        let r = m.result().unwrap();
        let code = r.get("threat-of-harm").expect("renamed");
        assert_eq!(code.exclude, "Insults without threat.");
        assert_eq!(code.aliases, [s("menaces"), s("threats")]);
        assert!(r.get("threats").is_none());
    }

    #[test]
    fn removal_against_an_edit_is_a_whole_code_conflict() {
        let base = base_code();
        let mut theirs = base.clone();
        theirs.status = Status::Deprecated;
        let mut m = merge_codebooks(&one(base.clone()), &Codebook::default(), &one(theirs));
        assert_eq!(m.conflicts()[0].key(), "threats");
        assert!(matches!(
            m.resolve("threats", &Resolution::Text("x".into())),
            Err(ResolveError::BadText { .. })
        ));
        m.resolve("threats", &Resolution::Theirs).unwrap();
        assert_eq!(
            m.result().unwrap().get("threats").unwrap().status,
            Status::Deprecated
        );
        // Removed on one side and untouched on the other: removed, no question.
        let m = merge_codebooks(&one(base.clone()), &Codebook::default(), &one(base));
        assert!(m.is_clean());
        assert!(m.result().unwrap().codes.is_empty());
    }

    #[test]
    fn additions_on_both_sides_are_kept_and_same_id_merges() {
        let base = Codebook::default();
        let a = Code::new(s("a"), "A", "From main.");
        let b = Code::new(s("b"), "B", "From the suggestion.");
        let mut same_ours = Code::new(s("c"), "C", "Same.");
        same_ours.include = "Ours.".into();
        let same_theirs = Code::new(s("c"), "C", "Same.");
        let m = merge_codebooks(
            &base,
            &Codebook::from_codes([a, same_ours]),
            &Codebook::from_codes([b, same_theirs]),
        );
        assert!(m.is_clean(), "{:?}", m.conflicts());
        let r = m.result().unwrap();
        assert_eq!(
            r.codes.keys().map(Slug::as_str).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert_eq!(r.get("c").unwrap().include, "Ours.");
    }
}
