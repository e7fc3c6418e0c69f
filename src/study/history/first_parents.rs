//! Each commit's first parent and its `codebook/` and `codes/` tree ids,
//! remembered in `.git/cbr/first-parents` (see [`super::cache_file`]).
//! Walking `main`'s first-parent line otherwise parses every commit and
//! reads two trees for each (most of `cbr log CODE` on a long history);
//! with the cache, a walk reads git only for commits it has not seen.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use git2::{Oid, Repository};

use super::cache_file::{self, parse, show};
use crate::study::error::Result;

/// What a walk needs of one commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Link {
    pub parent: Option<Oid>,
    pub codebook: Option<Oid>,
    pub codes: Option<Oid>,
}

pub(super) struct FirstParents {
    path: PathBuf,
    known: HashMap<Oid, Link>,
    added: bool,
}

impl FirstParents {
    /// Reads the cache of `repo`; a damaged one is dropped whole.
    pub(super) fn open(repo: &Repository) -> FirstParents {
        let path = cache_file::path(repo, "first-parents");
        let known = parse_all(&cache_file::read(&path)).unwrap_or_default();
        FirstParents {
            path,
            known,
            added: false,
        }
    }

    /// The link of `commit`, from the cache or from git.
    pub(super) fn link(&mut self, repo: &Repository, commit: Oid) -> Result<Link> {
        if let Some(link) = self.known.get(&commit) {
            return Ok(*link);
        }
        let c = repo.find_commit(commit)?;
        let codebook = c
            .tree()?
            .get_path(Path::new("codebook"))
            .ok()
            .map(|e| e.id());
        let codes = match codebook {
            Some(id) => repo.find_tree(id)?.get_name("codes").map(|e| e.id()),
            None => None,
        };
        let link = Link {
            parent: c.parent_id(0).ok(),
            codebook,
            codes,
        };
        self.known.insert(commit, link);
        self.added = true;
        Ok(link)
    }

    /// The first-parent line from `to` back to the root commit, newest
    /// first. A cache that loops (damaged by hand) is dropped and the line
    /// read from git again, where it cannot loop.
    pub(super) fn line(&mut self, repo: &Repository, to: Oid) -> Result<Vec<Oid>> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let mut at = Some(to);
        while let Some(oid) = at {
            if !seen.insert(oid) {
                self.known.clear();
                self.added = true;
                return self.line(repo, to);
            }
            out.push(oid);
            at = self.link(repo, oid)?.parent;
        }
        Ok(out)
    }

    /// Writes the cache back if it learnt something.
    pub(super) fn save(&self) {
        if !self.added {
            return;
        }
        let mut commits: Vec<&Oid> = self.known.keys().collect();
        commits.sort();
        let mut text = String::with_capacity(commits.len() * 164);
        for commit in commits {
            let l = &self.known[commit];
            text.push_str(&format!(
                "{commit} {} {} {}\n",
                show(l.parent),
                show(l.codebook),
                show(l.codes)
            ));
        }
        cache_file::write(&self.path, &text);
    }
}

/// One line per commit: commit, parent, `codebook/` tree, `codes/` tree.
fn parse_all(text: &str) -> Option<HashMap<Oid, Link>> {
    let mut known = HashMap::new();
    for line in text.lines() {
        let mut words = line.split(' ');
        let mut next = || parse(words.next()?);
        let (Some(Some(commit)), Some(parent), Some(codebook), Some(codes)) =
            (next(), next(), next(), next())
        else {
            return None;
        };
        known.insert(
            commit,
            Link {
                parent,
                codebook,
                codes,
            },
        );
    }
    Some(known)
}
