//! The one "study changed" event and what raises it: a sync's end, `HEAD`
//! moving under the session (see `watch`), and the periodic fetch that
//! keeps ahead/behind true.

use crate::study::context::Repo;
use crate::study::sync;
use crate::study::{Study, watch};

use crate::tui::app::App;
use crate::tui::background::Job;
use crate::tui::context::Screen;
use crate::tui::screen_call::on_screen;
use crate::tui::team::visible::{self, Loaded};

impl App {
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
            .held_by(&self.author.coder)
            .into_iter()
            .map(|(transcript, held)| (transcript, held.into()))
            .collect();
        on_screen!(self, transcripts, |screen, ctx| screen
            .set_progress(own, &mut ctx));
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

    /// Swaps in the study as read after a sync; every screen keeps what
    /// it can (see `Screen::study_changed`).
    fn replace_study(&mut self, study: Study) {
        let before = std::mem::replace(&mut self.study, study);
        self.repo = Repo::open(&self.study.root);
        on_screen!(self, transcripts, |screen, ctx| {
            screen.study_changed(&before, &mut ctx)
        });
        on_screen!(self, codebook_screen, |screen, ctx| {
            screen.study_changed(&before, &mut ctx)
        });
    }

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
