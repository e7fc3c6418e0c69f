//! Noticing that a study changed underneath a running session: a `cbr
//! sync` or `cbr suggest merge` from another terminal, or a sync of this
//! session, moves `HEAD`; a suggestion someone merged elsewhere loses its
//! branch. Cheap reads for a front end that polls, so it need not open
//! git itself.

use std::path::Path;

use git2::{Oid, Repository};

use super::git::MAIN;

/// The commit `HEAD` points at, if the study is a git repository with one.
/// Polled every few seconds by the terminal UI: opening the repository
/// and reading one reference costs well under a millisecond.
pub fn head(root: &Path) -> Option<String> {
    let repo = Repository::open(root).ok()?;
    let commit = repo.head().ok()?.peel_to_commit().ok()?;
    Some(commit.id().to_string())
}

/// What became of a suggestion branch that no longer exists here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Merged into `main` by this person, in this commit (short id).
    Merged { by: String, commit: String },
    /// Gone, and no merge of it on `main` was found (withdrawn, or merged
    /// from commits this session never saw).
    Gone,
}

impl Fate {
    /// One line for a person who was looking at it, short enough for a
    /// status bar: "This suggestion was merged by carol in another session (1a2b3c4)."
    pub fn describe(&self) -> String {
        match self {
            Fate::Merged { by, commit } => {
                format!("This suggestion was merged by {by} in another session ({commit}).")
            }
            Fate::Gone => {
                "This suggestion no longer exists: merged or withdrawn in another session."
                    .to_string()
            }
        }
    }
}

/// `None` while `branch` still exists; otherwise what became of it.
/// `tips` are commits the branch was seen at (its latest first is best):
/// a merge commit on `main` whose suggestion side contains one of them is
/// the merge. The walk stops after a few thousand commits of `main`.
pub fn suggestion_fate(root: &Path, branch: &str, tips: &[String]) -> Option<Fate> {
    let repo = Repository::open(root).ok()?;
    if repo.find_reference(&format!("refs/heads/{branch}")).is_ok() {
        return None;
    }
    let tips: Vec<Oid> = tips.iter().filter_map(|t| Oid::from_str(t).ok()).collect();
    Some(merged_by(&repo, &tips).unwrap_or(Fate::Gone))
}

fn merged_by(repo: &Repository, tips: &[Oid]) -> Option<Fate> {
    if tips.is_empty() {
        return None;
    }
    let main = repo.refname_to_id(MAIN).ok()?;
    let mut walk = repo.revwalk().ok()?;
    walk.push(main).ok()?;
    walk.simplify_first_parent().ok()?;
    for oid in walk.take(5000).flatten() {
        let commit = repo.find_commit(oid).ok()?;
        let Ok(side) = commit.parent_id(1) else {
            continue;
        };
        let contains =
            |tip: &Oid| side == *tip || repo.graph_descendant_of(side, *tip).unwrap_or(false);
        if tips.iter().any(contains) {
            let short = oid.to_string()[..7].to_string();
            return Some(Fate::Merged {
                by: commit.author().name().unwrap_or("someone").to_string(),
                commit: short,
            });
        }
    }
    None
}
