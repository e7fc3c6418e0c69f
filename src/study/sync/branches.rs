//! Suggestion branches and release tags travel with sync.
//!
//! Every open suggestion of the team is a local branch `suggest/<author>/<slug>`
//! tracking `origin`, so listing suggestions needs no network. Reviews are
//! commits on those branches, so a reviewer's sync sends them; reviews made
//! on both sides at once are joined by a merge commit. A suggestion whose
//! tip is already part of `main` was merged: its branch is removed here and
//! from the shared repository. Release tags (`codebook-v3`) are sent when
//! the shared repository lacks them.

use std::collections::{BTreeMap, BTreeSet};

use git2::{BranchType, Oid, Repository};
use serde::Serialize;

use crate::study::error::Result;
use crate::study::git::Author;
use crate::study::remote::{ORIGIN, RefUpdate};
use crate::study::suggest::PREFIX;

/// A branch or tag sync left as it was, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LeftAlone {
    pub name: String,
    pub why: String,
}

/// What happened to suggestions in this working copy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SuggestionChanges {
    /// New open suggestions from the team, now local branches.
    pub received: Vec<String>,
    /// Suggestions that gained commits (reviews, changes) from the team.
    pub updated: Vec<String>,
    /// Merged into `main`, so their branches were removed here.
    pub removed: Vec<String>,
    /// Left as they were, with why.
    pub skipped: Vec<LeftAlone>,
}

impl SuggestionChanges {
    pub(crate) fn absorb(&mut self, other: SuggestionChanges) {
        self.received.extend(other.received);
        self.updated.extend(other.updated);
        self.removed.extend(other.removed);
        self.skipped.extend(other.skipped);
        for list in [&mut self.received, &mut self.updated, &mut self.removed] {
            list.sort();
            list.dedup();
        }
        self.skipped.sort();
        self.skipped.dedup();
    }
}

/// Branch name (`suggest/...`) → tip, for refs under `prefix`.
fn tips(repo: &Repository, prefix: &str) -> Result<BTreeMap<String, Oid>> {
    let mut out = BTreeMap::new();
    for reference in repo.references_glob(&format!("{prefix}{PREFIX}*"))? {
        let reference = reference?;
        if let (Ok(name), Some(oid)) = (reference.name(), reference.target())
            && let Some(branch) = name.strip_prefix(prefix)
        {
            out.insert(branch.to_string(), oid);
        }
    }
    Ok(out)
}

fn remote_prefix() -> String {
    format!("refs/remotes/{ORIGIN}/")
}

/// Creates a local branch at `oid` tracking `origin/<name>`.
fn adopt(repo: &Repository, name: &str, oid: Oid) -> Result<()> {
    let commit = repo.find_commit(oid)?;
    let mut branch = repo.branch(name, &commit, false)?;
    branch.set_upstream(Some(&format!("{ORIGIN}/{name}")))?;
    Ok(())
}

/// After a fresh clone: every open suggestion of the team as a local branch.
pub fn adopt_remote_suggestions(repo: &Repository) -> Result<Vec<String>> {
    let local = tips(repo, "refs/heads/")?;
    let main = repo.refname_to_id("refs/heads/main")?;
    let mut out = Vec::new();
    for (name, oid) in tips(repo, &remote_prefix())? {
        if !local.contains_key(&name) && !merged(repo, main, oid)? {
            adopt(repo, &name, oid)?;
            out.push(name);
        }
    }
    Ok(out)
}

/// Already part of `main`.
fn merged(repo: &Repository, main: Oid, tip: Oid) -> Result<bool> {
    Ok(tip == main || repo.graph_descendant_of(main, tip)?)
}

fn update(name: &str, expected: Option<Oid>, new: Option<Oid>) -> RefUpdate {
    RefUpdate {
        name: format!("refs/heads/{name}"),
        expected,
        new,
    }
}

