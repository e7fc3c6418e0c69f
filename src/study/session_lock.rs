//! Who may write in a working copy.
//!
//! A researcher who opens the same working copy twice (two SSH sessions)
//! must never get two writers: the first session holds
//! `.git/cbr-<coder>.lock` and the second opens read-only (this is not
//! [`super::session`], the editing session of one transcript). Separately, a
//! short-lived `.git/cbr-worktree.lock` serialises the operations that move
//! `main` and rewrite files in the working tree (sync), whoever runs them.
//! Both are [`super::lockfile`] locks: a dead session's lock is taken over.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::model::Slug;

use super::error::{Result, StudyError};
pub use super::lockfile::{Attempt, Liveness, LockFile, LockInfo, try_lock};

fn git_dir(root: &Path) -> Result<PathBuf> {
    Ok(super::git::open(root)?.path().to_path_buf())
}

/// `.git/cbr-<coder>.lock` of the working copy at `root`.
pub fn session_lock_path(root: &Path, coder: &Slug) -> Result<PathBuf> {
    Ok(git_dir(root)?.join(format!("cbr-{coder}.lock")))
}

/// Proof that this process is the one writer session of `coder` in a
/// working copy. Dropping it ends the session and removes the lock.
#[derive(Debug)]
pub struct SessionGuard {
    pub coder: Slug,
    /// The dead session whose stale lock was taken over, to tell the user.
    pub took_over: Option<LockInfo>,
    lock: LockFile,
}

impl SessionGuard {
    pub fn lock_path(&self) -> &Path {
        self.lock.path()
    }
}

/// A session is the writer, or read-only because another one is.
#[derive(Debug)]
pub enum SessionLock {
    Writer(SessionGuard),
    ReadOnly { holder: LockInfo },
}

impl SessionLock {
    /// The message to show a read-only session.
    pub fn read_only_message(coder: &Slug, holder: &LockInfo, lock_path: &Path) -> String {
        let gone = match holder.liveness() {
            Liveness::OtherHost => format!(
                "if that session is gone, delete {} and start again",
                lock_path.display()
            ),
            _ => "close it to write here; if its process ends, the next session takes over"
                .to_string(),
        };
        format!(
            "{coder} already has a cbr session open in this working copy ({}); this session is read-only: {gone}",
            holder.describe()
        )
    }
}

/// Opens a session for `coder` in the working copy at `root`.
pub fn open_session(root: &Path, coder: &Slug) -> Result<SessionLock> {
    let path = session_lock_path(root, coder)?;
    Ok(match try_lock(&path)? {
        Attempt::Acquired { lock, took_over } => SessionLock::Writer(SessionGuard {
            coder: coder.clone(),
            took_over,
            lock,
        }),
        Attempt::Held(holder) => SessionLock::ReadOnly { holder },
    })
}

/// Held while an operation moves `main` and rewrites the working tree.
#[derive(Debug)]
pub struct WorktreeGuard {
    _lock: LockFile,
}

/// Takes `.git/cbr-worktree.lock`, waiting up to about five seconds for
/// another process to finish (operations under it take milliseconds on
/// a local shared repository).
pub fn lock_worktree(root: &Path) -> Result<WorktreeGuard> {
    let path = git_dir(root)?.join("cbr-worktree.lock");
    let mut last = None;
    for _ in 0..100 {
        match try_lock(&path)? {
            Attempt::Acquired { lock, took_over } => {
                if let Some(dead) = took_over {
                    clear_git_locks_of(root, &dead)?;
                }
                return Ok(WorktreeGuard { _lock: lock });
            }
            Attempt::Held(holder) => last = Some(holder),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(locked(last, |shown| {
        format!(
            "another cbr process is updating this working copy{shown}; try again when it has finished"
        )
    }))
}

/// A refusal naming the lock's holder, when it could be read: `message`
/// gets " (pid …)" or nothing to place in its text.
fn locked(holder: Option<LockInfo>, message: impl FnOnce(&str) -> String) -> StudyError {
    let holder = holder.map(|h| h.describe());
    let shown = holder
        .as_ref()
        .map_or_else(String::new, |h| format!(" ({h})"));
    StudyError::Locked {
        holder,
        message: message(&shown),
    }
}

/// Held by a command that writes codings, transcripts or the codebook
/// (`cbr import`, `cbr codings import`, reconciliation decisions): the
/// coder's session lock, so an open TUI of the same coder never saves over
/// what the command wrote, and the working-copy lock, so two commands never
/// commit at once.
#[derive(Debug)]
pub struct WriterGuard {
    _session: SessionGuard,
    _worktree: WorktreeGuard,
}

/// Takes the locks of a writing command for `coder`, waiting a few seconds
/// for another command to finish; refuses with who holds them.
pub fn lock_writer(root: &Path, coder: &Slug) -> Result<WriterGuard> {
    let path = session_lock_path(root, coder)?;
    let mut holder = None;
    for _ in 0..60 {
        match try_lock(&path)? {
            Attempt::Acquired { lock, took_over } => {
                let session = SessionGuard {
                    coder: coder.clone(),
                    took_over,
                    lock,
                };
                return Ok(WriterGuard {
                    _worktree: lock_worktree(root)?,
                    _session: session,
                });
            }
            Attempt::Held(h) => holder = Some(h),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(locked(holder, |shown| {
        format!(
            "{coder} has a cbr session or command running in this working copy{shown}; it would save \
             its own copy over what this command writes: close that session (or wait for the \
             command), then run this again"
        )
    }))
}

/// git's own lock files that a killed cbr process left: a cbr command
/// that died holding the working-copy lock may have died inside an index
/// or branch write. Those locks carry no owner, so only one made after the
/// dead process started and untouched for a few seconds (a live write
/// takes milliseconds) is removed.
fn clear_git_locks_of(root: &Path, dead: &LockInfo) -> Result<()> {
    let git_dir = git_dir(root)?;
    let mut locks: Vec<PathBuf> = ["index.lock", "HEAD.lock", "packed-refs.lock"]
        .iter()
        .map(|n| git_dir.join(n))
        .collect();
    let mut dirs = vec![git_dir.join("refs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "lock") {
                locks.push(path);
            }
        }
    }
    for path in locks {
        // Wait (up to a few seconds) to see whether anyone still writes it.
        for _ in 0..40 {
            let Ok(modified) = std::fs::metadata(&path).and_then(|m| m.modified()) else {
                break;
            };
            let made = modified
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            if made + 1 < dead.started {
                break;
            }
            if modified.elapsed().unwrap_or_default() > Duration::from_secs(2) {
                let _ = std::fs::remove_file(&path);
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_working_copy_is_refused_after_waiting_with_who_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        crate::study::git::init(dir.path()).unwrap();
        let held = lock_worktree(dir.path()).unwrap();
        let err = lock_worktree(dir.path()).unwrap_err();
        let StudyError::Locked {
            holder: Some(holder),
            ..
        } = &err
        else {
            panic!("not a lock held by someone: {err:?}");
        };
        let pid = format!("pid {}", std::process::id());
        assert!(holder.starts_with(&pid), "{holder}");
        let err = err.to_string();
        assert!(
            err.contains(&format!(
                "another cbr process is updating this working copy ({pid}"
            )),
            "{err}"
        );
        drop(held);
        lock_worktree(dir.path()).unwrap();
    }
}
