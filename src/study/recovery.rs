//! After a crash: finding and repairing what a killed command left behind.
//!
//! A commit is made in two steps that cannot be one: the commit (HEAD
//! moves), then git's index. A `kill -9` in between leaves an index that
//! still describes the previous commit, so `git status` shows the new files
//! as staged deletions and the next plain `git commit` would delete them
//! from the study. [`repair_index`] puts back, for exactly those files, the
//! index entries of HEAD (only where the working file is what HEAD holds).
//!
//! A command that writes files and then commits them (`cbr import`,
//! `cbr codings import`) first records the files in a journal
//! (`.git/cbr-journal-<pid>`); a journal whose process is gone names files
//! written but never committed, which `cbr check` reports with the fix.

use std::fs;
use std::path::{Path, PathBuf};

use git2::{Delta, ObjectType, Oid, Repository};

use super::diagnostic::Diagnostic;
use super::error::{Result, StudyError};
use super::safe_fs;

/// The study files whose index entry is behind HEAD although the working
/// file is exactly what HEAD holds: the mark of a commit whose index write
/// never happened.
pub fn stale_index(repo: &Repository) -> Result<Vec<PathBuf>> {
    let Some(workdir) = repo.workdir() else {
        return Ok(Vec::new());
    };
    let head = match repo.head() {
        Ok(head) => head.peel_to_tree()?,
        Err(_) => return Ok(Vec::new()),
    };
    let index = repo.index()?;
    let diff = repo.diff_tree_to_index(Some(&head), Some(&index), None)?;
    let mut out = Vec::new();
    for delta in diff.deltas() {
        let Some(path) = delta.old_file().path().or(delta.new_file().path()) else {
            continue;
        };
        if !is_study_file(path) {
            continue;
        }
        let on_disk = match safe_fs::read(workdir, path) {
            Ok(bytes) => Some(Oid::hash_object(ObjectType::Blob, &bytes)?),
            Err(StudyError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                None
            }
            // A link or unreadable file is reported elsewhere; never "repair" it.
            Err(_) => continue,
        };
        let in_head = match delta.status() {
            Delta::Added => None,
            _ => Some(delta.old_file().id()),
        };
        if on_disk == in_head {
            out.push(path.to_path_buf());
        }
    }
    Ok(out)
}

fn is_study_file(path: &Path) -> bool {
    path == Path::new(super::layout::STUDY_FILE)
        || ["transcripts", "codings", "codebook"]
            .iter()
            .any(|top| path.starts_with(top))
}

