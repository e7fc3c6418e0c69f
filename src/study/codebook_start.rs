//! `cbr codebook init --reference`: a new team's first codebook, started
//! with cbr instead of copying files and committing them with git. The
//! bundled reference codebook (workplace violence in harm reduction, the
//! one the demo uses) is written file by file and committed once; later
//! changes go through suggestions like any other codebook change.

use std::path::PathBuf;

use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::load::Study;

/// Writes the reference codebook into an empty codebook and commits it.
/// Returns how many codes were added.
pub fn from_reference(study: &Study, author: &Author) -> Result<usize> {
    if !study.codebook.codes.is_empty() {
        return Err(StudyError::Conflict(format!(
            "the codebook already has {} code(s); change it through suggestions (`cbr suggest new …`)",
            study.codebook.codes.len()
        )));
    }
    let codebook = super::bundled::codebook();
    let mut paths: Vec<PathBuf> = Vec::new();
    for code in codebook.codes.values() {
        paths.push(study.save_code(code)?);
    }
    let repo = git::open(&study.root)?;
    let message = format!(
        "{}: start the codebook from cbr's reference codebook ({} codes)\n",
        author.coder,
        paths.len()
    );
    git::commit_paths(&repo, author, &message, &paths)?;
    Ok(paths.len())
}
