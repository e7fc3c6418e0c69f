//! Codebook suggestions as git branches `suggest/<author>/<slug>`.
//!
//! The branch's first commit carries the title, the rationale and a
//! `Suggestion-kind:` trailer; the author amends with further commits;
//! reviews are empty commits whose trailers (`Approved-by:`, `Comment-by:`,
//! `Rejected-by:`) say who did what, so reviews travel with ordinary
//! `git fetch`/`git push`. Merging makes a merge commit on `main` that
//! keeps the title, rationale and approvals (see [`merge`]). Nothing here
//! touches the working tree except a merge while `main` is checked out.
//! `docs/suggestions.md` describes the format for people using plain git.

mod info;
mod merge;
pub mod resolutions;

use git2::{Oid, Repository};
use serde::Serialize;

use crate::model::proposal::{Kind, Proposal};
use crate::model::{Codebook, Slug};

use super::error::{Result, StudyError};
use super::git::{self, Author, Change, MAIN};
use super::layout;
use super::versions::{codebook_at, main_tip};

pub use info::{Detail, Event, Mergeability, Review, Suggestion, list, show, summary, timeline};
pub use merge::{MergeOutcome, MergePlan, merge, plan};

pub const PREFIX: &str = "suggest/";
/// The trailer of a suggestion's first commit that names its kind.
pub const KIND_TRAILER: &str = "Suggestion-kind";

pub fn branch_name(author: &Slug, slug: &Slug) -> String {
    format!("{PREFIX}{author}/{slug}")
}

fn refname(branch: &str) -> String {
    format!("refs/heads/{branch}")
}

/// The author part of `suggest/<author>/<slug>`.
pub fn author_of(branch: &str) -> Option<&str> {
    branch.strip_prefix(PREFIX)?.split('/').next()
}

/// Every suggestion branch, sorted.
pub fn branches(repo: &Repository) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for reference in repo.references_glob(&format!("refs/heads/{PREFIX}*"))? {
        if let Some(name) = reference?
            .name()
            .ok()
            .and_then(|n| n.strip_prefix("refs/heads/"))
        {
            out.push(name.to_string());
        }
    }
    out.sort();
    Ok(out)
}

/// Finds a suggestion by its branch name, by `author/slug`, or by its slug
/// alone when no two authors used it.
pub fn find(repo: &Repository, name: &str) -> Result<String> {
    let all = branches(repo)?;
    let full = if name.starts_with(PREFIX) {
        name.to_string()
    } else {
        format!("{PREFIX}{name}")
    };
    if all.contains(&full) {
        return Ok(full);
    }
    let by_slug: Vec<&String> = all
        .iter()
        .filter(|b| b.rsplit('/').next() == Some(name))
        .collect();
    match by_slug.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(StudyError::NotFound(format!(
            "no open suggestion `{name}` (`cbr suggest list` shows them)"
        ))),
        many => Err(StudyError::Refused(format!(
            "`{name}` is ambiguous: {}; give the full branch name",
            many.iter()
                .map(|b| b.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// `Key: value` lines of a commit message's last paragraph.
pub fn trailers(message: &str) -> Vec<(String, String)> {
    let last = message.trim_end().rsplit("\n\n").next().unwrap_or("");
    last.lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            let token =
                !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            token.then(|| (key.to_string(), value.trim().to_string()))
        })
        .collect()
}

/// The files to write and delete to turn one codebook into another.
pub fn file_changes(old: &Codebook, new: &Codebook) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for (id, code) in &new.codes {
        if old.codes.get(id) != Some(code) {
            out.push((layout::code_file(id), Some(code.to_toml().into_bytes())));
        }
    }
    for id in old.codes.keys().filter(|id| !new.codes.contains_key(*id)) {
        out.push((layout::code_file(id), None));
    }
    out
}

/// Refuses to build on a codebook whose files do not parse: the change
/// would be made against a codebook nobody can see whole.
fn readable(repo: &Repository, commit: Oid, what: &str) -> Result<Codebook> {
    let tc = codebook_at(repo, commit)?;
    if let Some(first) = tc.problems.first() {
        return Err(StudyError::Refused(format!(
            "{first}\n(the codebook on {what} has {} unreadable file(s); fix them with a commit first)",
            tc.problems.len()
        )));
    }
    Ok(tc.codebook)
}

/// Makes a suggestion: a branch off `main` with one commit holding the
/// change. Without a title, one is made from the proposal; the branch slug
/// comes from the title unless given.
pub fn propose(
    repo: &Repository,
    author: &Author,
    proposal: &Proposal,
    title: Option<&str>,
    rationale: &str,
    slug: Option<&Slug>,
) -> Result<String> {
    if rationale.trim().is_empty() {
        return Err(StudyError::InvalidInput(
            "a suggestion needs a rationale: say why the codebook should change".into(),
        ));
    }
    let main = main_tip(repo)?;
    let base = readable(repo, main, "main")?;
    let new = proposal
        .apply(&base)
        .map_err(|e| StudyError::InvalidInput(e.to_string()))?;
    let title = match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t.to_string(),
        None => proposal.default_title(&base),
    };
    let slug = match slug {
        Some(s) => s.clone(),
        None => Slug::slugify(&title)?,
    };
    let branch = branch_name(&author.coder, &slug);
    if repo.refname_to_id(&refname(&branch)).is_ok() {
        return Err(StudyError::Conflict(format!(
            "a suggestion `{branch}` already exists; pick another title or amend that one"
        )));
    }
    let message = format!(
        "{title}\n\n{}\n\n{KIND_TRAILER}: {}\n",
        rationale.trim(),
        proposal.kind()
    );
    let changes = file_changes(&base, &new);
    git::commit_to_ref(
        repo,
        &refname(&branch),
        Some(main),
        author,
        &message,
        &changes,
        &[],
    )?;
    Ok(branch)
}

/// Makes a suggestion from file changes already worked out, without
/// checking them against the codebook: for tools that write whole
/// histories at once (`cbr generate`). People go through [`propose`].
pub fn create_raw(
    repo: &Repository,
    author: &Author,
    slug: &Slug,
    title: &str,
    rationale: &str,
    kind: &str,
    changes: &[git::Change],
) -> Result<String> {
    let branch = branch_name(&author.coder, slug);
    let message = format!(
        "{}\n\n{}\n\n{KIND_TRAILER}: {kind}\n",
        title.trim(),
        rationale.trim()
    );
    git::commit_to_ref(
        repo,
        &refname(&branch),
        Some(main_tip(repo)?),
        author,
        &message,
        changes,
        &[],
    )?;
    Ok(branch)
}

/// The author's further change to their suggestion, applied to the
/// codebook as the suggestion has it, as a new commit on the branch.
pub fn amend(
    repo: &Repository,
    branch: &str,
    author: &Author,
    proposal: &Proposal,
    note: &str,
) -> Result<Oid> {
    let owner = author_of(branch).unwrap_or("");
    if owner != author.coder.as_str() {
        return Err(StudyError::Refused(format!(
            "only {owner}, who made `{branch}`, can amend it; comment instead (`cbr suggest comment`)"
        )));
    }
    let tip = repo.refname_to_id(&refname(branch))?;
    let current = readable(repo, tip, branch)?;
    let new = proposal
        .apply(&current)
        .map_err(|e| StudyError::InvalidInput(e.to_string()))?;
    let title = suggestion_title(repo, branch)?;
    let note = if note.trim().is_empty() {
        String::new()
    } else {
        format!("\n\n{}\n", note.trim())
    };
    let message = format!("Amend suggestion: {title}{note}\n");
    let changes = file_changes(&current, &new);
    git::commit_to_ref(
        repo,
        &refname(branch),
        Some(tip),
        author,
        &message,
        &changes,
        &[],
    )
}

/// What a reviewer says about a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Approve,
    Comment,
    Reject,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Approve, Verdict::Comment, Verdict::Reject];

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

