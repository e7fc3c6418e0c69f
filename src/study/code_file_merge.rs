//! The field-level merge of one code file, for `cbr sync`: when the
//! team's `main` and this copy's `main` both changed a code file, the three
//! versions are parsed and merged field by field (see
//! [`crate::model::merge`]). Only a clean merge is accepted; a real
//! conflict, a removal against a change, or a file that does not parse is
//! left to the caller, which stops the sync without changing anything.

use crate::model::merge::merge_codebooks;
use crate::model::{Code, Codebook};

use super::sync::{FileMerge, FileVersions};

/// The field-by-field merge of code files.
#[derive(Debug, Clone, Copy, Default)]
pub struct FieldMerge;

fn parse(bytes: Option<&[u8]>) -> Option<Codebook> {
    match bytes {
        None => Some(Codebook::default()),
        Some(bytes) => {
            let code: Code = toml::from_str(std::str::from_utf8(bytes).ok()?).ok()?;
            Some(Codebook::from_codes([code]))
        }
    }
}

impl FileMerge for FieldMerge {
    fn merge(&self, file: &FileVersions<'_>) -> Option<Vec<u8>> {
        let stem = file.path.file_stem()?.to_str()?;
        let (base, ours, theirs) = (parse(file.base)?, parse(file.ours)?, parse(file.theirs)?);
        let merge = merge_codebooks(&base, &ours, &theirs);
        if !merge.is_clean() {
            return None;
        }
        let result = merge.result().ok()?;
        let code = result.get(stem)?;
        (result.codes.len() == 1).then(|| code.to_toml().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Slug;
    use std::path::Path;

    fn file(code: &Code) -> Vec<u8> {
        code.to_toml().into_bytes()
    }

    #[test]
    fn different_fields_merge_and_the_same_field_does_not() {
        let base = Code::new(Slug::new("support").unwrap(), "Support", "Help.");
        let mut ours = base.clone();
        ours.name = "Peer support".into();
        let mut theirs = base.clone();
        theirs.definition = "Help from colleagues.".into();
        let path = Path::new("codebook/codes/support.toml");
        let (b, o, t) = (file(&base), file(&ours), file(&theirs));
        let merged = FieldMerge
            .merge(&FileVersions {
                path,
                base: Some(&b),
                ours: Some(&o),
                theirs: Some(&t),
            })
            .unwrap();
        let merged: Code = toml::from_str(std::str::from_utf8(&merged).unwrap()).unwrap();
        assert_eq!(
            (merged.name.as_str(), merged.definition.as_str()),
            ("Peer support", "Help from colleagues.")
        );

        let mut clash = base.clone();
        clash.name = "Mutual aid".into();
        let c = file(&clash);
        let versions = FileVersions {
            path,
            base: Some(&b),
            ours: Some(&o),
            theirs: Some(&c),
        };
        assert_eq!(FieldMerge.merge(&versions), None);
        // Removed on one side, changed on the other: not for a merge to decide.
        let versions = FileVersions {
            path,
            base: Some(&b),
            ours: None,
            theirs: Some(&t),
        };
        assert_eq!(FieldMerge.merge(&versions), None);
    }
}
