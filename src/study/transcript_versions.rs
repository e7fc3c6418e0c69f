//! A transcript's earlier texts, found by the content hash a coding
//! recorded: the file before a correction, `HEAD`, or any commit in the
//! history (walked once, and only when needed).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use git2::Repository;

use crate::model::transcript::content_hash;
use crate::model::{Slug, Transcript};

use super::error::Result;

/// Texts of one transcript by content hash, found on disk or in history.
pub struct Versions<'a> {
    repo: &'a Repository,
    rel: PathBuf,
    by_hash: HashMap<String, Vec<String>>,
    searched: bool,
}

impl<'a> Versions<'a> {
    pub fn new(repo: &'a Repository, rel: PathBuf) -> Self {
        Versions {
            repo,
            rel,
            by_hash: HashMap::new(),
            searched: false,
        }
    }

    pub fn add(&mut self, bytes: &[u8]) {
        let hash = content_hash(bytes);
        if let Ok(t) = Transcript::from_bytes(Slug::new("t").expect("valid"), bytes) {
            self.by_hash
                .entry(hash)
                .or_insert_with(|| t.lines().to_vec());
        }
    }

    /// The lines of the text with `hash`, walking history once if needed.
    pub fn get(&mut self, hash: &str) -> Result<Option<&Vec<String>>> {
        if !self.by_hash.contains_key(hash) && !self.searched {
            self.searched = true;
            self.search()?;
        }
        Ok(self.by_hash.get(hash))
    }

    fn search(&mut self) -> Result<()> {
        let mut walk = self.repo.revwalk()?;
        if walk.push_head().is_err() {
            return Ok(());
        }
        let mut seen = std::collections::HashSet::new();
        for oid in walk {
            let tree = self.repo.find_commit(oid?)?.tree()?;
            let Ok(entry) = tree.get_path(&self.rel) else {
                continue;
            };
            if seen.insert(entry.id())
                && let Ok(blob) = self.repo.find_blob(entry.id())
            {
                let bytes = blob.content().to_vec();
                self.add(&bytes);
            }
        }
        Ok(())
    }
}

/// The text of `rel` at `HEAD`, if committed.
pub fn head_bytes(repo: &Repository, rel: &Path) -> Option<Vec<u8>> {
    let tree = repo.head().ok()?.peel_to_tree().ok()?;
    let entry = tree.get_path(rel).ok()?;
    Some(repo.find_blob(entry.id()).ok()?.content().to_vec())
}
