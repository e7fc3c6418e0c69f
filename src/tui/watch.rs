//! Keeping every screen current while the study changes underneath the
//! session. The event loop's ticker (see `tui::run`) reports when `HEAD`
//! moves — a `cbr sync` or `cbr suggest merge` from another terminal, or
//! this session's own commits — and the study is read again in the
//! background and handed to [`App::study_changed`]. It also asks for a
//! fetch at start and every few minutes, so `↑n ↓m` in the status bar says
//! what the shared repository holds now, not at the last sync.

use std::time::Duration;

use crate::study::sync;
use crate::study::{Study, watch};

use crate::tui::app::App;
use crate::tui::background::Job;
use crate::tui::team::visible;

/// How often the ticker looks at `HEAD`: cheap (one reference read).
pub const HEAD_EVERY: Duration = Duration::from_secs(2);
/// How often the team's work is fetched in the background.
pub const FETCH_EVERY: Duration = Duration::from_secs(5 * 60);

impl App {
    /// `HEAD` is now at `head`. If that is news, the study is read again
    /// in the background and every screen takes it in. A running sync
    /// reads the study itself when it is done, so it is left to do so.
    pub fn head_moved(&mut self, head: Option<String>) {
        if head == self.team.head {
            return;
        }
        self.team.head = head;
        if self.team.syncing.is_some() {
            return;
        }
        let (root, viewer) = (self.study.root.clone(), self.author.coder.clone());
        self.spawn(
            Job::Study,
            move || {
                Study::open(&root).map(|study| {
                    let loaded = visible::load(&study, &viewer);
                    (study, loaded)
                })
            },
            |app, result| match result {
                Ok((study, loaded)) => app.study_changed(study, loaded),
                Err(e) => app.say(format!(
                    "The study changed on disk but could not be read: {e}"
                )),
            },
        );
    }

    /// Fetches the team's work in the background (at start and every few
    /// minutes), for a true ahead/behind. Only where there is a shared
    /// repository, never during a sync (which fetches itself), one at a
    /// time. Fetching changes no branch and no file.
    pub fn fetch_due(&mut self) {
        let busy = self.background.running(Job::Fetch) || self.team.syncing.is_some();
        if busy || !self.team.started || self.team.status.is_none() {
            return;
        }
        let root = self.study.root.clone();
        // A failed background fetch (offline, say) keeps the last figures;
        // `S` reports the reason when the user asks.
        self.spawn(
            Job::Fetch,
            move || sync::fetch_only(&root).ok().map(|report| report.status),
            |app, status| {
                if let Some(status) = status {
                    // Newer than any ahead/behind read before the fetch.
                    app.background.cancel(Job::Status);
                    app.team.status = status;
                }
            },
        );
    }

    /// Where `HEAD` stands now, read on the spot (after this session's own
    /// study re-read, so the ticker's next report is not taken as news).
    pub(super) fn note_head(&mut self) {
        self.team.head = watch::head(&self.study.root);
    }
}
