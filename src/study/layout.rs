//! Where each kind of file lives inside a study.

use std::path::{Path, PathBuf};

use crate::model::Slug;

pub const STUDY_FILE: &str = "study.toml";
pub const CODES_DIR: &str = "codebook/codes";
pub const TRANSCRIPTS_DIR: &str = "transcripts";
pub const CODINGS_DIR: &str = "codings";

pub fn code_file(id: &Slug) -> PathBuf {
    Path::new(CODES_DIR).join(format!("{id}.toml"))
}

pub fn transcript_text(id: &Slug) -> PathBuf {
    Path::new(TRANSCRIPTS_DIR).join(format!("{id}.txt"))
}

pub fn transcript_meta(id: &Slug) -> PathBuf {
    Path::new(TRANSCRIPTS_DIR).join(format!("{id}.toml"))
}

pub fn coding_file(coder: &Slug, transcript: &Slug) -> PathBuf {
    Path::new(CODINGS_DIR)
        .join(coder.as_str())
        .join(format!("{transcript}.toml"))
}

/// The nearest folder at or above `start` that holds a `study.toml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(STUDY_FILE).is_file())
        .map(Path::to_path_buf)
}
