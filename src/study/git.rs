//! Git through git2: every mutation cbr makes is one commit authored by the
//! coder, with a message a person would write.

use std::path::{Path, PathBuf};

use git2::{Oid, Repository, RepositoryInitOptions, Signature, Time};

use crate::model::Slug;

use super::error::{Result, StudyError};
use super::safe_fs;

/// Who a commit is by. The git author name is the coder id, so history,
/// `git log --author` and cbr all speak of the same person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub coder: Slug,
    pub email: String,
    /// Fixed time (seconds since the epoch, minutes east of UTC), for
    /// reproducible histories such as the demo; `None` means now.
    pub when: Option<(i64, i32)>,
}

impl Author {
    pub fn new(coder: Slug, email: impl Into<String>) -> Self {
        Author {
            coder,
            email: email.into(),
            when: None,
        }
    }

    pub fn at(mut self, seconds: i64) -> Self {
        self.when = Some((seconds, 60));
        self
    }

    pub fn signature(&self) -> Result<Signature<'static>> {
        Ok(match self.when {
            Some((secs, offset)) => {
                Signature::new(self.coder.as_str(), &self.email, &Time::new(secs, offset))?
            }
            None => Signature::now(self.coder.as_str(), &self.email)?,
        })
    }
}

pub fn open(root: &Path) -> Result<Repository> {
    Repository::open(root).map_err(|e| {
        StudyError::Refused(format!(
            "{}: not a git repository ({}); run `git init` there or create the study with `cbr init`",
            root.display(),
            e.message()
        ))
    })
}

/// Process-wide libgit2 settings, applied once at start by the binary
/// (and the benchmarks, to measure the same thing).
///
/// libgit2 re-hashes every object it reads to check it, which git itself
/// does not do on read: it was a third of a 5,000-commit history walk. The
/// objects come from the study's own repository, which `git fsck` checks.
pub fn configure() {
    git2::opts::strict_hash_verification(false);
}

/// A new repository whose first branch is `main`.
pub fn init(root: &Path) -> Result<Repository> {
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head("main");
    Ok(Repository::init_opts(root, &opts)?)
}

/// Commits exactly `paths` (added, changed or deleted; folders
/// recursively) on the current branch, as they are in the working tree,
/// and stages them. Returns `None` when nothing changed, so callers never
/// make empty commits by accident.
///
/// The new tree is HEAD's tree plus these paths, never the whole index: a
/// long-lived handle (the TUI's) holds an index read earlier, and writing
/// that back would undo whatever another process committed since.
pub fn commit_paths(
    repo: &Repository,
    author: &Author,
    message: &str,
    paths: &[PathBuf],
) -> Result<Option<Oid>> {
    let workdir = repo
        .workdir()
        .ok_or_else(|| StudyError::Refused("the study repository is bare".into()))?
        .to_path_buf();
    let mut attempt = 0;
    let (oid, changes) = loop {
        attempt += 1;
        match commit_once(repo, &workdir, author, message, paths) {
            // Another process committed (or holds the branch's lock) at the
            // same moment: build again on its commit, which keeps both.
            Err(StudyError::Git(e)) if busy(&e) && attempt < 40 => {
                std::thread::sleep(std::time::Duration::from_millis(25 * attempt.min(8)));
            }
            Err(StudyError::Git(e)) if busy(&e) => return Err(busy_refusal(&e)),
            other => break other?,
        }
    };
    // Keep the index in step, read fresh from disk, so `git status` shows
    // these paths as committed and nothing else moves.
    let sync_index = || -> Result<()> {
        let mut index = repo.index()?;
        index.read(true)?;
        for (path, content) in &changes {
            match content {
                Some(_) => index.add_path(path)?,
                None => {
                    if index.get_path(path, 0).is_some() {
                        index.remove_path(path)?;
                    }
                }
            }
        }
        index.write()?;
        Ok(())
    };
    for attempt in 1..=40 {
        match sync_index() {
            Err(StudyError::Git(e)) if busy(&e) && attempt < 40 => {
                std::thread::sleep(std::time::Duration::from_millis(25 * attempt.min(8)));
            }
            Err(StudyError::Git(e)) if busy(&e) => return Err(busy_refusal(&e)),
            other => return other.map(|()| oid),
        }
    }
    Ok(oid)
}

