//! What the shell may offer when a researcher presses Tab: the ids that exist
//! in the study around the current folder. Completion runs on every Tab, so
//! it reads only what it needs and says nothing when there is no study.

use std::path::Path;

use crate::model::CONSENSUS;
use crate::model::text::inert;

use super::{Study, git, suggest};

/// One thing to offer, with a short description where the shell shows one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub help: Option<String>,
}

/// Code ids (active first, then the rest) with their names, and former ids
/// that still resolve, so an old habit still completes.
pub fn codes(dir: &Path) -> Vec<Candidate> {
    let Ok(study) = Study::discover(dir) else {
        return Vec::new();
    };
    let mut out: Vec<Candidate> = study
        .codebook
        .codes
        .values()
        .map(|code| Candidate {
            value: code.id.to_string(),
            // Names are free text from a study file: never a control
            // character on the terminal, even inside a completion menu.
            help: Some(inert(&code.name).into_owned()),
        })
        .collect();
    for code in study.codebook.codes.values() {
        for alias in &code.aliases {
            out.push(Candidate {
                value: alias.to_string(),
                help: Some(format!("former id of {}", code.id)),
            });
        }
    }
    out
}

/// Coder ids that have codings in the study, `consensus` included when it exists.
pub fn coders(dir: &Path) -> Vec<Candidate> {
    let Ok(study) = Study::discover(dir) else {
        return Vec::new();
    };
    study
        .coders
        .iter()
        .map(|c| Candidate {
            value: c.to_string(),
            help: (c.as_str() == CONSENSUS).then(|| "reconciled coding".to_string()),
        })
        .collect()
}

/// Open suggestions as `author/slug`, the short form every suggest command takes.
pub fn suggestions(dir: &Path) -> Vec<Candidate> {
    let Ok(study) = Study::discover(dir) else {
        return Vec::new();
    };
    let Ok(repo) = git::open(&study.root) else {
        return Vec::new();
    };
    suggest::branches(&repo)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|branch| {
            let short = branch.strip_prefix(suggest::PREFIX)?;
            Some(Candidate {
                value: inert(short).into_owned(),
                help: None,
            })
        })
        .collect()
}
