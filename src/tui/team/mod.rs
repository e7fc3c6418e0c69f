//! Working as a team from the terminal UI: one writer session per coder
//! and working copy (a second one is read-only and says why), where this
//! copy stands against the shared repository, what was left half-done at
//! start, and the one check that refuses changes when they are not allowed.
//! This is the state; the app drives it (`tui::app_team`). The sync's
//! work is in [`crate::tui::team::sync_job`], blind filtering in
//! [`crate::tui::team::visible`].

pub mod sync_job;
pub mod visible;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::model::Slug;
use crate::study::lockfile::{Liveness, LockInfo};
use crate::study::session_lock::SessionGuard;
use crate::study::sync::AheadBehind;

/// The session's standing in the team. Empty (a writer without a lock
/// and nothing running) until the app starts it (`app_team.rs`).
#[derive(Default)]
pub struct Team {
    /// This session is the coder's one writer; dropped last on the way out.
    pub(super) guard: Option<Arc<SessionGuard>>,
    /// Another session of the same coder writes: this one only reads.
    pub read_only: Option<LockInfo>,
    /// Why this session cannot sync at all (no git repository), if so.
    pub(super) unavailable: Option<String>,
    /// Against the shared repository as last fetched; `None` without one.
    pub status: Option<AheadBehind>,
    /// The running sync's latest step.
    pub syncing: Option<String>,
    /// Background work was started for this session (`start_team`):
    /// without it (a test drawing screens) there is no sync.
    pub(super) started: bool,
    pub(crate) closed: bool,
    /// Where `HEAD` was when the study was last read (see `watch`).
    pub(super) head: Option<String>,
    /// Fetch once the shared repository is known: set by the event loop,
    /// not by tests, which fetch when they mean to.
    pub auto_fetch: bool,
}

impl Team {
    /// The line over the screen of a read-only session.
    pub fn banner(&self, coder: &Slug) -> Option<String> {
        let holder = self.read_only.as_ref()?;
        let host = match holder.liveness() {
            Liveness::OtherHost => format!(" on {}", holder.host),
            _ => String::new(),
        };
        Some(format!(
            "read-only: {coder} is already coding in another session (pid {}{host}, {})",
            holder.pid,
            short_age(holder.started)
        ))
    }

    /// The team part of the status bar: "↑2 ↓5", "syncing: fetching…".
    pub fn status_text(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.read_only.is_some() {
            parts.push("read-only".to_string());
        }
        match (&self.syncing, self.status) {
            (Some(step), _) => parts.push(step.clone()),
            (None, Some(s)) => parts.push(format!("↑{} ↓{}", s.ahead, s.behind)),
            (None, None) => {}
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// "just now", "5 min ago", "3 h ago", "2 days ago": short enough for a banner.
fn short_age(started: u64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    match now.saturating_sub(started) {
        0..60 => "just now".into(),
        s @ 60..3600 => format!("{} min ago", s / 60),
        s @ 3600..86_400 => format!("{} h ago", s / 3600),
        s => format!("{} days ago", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::sync::Step;
    use crate::tui::team::sync_job::step_label;

    #[test]
    fn status_shows_ahead_behind_only_with_a_remote() {
        let mut team = Team::default();
        assert_eq!(team.status_text(), None);
        team.status = Some(AheadBehind {
            ahead: 2,
            behind: 5,
        });
        assert_eq!(team.status_text().as_deref(), Some("↑2 ↓5"));
        team.syncing = Some(step_label(&Step::Pushing { round: 1 }));
        assert_eq!(
            team.status_text().as_deref(),
            Some("syncing: sending yours…")
        );
    }

    #[test]
    fn ages_are_short() {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert_eq!(short_age(now), "just now");
        assert_eq!(short_age(now - 300), "5 min ago");
        assert_eq!(short_age(now - 7200), "2 h ago");
        assert_eq!(short_age(now - 3 * 86_400), "3 days ago");
    }
}
