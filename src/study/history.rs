//! The codebook's history, read from `main`'s first-parent line: merged
//! suggestions (with their rationale and approvers), direct commits that
//! touched `codebook/`, and release tags, each with the semantic diff of
//! what it changed. Per-code history follows renames through aliases.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use git2::{Oid, Repository};
use serde::Serialize;

use crate::model::diff::{CodeChange, FieldChange, diff_codebooks};
use crate::model::proposal::Kind;
use crate::model::{Codebook, Field, Slug};

use super::error::{Result, StudyError};
use super::git::{self, Author, MAIN};
use super::suggest::{KIND_TRAILER, trailers};
use super::versions::{codebook_in_tree, codebook_tree_id};

/// A codebook release: an annotated tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Release {
    pub name: String,
    pub message: String,
    pub tagger: String,
    pub when: i64,
    pub commit: String,
}

/// What kind of commit a history entry is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryKind {
    /// A merged suggestion.
    Suggestion {
        title: String,
        rationale: String,
        suggestion_kind: Option<Kind>,
        suggested_by: String,
        approved_by: Vec<String>,
        resolved: Vec<String>,
        branch: String,
    },
    /// Any other commit (a direct edit of codebook/, or one that was released).
    Commit { summary: String, body: String },
}

/// One step of the history, with the codebook changes it made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    pub commit: String,
    pub when: i64,
    /// The commit's author (for a merge: who merged it).
    pub author: String,
    #[serde(flatten)]
    pub kind: EntryKind,
    pub releases: Vec<Release>,
    pub changes: Vec<CodeChange>,
}

impl LogEntry {
    /// A one-line title for lists.
    pub fn title(&self) -> &str {
        match &self.kind {
            EntryKind::Suggestion { title, .. } => title,
            EntryKind::Commit { summary, .. } => summary,
        }
    }
}

/// Every annotated release tag, oldest first. Lightweight tags are not
/// releases (they carry no author or message) and are left out.
pub fn releases(repo: &Repository) -> Result<Vec<Release>> {
    let mut out = Vec::new();
    for name in repo
        .tag_names(None)?
        .iter()
        .filter_map(|n| n.ok().flatten())
    {
        let Ok(obj) = repo.revparse_single(&format!("refs/tags/{name}")) else {
            continue;
        };
        let Some(tag) = obj.as_tag() else { continue };
        let tagger = tag.tagger();
        out.push(Release {
            name: name.to_string(),
            message: tag
                .message()
                .ok()
                .flatten()
                .unwrap_or("")
                .trim()
                .to_string(),
            tagger: tagger
                .as_ref()
                .and_then(|t| t.name().ok().map(str::to_string))
                .unwrap_or_default(),
            when: tagger.as_ref().map_or(0, |t| t.when().seconds()),
            commit: obj.peel_to_commit()?.id().to_string(),
        });
    }
    out.sort_by_key(|r| (r.when, r.name.clone()));
    Ok(out)
}

/// Tags `main` as codebook release `name`; refuses a name already used.
pub fn release(repo: &Repository, name: &str, tagger: &Author, message: &str) -> Result<Oid> {
    if !git2::Reference::is_valid_name(&format!("refs/tags/{name}")) {
        return Err(StudyError::Refused(format!(
            "`{name}` cannot be a tag name; use letters, digits, dots and hyphens, e.g. codebook-v2"
        )));
    }
    if repo.revparse_single(&format!("refs/tags/{name}")).is_ok() {
        return Err(StudyError::Refused(format!(
            "release `{name}` already exists; releases are never moved, pick a new name"
        )));
    }
    let message = if message.trim().is_empty() {
        format!("Codebook release {name}\n")
    } else {
        format!("{}\n", message.trim())
    };
    git::tag_release(repo, MAIN, name, tagger, &message)
}

/// Parses codebooks once per `codebook/` tree.
struct Cache<'r> {
    repo: &'r Repository,
    books: HashMap<Option<Oid>, Codebook>,
}

impl<'r> Cache<'r> {
    fn at(&mut self, tree: Option<Oid>) -> Result<&Codebook> {
        if !self.books.contains_key(&tree) {
            let cb = match tree {
                Some(id) => codebook_in_tree(self.repo, &self.repo.find_tree(id)?)?.codebook,
                None => Codebook::default(),
            };
            self.books.insert(tree, cb);
        }
        Ok(&self.books[&tree])
    }
}

