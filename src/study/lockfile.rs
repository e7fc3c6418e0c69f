//! Lock files that name their holder and heal when it dies.
//!
//! A lock file names its holder (pid, host, boot, start time). It is created
//! atomically with its full content (written to a private file, then
//! hard-linked into place, which fails if the lock exists), so nobody ever
//! reads a half-written lock. A lock whose process is gone (same host and
//! boot, no such pid) is stale and is taken over; the lock file is removed
//! when its guard is dropped, unless someone else holds it by then.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::error::{Result, StudyError};
pub use super::process::pid_alive;
use super::process::proc_stat;

/// The process that holds a lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockInfo {
    pub pid: u32,
    pub host: String,
    /// Seconds since the Unix epoch.
    pub started: u64,
    /// The kernel's boot id where known: a lock from before a reboot is
    /// stale even if its pid has been reused since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boot_id: Option<String>,
    /// Makes each lock's content unique, so a process can tell its own
    /// lock from a later one by the same pid.
    pub nonce: String,
}

/// Whether a lock's holder still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    Alive,
    Dead,
    /// Held from another machine (a working copy on a shared file system):
    /// we cannot tell, so we assume it is alive.
    OtherHost,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

pub fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at most that.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return "unknown-host".into();
    }
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

fn boot_id() -> Option<String> {
    fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

impl LockInfo {
    /// This process, now.
    pub fn current() -> LockInfo {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        LockInfo {
            pid: std::process::id(),
            host: hostname(),
            started: now_secs(),
            boot_id: boot_id(),
            nonce: format!("{nanos:x}"),
        }
    }

    pub fn liveness(&self) -> Liveness {
        if self.host != hostname() {
            return Liveness::OtherHost;
        }
        if let (Some(theirs), Some(ours)) = (&self.boot_id, boot_id())
            && *theirs != ours
        {
            return Liveness::Dead;
        }
        if !pid_alive(self.pid) {
            return Liveness::Dead;
        }
        // The pid exists, but a process started after the lock was taken
        // cannot be its holder: the pid was reused (pid 1 after a restart
        // of a container, say).
        match proc_stat(self.pid) {
            Some((_, start)) if start > self.started.saturating_add(2) => Liveness::Dead,
            _ => Liveness::Alive,
        }
    }

    /// "pid 4242 on host srv1, started 12 minutes ago".
    pub fn describe(&self) -> String {
        let age = now_secs().saturating_sub(self.started);
        let ago = match age {
            0..60 => "less than a minute ago".to_string(),
            60..3600 => plural(age / 60, "minute"),
            3600..86_400 => plural(age / 3600, "hour"),
            _ => plural(age / 86_400, "day"),
        };
        format!("pid {} on host {}, started {ago}", self.pid, self.host)
    }
}

fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{n} {unit}s ago")
    }
}

/// A lock file held by this process; removed on drop if it is still ours.
#[derive(Debug)]
pub struct LockFile {
    path: PathBuf,
    content: String,
}

impl LockFile {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        // Never remove a lock someone else took over meanwhile.
        if fs::read_to_string(&self.path).is_ok_and(|c| c == self.content) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// The outcome of trying to take a lock.
#[derive(Debug)]
pub enum Attempt {
    /// Ours now; `took_over` names the dead process whose stale lock we replaced.
    Acquired {
        lock: LockFile,
        took_over: Option<LockInfo>,
    },
    /// A live (or unverifiable) process holds it.
    Held(LockInfo),
}

fn read_info(path: &Path) -> Result<Option<(String, LockInfo)>> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StudyError::io(path, e)),
    };
    let info = toml::from_str(&text).map_err(|e| {
        StudyError::Refused(format!(
            "{}: cannot read this lock file ({}); if no cbr session is open in this working copy, delete it",
            path.display(),
            e.message().trim()
        ))
    })?;
    Ok(Some((text, info)))
}

