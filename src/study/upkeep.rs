//! Upkeep of a shared repository in a folder on this server, done by every
//! `cbr sync` (and every fetch) so that nothing needs an administrator:
//!
//! - permissions repaired on everything this user owns (a sync killed
//!   between writing a pack and fixing its mode, under umask 077, must not
//!   lock the team out until someone pushes again);
//! - a file this user cannot read reported as a permission problem, naming
//!   the file, its owner and group, instead of libgit2's "object not found";
//! - packs kept few: every push adds one, so after a push the system `git`
//!   runs `gc --auto` with a low pack limit (libgit2 cannot repack);
//! - `pack_git2_*` temporary files that an interrupted push left behind
//!   removed once they are old enough not to belong to a push in progress.

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use super::error::{Result, StudyError};
use super::privacy::shell_quote;

/// More packs than this and `git gc --auto` folds them into one.
pub const PACK_LIMIT: usize = 8;

/// A temporary pack older than this belongs to no running push.
const STALE_TEMP: Duration = Duration::from_secs(15 * 60);

/// Before reading the shared repository: repair what we own, clean old
/// temporary packs, and refuse clearly if something stays unreadable.
pub fn before_fetch(git_dir: &Path) -> Result<()> {
    let repo = git2::Repository::open_bare(git_dir).ok();
    if repo.as_ref().is_some_and(is_group_shared) {
        // Best effort: what we cannot repair is reported just below.
        let _ = share_with_group(git_dir);
    }
    clean_temp_packs(git_dir);
    if let Some(problem) = unreadable(git_dir) {
        return Err(permission_problem(&problem));
    }
    Ok(())
}

/// After a push: fold packs if there are many, then repair permissions.
pub fn after_push(remote: &git2::Repository) -> Result<()> {
    let git_dir = remote.path();
    if pack_count(git_dir) > PACK_LIMIT {
        repack(git_dir);
    }
    if is_group_shared(remote) {
        share_with_group(git_dir).map_err(|e| StudyError::io(git_dir, e))?;
    }
    Ok(())
}

/// `*.pack` files in the repository.
pub fn pack_count(git_dir: &Path) -> usize {
    std::fs::read_dir(git_dir.join("objects/pack"))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".pack"))
                .count()
        })
        .unwrap_or(0)
}

/// `git gc --auto` in the foreground. Without a system git the packs just
/// stay as they are (slower, never wrong), so failure is not an error.
fn repack(git_dir: &Path) {
    let _ = Command::new("git")
        .arg("-c")
        .arg(format!("safe.directory={}", git_dir.display()))
        .args(["-c", "gc.autoDetach=false"])
        .arg("-c")
        .arg(format!("gc.autoPackLimit={PACK_LIMIT}"))
        .arg("--git-dir")
        .arg(git_dir)
        .args(["gc", "--auto", "--quiet"])
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Removes `pack_git2_*` files (libgit2's pack being written) that no
/// push in progress can still be writing.
fn clean_temp_packs(git_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(git_dir.join("objects/pack")) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        if !entry
            .file_name()
            .to_string_lossy()
            .starts_with("pack_git2_")
        {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE_TEMP);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// `access(2)`: may the real user read (and, for a folder, enter) `path`?
fn may_read(path: &Path, dir: bool) -> bool {
    let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    let mode = if dir {
        libc::R_OK | libc::X_OK
    } else {
        libc::R_OK
    };
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    unsafe { libc::access(c.as_ptr(), mode) == 0 }
}

/// The outermost folder on the way to `path` (or `path` itself) that this
/// user may not enter: where a "permission denied" really comes from.
pub fn blocked(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut ancestors: Vec<&Path> = absolute.ancestors().collect();
    ancestors.reverse();
    ancestors
        .into_iter()
        .find(|dir| {
            std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) && !may_read(dir, true)
        })
        .map(Path::to_path_buf)
}

/// The first file or folder a fetch needs that this user cannot read.
/// Links are not followed.
fn unreadable(git_dir: &Path) -> Option<PathBuf> {
    if !may_read(git_dir, true) {
        return Some(git_dir.to_path_buf());
    }
    // What a fetch reads; hooks and the like may be the administrator's.
    let mut stack: Vec<PathBuf> = ["HEAD", "config", "packed-refs", "refs", "objects"]
        .iter()
        .map(|p| git_dir.join(p))
        .collect();
    while let Some(path) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            continue;
        }
        if !may_read(&path, meta.is_dir()) {
            return Some(path);
        }
        if meta.is_dir()
            && let Ok(entries) = std::fs::read_dir(&path)
        {
            stack.extend(entries.flatten().map(|e| e.path()));
        }
    }
    None
}