/// Records a review as an empty commit on the suggestion branch. Authors
/// cannot approve their own suggestion; a rejection keeps the branch (it
/// stays in the history, marked rejected).
pub fn review(
    repo: &Repository,
    branch: &str,
    reviewer: &Author,
    verdict: Verdict,
    text: &str,
) -> Result<Oid> {
    let refname = refname(branch);
    let tip = repo.refname_to_id(&refname).map_err(|_| {
        StudyError::NotFound(format!(
            "no open suggestion `{branch}` (`cbr suggest list` shows them)"
        ))
    })?;
    if verdict == Verdict::Approve && author_of(branch) == Some(reviewer.coder.as_str()) {
        return Err(StudyError::Refused(format!(
            "you made `{branch}`; someone else has to approve it"
        )));
    }
    if verdict != Verdict::Approve && text.trim().is_empty() {
        return Err(StudyError::InvalidInput(
            "say what you think: a comment or a rejection needs a message (-m TEXT)".into(),
        ));
    }
    if verdict == Verdict::Approve
        && text.trim().is_empty()
        && summary(repo, branch)?
            .approvals
            .iter()
            .any(|who| who == reviewer.coder.as_str())
    {
        return Err(StudyError::Refused(format!(
            "you have already approved `{branch}`; nothing changed"
        )));
    }
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
    let first = repo.find_commit(first_commit(repo, branch)?)?;
    Ok(first.summary().ok().flatten().unwrap_or("").to_string())
}

/// The commits of the branch that are not on `main`, oldest first.
fn own_commits(repo: &Repository, branch: &str) -> Result<Vec<Oid>> {
    let tip = repo.refname_to_id(&refname(branch))?;
    let mut walk = repo.revwalk()?;
    walk.push(tip)?;
    walk.hide(repo.refname_to_id(MAIN)?)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    Ok(walk.collect::<std::result::Result<_, _>>()?)
}

fn first_commit(repo: &Repository, branch: &str) -> Result<Oid> {
    own_commits(repo, branch)?.first().copied().ok_or_else(|| {
        StudyError::NotFound(format!("`{branch}` has no commit that is not on main"))
    })
}

/// Who currently approves a suggestion (see [`info::summary`]).
pub fn approvals(repo: &Repository, branch: &str) -> Result<Vec<String>> {
    Ok(summary(repo, branch)?.approvals)
}

/// Parses a kind trailer value.
fn kind_of(message: &str) -> Option<Kind> {
    trailers(message)
        .into_iter()
        .find(|(k, _)| k == KIND_TRAILER)
        .and_then(|(_, v)| Kind::parse(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_come_from_the_last_paragraph_only() {
        let msg = "Title\n\nApproved-by: not-a-trailer in body? no: it is a paragraph\n\nWhy.\n\nApproved-by: bob\nSuggestion-kind: rename\n";
        assert_eq!(
            trailers(msg),
            [
                ("Approved-by".to_string(), "bob".to_string()),
                ("Suggestion-kind".to_string(), "rename".to_string())
            ]
        );
        assert_eq!(kind_of(msg), Some(Kind::Rename));
        assert_eq!(author_of("suggest/bob/x"), Some("bob"));
    }
}