/// Repairs a stale index (see [`stale_index`]); returns the files put
/// right. Does nothing while another process holds git's index lock.
pub fn repair_index(root: &Path) -> Result<Vec<PathBuf>> {
    let Ok(repo) = Repository::open(root) else {
        return Ok(Vec::new());
    };
    let stale = stale_index(&repo)?;
    if stale.is_empty() || !clear_crashed_index_lock(&repo) {
        return Ok(Vec::new());
    }
    let mut index = repo.index()?;
    index.read(true)?;
    for path in &stale {
        if root.join(path).exists() {
            index.add_path(path)?;
        } else if index.get_path(path, 0).is_some() {
            index.remove_path(path)?;
        }
    }
    match index.write() {
        Ok(()) => Ok(stale),
        // Someone else is writing the index right now: leave it to them.
        Err(e) if e.code() == git2::ErrorCode::Locked => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// Whether git's index may be written: no `index.lock`, or one left by
/// the process that made HEAD's commit and then died (made after that
/// commit, untouched since; a live writer holds it for milliseconds), which
/// is removed. Waits up to about three seconds to tell the two apart.
fn clear_crashed_index_lock(repo: &Repository) -> bool {
    let lock = repo.path().join("index.lock");
    let head_time = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_or(i64::MAX, |c| c.time().seconds());
    for _ in 0..30 {
        let Ok(modified) = fs::metadata(&lock).and_then(|m| m.modified()) else {
            return true;
        };
        let made = modified
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        if made + 1 < head_time {
            return false;
        }
        if modified.elapsed().unwrap_or_default() > std::time::Duration::from_secs(2) {
            return fs::remove_file(&lock).is_ok();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

/// Removes a git lock file (`refs/heads/main.lock`, ...) that nobody
/// writes any more: git holds such a lock for milliseconds, so one left
/// untouched for two seconds belongs to a process that was killed. Waits
/// up to about three seconds to tell; `true` if the lock is gone.
pub fn clear_dead_lock(lock: &Path) -> bool {
    for _ in 0..30 {
        let Ok(modified) = fs::metadata(lock).and_then(|m| m.modified()) else {
            return true;
        };
        if modified.elapsed().unwrap_or_default() > std::time::Duration::from_secs(2) {
            return fs::remove_file(lock).is_ok();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

/// Files written by a command that has not committed them yet. Finish it
/// with [`Journal::done`]; if the process dies first, the journal stays
/// and names the files.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    /// Records that `command` is about to write `files` (relative paths).
    pub fn begin(root: &Path, command: &str, files: &[PathBuf]) -> Result<Journal> {
        let git_dir = super::git::open(root)?.path().to_path_buf();
        let path = git_dir.join(format!("cbr-journal-{}", std::process::id()));
        let mut text = format!("{command}\n");
        for file in files {
            text.push_str(&file.to_string_lossy());
            text.push('\n');
        }
        super::atomic::write_atomic(&path, text.as_bytes())
            .map_err(|e| StudyError::io(&path, e))?;
        Ok(Journal { path })
    }

    /// The files are committed (or the command gave up cleanly).
    pub fn done(self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Journals of processes that are gone: (command, files not committed).
fn leftovers(git_dir: &Path) -> Vec<(String, Vec<PathBuf>)> {
    let Ok(read) = fs::read_dir(git_dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in read.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("cbr-journal-") else {
            continue;
        };
        if pid
            .parse::<u32>()
            .is_ok_and(|pid| super::lockfile::pid_alive(pid) && pid != std::process::id())
        {
            continue;
        }
        let Ok(text) = fs::read_to_string(entry.path()) else {
            continue;
        };
        let mut lines = text.lines();
        let command = lines.next().unwrap_or("cbr").to_string();
        out.push((command, lines.map(PathBuf::from).collect()));
    }
    out.sort();
    out
}

/// Forgets the journals of dead processes once their files are committed
/// or gone (a retry finished the job).
pub fn clear_finished(root: &Path) {
    let Ok(repo) = Repository::open(root) else {
        return;
    };
    let git_dir = repo.path().to_path_buf();
    let Ok(read) = fs::read_dir(&git_dir) else {
        return;
    };
    for entry in read.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("cbr-journal-") else {
            continue;
        };
        if pid.parse::<u32>().is_ok_and(super::lockfile::pid_alive) {
            continue;
        }
        let files: Vec<PathBuf> = fs::read_to_string(entry.path())
            .unwrap_or_default()
            .lines()
            .skip(1)
            .map(PathBuf::from)
            .collect();
        if uncommitted(&repo, &files).is_empty() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Those of `files` that differ from HEAD (written, never committed).
fn uncommitted(repo: &Repository, files: &[PathBuf]) -> Vec<PathBuf> {
    let Some(workdir) = repo.workdir() else {
        return Vec::new();
    };
    let head = repo.head().ok().and_then(|h| h.peel_to_tree().ok());
    files
        .iter()
        .filter(|rel| {
            let committed = head
                .as_ref()
                .and_then(|t| t.get_path(rel).ok())
                .map(|e| e.id());
            let on_disk = safe_fs::read(workdir, rel)
                .ok()
                .and_then(|b| Oid::hash_object(ObjectType::Blob, &b).ok());
            committed != on_disk
        })
        .cloned()
        .collect()
}

/// Symbolic links (and submodules) in HEAD's tree.
fn committed_links(repo: &Repository) -> Vec<PathBuf> {
    let Ok(tree) = repo.head().and_then(|h| h.peel_to_tree()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let _ = tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if matches!(entry.filemode(), 0o120000 | 0o160000) {
            out.push(Path::new(dir).join(entry.name().unwrap_or("?")));
        }
        git2::TreeWalkResult::Ok
    });
    out
}

/// What a crash left: a stale index, and files a dead command wrote but
/// never committed, each with what to do.
pub fn warnings(root: &Path) -> Vec<Diagnostic> {
    let Ok(repo) = Repository::open(root) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Ok(stale) = stale_index(&repo) {
        for path in stale {
            out.push(Diagnostic::new(
                &path,
                1,
                1,
                "git's index still shows this file as it was before the last commit (a command was \
                 interrupted); any cbr command repairs it (`cbr check` does), or run `git reset -q -- FILE`",
            ));
        }
    }
    for path in committed_links(&repo) {
        out.push(Diagnostic::new(
            &path,
            1,
            1,
            "committed as a symbolic link; cbr never follows links in a study (this working copy \
             holds it as a plain file naming the target): remove it with `git rm` and commit, or \
             commit the real file in its place",
        ));
    }
    for (command, files) in leftovers(repo.path()) {
        for path in uncommitted(&repo, &files) {
            out.push(Diagnostic::new(
                &path,
                1,
                1,
                format!(
                    "written by an interrupted `{command}` and never committed: run the same \
                     command again (it finishes the job), or delete this file if you no longer want it"
                ),
            ));
        }
    }
    out
}
