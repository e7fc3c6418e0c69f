//! Bringing the team's `main` into this working copy.
//!
//! The coder's own uncommitted coding is committed first, as the coder, so
//! it can never be lost or overwritten. The team's work then arrives by a
//! fast-forward or a real merge commit, never a rebase: nothing already
//! shared is ever rewritten, merged suggestions keep their merge commits,
//! and each coding commit keeps the date it was made. Coding commits never
//! conflict (each coder writes only `codings/<coder>/`); a file changed on
//! both sides that cannot be combined stops the sync before anything
//! changes. Codebook files are first offered to a field-by-field merge
//! ([`FileMerge`]), when the caller has one.

use std::path::{Path, PathBuf};

use git2::build::CheckoutBuilder;
use git2::{ErrorCode, Index, Oid, Repository, Status, StatusOptions};
use serde::Serialize;

use crate::model::coding_parse::parse_coding;
use crate::study::error::{Result, StudyError};
use crate::study::git::{self, Author};
use crate::study::layout;

/// The three versions of a file that both sides changed.
#[derive(Debug, Clone, Copy)]
pub struct FileVersions<'a> {
    /// Relative to the study root, e.g. `codebook/codes/x.toml`.
    pub path: &'a Path,
    /// At the last common commit, if the file existed there.
    pub base: Option<&'a [u8]>,
    /// In this working copy's `main`.
    pub ours: Option<&'a [u8]>,
    /// In the shared repository's `main`.
    pub theirs: Option<&'a [u8]>,
}

/// A three-way merge of one codebook file (the field-level merge of code
/// definitions plugs in here). `None` means a real conflict: sync stops.
pub trait FileMerge {
    fn merge(&self, file: &FileVersions<'_>) -> Option<Vec<u8>>;
}

/// The coder's own coding, committed before syncing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedWork {
    pub commit: String,
    pub files: Vec<PathBuf>,
}

/// How the team's `main` was brought in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Integration {
    /// Nothing new from the team.
    UpToDate,
    /// Only the team had new commits: `main` moved forward to theirs.
    FastForward { commits: usize },
    /// Both sides had new commits: a merge commit joins them.
    Merged { commit: String, commits: usize },
}

impl Integration {
    /// How many of the team's commits arrived.
    pub fn commits(&self) -> usize {
        match self {
            Integration::UpToDate => 0,
            Integration::FastForward { commits } | Integration::Merged { commits, .. } => *commits,
        }
    }
}

/// Paths with any uncommitted change (staged, modified, deleted or new),
/// limited to `pathspecs` (exact paths or folders) when given.
pub(crate) fn dirty_paths(repo: &Repository, pathspecs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut opts = StatusOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false);
    for spec in pathspecs {
        opts.pathspec(spec);
    }
    let mut out = Vec::new();
    for entry in repo.statuses(Some(&mut opts))?.iter() {
        if entry.status() == Status::CURRENT || entry.status().is_ignored() {
            continue;
        }
        out.push(PathBuf::from(
            String::from_utf8_lossy(entry.path_bytes()).into_owned(),
        ));
    }
    Ok(out)
}

/// What a person would write for the coder's own coding files.
fn save_message(root: &Path, coder: &str, files: &[PathBuf]) -> String {
    let parts: Vec<String> = files
        .iter()
        .map(|rel| {
            let id = rel
                .file_stem()
                .map_or(String::new(), |s| s.to_string_lossy().into_owned());
            // Through safe_fs: a link or FIFO here must not be read (the
            // commit that follows refuses it by name).
            match crate::study::safe_fs::read(root, rel)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|t| parse_coding(&t).ok())
            {
                Some(c) => format!(
                    "{id}, {} segment{}{}",
                    c.segments.len(),
                    if c.segments.len() == 1 { "" } else { "s" },
                    if c.complete { " (complete)" } else { "" }
                ),
                None if !root.join(rel).exists() => format!("{id} (coding removed)"),
                None => id,
            }
        })
        .collect();
    format!("{coder}: code {}\n\nSaved by cbr sync.\n", parts.join("; "))
}

