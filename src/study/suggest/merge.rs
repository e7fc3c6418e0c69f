//! Merging a suggestion into `main`: a field-by-field three-way merge of
//! the codebook (code files parsed, never merged as text), gated by the
//! study's required approvals, recorded as a merge commit whose message
//! keeps title, rationale, approvals and any conflict resolutions. When
//! `main` is checked out, the merged `codebook/` files are written to the
//! working tree too — and only those, so no coding work is touched.

use std::path::Path;

use git2::{Oid, Repository};
use serde::Serialize;

use crate::model::Codebook;
use crate::model::merge::{CodebookMerge, Conflict, Resolution, merge_codebooks};

use super::super::atomic::write_atomic;
use super::super::error::{Result, StudyError};
use super::super::git::{self, Author, MAIN};
use super::super::layout;
use super::super::versions::{TreeCodebook, codebook_at, main_tip};
use super::{KIND_TRAILER, refname, resolutions, summary};

/// Everything needed to merge a suggestion, computed without writing anything.
pub struct MergePlan {
    pub base: Oid,
    pub ours: Oid,
    pub theirs: Oid,
    /// The codebook merge; its conflicts are the ones still to resolve.
    pub merge: CodebookMerge,
    ours_cb: TreeCodebook,
    theirs_cb: TreeCodebook,
}

/// What `merge` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum MergeOutcome {
    Merged {
        commit: String,
        /// Whether the working tree's `codebook/` was updated (`main` checked out).
        workdir_updated: bool,
    },
    /// Nothing was written; these need a resolution first.
    Conflicts { conflicts: Vec<Conflict> },
}

fn readable(repo: &Repository, commit: Oid, what: &str) -> Result<TreeCodebook> {
    let tc = codebook_at(repo, commit)?;
    if let Some(first) = tc.problems.first() {
        return Err(StudyError::Refused(format!(
            "{first} (in the codebook of {what}); fix it with a commit before merging"
        )));
    }
    Ok(tc)
}

/// Plans the merge of `branch` into `main`.
pub fn plan(repo: &Repository, branch: &str) -> Result<MergePlan> {
    let theirs = repo.refname_to_id(&refname(branch))?;
    let ours = main_tip(repo)?;
    let base = repo.merge_base(ours, theirs)?;
    // A suggestion may only change the codebook.
    let diff = repo.diff_tree_to_tree(
        Some(&repo.find_commit(base)?.tree()?),
        Some(&repo.find_commit(theirs)?.tree()?),
        None,
    )?;
    for delta in diff.deltas() {
        let path = delta.new_file().path().or(delta.old_file().path());
        if let Some(path) = path.filter(|p| !p.starts_with("codebook")) {
            return Err(StudyError::Refused(format!(
                "`{branch}` changes {}, outside codebook/; a suggestion may only change the codebook",
                path.display()
            )));
        }
    }
    let base_cb = readable(repo, base, "the merge base")?;
    let ours_cb = readable(repo, ours, "main")?;
    let theirs_cb = readable(repo, theirs, branch)?;
    let merge = merge_codebooks(&base_cb.codebook, &ours_cb.codebook, &theirs_cb.codebook);
    Ok(MergePlan {
        base,
        ours,
        theirs,
        merge,
        ours_cb,
        theirs_cb,
    })
}