/// A git error that means "someone else is writing right now".
fn busy(e: &git2::Error) -> bool {
    matches!(
        e.code(),
        git2::ErrorCode::Modified | git2::ErrorCode::Locked
    )
}

fn busy_refusal(e: &git2::Error) -> StudyError {
    StudyError::Locked {
        holder: None,
        message: format!(
            "another program kept this study's git repository busy ({}); if no git or cbr command \
         is running, run `cbr check`, which names the leftover lock file to delete, then try again",
            e.message()
        ),
    }
}

type Committed = (Option<Oid>, Vec<Change>);

/// One try at [`commit_paths`]: HEAD's tree plus `paths`, committed if it
/// differs, failing with `Modified` if HEAD moved meanwhile.
fn commit_once(
    repo: &Repository,
    workdir: &Path,
    author: &Author,
    message: &str,
    paths: &[PathBuf],
) -> Result<Committed> {
    let parent = match repo.head() {
        Ok(head) => Some(head.peel_to_commit()?),
        Err(e) if e.code() == git2::ErrorCode::UnbornBranch => None,
        Err(e) => return Err(e.into()),
    };
    let mut tree_index = git2::Index::new()?;
    if let Some(parent) = &parent {
        tree_index.read_tree(&parent.tree()?)?;
    }
    let changes = working_files(workdir, &tree_index, paths)?;
    for (path, content) in &changes {
        match content {
            Some(bytes) => tree_index.add(&blob_entry(repo, path, bytes)?)?,
            None => {
                if tree_index.get_path(path, 0).is_some() {
                    tree_index.remove_path(path)?;
                }
            }
        }
    }
    let tree_id = tree_index.write_tree_to(repo)?;
    let oid = if parent.as_ref().is_some_and(|p| p.tree_id() == tree_id) {
        None
    } else {
        let tree = repo.find_tree(tree_id)?;
        let sig = author.signature()?;
        let parents: Vec<_> = parent.iter().collect();
        Some(repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)?)
    };
    Ok((oid, changes))
}

/// The files `paths` stand for in the working tree, with their content,
/// or `None` for those gone (folders expand to their files, and to the
/// committed files under them that were deleted).
fn working_files(
    workdir: &Path,
    committed: &git2::Index,
    paths: &[PathBuf],
) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    for path in paths {
        match safe_fs::check(workdir, path)? {
            safe_fs::Kind::Dir => {
                let prefix = format!("{}/", path.to_string_lossy().trim_end_matches('/'));
                let mut present = Vec::new();
                collect_files(workdir, path, &mut present)?;
                for entry in committed.iter() {
                    let name = String::from_utf8_lossy(&entry.path).into_owned();
                    if name.starts_with(&prefix) && !present.contains(&PathBuf::from(&name)) {
                        out.push((PathBuf::from(name), None));
                    }
                }
                for file in present {
                    let bytes = safe_fs::read(workdir, &file)?;
                    out.push((file, Some(bytes)));
                }
            }
            safe_fs::Kind::File => out.push((path.clone(), Some(safe_fs::read(workdir, path)?))),
            safe_fs::Kind::Missing => out.push((path.clone(), None)),
        }
    }
    Ok(out)
}

/// The plain files under `dir`; a link or special file there stops the
/// commit (committing through a link would publish whatever it points at).
fn collect_files(workdir: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for (name, kind) in safe_fs::read_dir(workdir, dir)?.unwrap_or_default() {
        if name.starts_with('.') {
            continue;
        }
        let rel = dir.join(&name);
        match kind {
            safe_fs::EntryKind::Dir => collect_files(workdir, &rel, out)?,
            safe_fs::EntryKind::File => out.push(rel),
            safe_fs::EntryKind::Other => {
                safe_fs::check(workdir, &rel)?;
                return Err(safe_fs::special_refused(&rel));
            }
        }
    }
    out.sort();
    Ok(())
}