/// Commits the coder's uncommitted files under `codings/<coder>/`.
pub(crate) fn save_own_work(repo: &Repository, author: &Author) -> Result<Option<SavedWork>> {
    let root = repo
        .workdir()
        .ok_or_else(|| StudyError::Refused("the study repository is bare".into()))?;
    let dir = Path::new(layout::CODINGS_DIR).join(author.coder.as_str());
    let files: Vec<PathBuf> = dirty_paths(repo, std::slice::from_ref(&dir))?
        .into_iter()
        // Temporary files of an interrupted save are not coding.
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
        })
        .collect();
    if files.is_empty() {
        return Ok(None);
    }
    let message = save_message(root, author.coder.as_str(), &files);
    Ok(
        git::commit_paths(repo, author, &message, &files)?.map(|oid| SavedWork {
            commit: oid.to_string(),
            files,
        }),
    )
}

/// Merges `refs/remotes/origin/main` into `main` (checked out).
pub(crate) fn integrate_main(
    repo: &Repository,
    author: &Author,
    merger: Option<&dyn FileMerge>,
) -> Result<Integration> {
    let local = repo.refname_to_id("refs/heads/main")?;
    let Ok(theirs) = repo.refname_to_id("refs/remotes/origin/main") else {
        return Ok(Integration::UpToDate);
    };
    if local == theirs || repo.graph_descendant_of(local, theirs)? {
        return Ok(Integration::UpToDate);
    }
    let (commits, _) = repo.graph_ahead_behind(theirs, local)?;
    if repo.graph_descendant_of(theirs, local)? {
        move_main(repo, local, theirs)?;
        return Ok(Integration::FastForward { commits });
    }
    let ours_commit = repo.find_commit(local)?;
    let theirs_commit = repo.find_commit(theirs)?;
    let mut index = repo.merge_commits(&ours_commit, &theirs_commit, None)?;
    if index.has_conflicts() {
        resolve_conflicts(repo, &mut index, merger)?;
    }
    let tree = repo.find_tree(index.write_tree_to(repo)?)?;
    let sig = author.signature()?;
    let message = format!(
        "{}: merge the team's work\n\n{commits} commit{} from the shared repository, joined by cbr sync.\n",
        author.coder,
        if commits == 1 { "" } else { "s" }
    );
    let merge = repo.commit(
        None,
        &sig,
        &sig,
        &message,
        &tree,
        &[&ours_commit, &theirs_commit],
    )?;
    move_main(repo, local, merge)?;
    Ok(Integration::Merged {
        commit: merge.to_string(),
        commits,
    })
}

fn entry_path(conflict: &git2::IndexConflict) -> PathBuf {
    let entry = conflict
        .our
        .as_ref()
        .or(conflict.their.as_ref())
        .or(conflict.ancestor.as_ref());
    PathBuf::from(
        entry
            .map(|e| String::from_utf8_lossy(&e.path).into_owned())
            .unwrap_or_default(),
    )
}

