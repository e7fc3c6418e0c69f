//! Start-up check of the working copy: a half-finished git operation or an
//! interrupted save, each reported with what to do about it.
//!
//! An SSH drop can kill a `git` command midway (leaving `index.lock`), a
//! merge can be left unfinished, a crash can leave a temporary file of an
//! atomic write. None of it loses data, but cbr must not build on it
//! blindly: the terminal UI shows these warnings at start, `cbr check`
//! prints them, and `cbr sync` refuses to run until they are dealt with.

use std::fs;
use std::path::{Path, PathBuf};

use git2::{Repository, RepositoryState};

use super::diagnostic::Diagnostic;
use super::layout;

/// Everything half-finished in the working copy at `root`, as located
/// warnings (the path is the file that shows the problem).
pub fn warnings(root: &Path) -> Vec<Diagnostic> {
    let mut out = git_state(root);
    temp_file_warnings(root, &mut out);
    out.extend(super::recovery::warnings(root));
    out.extend(super::privacy::warnings(root));
    out.sort();
    out
}

/// Only the git side: what must be settled before cbr moves `main`.
pub fn git_state(root: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match Repository::open(root) {
        Ok(repo) => git_warnings(root, &repo, &mut out),
        Err(e) => out.push(Diagnostic::new(
            Path::new(".git"),
            1,
            1,
            format!(
                "not a git repository ({}): history, suggestions and sync need one; run `git init` and commit the study",
                e.message()
            ),
        )),
    }
    out.sort();
    out
}

fn shown(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn git_warnings(root: &Path, repo: &Repository, out: &mut Vec<Diagnostic>) {
    let git_dir = repo.path();
    let warn = |out: &mut Vec<Diagnostic>, rel: &str, message: String| {
        out.push(Diagnostic::new(
            &shown(root, &git_dir.join(rel)),
            1,
            1,
            message,
        ));
    };
    for lock in git_lock_files(git_dir) {
        out.push(Diagnostic::new(
            &shown(root, &lock),
            1,
            1,
            "a git command is running in this working copy, or one was interrupted (an SSH drop?); \
             if no git or cbr command is running, delete this file",
        ));
    }
    let (what, marker, how) = match repo.state() {
        RepositoryState::Clean => ("", "", ""),
        RepositoryState::Merge => (
            "a merge",
            "MERGE_HEAD",
            "fix the conflicted files and run `git commit`, or cancel it with `git merge --abort`",
        ),
        RepositoryState::Rebase | RepositoryState::RebaseInteractive => (
            "a rebase",
            "rebase-merge",
            "run `git rebase --continue` after fixing conflicts, or `git rebase --abort`",
        ),
        RepositoryState::RebaseMerge => (
            "a rebase",
            "rebase-merge",
            "run `git rebase --continue` after fixing conflicts, or `git rebase --abort`",
        ),
        RepositoryState::ApplyMailbox | RepositoryState::ApplyMailboxOrRebase => (
            "a `git am`",
            "rebase-apply",
            "run `git am --continue` or `git am --abort`",
        ),
        RepositoryState::CherryPick | RepositoryState::CherryPickSequence => (
            "a cherry-pick",
            "CHERRY_PICK_HEAD",
            "run `git cherry-pick --continue` or `git cherry-pick --abort`",
        ),
        RepositoryState::Revert | RepositoryState::RevertSequence => (
            "a revert",
            "REVERT_HEAD",
            "run `git revert --continue` or `git revert --abort`",
        ),
        RepositoryState::Bisect => ("a bisect", "BISECT_LOG", "run `git bisect reset`"),
    };
    if !what.is_empty() {
        warn(
            out,
            marker,
            format!(
                "{what} was started here and not finished; cbr will not sync until it is: {how}"
            ),
        );
    }
    if let Ok(index) = repo.index()
        && let Ok(conflicts) = index.conflicts()
    {
        for conflict in conflicts.flatten() {
            let entry = conflict.our.or(conflict.their).or(conflict.ancestor);
            if let Some(entry) = entry {
                out.push(Diagnostic::new(
                    Path::new(&*String::from_utf8_lossy(&entry.path)),
                    1,
                    1,
                    "unresolved merge conflict: edit the file, then `git add` it and `git commit`",
                ));
            }
        }
    }
    match repo.head() {
        Ok(head) if head.is_branch() => {
            let name = head.shorthand().ok().unwrap_or("?").to_string();
            if name != "main" {
                warn(
                    out,
                    "HEAD",
                    format!(
                        "this working copy is on branch `{name}`, not `main`, where cbr records coding; run `git switch main`"
                    ),
                );
            }
        }
        Ok(_) => warn(
            out,
            "HEAD",
            "no branch is checked out (detached HEAD); cbr records coding on `main`: run `git switch main`".into(),
        ),
        // An unborn branch: a study without its first commit yet.
        Err(_) => {}
    }
}

/// git's own lock files (`*.lock` under the git folder), but not cbr's
/// session locks, which take care of themselves.
fn git_lock_files(git_dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for name in ["index.lock", "HEAD.lock", "config.lock", "packed-refs.lock"] {
        let path = git_dir.join(name);
        if path.exists() {
            out.push(path);
        }
    }
    let mut stack = vec![git_dir.join("refs")];
    while let Some(dir) = stack.pop() {
        let Ok(read) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in read.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "lock") {
                out.push(path);
            }
        }
    }
    out
}