/// Merges `branch` into `main` if `required` people other than its author
/// approve it and nobody's latest verdict rejects it. Resolutions saved
/// with `cbr suggest resolve` apply first, then `extra` (from a TUI).
/// Conflicts left open are returned and nothing is written.
pub fn merge(
    repo: &Repository,
    branch: &str,
    merger: &Author,
    required: u32,
    extra: &[(String, Resolution)],
) -> Result<MergeOutcome> {
    let s = summary(repo, branch)?;
    if !s.rejected_by.is_empty() {
        return Err(StudyError::NotApproved(format!(
            "`{branch}` was rejected by {}; it stays in the history but cannot be merged unless they approve it",
            s.rejected_by.join(", ")
        )));
    }
    if (s.approvals.len() as u32) < required {
        return Err(StudyError::NotApproved(format!(
            "`{branch}` needs {required} approval(s) and has {} ({}); ask a reviewer to run `cbr suggest approve {branch}`",
            s.approvals.len(),
            if s.approvals.is_empty() {
                "none".to_string()
            } else {
                s.approvals.join(", ")
            }
        )));
    }
    let mut plan = plan(repo, branch)?;
    let mut applied: Vec<(String, Resolution)> = Vec::new();
    for (key, resolution) in resolutions::applicable(repo, branch, &plan.merge)?
        .into_iter()
        .chain(extra.iter().cloned())
    {
        plan.merge
            .resolve(&key, &resolution)
            .map_err(|e| StudyError::Refused(e.to_string()))?;
        applied.push((key, resolution));
    }
    if !plan.merge.is_clean() {
        return Ok(MergeOutcome::Conflicts {
            conflicts: plan.merge.conflicts().into_iter().cloned().collect(),
        });
    }
    let result = plan.merge.result().map_err(|id| {
        StudyError::Conflict(format!(
            "after merging, two codes would have the id `{id}`; rename one on its branch first"
        ))
    })?;
    let before = plan.ours_cb.codebook.problems();
    let new_problems: Vec<String> = result
        .problems()
        .into_iter()
        .filter(|p| !before.contains(p))
        .map(|p| p.to_string())
        .collect();
    if !new_problems.is_empty() {
        return Err(StudyError::Refused(format!(
            "merging `{branch}` would leave the codebook inconsistent: {}",
            new_problems.join("; ")
        )));
    }
    let workdir = git::head_is_main(repo);
    if workdir {
        refuse_dirty_codebook(repo)?;
    }
    let tree = merged_tree(repo, &plan, &result)?;
    let message = merge_message(branch, &s, &applied);
    let sig = merger.signature()?;
    let ours = repo.find_commit(plan.ours)?;
    let theirs = repo.find_commit(plan.theirs)?;
    let oid = repo.commit(
        None,
        &sig,
        &sig,
        &message,
        &repo.find_tree(tree)?,
        &[&ours, &theirs],
    )?;
    repo.reference_matching(MAIN, oid, true, plan.ours, "merge suggestion")?;
    repo.find_reference(&refname(branch))?.delete()?;
    resolutions::forget(repo, branch)?;
    if workdir {
        update_codebook_files(repo, ours.tree_id(), tree)?;
    }
    Ok(MergeOutcome::Merged {
        commit: oid.to_string(),
        workdir_updated: workdir,
    })
}

fn merge_message(branch: &str, s: &super::Suggestion, applied: &[(String, Resolution)]) -> String {
    let mut message = format!("Merge suggestion: {}\n\n", s.title);
    if !s.rationale.is_empty() {
        message.push_str(&format!("{}\n\n", s.rationale));
    }
    if let Some(kind) = s.kind {
        message.push_str(&format!("{KIND_TRAILER}: {kind}\n"));
    }
    message.push_str(&format!("Suggested-by: {}\n", s.author));
    for who in &s.approvals {
        message.push_str(&format!("Approved-by: {who}\n"));
    }
    for (key, resolution) in applied {
        let how = match resolution {
            Resolution::Ours => "main",
            Resolution::Theirs => "suggestion",
            Resolution::Text(_) => "edited",
        };
        message.push_str(&format!("Resolved: {key} = {how}\n"));
    }
    message.push_str(&format!("Suggestion-branch: {branch}\n"));
    message
}

