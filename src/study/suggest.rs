//! Codebook suggestions as git branches `suggest/<author>/<slug>`.
//!
//! The branch's first commit carries the title and rationale; reviews are
//! empty commits on the branch whose trailers (`Approved-by:`,
//! `Comment-by:`, `Rejected-by:`) say who did what, so reviews travel with
//! ordinary `git fetch`/`git push`. Merging makes a merge commit on `main`
//! that keeps the title, rationale and approvals.

use git2::{Oid, Repository};

use crate::model::Slug;

use super::error::{Result, StudyError};
use super::git::{self, Author, Change};

pub const PREFIX: &str = "suggest/";

pub fn branch_name(author: &Slug, slug: &Slug) -> String {
    format!("{PREFIX}{author}/{slug}")
}

/// Creates the branch off `main` with one commit holding the codebook change.
pub fn create(
    repo: &Repository,
    author: &Author,
    slug: &Slug,
    title: &str,
    rationale: &str,
    changes: &[Change],
) -> Result<String> {
    if changes
        .iter()
        .any(|(path, _)| !path.starts_with("codebook"))
    {
        return Err(StudyError::Refused(
            "a suggestion may only change files under codebook/".into(),
        ));
    }
    let branch = branch_name(&author.coder, slug);
    let refname = format!("refs/heads/{branch}");
    if repo.refname_to_id(&refname).is_ok() {
        return Err(StudyError::Refused(format!(
            "a suggestion `{branch}` already exists; pick another title or amend that one"
        )));
    }
    let main = repo.refname_to_id("refs/heads/main")?;
    let message = format!("{}\n\n{}\n", title.trim(), rationale.trim());
    git::commit_to_ref(repo, &refname, Some(main), author, &message, changes, &[])?;
    Ok(branch)
}

/// What a reviewer says about a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Comment,
    Reject,
}

impl Verdict {
    pub fn trailer(self) -> &'static str {
        match self {
            Verdict::Approve => "Approved-by",
            Verdict::Comment => "Comment-by",
            Verdict::Reject => "Rejected-by",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Verdict::Approve => "Approve",
            Verdict::Comment => "Comment on",
            Verdict::Reject => "Reject",
        }
    }
}

/// Records a review as an empty commit on the suggestion branch.
pub fn review(
    repo: &Repository,
    branch: &str,
    reviewer: &Author,
    verdict: Verdict,
    text: &str,
) -> Result<Oid> {
    let refname = format!("refs/heads/{branch}");
    let tip = repo.refname_to_id(&refname)?;
    let title = suggestion_title(repo, branch)?;
    let body = if text.trim().is_empty() {
        String::new()
    } else {
        format!("{}\n\n", text.trim())
    };
    let message = format!(
        "{} suggestion: {title}\n\n{body}{}: {}\n",
        verdict.verb(),
        verdict.trailer(),
        reviewer.coder
    );
    git::commit_to_ref(repo, &refname, Some(tip), reviewer, &message, &[], &[])
}

/// The title: the summary line of the branch's first commit after `main`.
pub fn suggestion_title(repo: &Repository, branch: &str) -> Result<String> {
    let first = first_commit(repo, branch)?;
    let commit = repo.find_commit(first)?;
    Ok(commit.summary().ok().flatten().unwrap_or("").to_string())
}

fn first_commit(repo: &Repository, branch: &str) -> Result<Oid> {
    let tip = repo.refname_to_id(&format!("refs/heads/{branch}"))?;
    let main = repo.refname_to_id("refs/heads/main")?;
    let mut walk = repo.revwalk()?;
    walk.push(tip)?;
    walk.hide(main)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    walk.next()
        .transpose()?
        .ok_or_else(|| StudyError::Refused(format!("`{branch}` has no commit that is not on main")))
}

/// Who approved a suggestion, in order, from the branch's trailers.
pub fn approvals(repo: &Repository, branch: &str) -> Result<Vec<String>> {
    let tip = repo.refname_to_id(&format!("refs/heads/{branch}"))?;
    let main = repo.refname_to_id("refs/heads/main")?;
    let mut walk = repo.revwalk()?;
    walk.push(tip)?;
    walk.hide(main)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    let mut out = Vec::new();
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        let message = commit.message().unwrap_or("");
        for line in message.lines() {
            if let Some(who) = line.strip_prefix("Approved-by:") {
                let who = who.trim().to_string();
                if !out.contains(&who) {
                    out.push(who);
                }
            }
        }
    }
    Ok(out)
}

/// Merges a suggestion whose changes apply cleanly, with a merge commit on
/// `main` keeping title, rationale and approvals, and deletes the branch.
/// Only the git objects change; the caller updates the working tree.
pub fn merge(repo: &Repository, branch: &str, merger: &Author) -> Result<Oid> {
    let refname = format!("refs/heads/{branch}");
    let theirs = repo.refname_to_id(&refname)?;
    let ours = repo.refname_to_id("refs/heads/main")?;
    let first = repo.find_commit(first_commit(repo, branch)?)?;
    let mut index =
        repo.merge_commits(&repo.find_commit(ours)?, &repo.find_commit(theirs)?, None)?;
    if index.has_conflicts() {
        return Err(StudyError::Refused(format!(
            "`{branch}` conflicts with main; resolve it field by field before merging"
        )));
    }
    let tree = repo.find_tree(index.write_tree_to(repo)?)?;
    let author = first.author().name().unwrap_or("").to_string();
    let approvals = approvals(repo, branch)?;
    let mut message = format!(
        "Merge suggestion: {}\n\n{}\n\nSuggested-by: {author}\n",
        first.summary().ok().flatten().unwrap_or(""),
        first.body().ok().flatten().unwrap_or("").trim()
    );
    for who in &approvals {
        message.push_str(&format!("Approved-by: {who}\n"));
    }
    message.push_str(&format!("Suggestion-branch: {branch}\n"));
    let sig = merger.signature()?;
    let oid = repo.commit(
        None,
        &sig,
        &sig,
        &message,
        &tree,
        &[&repo.find_commit(ours)?, &repo.find_commit(theirs)?],
    )?;
    repo.reference("refs/heads/main", oid, true, "merge suggestion")?;
    repo.find_reference(&refname)?.delete()?;
    Ok(oid)
}