/// A change to one file, by path relative to the repository root:
/// new content, or `None` to delete it.
pub type Change = (PathBuf, Option<Vec<u8>>);

/// Commits `changes` on top of branch `refname` (e.g. `refs/heads/suggest/alice/x`)
/// without touching the working tree or the index, so suggestions can be
/// made and reviewed while a coder's own work stays where it is. The
/// branch is created from `start` if it does not exist yet.
pub fn commit_to_ref(
    repo: &Repository,
    refname: &str,
    start: Option<Oid>,
    author: &Author,
    message: &str,
    changes: &[Change],
    extra_parents: &[Oid],
) -> Result<Oid> {
    let tip = match repo.refname_to_id(refname) {
        Ok(oid) => Some(oid),
        Err(_) => start,
    };
    let mut index = git2::Index::new()?;
    if let Some(tip) = tip {
        index.read_tree(&repo.find_commit(tip)?.tree()?)?;
    }
    for (path, content) in changes {
        match content {
            Some(bytes) => index.add(&blob_entry(repo, path, bytes)?)?,
            None => index.remove_path(path)?,
        }
    }
    let tree = repo.find_tree(index.write_tree_to(repo)?)?;
    let sig = author.signature()?;
    let mut parents = Vec::new();
    for oid in tip.iter().chain(extra_parents) {
        parents.push(repo.find_commit(*oid)?);
    }
    let parent_refs: Vec<_> = parents.iter().collect();
    // Create the ref ourselves: `commit` refuses to move a ref whose tip is
    // not the first parent, and we want a branch created from `start`.
    let oid = repo.commit(None, &sig, &sig, message, &tree, &parent_refs)?;
    repo.reference(refname, oid, true, message.lines().next().unwrap_or(""))?;
    Ok(oid)
}

/// An index entry for a regular file holding `bytes`, written as a blob,
/// for building trees in memory without touching the working tree.
pub fn blob_entry(repo: &Repository, path: &Path, bytes: &[u8]) -> Result<git2::IndexEntry> {
    Ok(git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: 0o100644,
        uid: 0,
        gid: 0,
        file_size: bytes.len() as u32,
        id: repo.blob(bytes)?,
        flags: 0,
        flags_extended: 0,
        path: path.to_string_lossy().replace('\\', "/").into_bytes(),
    })
}

/// Whether the working tree has `main` checked out (so a change to `main`
/// should also reach the files the coder sees).
pub fn head_is_main(repo: &Repository) -> bool {
    repo.find_reference("HEAD")
        .ok()
        .and_then(|h| h.symbolic_target().ok().flatten().map(str::to_string))
        .is_some_and(|t| t == MAIN)
}

/// The branch every finished change lands on.
pub const MAIN: &str = "refs/heads/main";

/// Tags the tip of `refname` as a codebook release: an annotated tag, so
/// the release records who made it, when, and why.
pub fn tag_release(
    repo: &Repository,
    refname: &str,
    tag: &str,
    tagger: &Author,
    message: &str,
) -> Result<Oid> {
    let commit = repo.find_commit(repo.refname_to_id(refname)?)?;
    Ok(repo.tag(
        tag,
        commit.as_object(),
        &tagger.signature()?,
        message,
        false,
    )?)
}

/// The id of the `codebook/` tree at `refname`: the exact codebook version a
/// segment is coded under. `git diff <id> HEAD:codebook` shows what changed since.
pub fn codebook_version(repo: &Repository, refname: &str) -> Result<Option<String>> {
    let Ok(oid) = repo.refname_to_id(refname) else {
        return Ok(None);
    };
    let tree = repo.find_commit(oid)?.tree()?;
    Ok(tree
        .get_path(Path::new("codebook"))
        .ok()
        .map(|e| e.id().to_string()))
}
