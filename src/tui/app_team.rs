//! The app's side of working as a team: starting the session's team side
//! (the lock, ahead/behind, leftovers, everyone's codings), the one check
//! that refuses changes, and sync on `S` (the work itself is in
//! `team::sync_job`). The state is `team::Team`.

use std::sync::Arc;

use crate::study::session_lock::{self, SessionLock};
use crate::study::sync;
use crate::study::{Diagnostic, StudyError, health};

use crate::tui::app::App;
use crate::tui::app_jobs::to_app;
use crate::tui::background::Job;
use crate::tui::popups::overlay::Overlay;
use crate::tui::team::sync_job::{self, Synced};

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

    /// The sync key.
    pub(in crate::tui) fn start_sync(&mut self) {
        if self.team.syncing.is_some() {
            self.say("Already syncing…");
            return;
        }
        if let Some(why) = &self.team.unavailable {
            self.fail(format!("Sync is not available here: {why}"));
            return;
        }
        if !self.team.started {
            self.fail("Sync is not available: this session was not started for it.");
            return;
        }
        // A background fetch must not write the same refs as the sync's.
        self.join(Job::Fetch);
        let root = self.study.root.clone();
        if self.team.read_only.is_some() {
            self.team.syncing = Some("fetching…".into());
            let viewer = self.author.coder.clone();
            self.spawn(
                Job::Sync,
                move || sync_job::fetch(root, viewer),
                |app, done| app.sync_done(done),
            );
            return;
        }
        let Some(guard) = self.team.guard.clone() else {
            self.fail("Sync is not available: this session holds no session lock.");
            return;
        };
        let committed = match self.commit_sessions() {
            Ok(ids) => ids,
            Err(e) => {
                self.fail(format!(
                    "Sync did not start: your coding is saved but could not be committed: {e}"
                ));
                return;
            }
        };
        let author = self.author.clone();
        let poster = self.background.poster();
        self.team.syncing = Some("syncing…".into());
        self.spawn(
            Job::Sync,
            move || {
                sync_job::run(root, author, &guard, committed, move |label| {
                    poster.post(to_app(move |app| {
                        if app.team.syncing.is_some() {
                            app.team.syncing = Some(label);
                        }
                    }))
                })
            },
            |app, done| app.sync_done(done),
        );
    }

    pub(in crate::tui) fn sync_done(&mut self, done: Synced) {
        self.finish_sync();
        // Any status computed before this sync is out of date.
        self.background.cancel(Job::Status);
        self.background.cancel(Job::Fetch);
        self.team.status = done.status;
        let mut lines = match done.outcome {
            Ok(lines) => lines,
            Err(e) => vec![format!("Sync stopped: {e}")],
        };
        match done.study {
            Ok((study, loaded)) => {
                lines.extend(
                    study
                        .problems
                        .iter()
                        .map(|p| format!("Could not read: {p}")),
                );
                self.study_changed(study, loaded);
            }
            Err(e) => lines.push(format!("The study could not be read again: {e}")),
        }
        self.overlay = Some(Overlay::Info {
            title: " Sync (Esc to close) ".into(),
            text: lines.join("\n"),
        });
    }
}
