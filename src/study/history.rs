//! The codebook's history, read from `main`'s first-parent line: merged
//! suggestions (with their rationale and approvers), direct commits that
//! touched `codebook/`, and release tags, each with the semantic diff of
//! what it changed. Per-code history follows renames through aliases.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use git2::{Oid, Repository};
use serde::Serialize;

use crate::model::diff::{CodeChange, FieldChange, diff_codebooks};
use crate::model::proposal::Kind;
use crate::model::{Codebook, Field, Slug};

use super::error::{Result, StudyError};
use super::git::{self, Author, MAIN};
use super::suggest::{KIND_TRAILER, trailers};
use super::versions::{code_in_blob, codebook_in_tree, codebook_tree_id};

mod cache_file;
mod diff_cache;
mod first_parents;

use diff_cache::DiffCache;
use first_parents::FirstParents;

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
        return Err(StudyError::InvalidInput(format!(
            "`{name}` cannot be a tag name; use letters, digits, dots and hyphens, e.g. codebook-v2"
        )));
    }
    if repo.revparse_single(&format!("refs/tags/{name}")).is_ok() {
        return Err(StudyError::Conflict(format!(
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

/// A file of `codebook/codes/` that a commit changed: its name, its blob
/// before and after (`None`: absent).
type FileChange = (String, Option<Oid>, Option<Oid>);

/// One commit of `main`'s first-parent line that changed `codebook/` or
/// was released, with the code files it changed.
struct Step {
    commit: Oid,
    releases: Vec<Release>,
    files: Vec<FileChange>,
}

/// Walks `main`'s first-parent line from `to` back to `from` (excluded),
/// handing `visit` each commit that changed `codebook/` or was released.
/// Only tree ids are compared on the way, from `.git/cbr/` caches where
/// an earlier walk read them; no code file is read here, so callers parse
/// just the few files a commit changed.
fn walk(
    repo: &Repository,
    from: Option<Oid>,
    to: Oid,
    mut visit: impl FnMut(Step) -> Result<()>,
) -> Result<()> {
    let mut by_commit: BTreeMap<String, Vec<Release>> = BTreeMap::new();
    for r in releases(repo)? {
        by_commit.entry(r.commit.clone()).or_default().push(r);
    }
    let mut links = FirstParents::open(repo);
    let commits = match from {
        None => links.line(repo, to)?,
        // `from..to` hides every ancestor of `from`, which a walk along
        // cached parents cannot tell: git's own walk.
        Some(from) => {
            let mut revwalk = repo.revwalk()?;
            revwalk.push(to)?;
            revwalk.hide(from)?;
            revwalk.simplify_first_parent()?;
            revwalk.collect::<std::result::Result<Vec<_>, _>>()?
        }
    };
    let mut codes = CodesFiles { repo, last: None };
    let mut cache = DiffCache::open(repo);
    for oid in commits {
        let link = links.link(repo, oid)?;
        let parent = match link.parent {
            Some(p) => Some(links.link(repo, p)?),
            None => None,
        };
        let (tree, parent_tree) = (link.codebook, parent.and_then(|p| p.codebook));
        let releases = by_commit.remove(&oid.to_string()).unwrap_or_default();
        if tree == parent_tree && releases.is_empty() {
            continue;
        }
        let files = if tree == parent_tree {
            Vec::new()
        } else {
            let (old, new) = (parent.and_then(|p| p.codes), link.codes);
            match cache.get(old, new) {
                Some(files) => files.clone(),
                None => {
                    let files = codes.changed(old, new)?;
                    cache.insert(old, new, &files);
                    files
                }
            }
        };
        visit(Step {
            commit: oid,
            releases,
            files,
        })?;
    }
    links.save();
    cache.save();
    Ok(())
}

/// The `codes/` tree inside a `codebook/` tree.
fn codes_tree(repo: &Repository, codebook: Option<Oid>) -> Result<Option<Oid>> {
    let Some(id) = codebook else { return Ok(None) };
    Ok(repo.find_tree(id)?.get_name("codes").map(|e| e.id()))
}

/// The code files of a `codes/` tree: name and blob, sorted by name.
type Files = Vec<(Vec<u8>, Oid)>;

/// Lists the files of `codes/` trees, keeping the last one read: walking
/// back along first parents, a commit's parent tree is the next commit's
/// tree (and libgit2 does not cache trees this large).
struct CodesFiles<'r> {
    repo: &'r Repository,
    last: Option<(Oid, Files)>,
}

impl CodesFiles<'_> {
    fn read(&mut self, tree: Option<Oid>) -> Result<Files> {
        let Some(id) = tree else {
            return Ok(Vec::new());
        };
        if let Some((seen, files)) = self.last.take()
            && seen == id
        {
            return Ok(files);
        }
        Ok(self
            .repo
            .find_tree(id)?
            .iter()
            .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
            .map(|e| (e.name_bytes().to_vec(), e.id()))
            .collect())
    }

    /// The files that differ between two `codes/` trees, by blob id. Tree
    /// entries are sorted by name, so one pass over both finds them.
    fn changed(&mut self, old: Option<Oid>, new: Option<Oid>) -> Result<Vec<FileChange>> {
        if old == new {
            return Ok(Vec::new());
        }
        let b = self.read(new)?;
        let a = self.read(old)?;
        let name = |n: &[u8]| String::from_utf8_lossy(n).into_owned();
        let (mut i, mut j, mut out) = (0, 0, Vec::new());
        while i < a.len() || j < b.len() {
            let order = match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) => x.0.cmp(&y.0),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            match order {
                Ordering::Less => {
                    out.push((name(&a[i].0), Some(a[i].1), None));
                    i += 1;
                }
                Ordering::Greater => {
                    out.push((name(&b[j].0), None, Some(b[j].1)));
                    j += 1;
                }
                Ordering::Equal => {
                    if a[i].1 != b[j].1 {
                        out.push((name(&a[i].0), Some(a[i].1), Some(b[j].1)));
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        if let Some(old) = old {
            self.last = Some((old, a));
        }
        Ok(out)
    }
}

/// The codebook changes a commit made, parsing only the files it changed.
/// That is the whole diff: a code whose file did not change cannot differ,
/// and a rename pairs an old id whose file is gone with a code whose file
/// is new, both among the changed files.
fn changes_of(repo: &Repository, files: &[FileChange]) -> Result<Vec<CodeChange>> {
    let side = |pick: fn(&FileChange) -> Option<Oid>| -> Result<Codebook> {
        let mut codes = Vec::new();
        for file in files {
            if let Some(blob) = pick(file)
                && let Some(Ok(code)) = code_in_blob(repo, &file.0, blob)?
            {
                codes.push(code);
            }
        }
        Ok(Codebook::from_codes(codes))
    };
    Ok(diff_codebooks(&side(|f| f.1)?, &side(|f| f.2)?))
}

fn entry(repo: &Repository, step: Step, changes: Vec<CodeChange>) -> Result<LogEntry> {
    let commit = repo.find_commit(step.commit)?;
    Ok(LogEntry {
        commit: commit.id().to_string(),
        when: commit.time().seconds(),
        author: commit.author().name().unwrap_or("").to_string(),
        kind: entry_kind(&commit),
        releases: step.releases,
        changes,
    })
}

/// The codebook history between `from` (excluded; `None`: the beginning)
/// and `to`, newest first: commits that changed `codebook/`, and released ones.
pub fn log(repo: &Repository, from: Option<Oid>, to: Oid) -> Result<Vec<LogEntry>> {
    let mut out = Vec::new();
    walk(repo, from, to, |step| {
        let changes = changes_of(repo, &step.files)?;
        out.push(entry(repo, step, changes)?);
        Ok(())
    })?;
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
    let code = current_code(repo, id, to)?;
    let mut ids: BTreeSet<Slug> = code.aliases.iter().cloned().collect();
    ids.insert(code.id.clone());
    let mut out = Vec::new();
    walk(repo, None, to, |step| {
        // Most commits changed other codes: only a commit that changed one
        // of this code's files, or a file that names one of its ids (a code
        // merged into it), can concern it. Only those are parsed.
        let concerned = step.files.iter().any(|(name, _, new)| {
            name.strip_suffix(".toml")
                .is_some_and(|stem| ids.contains(stem))
                || new.is_some_and(|blob| mentions(repo, blob, &ids))
        });
        if !concerned {
            return Ok(());
        }
        let mut changes = changes_of(repo, &step.files)?;
        changes.retain(|change| {
            let mine = change.ids().into_iter().any(|i| ids.contains(i));
            let merged_into_mine = matches!(change, CodeChange::Changed { diff }
                if matches!(diff.get(Field::MergedInto),
                    Some(FieldChange::Value { new: Some(t), .. }) if ids.iter().any(|i| i.as_str() == t)));
            mine || merged_into_mine
        });
        // Walking back in time: the code was called by its old id before a rename.
        for change in &changes {
            if let CodeChange::Changed { diff } = change
                && ids.contains(&diff.new_id)
            {
                ids.insert(diff.old_id.clone());
            }
        }
        if !changes.is_empty() {
            out.push(entry(repo, step, changes)?);
        }
        Ok(())
    })?;
    Ok(out)
}

/// The code `id` names at `to`: its own file when it has one (one parse),
/// else whichever code lists it as an alias (the whole codebook).
fn current_code(repo: &Repository, id: &str, to: Oid) -> Result<crate::model::Code> {
    let codebook = codebook_tree_id(repo, to)?.ok_or_else(|| unknown(id))?;
    let name = format!("{id}.toml");
    let blob = match codes_tree(repo, Some(codebook))? {
        Some(codes) => repo.find_tree(codes)?.get_name(&name).map(|e| e.id()),
        None => None,
    };
    if let Some(blob) = blob
        && let Some(Ok(code)) = code_in_blob(repo, &name, blob)?
        && code.id.as_str() == id
    {
        return Ok(code);
    }
    let now = codebook_in_tree(repo, &repo.find_tree(codebook)?)?.codebook;
    now.find(id).cloned().ok_or_else(|| unknown(id))
}

/// Whether a blob's text contains one of `ids` anywhere.
fn mentions(repo: &Repository, blob: Oid, ids: &BTreeSet<Slug>) -> bool {
    repo.find_blob(blob).is_ok_and(|b| {
        let text = String::from_utf8_lossy(b.content());
        ids.iter().any(|id| text.contains(id.as_str()))
    })
}

fn unknown(id: &str) -> StudyError {
    StudyError::UnknownCode(id.to_string())
}