/// Temporary files left by an interrupted atomic write (see
/// [`super::atomic::write_atomic`]) whose writer is gone.
fn temp_file_warnings(root: &Path, out: &mut Vec<Diagnostic>) {
    let mut stack = vec![
        root.to_path_buf(),
        root.join(layout::CODES_DIR),
        root.join(layout::TRANSCRIPTS_DIR),
        root.join(layout::CODINGS_DIR),
    ];
    while let Some(dir) = stack.pop() {
        let Ok(read) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in read.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            // Never into a linked folder (it may lead outside the study).
            if dir.ends_with(layout::CODINGS_DIR) && entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
                continue;
            }
            let Some((target, pid)) = name
                .strip_prefix('.')
                .and_then(|rest| rest.rsplit_once(".cbr-tmp-"))
            else {
                continue;
            };
            // A live writer is saving right now: not a leftover.
            if pid.parse::<u32>().is_ok_and(super::lockfile::pid_alive) {
                continue;
            }
            out.push(Diagnostic::new(
                &shown(root, &path),
                1,
                1,
                format!(
                    "an interrupted save left this temporary file; `{target}` next to it is intact \
                     (the version before or after that save); delete this file"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Slug;
    use crate::study::git::Author;

    fn study() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        // Private like a home folder, so the privacy check stays quiet.
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        let root = dir.path().join("s");
        let author = Author::new(Slug::new("alice").unwrap(), "a@x.invalid");
        crate::study::init::init(&root, "T", &author).unwrap();
        (dir, root)
    }

    #[test]
    fn a_clean_study_has_no_warnings() {
        let (_dir, root) = study();
        assert_eq!(warnings(&root), Vec::new());
    }

    #[test]
    fn index_lock_and_leftover_temp_file_are_reported_with_what_to_do() {
        let (_dir, root) = study();
        fs::write(root.join(".git/index.lock"), "").unwrap();
        fs::create_dir_all(root.join("codings/alice")).unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let tmp = format!("codings/alice/.interview-01.toml.cbr-tmp-{dead}");
        fs::write(root.join(&tmp), "half").unwrap();
        let found = warnings(&root);
        let paths: Vec<_> = found.iter().map(|d| d.path.clone()).collect();
        assert_eq!(
            paths,
            vec![PathBuf::from(".git/index.lock"), PathBuf::from(&tmp)]
        );
        assert!(found[0].message.contains("delete this file"));
        assert!(
            found[1]
                .message
                .contains("`interview-01.toml` next to it is intact")
        );
    }

    #[test]
    fn a_branch_other_than_main_is_reported() {
        let (_dir, root) = study();
        let repo = Repository::open(&root).unwrap();
        let head = repo.head().unwrap().peel_to_commit().unwrap();
        repo.branch("side", &head, false).unwrap();
        repo.set_head("refs/heads/side").unwrap();
        let found = warnings(&root);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, PathBuf::from(".git/HEAD"));
        assert!(found[0].message.contains("`side`"), "{}", found[0].message);
    }
}