/// `main`'s tree with `codebook/codes/` replaced by the merged codebook.
/// Files equal to `main`'s or the suggestion's version keep their exact
/// bytes, so hand formatting survives the merge.
fn merged_tree(repo: &Repository, plan: &MergePlan, result: &Codebook) -> Result<Oid> {
    let tree = |oid: Oid| -> Result<git2::Tree<'_>> { Ok(repo.find_commit(oid)?.tree()?) };
    let mut index = repo.merge_trees(
        &tree(plan.base)?,
        &tree(plan.ours)?,
        &tree(plan.theirs)?,
        None,
    )?;
    let codes_dir = format!("{}/", layout::CODES_DIR);
    let mut stale = Vec::new();
    for entry in index.iter() {
        let path = String::from_utf8_lossy(&entry.path).into_owned();
        let stage = (entry.flags >> 12) & 0x3;
        if path.starts_with(&codes_dir) {
            stale.push((path, stage));
        } else if stage != 0 {
            return Err(StudyError::Conflict(format!(
                "{path} conflicts between main and the suggestion; fix it with plain git first"
            )));
        }
    }
    for (path, stage) in stale {
        index.remove(Path::new(&path), i32::from(stage))?;
    }
    for (id, code) in &result.codes {
        let same = |tc: &TreeCodebook| -> Option<Oid> {
            (tc.codebook.get(id.as_str()) == Some(code))
                .then(|| tc.blobs.get(id).copied())
                .flatten()
        };
        let path = layout::code_file(id);
        let bytes = match same(&plan.ours_cb).or_else(|| same(&plan.theirs_cb)) {
            Some(blob) => repo.find_blob(blob)?.content().to_vec(),
            None => code.to_toml().into_bytes(),
        };
        index.add(&git::blob_entry(repo, &path, &bytes)?)?;
    }
    Ok(index.write_tree_to(repo)?)
}

/// A merge writes `codebook/`; refuse if the coder has unsaved changes there.
fn refuse_dirty_codebook(repo: &Repository) -> Result<()> {
    let mut opts = git2::StatusOptions::new();
    opts.pathspec("codebook")
        .include_untracked(true)
        .recurse_untracked_dirs(true);
    let statuses = repo.statuses(Some(&mut opts))?;
    let dirty: Vec<String> = statuses
        .iter()
        .filter(|s| s.status() != git2::Status::CURRENT && !s.status().is_ignored())
        .filter_map(|s| s.path().ok().map(str::to_string))
        .collect();
    if dirty.is_empty() {
        Ok(())
    } else {
        Err(StudyError::Refused(format!(
            "codebook/ has uncommitted changes ({}); commit or discard them, then merge again",
            dirty.join(", ")
        )))
    }
}

/// Brings `codebook/` of the working tree and the index from `old` to
/// `new` (two trees of `main`), leaving every other file alone.
fn update_codebook_files(repo: &Repository, old: Oid, new: Oid) -> Result<()> {
    let root = repo
        .workdir()
        .ok_or_else(|| StudyError::Refused("the study repository is bare".into()))?
        .to_path_buf();
    let mut opts = git2::DiffOptions::new();
    opts.pathspec("codebook");
    let diff = repo.diff_tree_to_tree(
        Some(&repo.find_tree(old)?),
        Some(&repo.find_tree(new)?),
        Some(&mut opts),
    )?;
    let mut index = repo.index()?;
    for delta in diff.deltas() {
        if let Some(path) = delta.old_file().path()
            && delta.status() == git2::Delta::Deleted
        {
            match std::fs::remove_file(root.join(path)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(StudyError::io(path, e)),
            }
            index.remove_path(path)?;
            continue;
        }
        if let Some(path) = delta.new_file().path() {
            let blob = repo.find_blob(delta.new_file().id())?;
            // Never through a linked folder (see safe_fs).
            super::super::safe_fs::check_writable(&root, path)?;
            write_atomic(&root.join(path), blob.content()).map_err(|e| StudyError::io(path, e))?;
            index.add_path(path)?;
        }
    }
    index.write()?;
    Ok(())
}
