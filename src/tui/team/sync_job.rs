//! Sync on a key: the coding sessions commit first (with their usual
//! messages), then `study::sync` runs on a background thread while the
//! screen keeps answering, reporting each step in the status bar. When it
//! is done the study is read again (the codebook, new transcripts and
//! other coders' codings may have changed) without losing the coder's
//! place, and a popup says what happened. A read-only session only fetches.

use std::path::Path;

use crate::model::Slug;
use crate::study::code_file_merge::FieldMerge;
use crate::study::context::Repo;
use crate::study::sync::{self, AheadBehind, Step, SyncOptions, summary};
use crate::study::{Study, StudyError};

use crate::tui::app::App;
use crate::tui::app_jobs::{on_screen, to_app};
use crate::tui::background::Job;
use crate::tui::context::Screen;
use crate::tui::popups::overlay::Overlay;
use crate::tui::team::step_label;
use crate::tui::team::visible::{self, Loaded};

/// A finished sync (or fetch), with the study as it is now.
pub struct Synced {
    /// What it did, as lines to show, or why it stopped.
    pub outcome: Result<Vec<String>, String>,
    pub status: Option<AheadBehind>,
    /// The study read again, with the codings this coder may see.
    pub study: Result<(Study, Loaded), String>,
}

/// Reads back what a sync changed, on the sync's thread.
fn finish(root: &Path, viewer: &Slug, outcome: Result<Vec<String>, String>) -> Synced {
    Synced {
        outcome,
        status: sync::ahead_behind(root).ok().flatten(),
        study: Study::open(root)
            .map(|study| {
                let loaded = visible::load(&study, viewer);
                (study, loaded)
            })
            .map_err(|e| e.to_string()),
    }
}

impl App {
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
        let viewer = self.author.coder.clone();
        if self.team.read_only.is_some() {
            self.team.syncing = Some("fetching…".into());
            self.spawn(
                Job::Sync,
                move || {
                    let outcome = sync::fetch_only(&root)
                        .map(|report| summary::fetch_lines(&report))
                        .map_err(|e| e.to_string());
                    finish(&root, &viewer, outcome)
                },
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
                let mut progress = move |step: &Step| {
                    let label = step_label(step);
                    poster.post(to_app(move |app| {
                        if app.team.syncing.is_some() {
                            app.team.syncing = Some(label);
                        }
                    }));
                };
                let outcome = sync::sync(
                    &root,
                    &author,
                    &guard,
                    SyncOptions {
                        // As `cbr sync`: codebook files changed on both sides
                        // are merged field by field where they can be.
                        merge_codebook: Some(&FieldMerge),
                        progress: Some(&mut progress),
                    },
                )
                .map(|report| {
                    let mut lines: Vec<String> = committed
                        .iter()
                        .map(|id| format!("Committed your coding of {id}."))
                        .collect();
                    lines.extend(summary::report_lines(&report));
                    lines
                })
                .map_err(|e| e.to_string());
                finish(&root, &viewer, outcome)
            },
            |app, done| app.sync_done(done),
        );
    }

    /// Commits every coding session with changes (the open transcript and
    /// those opened earlier), as leaving a transcript does; returns the
    /// transcripts committed. One failure does not stop the others (this
    /// also runs on the way out); the first is returned.
    pub(in crate::tui) fn commit_sessions(&mut self) -> Result<Vec<Slug>, StudyError> {
        let mut committed = Vec::new();
        let mut failed = None;
        let Ok(repo) = self.repo.git() else {
            return Ok(committed);
        };
        let open = self.doc.as_mut().map(|doc| &mut doc.session);
        for session in open.into_iter().chain(self.parked.values_mut()) {
            match session.commit(repo, &self.author) {
                Ok(true) => committed.push(session.coding.transcript.clone()),
                Ok(false) => {}
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        match failed {
            Some(e) => Err(e),
            None => Ok(committed),
        }
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

    /// The one "study changed" event: after a sync, or when `HEAD` moved
    /// under the session (a `cbr sync` or a merge from another terminal),
    /// every screen takes in the study as it is now. The transcript list
    /// and the Codebook tab keep their selection, the Agreement tab its
    /// pair (and gains coders who arrived), and the Suggestions and History
    /// tabs read git again if they were ever shown.
    pub fn study_changed(&mut self, study: Study, loaded: Loaded) {
        self.replace_study(study);
        // The coder's progress comes from the codings read in the
        // background, not from the disk on a keystroke's path.
        let own = loaded
            .codings
            .iter()
            .filter(|(coder, _)| *coder == self.author.coder)
            .map(|(_, coding)| coding.clone())
            .collect();
        self.set_own_codings(own);
        // Codings read before the change are out of date.
        self.background.cancel(Job::Codings);
        self.set_loaded(loaded);
        let shown = self.tab == crate::tui::action::Tab::Agreement;
        self.agreement.study_changed(&self.study, shown);
        self.start_agreement();
        self.note_head();
        // Teammates' suggestions, reviews and merges came in too.
        self.warm_up();
    }

    /// Swaps in the study as read after a sync, keeping the selected
    /// transcript and code. An open transcript stays open as it is, with
    /// its undo history.
    fn replace_study(&mut self, study: Study) {
        let transcript = self.study.transcripts.get(self.list_selected).cloned();
        let before = std::mem::replace(&mut self.study, study);
        self.repo = Repo::open(&self.study.root);
        self.codebook_version = self.repo.codebook_version();
        self.retext_open_transcript();
        let transcripts = &self.study.transcripts;
        self.list_selected = transcript
            .and_then(|id| transcripts.iter().position(|t| *t == id))
            .unwrap_or(self.list_selected)
            .min(transcripts.len().saturating_sub(1));
        on_screen!(self, codebook_screen, |screen, ctx| {
            screen.study_changed(&before, &mut ctx)
        });
    }

    /// Shows the new text of the open transcript if the sync changed it,
    /// keeping the cursor, the selection and the undo history.
    fn retext_open_transcript(&mut self) {
        let Some(doc) = &mut self.doc else { return };
        let Ok(fresh) = self.study.transcript(doc.id()) else {
            return;
        };
        if fresh.hash() == doc.transcript.hash() {
            return;
        }
        doc.session.retext(&fresh);
        doc.transcript = fresh;
        let last = doc.transcript.line_count().max(1);
        doc.move_to(doc.cursor);
        doc.anchor = doc.anchor.map(|a| a.min(last));
        self.say("This transcript's text changed in the sync: check your segments against it.");
    }
}