/// The codebook history between `from` (excluded; `None`: the beginning)
/// and `to`, newest first: commits that changed `codebook/`, and released ones.
pub fn log(repo: &Repository, from: Option<Oid>, to: Oid) -> Result<Vec<LogEntry>> {
    let mut by_commit: BTreeMap<String, Vec<Release>> = BTreeMap::new();
    for r in releases(repo)? {
        by_commit.entry(r.commit.clone()).or_default().push(r);
    }
    let mut cache = Cache {
        repo,
        books: HashMap::new(),
    };
    let mut walk = repo.revwalk()?;
    walk.push(to)?;
    if let Some(from) = from {
        walk.hide(from)?;
    }
    walk.simplify_first_parent()?;
    let mut out = Vec::new();
    for oid in walk {
        let oid = oid?;
        let commit = repo.find_commit(oid)?;
        let tree = codebook_tree_id(repo, oid)?;
        let parent_tree = match commit.parent_id(0) {
            Ok(p) => codebook_tree_id(repo, p)?,
            Err(_) => None,
        };
        let releases = by_commit.remove(&oid.to_string()).unwrap_or_default();
        if tree == parent_tree && releases.is_empty() {
            continue;
        }
        let changes = if tree == parent_tree {
            Vec::new()
        } else {
            let before = cache.at(parent_tree)?.clone();
            diff_codebooks(&before, cache.at(tree)?)
        };
        out.push(LogEntry {
            commit: oid.to_string(),
            when: commit.time().seconds(),
            author: commit.author().name().unwrap_or("").to_string(),
            kind: entry_kind(&commit),
            releases,
            changes,
        });
    }
    Ok(out)
}

fn entry_kind(commit: &git2::Commit) -> EntryKind {
    let summary = commit.summary().ok().flatten().unwrap_or("").to_string();
    let body = commit
        .body()
        .ok()
        .flatten()
        .unwrap_or("")
        .trim()
        .to_string();
    let Some(title) = summary.strip_prefix("Merge suggestion: ") else {
        return EntryKind::Commit { summary, body };
    };
    let tr = trailers(&body);
    let values = |key: &str| -> Vec<String> {
        tr.iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let first = |key: &str| values(key).into_iter().next().unwrap_or_default();
    let rationale = match body.rsplit_once("\n\n") {
        Some((text, _)) => text.trim().to_string(),
        None if tr.is_empty() => body.clone(),
        None => String::new(),
    };
    EntryKind::Suggestion {
        title: title.to_string(),
        rationale,
        suggestion_kind: Kind::parse(&first(KIND_TRAILER)),
        suggested_by: first("Suggested-by"),
        approved_by: values("Approved-by"),
        resolved: values("Resolved"),
        branch: first("Suggestion-branch"),
    }
}

/// The history of one code (by its id or any former id), newest first,
/// each entry keeping only the changes that concern that code.
pub fn code_log(repo: &Repository, id: &str, to: Oid) -> Result<Vec<LogEntry>> {
    let now = codebook_in_tree(
        repo,
        &repo.find_tree(codebook_tree_id(repo, to)?.ok_or_else(|| unknown(id))?)?,
    )?
    .codebook;
    let code = now.find(id).ok_or_else(|| unknown(id))?;
    let mut ids: BTreeSet<Slug> = code.aliases.iter().cloned().collect();
    ids.insert(code.id.clone());
    let mut out = Vec::new();
    for mut entry in log(repo, None, to)? {
        entry.changes.retain(|change| {
            let mine = change.ids().into_iter().any(|i| ids.contains(i));
            let merged_into_mine = matches!(change, CodeChange::Changed { diff }
                if matches!(diff.get(Field::MergedInto),
                    Some(FieldChange::Value { new: Some(t), .. }) if ids.iter().any(|i| i.as_str() == t)));
            mine || merged_into_mine
        });
        // Walking back in time: the code was called by its old id before a rename.
        for change in &entry.changes {
            if let CodeChange::Changed { diff } = change
                && ids.contains(&diff.new_id)
            {
                ids.insert(diff.old_id.clone());
            }
        }
        if !entry.changes.is_empty() {
            out.push(entry);
        }
    }
    Ok(out)
}

fn unknown(id: &str) -> StudyError {
    StudyError::UnknownCode(id.to_string())
}
