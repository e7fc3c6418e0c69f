//! Which code files differ between two `codes/` trees, remembered in
//! `.git/cbr/codes-diffs` between runs (see [`super::cache_file`]).
//! Comparing two 300-entry trees is most of a history walk (reading and
//! parsing both tree objects); the answer for a pair of tree ids never
//! changes, so it is kept by those ids.

use std::collections::HashMap;
use std::path::PathBuf;

use git2::{Oid, Repository};

use super::FileChange;
use super::cache_file::{self, parse, show};

/// The cache of one history walk.
pub(super) struct DiffCache {
    path: PathBuf,
    known: HashMap<(Oid, Oid), Vec<FileChange>>,
    added: bool,
}

fn key(old: Option<Oid>, new: Option<Oid>) -> (Oid, Oid) {
    (old.unwrap_or(Oid::ZERO_SHA1), new.unwrap_or(Oid::ZERO_SHA1))
}

impl DiffCache {
    /// Reads the cache of `repo`; anything damaged in it is dropped.
    pub(super) fn open(repo: &Repository) -> DiffCache {
        let path = cache_file::path(repo, "codes-diffs");
        let mut known: HashMap<(Oid, Oid), Vec<FileChange>> = HashMap::new();
        let text = cache_file::read(&path);
        // One line per changed file: old tree, new tree, name, old blob, new blob.
        for line in text.lines() {
            let w: Vec<&str> = line.split(' ').collect();
            let [old, new, name, a, b] = w[..] else {
                return DiffCache::empty(path);
            };
            let (Some(old), Some(new), Some(a), Some(b)) =
                (parse(old), parse(new), parse(a), parse(b))
            else {
                return DiffCache::empty(path);
            };
            known
                .entry(key(old, new))
                .or_default()
                .push((name.to_string(), a, b));
        }
        DiffCache {
            path,
            known,
            added: false,
        }
    }

    fn empty(path: PathBuf) -> DiffCache {
        DiffCache {
            path,
            known: HashMap::new(),
            added: false,
        }
    }

    pub(super) fn get(&self, old: Option<Oid>, new: Option<Oid>) -> Option<&Vec<FileChange>> {
        self.known.get(&key(old, new))
    }

    /// Remembers a comparison. Pairs whose file names could not be written
    /// back on one line (spaces, control characters) are not kept.
    pub(super) fn insert(&mut self, old: Option<Oid>, new: Option<Oid>, files: &[FileChange]) {
        let plain =
            |n: &str| !n.is_empty() && !n.chars().any(|c| c.is_whitespace() || c.is_control());
        // An empty list could not be told apart from "not cached" on disk.
        if files.is_empty() || !files.iter().all(|f| plain(&f.0)) {
            return;
        }
        self.known.insert(key(old, new), files.to_vec());
        self.added = true;
    }

    /// Writes the cache back if the walk added to it; failures are ignored.
    pub(super) fn save(&self) {
        if !self.added {
            return;
        }
        let mut keys: Vec<&(Oid, Oid)> = self.known.keys().collect();
        keys.sort();
        let mut text = String::new();
        for k in keys {
            let tree = |id: Oid| (!id.is_zero()).then_some(id);
            for (name, a, b) in &self.known[k] {
                text.push_str(&format!(
                    "{} {} {name} {} {}\n",
                    show(tree(k.0)),
                    show(tree(k.1)),
                    show(*a),
                    show(*b)
                ));
            }
        }
        cache_file::write(&self.path, &text);
    }
}
