//! Conflict resolutions chosen one at a time on the command line, kept
//! until the merge in `.git/cbr/resolutions/<author>/<slug>.toml` — local
//! state of an operation in progress, like git's own `MERGE_MSG`. Each
//! records the two values it settled and is ignored once either side has
//! changed, so a stale choice never lands silently.

use std::path::PathBuf;

use git2::Repository;
use serde::{Deserialize, Serialize};

use crate::model::merge::{CodebookMerge, Conflict, Resolution};

use super::super::atomic::write_atomic;
use super::super::error::{Result, StudyError};
use super::{PREFIX, plan};

#[derive(Debug, Default, Serialize, Deserialize)]
struct Saved {
    #[serde(default)]
    resolution: Vec<SavedResolution>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SavedResolution {
    key: String,
    ours: String,
    theirs: String,
    take: Take,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Take {
    Ours,
    Theirs,
    Text,
}

impl SavedResolution {
    fn resolution(&self) -> Resolution {
        match self.take {
            Take::Ours => Resolution::Ours,
            Take::Theirs => Resolution::Theirs,
            Take::Text => Resolution::Text(self.text.clone()),
        }
    }

    fn settles(&self, c: &Conflict) -> bool {
        c.key() == self.key && c.ours == self.ours && c.theirs == self.theirs
    }
}

fn path(repo: &Repository, branch: &str) -> PathBuf {
    let name = branch.strip_prefix(PREFIX).unwrap_or(branch);
    repo.path()
        .join("cbr")
        .join("resolutions")
        .join(format!("{name}.toml"))
}

fn load(repo: &Repository, branch: &str) -> Result<Saved> {
    let path = path(repo, branch);
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).map_err(|e| {
            StudyError::Refused(format!(
                "{}: {}; delete the file to start resolving again",
                path.display(),
                e.message()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Saved::default()),
        Err(e) => Err(StudyError::io(path, e)),
    }
}

/// The saved resolutions that still settle a conflict of `merge`.
pub fn applicable(
    repo: &Repository,
    branch: &str,
    merge: &CodebookMerge,
) -> Result<Vec<(String, Resolution)>> {
    let conflicts = merge.conflicts();
    Ok(load(repo, branch)?
        .resolution
        .into_iter()
        .filter(|r| conflicts.iter().any(|c| r.settles(c)))
        .map(|r| (r.key.clone(), r.resolution()))
        .collect())
}

/// Saves how the conflict `key` of `branch` is to be resolved, after
/// checking that it is an open conflict and that the text fits the field.
/// Returns the conflicts still open.
pub fn record(
    repo: &Repository,
    branch: &str,
    key: &str,
    resolution: &Resolution,
) -> Result<Vec<Conflict>> {
    let mut merge = plan(repo, branch)?.merge;
    for (k, r) in applicable(repo, branch, &merge)? {
        if k != key {
            merge
                .resolve(&k, &r)
                .map_err(|e| StudyError::InvalidInput(e.to_string()))?;
        }
    }
    let Some(conflict) = merge
        .conflicts()
        .into_iter()
        .find(|c| c.key() == key)
        .cloned()
    else {
        let open: Vec<String> = merge.conflicts().iter().map(|c| c.key()).collect();
        return Err(StudyError::NotFound(if open.is_empty() {
            format!("`{branch}` has no open conflict; merge it with `cbr suggest merge {branch}`")
        } else {
            format!(
                "no conflict `{key}` in `{branch}`; open conflicts: {}",
                open.join(", ")
            )
        }));
    };
    merge
        .resolve(key, resolution)
        .map_err(|e| StudyError::InvalidInput(e.to_string()))?;
    let mut saved = load(repo, branch)?;
    saved.resolution.retain(|r| r.key != key);
    let (take, text) = match resolution {
        Resolution::Ours => (Take::Ours, String::new()),
        Resolution::Theirs => (Take::Theirs, String::new()),
        Resolution::Text(t) => (Take::Text, t.clone()),
    };
    saved.resolution.push(SavedResolution {
        key: key.to_string(),
        ours: conflict.ours,
        theirs: conflict.theirs,
        take,
        text,
    });
    let path = path(repo, branch);
    let text = toml::to_string_pretty(&saved).expect("resolutions always serialise");
    write_atomic(&path, text.as_bytes()).map_err(|e| StudyError::io(&path, e))?;
    Ok(merge.conflicts().into_iter().cloned().collect())
}

/// Drops the saved resolutions of a branch (after its merge).
pub fn forget(repo: &Repository, branch: &str) -> Result<()> {
    let path = path(repo, branch);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StudyError::io(path, e)),
    }
}
