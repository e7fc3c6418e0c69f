//! The files under `.git/cbr/` that remember what a history walk read
//! from git. Each maps object ids to facts about them that can never
//! change, so a cache cannot go stale; anything missing or damaged only
//! means reading git again, and a cache that cannot be written is not an
//! error.

use std::path::{Path, PathBuf};

use git2::{Oid, Repository};

use crate::study::atomic::write_atomic;

/// Where the cache `name` of `repo` lives.
pub(super) fn path(repo: &Repository, name: &str) -> PathBuf {
    repo.path().join("cbr").join(name)
}

/// The cache's text; empty when it is missing, unreadable or not a plain
/// file (a link planted in `.git` is never followed).
pub(super) fn read(path: &Path) -> String {
    let plain = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
    plain
        .then(|| std::fs::read_to_string(path).ok())
        .flatten()
        .unwrap_or_default()
}

/// Writes the cache; failures are ignored (the next walk reads git again).
pub(super) fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent()
        && std::fs::create_dir_all(dir).is_ok()
        && !std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink())
    {
        let _ = write_atomic(path, text.as_bytes());
    }
}

/// An optional id as written in a cache: `-` stands for "none".
pub(super) fn show(id: Option<Oid>) -> String {
    id.map_or_else(|| "-".to_string(), |id| id.to_string())
}

/// The reverse of [`show`]; `None` when the word is neither.
pub(super) fn parse(word: &str) -> Option<Option<Oid>> {
    match word {
        "-" => Some(None),
        _ => Oid::from_str(word).ok().map(Some),
    }
}
