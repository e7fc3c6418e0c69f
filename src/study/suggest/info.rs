//! Reading suggestions back: who proposed what and when, the reviews, the
//! approvals that count, whether the branch still merges cleanly, and the
//! semantic diff of what it changes. Plain data for the CLI and the TUI.

use git2::Repository;
use serde::Serialize;

use crate::model::diff::{CodeChange, diff_codebooks};
use crate::model::merge::Conflict;
use crate::model::proposal::Kind;
use crate::model::{Codebook, Slug};

use super::super::error::{Result, StudyError};
use super::super::versions::codebook_at;
use super::{Verdict, author_of, kind_of, own_commits, plan, refname, trailers};

/// One review commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub commit: String,
    pub reviewer: String,
    pub verdict: Verdict,
    pub text: String,
    /// Seconds since the epoch.
    pub when: i64,
}

/// One step in a suggestion's life, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Proposed {
        commit: String,
        author: String,
        when: i64,
    },
    Amended {
        commit: String,
        author: String,
        when: i64,
        note: String,
    },
    Reviewed(Review),
}

/// Whether the suggestion can be merged into `main` as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Mergeability {
    Clean,
    Conflicts { count: usize },
    Blocked { reason: String },
}

/// A suggestion at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub branch: String,
    pub author: String,
    pub title: String,
    pub rationale: String,
    pub kind: Option<Kind>,
    /// Seconds since the epoch of the first and the latest commit.
    pub created: i64,
    pub updated: i64,
    /// Reviewers whose latest verdict is an approval (never the author).
    pub approvals: Vec<String>,
    /// Reviewers whose latest verdict is a rejection.
    pub rejected_by: Vec<String>,
    pub comments: usize,
    pub amendments: usize,
    pub mergeable: Mergeability,
}

/// A suggestion in full: its life, what it changes, what conflicts.
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    #[serde(flatten)]
    pub suggestion: Suggestion,
    pub timeline: Vec<Event>,
    /// From the codebook it started from to the codebook it proposes.
    pub changes: Vec<CodeChange>,
    pub conflicts: Vec<Conflict>,
    /// Codes whose segments are affected: changed, renamed, removed, and
    /// the targets of merges.
    pub affected: Vec<Slug>,
}

/// The commits of a suggestion, read as events.
pub fn timeline(repo: &Repository, branch: &str) -> Result<Vec<Event>> {
    let mut out = Vec::new();
    for (i, oid) in own_commits(repo, branch)?.into_iter().enumerate() {
        let commit = repo.find_commit(oid)?;
        let who = commit.author().name().unwrap_or("").to_string();
        let when = commit.time().seconds();
        let message = commit.message().unwrap_or("");
        let verdict = trailers(message).into_iter().find_map(|(k, v)| {
            Verdict::ALL
                .into_iter()
                .find(|verdict| verdict.trailer() == k)
                .map(|verdict| (verdict, v))
        });
        let body = commit.body().ok().flatten().unwrap_or("");
        // The body without its trailer paragraph: what the person wrote.
        let text = match body.trim_end().rsplit_once("\n\n") {
            Some((text, _)) => text.trim().to_string(),
            None if verdict.is_some() => String::new(),
            None => body.trim().to_string(),
        };
        // `cbr sync` joins reviews made in two copies at once with a merge
        // commit; it says nothing of its own.
        if i > 0 && verdict.is_none() && commit.parent_count() > 1 {
            continue;
        }
        let commit_id = oid.to_string();
        out.push(match (i, verdict) {
            (_, Some((verdict, reviewer))) => Event::Reviewed(Review {
                commit: commit_id,
                reviewer,
                verdict,
                text,
                when,
            }),
            (0, None) => Event::Proposed {
                commit: commit_id,
                author: who,
                when,
            },
            (_, None) => Event::Amended {
                commit: commit_id,
                author: who,
                when,
                note: body.trim().to_string(),
            },
        });
    }
    Ok(out)
}

