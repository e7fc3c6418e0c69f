//! REFI-QDA exchange on the study side: which commit to export, the seed
//! GUIDs are derived from, reading input files, and the commits an import
//! makes (one, or none). The formats themselves are `interop::refi`.

pub mod qdc;
pub mod qdpx_export;
pub mod qdpx_import;
mod qdpx_map;
pub mod qdpx_read;
pub mod snapshot;

use std::fs;
use std::path::Path;

use git2::{Oid, Repository};

use super::error::{Result, StudyError};
use super::versions::{main_tip, resolve_version};

/// The commit to export: `--at VERSION`, or the tip of `main`.
pub fn version(repo: &Repository, at: Option<&str>) -> Result<Oid> {
    match at {
        Some(spec) => resolve_version(repo, spec),
        None => main_tip(repo),
    }
}

/// What every exported GUID is derived from: the id of the study's first
/// commit, which every clone shares and no later change moves.
pub fn seed(repo: &Repository) -> Result<String> {
    let mut walk = repo.revwalk()?;
    walk.push(main_tip(repo)?)?;
    walk.simplify_first_parent()?;
    let mut last = None;
    for oid in walk {
        last = Some(oid?);
    }
    Ok(last.map(|o| o.to_string()).unwrap_or_default())
}

/// Reads an input file: a regular file (not a folder or device), whole.
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    let meta = fs::metadata(path).map_err(|e| StudyError::io(path, e))?;
    if !meta.is_file() {
        return Err(StudyError::InvalidInput(format!(
            "{}: not a regular file",
            path.display()
        )));
    }
    fs::read(path).map_err(|e| StudyError::io(path, e))
}

/// The display name of an input file, for messages and commit messages.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
