//! Working as a team from the terminal UI: one writer session per coder
//! and working copy (a second one is read-only and says why), where this
//! copy stands against the shared repository, what was left half-done at
//! start, and the one check that refuses changes when they are not allowed.
//! The sync itself is in [`crate::tui::team::sync`], blind filtering in
//! [`crate::tui::team::visible`].
//!
//! Slow work (git, reading every coding) runs as background jobs
//! (see [`crate::tui::background`]).

pub mod sync_job;
pub mod visible;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::model::Slug;
use crate::study::lockfile::{Liveness, LockInfo};
use crate::study::session_lock::{self, SessionGuard, SessionLock};
use crate::study::sync::{self, AheadBehind, Step};
use crate::study::{Diagnostic, StudyError, health};

use crate::tui::app::App;
use crate::tui::background::Job;

/// The session's standing in the team. Empty (a writer without a lock
/// and nothing running) until [`App::start_team`].
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
    /// Background work was started for this session (`App::start_team`):
    /// without it (a test drawing screens) there is no sync.
    pub(super) started: bool,
    closed: bool,
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

/// What a running sync is doing, for the status bar.
pub fn step_label(step: &Step) -> String {
    match step {
        Step::SavingOwnWork => "syncing: saving your coding…".into(),
        Step::Fetching { round: 1 } => "syncing: fetching…".into(),
        Step::Fetching { .. } => "syncing: fetching again…".into(),
        Step::Integrating { .. } => "syncing: bringing in the team's work…".into(),
        Step::Pushing { .. } => "syncing: sending yours…".into(),
        Step::RemoteMoved { .. } => "syncing: someone pushed first; again…".into(),
    }
}

impl App {
    /// Starts the team side of a session: the lock decides writer or
    /// read-only; ahead/behind, leftovers of interrupted git commands and
    /// everyone's codings are read in the background.
    pub fn start_team(&mut self, lock: Result<SessionLock, StudyError>) {
        self.team.started = true;
        match lock {
            Ok(SessionLock::Writer(guard)) => {
                if let Some(dead) = &guard.took_over {
                    self.say(format!(
                        "Took over the lock of a session that ended without closing (pid {}).",
                        dead.pid
                    ));
                }
                self.team.guard = Some(Arc::new(guard));
            }
            Ok(SessionLock::ReadOnly { holder }) => {
                let path = session_lock::session_lock_path(&self.study.root, self.coder())
                    .unwrap_or_default();
                self.add_problem(format!(
                    "{}.\nYou can read and move around here; S fetches the team's work.",
                    SessionLock::read_only_message(self.coder(), &holder, &path)
                ));
                self.team.read_only = Some(holder);
            }
            // No git repository: coding works, history and sync do not.
            Err(e) => self.team.unavailable = Some(e.to_string()),
        }
        self.note_head();
        let root = self.study.root.clone();
        self.spawn(
            Job::Health,
            move || health::warnings(&root),
            |app, warnings| app.warn_leftovers(warnings),
        );
        self.refresh_status();
        self.reload_codings();
    }

    /// At start: what was left half-done in the working copy.
    fn warn_leftovers(&mut self, warnings: Vec<Diagnostic>) {
        if !warnings.is_empty() {
            let lines: Vec<String> = warnings.iter().map(|w| format!("  {w}")).collect();
            self.add_problem(format!(
                "Something was left half-done in this working copy:\n{}",
                lines.join("\n")
            ));
        }
    }

    /// Why changes are refused right now, if they are: the one check made
    /// before every action that changes the study.
    pub(super) fn write_refusal(&self) -> Option<String> {
        if self.team.read_only.is_some() {
            return Some(format!(
                "Read-only session: {} is coding in another session; close it to code here.",
                self.coder()
            ));
        }
        if self.team.syncing.is_some() {
            return Some("Syncing: try again in a moment, when it has finished.".into());
        }
        None
    }

    /// Recomputes ahead/behind in the background (at start, after a
    /// commit). The first time, a fetch follows when there is a shared
    /// repository and the event loop asked for it (`auto_fetch`).
    pub(super) fn refresh_status(&mut self) {
        if !self.team.started {
            return;
        }
        let first = !self.background.started(Job::Status);
        let root = self.study.root.clone();
        self.spawn(
            Job::Status,
            move || sync::ahead_behind(&root).ok().flatten(),
            move |app, status| {
                app.team.status = status;
                if first && app.team.auto_fetch {
                    app.fetch_due();
                }
            },
        );
    }

    /// Waits for a running sync (it may be committing) before leaving.
    pub(super) fn finish_sync(&mut self) {
        self.join(Job::Sync);
        self.team.syncing = None;
    }

    /// Whether this session may still write on its way out: not when
    /// read-only, and only once (quit and the end of the loop both close).
    pub(super) fn closing_writes(&self) -> bool {
        self.team.read_only.is_none() && !self.team.closed
    }

    /// Ends the session: after everything is committed, the lock goes.
    pub(super) fn release_session(&mut self) {
        self.team.closed = true;
        self.team.guard = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