/// Brings local suggestion branches and the team's (as last fetched) into
/// step: local changes are made here; what the shared repository must
/// change is returned as updates to push.
pub(crate) fn reconcile(
    repo: &Repository,
    author: &Author,
) -> Result<(SuggestionChanges, Vec<RefUpdate>)> {
    let main = repo.refname_to_id("refs/heads/main")?;
    let remote = tips(repo, &remote_prefix())?;
    let local = tips(repo, "refs/heads/")?;
    let names: BTreeSet<&String> = remote.keys().chain(local.keys()).collect();
    let mut changes = SuggestionChanges::default();
    let mut updates = Vec::new();
    for name in names {
        let refname = format!("refs/heads/{name}");
        match (remote.get(name).copied(), local.get(name).copied()) {
            (Some(r), None) => {
                if merged(repo, main, r)? {
                    updates.push(update(name, Some(r), None));
                } else {
                    adopt(repo, name, r)?;
                    changes.received.push(name.clone());
                }
            }
            (None, Some(l)) => {
                if merged(repo, main, l)? {
                    repo.find_branch(name, BranchType::Local)?.delete()?;
                    changes.removed.push(name.clone());
                } else {
                    updates.push(update(name, None, Some(l)));
                }
            }
            (Some(r), Some(l)) => {
                if merged(repo, main, l)? && merged(repo, main, r)? {
                    repo.find_branch(name, BranchType::Local)?.delete()?;
                    updates.push(update(name, Some(r), None));
                    changes.removed.push(name.clone());
                } else if l == r {
                } else if repo.graph_descendant_of(l, r)? {
                    updates.push(update(name, Some(r), Some(l)));
                } else if repo.graph_descendant_of(r, l)? {
                    repo.reference_matching(&refname, r, true, l, "cbr sync: from the team")?;
                    changes.updated.push(name.clone());
                } else {
                    match join_reviews(repo, author, name, l, r)? {
                        Some(joined) => {
                            repo.reference_matching(
                                &refname,
                                joined,
                                true,
                                l,
                                "cbr sync: join reviews",
                            )?;
                            updates.push(update(name, Some(r), Some(joined)));
                            changes.updated.push(name.clone());
                        }
                        None => changes.skipped.push(LeftAlone {
                            name: name.clone(),
                            why: "changed both here and in the shared repository in the same \
                                  codebook file; settle it with `git merge` on that branch"
                                .into(),
                        }),
                    }
                }
            }
            (None, None) => {}
        }
    }
    Ok((changes, updates))
}

/// A merge commit joining two lines of commits on one suggestion (say, two
/// reviews made at the same time); `None` if their changes collide.
fn join_reviews(
    repo: &Repository,
    author: &Author,
    name: &str,
    ours: Oid,
    theirs: Oid,
) -> Result<Option<Oid>> {
    let ours = repo.find_commit(ours)?;
    let theirs = repo.find_commit(theirs)?;
    let mut index = repo.merge_commits(&ours, &theirs, None)?;
    if index.has_conflicts() {
        return Ok(None);
    }
    let tree = repo.find_tree(index.write_tree_to(repo)?)?;
    let sig = author.signature()?;
    let message = format!(
        "Join reviews of {name}\n\nCommits made here and in the shared repository at the same time.\n"
    );
    Ok(Some(repo.commit(
        None,
        &sig,
        &sig,
        &message,
        &tree,
        &[&ours, &theirs],
    )?))
}

/// Local suggestion branches published since: make them track `origin`.
pub(crate) fn set_upstreams(repo: &Repository) -> Result<()> {
    let remote = tips(repo, &remote_prefix())?;
    for name in tips(repo, "refs/heads/")?.keys() {
        if !remote.contains_key(name) {
            continue;
        }
        let mut branch = repo.find_branch(name, BranchType::Local)?;
        if branch.upstream().is_err() {
            branch.set_upstream(Some(&format!("{ORIGIN}/{name}")))?;
        }
    }
    Ok(())
}

/// Release tags the shared repository lacks, and those that differ there
/// (left alone: a release is never moved).
pub(crate) fn tag_updates(
    repo: &Repository,
    remote_refs: &BTreeMap<String, Oid>,
) -> Result<(Vec<RefUpdate>, Vec<LeftAlone>)> {
    let mut updates = Vec::new();
    let mut differ = Vec::new();
    for reference in repo.references_glob("refs/tags/*")? {
        let reference = reference?;
        let (Ok(name), Some(oid)) = (reference.name(), reference.target()) else {
            continue;
        };
        match remote_refs.get(name) {
            None => updates.push(RefUpdate {
                name: name.to_string(),
                expected: None,
                new: Some(oid),
            }),
            Some(theirs) if *theirs != oid => differ.push(LeftAlone {
                name: name.trim_start_matches("refs/tags/").to_string(),
                why: "this release tag points elsewhere in the shared repository; releases are \
                      never moved, so it was not sent"
                    .into(),
            }),
            Some(_) => {}
        }
    }
    Ok((updates, differ))
}
