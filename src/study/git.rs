//! Git through git2: every mutation cbr makes is one commit authored by the
//! coder, with a message a person would write.

use std::path::{Path, PathBuf};

use git2::{IndexAddOption, Oid, Repository, RepositoryInitOptions, Signature, Time};

use crate::model::Slug;

use super::error::{Result, StudyError};

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

/// A new repository whose first branch is `main`.
pub fn init(root: &Path) -> Result<Repository> {
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head("main");
    Ok(Repository::init_opts(root, &opts)?)
}

/// Stages exactly `paths` (added, changed or deleted; folders recursively)
/// and commits them on the current branch. Returns `None` when nothing
/// changed, so callers never make empty commits by accident.
pub fn commit_paths(
    repo: &Repository,
    author: &Author,
    message: &str,
    paths: &[PathBuf],
) -> Result<Option<Oid>> {
    let mut index = repo.index()?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| StudyError::Refused("the study repository is bare".into()))?
        .to_path_buf();
    for path in paths {
        if workdir.join(path).is_dir() {
            index.add_all([path.as_path()], IndexAddOption::DEFAULT, None)?;
            index.update_all([path.as_path()], None)?;
        } else if workdir.join(path).exists() {
            index.add_path(path)?;
        } else {
            index.remove_path(path)?;
        }
    }
    index.write()?;
    let tree_id = index.write_tree()?;
    let parent = match repo.head() {
        Ok(head) => Some(head.peel_to_commit()?),
        Err(e) if e.code() == git2::ErrorCode::UnbornBranch => None,
        Err(e) => return Err(e.into()),
    };
    if parent.as_ref().is_some_and(|p| p.tree_id() == tree_id) {
        return Ok(None);
    }
    let tree = repo.find_tree(tree_id)?;
    let sig = author.signature()?;
    let parents: Vec<_> = parent.iter().collect();
    Ok(Some(repo.commit(
        Some("HEAD"),
        &sig,
        &sig,
        message,
        &tree,
        &parents,
    )?))
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