/// A suggestion at a glance (see [`Suggestion`]).
pub fn summary(repo: &Repository, branch: &str) -> Result<Suggestion> {
    let events = timeline(repo, branch)?;
    let Some(Event::Proposed { commit, when, .. }) = events.first() else {
        return Err(StudyError::Refused(format!(
            "`{branch}` does not start with a suggestion commit"
        )));
    };
    let first = repo.find_commit(git2::Oid::from_str(commit)?)?;
    let message = first.message().unwrap_or("");
    let rationale = first
        .body()
        .ok()
        .flatten()
        .map(|b| match b.trim_end().rsplit_once("\n\n") {
            Some((text, last)) if !trailers(last).is_empty() => text.trim().to_string(),
            _ if !trailers(b).is_empty() => String::new(),
            _ => b.trim().to_string(),
        })
        .unwrap_or_default();
    let author = author_of(branch).unwrap_or("").to_string();
    let mut latest: Vec<(String, Verdict)> = Vec::new();
    let (mut comments, mut amendments, mut updated) = (0, 0, *when);
    for event in &events {
        match event {
            Event::Proposed { .. } => {}
            Event::Amended { when, .. } => {
                amendments += 1;
                updated = updated.max(*when);
            }
            Event::Reviewed(r) => {
                updated = updated.max(r.when);
                match r.verdict {
                    Verdict::Comment => comments += 1,
                    verdict if r.reviewer != author => {
                        latest.retain(|(who, _)| who != &r.reviewer);
                        latest.push((r.reviewer.clone(), verdict));
                    }
                    _ => {}
                }
            }
        }
    }
    let who = |v: Verdict| -> Vec<String> {
        latest
            .iter()
            .filter(|(_, x)| *x == v)
            .map(|(w, _)| w.clone())
            .collect()
    };
    let mergeable = match plan(repo, branch) {
        Ok(p) if p.merge.is_clean() => Mergeability::Clean,
        Ok(p) => Mergeability::Conflicts {
            count: p.merge.conflicts().len(),
        },
        Err(e) => Mergeability::Blocked {
            reason: e.to_string(),
        },
    };
    Ok(Suggestion {
        branch: branch.to_string(),
        title: first.summary().ok().flatten().unwrap_or("").to_string(),
        rationale,
        kind: kind_of(message),
        created: *when,
        updated,
        approvals: who(Verdict::Approve),
        rejected_by: who(Verdict::Reject),
        comments,
        amendments,
        mergeable,
        author,
    })
}

/// Every suggestion branch, oldest first.
pub fn list(repo: &Repository) -> Result<Vec<Suggestion>> {
    let mut out = Vec::new();
    for branch in super::branches(repo)? {
        out.push(summary(repo, &branch)?);
    }
    out.sort_by_key(|s| (s.created, s.branch.clone()));
    Ok(out)
}

/// A suggestion in full (see [`Detail`]).
pub fn show(repo: &Repository, branch: &str) -> Result<Detail> {
    let suggestion = summary(repo, branch)?;
    let timeline = timeline(repo, branch)?;
    let tip = repo.refname_to_id(&refname(branch))?;
    let base = repo.merge_base(tip, super::main_tip(repo)?)?;
    let before = codebook_at(repo, base)?.codebook;
    let after = codebook_at(repo, tip)?.codebook;
    let changes = diff_codebooks(&before, &after);
    let conflicts = match plan(repo, branch) {
        Ok(p) => p.merge.conflicts().into_iter().cloned().collect(),
        Err(_) => Vec::new(),
    };
    let affected = affected_codes(&changes, &before);
    Ok(Detail {
        suggestion,
        timeline,
        changes,
        conflicts,
        affected,
    })
}

/// The codes whose existing segments a change concerns, by their id in
/// the codebook before the change.
fn affected_codes(changes: &[CodeChange], before: &Codebook) -> Vec<Slug> {
    let mut out: Vec<Slug> = Vec::new();
    let mut push = |id: &Slug| {
        if before.get(id.as_str()).is_some() && !out.contains(id) {
            out.push(id.clone());
        }
    };
    for change in changes {
        match change {
            CodeChange::Added { .. } => {}
            CodeChange::Removed { code } => push(&code.id),
            CodeChange::Changed { diff } => {
                push(&diff.old_id);
                if let Some(crate::model::diff::FieldChange::Value {
                    new: Some(target), ..
                }) = diff.get(crate::model::Field::MergedInto)
                    && let Ok(target) = Slug::new(target)
                {
                    push(&target);
                }
            }
        }
    }
    out
}