/// Offers each conflicted codebook file to `merger`; any conflict left
/// stops the sync with nothing changed.
fn resolve_conflicts(
    repo: &Repository,
    index: &mut Index,
    merger: Option<&dyn FileMerge>,
) -> Result<()> {
    const STAGE_MASK: u16 = 0x3000;
    let conflicts: Vec<git2::IndexConflict> = index.conflicts()?.collect::<Result<_, _>>()?;
    let mut unresolved = Vec::new();
    for conflict in conflicts {
        let path = entry_path(&conflict);
        let content = |e: &Option<git2::IndexEntry>| -> Result<Option<Vec<u8>>> {
            Ok(match e {
                Some(e) => Some(repo.find_blob(e.id)?.content().to_vec()),
                None => None,
            })
        };
        let (base, ours, theirs) = (
            content(&conflict.ancestor)?,
            content(&conflict.our)?,
            content(&conflict.their)?,
        );
        let merged = match merger {
            Some(merger) if path.starts_with("codebook") => merger.merge(&FileVersions {
                path: &path,
                base: base.as_deref(),
                ours: ours.as_deref(),
                theirs: theirs.as_deref(),
            }),
            _ => None,
        };
        match (merged, conflict.our.or(conflict.their)) {
            (Some(bytes), Some(mut entry)) => {
                entry.id = repo.blob(&bytes)?;
                entry.file_size = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
                entry.flags &= !STAGE_MASK;
                index.conflict_remove(&path)?;
                index.add(&entry)?;
            }
            _ => unresolved.push(path),
        }
    }
    if unresolved.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = unresolved
        .iter()
        .map(|p| format!("  {}", p.display()))
        .collect();
    Err(StudyError::Conflict(format!(
        "sync stopped and changed nothing: these files were changed both here and in the shared \
         repository, in ways that cannot be combined automatically:\n{}\n\
         Codebook changes are best made as suggestions, which are reviewed and merged one at a time. \
         To settle this by hand: `git merge origin/main`, edit the files to keep what the team agreed, \
         `git commit -a`, then `cbr sync` again.",
        list.join("\n")
    )))
}

/// A handle on `repo` whose checkouts never create symbolic links
/// (`core.symlinks = false`, set once in the working copy's config).
fn without_links(repo: &Repository) -> Result<Repository> {
    let mut config = repo.config()?;
    if config.get_bool("core.symlinks").ok() != Some(false) {
        config.set_bool("core.symlinks", false)?;
    }
    // A fresh handle reads the setting anew.
    Ok(Repository::open(repo.path())?)
}

/// Moves `main` from `old` to `new` and updates the working tree, after
/// checking that no uncommitted change sits on a file that changes.
fn move_main(repo: &Repository, old: Oid, new: Oid) -> Result<()> {
    // A teammate's commit may hold a symbolic link (pointing at `/etc` or
    // a home folder): check links out as plain files holding the target,
    // as git does where links are not supported, so cbr never reads or
    // commits through one (see `safe_fs`; `cbr check` names them).
    let repo = &without_links(repo)?;
    let old_tree = repo.find_commit(old)?.tree()?;
    let new_tree = repo.find_commit(new)?.tree()?;
    let diff = repo.diff_tree_to_tree(Some(&old_tree), Some(&new_tree), None)?;
    let mut changing: Vec<PathBuf> = diff
        .deltas()
        .flat_map(|d| [d.old_file().path(), d.new_file().path()])
        .flatten()
        .map(Path::to_path_buf)
        .collect();
    changing.sort();
    changing.dedup();
    if !changing.is_empty() {
        let blocked = dirty_paths(repo, &changing)?;
        if !blocked.is_empty() {
            let list: Vec<String> = blocked
                .iter()
                .map(|p| format!("  {}", p.display()))
                .collect();
            return Err(StudyError::Conflict(format!(
                "sync stopped and changed nothing: these files have changes that are not committed, \
                 and the team's work changes them too:\n{}\n\
                 Commit them (`git commit FILE`) or undo them (`git checkout -- FILE`), then sync again.",
                list.join("\n")
            )));
        }
    }
    let mut checkout = CheckoutBuilder::new();
    checkout.safe();
    repo.checkout_tree(new_tree.as_object(), Some(&mut checkout))?;
    repo.reference_matching(
        "refs/heads/main",
        new,
        true,
        old,
        "cbr sync: bring in the team's work",
    )
    .map_err(|e| {
        if e.code() == ErrorCode::Modified {
            StudyError::Conflict(
                "main moved while sync was updating files (a commit was made in this working copy \
                 meanwhile); run `cbr sync` again"
                    .into(),
            )
        } else {
            e.into()
        }
    })?;
    Ok(())
}