/// Creates `path` with `content` in one step: written to a private file
/// first, then hard-linked into place (fails if `path` exists).
fn create_exclusive(path: &Path, content: &str, nonce: &str) -> io::Result<bool> {
    let tmp = path.with_file_name(format!(
        ".{}.{}-{nonce}",
        path.file_name()
            .map_or("lock".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
    let written = file
        .write_all(content.as_bytes())
        .and_then(|()| file.sync_all());
    let linked = written.and_then(|()| fs::hard_link(&tmp, path));
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) if matches!(e.raw_os_error(), Some(libc::EPERM | libc::EOPNOTSUPP)) => {
            // A file system without hard links: exclusive create, then write.
            match OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(mut f) => {
                    f.write_all(content.as_bytes())?;
                    f.sync_all()?;
                    Ok(true)
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// Moves a stale lock aside, but only if it is still exactly the stale
/// one we read: if another process took it over in between, its fresh
/// lock is put back.
fn remove_stale(path: &Path, stale_content: &str, nonce: &str) -> io::Result<()> {
    let aside = path.with_file_name(format!(
        ".{}.stale-{}-{nonce}",
        path.file_name()
            .map_or("lock".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    match fs::rename(path, &aside) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    }
    let moved = fs::read_to_string(&aside).unwrap_or_default();
    if moved != stale_content {
        // Not the stale lock any more: restore it unless yet another one appeared.
        match fs::hard_link(&aside, path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    fs::remove_file(&aside)
}

/// Tries once to take the lock at `path`, taking over a stale one.
pub fn try_lock(path: &Path) -> Result<Attempt> {
    let me = LockInfo::current();
    let content = toml::to_string(&me).expect("lock info always serialises");
    let mut took_over = None;
    // A few rounds at most: each round either succeeds, finds a live
    // holder, or clears one stale lock.
    for _ in 0..4 {
        if create_exclusive(path, &content, &me.nonce).map_err(|e| StudyError::io(path, e))? {
            return Ok(Attempt::Acquired {
                lock: LockFile {
                    path: path.to_path_buf(),
                    content,
                },
                took_over,
            });
        }
        let Some((text, holder)) = read_info(path)? else {
            continue;
        };
        match holder.liveness() {
            Liveness::Alive | Liveness::OtherHost => return Ok(Attempt::Held(holder)),
            Liveness::Dead => {
                remove_stale(path, &text, &me.nonce).map_err(|e| StudyError::io(path, e))?;
                took_over = Some(holder);
            }
        }
    }
    Err(StudyError::Locked {
        holder: None,
        message: format!(
            "{}: could not take this lock (other processes keep taking it); try again",
            path.display()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn second_taker_sees_the_first_and_drop_releases() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let Attempt::Acquired { lock, took_over } = try_lock(&path).unwrap() else {
            panic!("first attempt must succeed");
        };
        assert!(took_over.is_none());
        match try_lock(&path).unwrap() {
            Attempt::Held(holder) => {
                assert_eq!(holder.pid, std::process::id());
                assert_eq!(holder.liveness(), Liveness::Alive);
            }
            Attempt::Acquired { .. } => panic!("a live lock was taken twice"),
        }
        drop(lock);
        assert!(!path.exists());
        // Only the lock itself is left behind, never a temporary file.
        assert!(matches!(try_lock(&path).unwrap(), Attempt::Acquired { .. }));
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn stale_lock_is_taken_over_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let mut stale = LockInfo::current();
        stale.pid = dead_pid();
        stale.nonce = "old".into();
        fs::write(&path, toml::to_string(&stale).unwrap()).unwrap();
        let Attempt::Acquired { lock, took_over } = try_lock(&path).unwrap() else {
            panic!("a dead process's lock must be taken over");
        };
        assert_eq!(took_over, Some(stale));
        let now: LockInfo = toml::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(now.pid, std::process::id());
        drop(lock);
        assert!(!path.exists());
    }

    #[test]
    fn lock_from_another_boot_or_host() {
        let mut info = LockInfo::current();
        assert_eq!(info.liveness(), Liveness::Alive);
        if info.boot_id.is_some() {
            info.boot_id = Some("another-boot".into());
            assert_eq!(info.liveness(), Liveness::Dead);
        }
        info.host = "elsewhere.invalid".into();
        assert_eq!(info.liveness(), Liveness::OtherHost);
    }

    #[test]
    fn a_reused_pid_or_a_zombie_is_not_the_holder() {
        // pid 1 runs, but started long after this lock's date.
        let mut old = LockInfo::current();
        old.pid = 1;
        old.started = 1_000_000;
        assert_eq!(old.liveness(), Liveness::Dead);
        // A child that has exited but is not reaped yet is a zombie.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(!pid_alive(pid), "a zombie is not alive");
        child.wait().unwrap();
    }

    #[test]
    fn dropping_never_removes_a_lock_taken_over_by_another() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let Attempt::Acquired { lock, .. } = try_lock(&path).unwrap() else {
            panic!()
        };
        fs::write(&path, "pid = 1\n").unwrap();
        drop(lock);
        assert_eq!(fs::read_to_string(&path).unwrap(), "pid = 1\n");
    }

    #[test]
    fn unreadable_lock_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        fs::write(&path, "garbage").unwrap();
        let err = try_lock(&path).unwrap_err().to_string();
        assert!(err.contains("delete it"), "{err}");
    }

    #[test]
    fn describe_says_who_and_when() {
        let mut info = LockInfo::current();
        info.pid = 4242;
        info.host = "srv1".into();
        info.started = now_secs() - 12 * 60;
        assert_eq!(
            info.describe(),
            "pid 4242 on host srv1, started 12 minutes ago"
        );
    }
}
