//! `cbr init`: a new, empty study in a git repository.

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::StudyConfig;

use super::atomic::write_atomic;
use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::layout;

/// Creates `study.toml` and the folders, initialises git if needed, and
/// makes the first commit. Refuses to overwrite an existing study.
pub fn init(dir: &Path, title: &str, author: &Author) -> Result<PathBuf> {
    let absolute = std::path::absolute(dir).map_err(|e| StudyError::io(dir, e))?;
    if let Some(outer) = absolute.parent().and_then(layout::find_root) {
        return Err(StudyError::InvalidInput(format!(
            "{}: inside the study at {}; a study cannot hold another one, create it elsewhere",
            dir.display(),
            outer.display()
        )));
    }
    if dir.join(layout::STUDY_FILE).exists() {
        return Err(StudyError::Conflict(format!(
            "{}: already a study (study.toml exists); nothing changed",
            dir.display()
        )));
    }
    fs::create_dir_all(dir).map_err(|e| StudyError::io(dir, e))?;
    let repo = match git2::Repository::open(dir) {
        Ok(repo) => repo,
        Err(_) => git::init(dir)?,
    };
    let config = StudyConfig::new(title);
    write_atomic(&dir.join(layout::STUDY_FILE), config.to_toml().as_bytes())
        .map_err(|e| StudyError::io(layout::STUDY_FILE, e))?;
    for sub in [
        layout::CODES_DIR,
        layout::TRANSCRIPTS_DIR,
        layout::CODINGS_DIR,
    ] {
        fs::create_dir_all(dir.join(sub)).map_err(|e| StudyError::io(sub, e))?;
    }
    git::commit_paths(
        &repo,
        author,
        &format!("{}: start study \"{title}\"", author.coder),
        &[PathBuf::from(layout::STUDY_FILE)],
    )?;
    Ok(dir.to_path_buf())
}

/// Creates `dir` for a command that builds a whole study there (`cbr demo`,
/// `cbr generate`); refuses a folder that already holds anything.
pub(crate) fn new_folder(dir: &Path, command: &str) -> Result<()> {
    if dir.exists()
        && fs::read_dir(dir)
            .map_err(|e| StudyError::io(dir, e))?
            .next()
            .is_some()
    {
        return Err(StudyError::InvalidInput(format!(
            "{}: folder is not empty; give `{command}` a new folder",
            dir.display()
        )));
    }
    fs::create_dir_all(dir).map_err(|e| StudyError::io(dir, e))
}