/// The name of a user or group id, or the number.
pub fn user_name(uid: u32) -> String {
    // SAFETY: getpwuid returns null or a pointer to a static record that
    // stays valid until the next call; we copy the name out at once.
    unsafe {
        let pw = libc::getpwuid(uid);
        if pw.is_null() {
            return uid.to_string();
        }
        std::ffi::CStr::from_ptr((*pw).pw_name)
            .to_string_lossy()
            .into_owned()
    }
}

pub fn group_name(gid: u32) -> String {
    // SAFETY: as for getpwuid.
    unsafe {
        let gr = libc::getgrgid(gid);
        if gr.is_null() {
            return gid.to_string();
        }
        std::ffi::CStr::from_ptr((*gr).gr_name)
            .to_string_lossy()
            .into_owned()
    }
}

/// "Permission denied" on something of the shared repository, said as a
/// permission problem with who can fix it.
pub fn permission_problem(path: &Path) -> StudyError {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return StudyError::Refused(format!(
            "{}: permission denied: you cannot reach the study's shared repository; ask to be added to its \
             Unix group, then log out and in again (`id` lists your groups)",
            path.display()
        ));
    };
    let group = group_name(meta.gid());
    StudyError::Refused(format!(
        "{}: permission denied (owner {}, group {group}, mode {:o}): a permission problem, not missing data. \
         If you are not in the group `{group}`, ask to be added (`usermod -aG {group} $USER`), then log out \
         and in again (`id` lists your groups). Otherwise {} fixes it by running `cbr sync`, or with: chmod g+rwX {}",
        path.display(),
        user_name(meta.uid()),
        meta.mode() & 0o7777,
        user_name(meta.uid()),
        shell_quote(path)
    ))
}

/// `core.sharedRepository` says the group shares this repository.
pub fn is_group_shared(remote: &git2::Repository) -> bool {
    let Ok(config) = remote.config() else {
        return false;
    };
    let Ok(value) = config.get_string("core.sharedRepository") else {
        return false;
    };
    let value = value.to_ascii_lowercase();
    if let Some(octal) = value.strip_prefix('0')
        && let Ok(mode) = u32::from_str_radix(octal, 8)
    {
        return mode & 0o060 != 0;
    }
    matches!(
        value.as_str(),
        "group" | "true" | "1" | "all" | "world" | "everybody" | "2"
    )
}

/// Gives the group what git's `core.sharedRepository = 0660` promises,
/// for everything we own in the shared repository: folders group-writable
/// and setgid (new files keep the study's group), files group-readable and,
/// where the owner may write, group-writable; nothing open to others. git2 writes objects and refs
/// with the process umask only, so without this a teammate could not add a
/// branch under a folder we created.
pub fn share_with_group(git_dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let mut stack = vec![git_dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = std::fs::symlink_metadata(&path)?;
        if meta.file_type().is_symlink() {
            continue;
        }
        if meta.is_dir() {
            for entry in std::fs::read_dir(&path)? {
                stack.push(entry?.path());
            }
        }
        if meta.uid() != me {
            continue;
        }
        let mode = meta.mode() & 0o7777;
        // Others never: the shared repository holds the interviews.
        let wanted = if meta.is_dir() {
            mode | 0o2070
        } else if mode & 0o200 != 0 {
            mode | 0o060
        } else {
            mode | 0o040
        } & !0o007;
        if wanted != mode {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(wanted))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_temporary_packs_go_and_fresh_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("objects/pack");
        std::fs::create_dir_all(&pack).unwrap();
        let old = pack.join("pack_git2_old");
        let fresh = pack.join("pack_git2_fresh");
        std::fs::write(&old, b"x").unwrap();
        std::fs::write(&fresh, b"x").unwrap();
        let long_ago = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        clean_temp_packs(dir.path());
        assert!(!old.exists());
        assert!(fresh.exists());
    }
}
