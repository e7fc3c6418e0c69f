//! Whether a process still runs: the liveness test behind stale locks,
//! journals and temporary files. A zombie (exited, not yet reaped) does not
//! run, and `/proc` gives the start time that tells a reused pid apart.

use std::fs;
use std::io;

/// Whether a process with this id runs on this machine (a zombie, which
/// has exited and only waits for its parent, does not).
pub fn pid_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let exists = unsafe { libc::kill(pid, 0) } == 0
        // EPERM: it exists but belongs to someone else.
        || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
    exists && proc_stat(pid as u32).is_none_or(|(state, _)| state != 'Z')
}

/// A process's state letter and start time (seconds since the epoch),
/// from `/proc` where there is one.
pub(crate) fn proc_stat(pid: u32) -> Option<(char, u64)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses: the
    // fields we want follow the last `)`.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let state = fields.first()?.chars().next()?;
    let ticks: u64 = fields.get(19)?.parse().ok()?;
    // SAFETY: sysconf only reads a configuration value.
    let hz = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) })
        .ok()
        .filter(|h| *h > 0)?;
    let btime: u64 = fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    Some((state, btime + ticks / hz))
}
