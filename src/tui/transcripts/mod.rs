//! The Transcripts tab: the list with the coder's progress, a transcript
//! open for coding (`doc`), its actions (`tab`), and drawing them
//! (`list_view`, `doc_view`, which shares the width out in `columns`). The
//! screen owns the coder's coding sessions: the open one and those opened
//! earlier, kept for their undo history.

pub mod columns;
pub mod correct;
pub mod doc;
pub mod doc_view;
pub mod edit_words;
pub mod info_pane;
pub mod list_view;
pub mod tab;

use std::collections::{BTreeMap, HashMap};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::coding_index::Held;
use crate::model::{Coding, Slug};
use crate::study::session::CodingSession;
use crate::study::ui_state::UiState;
use crate::study::{Study, StudyError};

use crate::tui::action::Action;
use crate::tui::background::Job;
use crate::tui::context::{Ctx, DrawCtx, Screen};
use crate::tui::keymap::Context;
use crate::tui::transcripts::doc::Doc;

/// The coder's own progress on a transcript.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub started: bool,
    pub complete: bool,
    pub segments: usize,
}

/// What an open session's coding says of its transcript's progress. One
/// that has coded nothing yet has made no file, so it has not started (a
/// session re-opened at start, before progress was read, used to say "in
/// progress" for a transcript nobody had touched).
pub(super) fn take_in(progress: &mut BTreeMap<Slug, Progress>, c: &Coding) {
    let made = progress.contains_key(&c.transcript);
    if made || c.complete || !c.segments.is_empty() {
        progress.insert(c.transcript.clone(), progress_of(c));
    }
}

/// A coding file's progress, as the list shows it.
fn progress_of(c: &Coding) -> Progress {
    Progress::from(Held {
        complete: c.complete,
        segments: c.segments.len(),
    })
}

/// A transcript the coder has a coding of has started.
impl From<Held> for Progress {
    fn from(held: Held) -> Self {
        Progress {
            started: true,
            complete: held.complete,
            segments: held.segments,
        }
    }
}

#[derive(Default)]
pub struct TranscriptsScreen {
    /// The transcript selected in the list.
    pub selected: usize,
    /// The coder's progress per transcript (absent: not started).
    pub progress: BTreeMap<Slug, Progress>,
    /// False until the coder's codings are read, behind the first frame.
    pub progress_loaded: bool,
    pub doc: Option<Doc>,
    /// Sessions of transcripts opened earlier, kept for their undo history.
    pub parked: HashMap<Slug, CodingSession>,
    /// Where the coder left off, and the codes used lately.
    pub ui: UiState,
    /// The codebook version new segments record.
    pub codebook_version: Option<String>,
    /// A line about the re-check queue for the list's header, given by
    /// the app each time the History tab reads the queue.
    list_note: Option<String>,
}

impl Screen for TranscriptsScreen {
    fn context(&self) -> Context {
        match self.doc {
            Some(_) => Context::Document,
            None => Context::List,
        }
    }

    fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Result<(), StudyError> {
        self.act(action, ctx)
    }

    fn draw(&self, buf: &mut Buffer, area: Rect, ctx: &DrawCtx) {
        match &self.doc {
            Some(doc) => doc_view::draw(buf, area, doc, &ctx.study.codebook, ctx.theme),
            None => self.draw_list(buf, area, ctx),
        }
    }

    /// Keeps the selected transcript; an open one stays open as it is,
    /// with its undo history, showing its new text if that changed.
    fn study_changed(&mut self, before: &Study, ctx: &mut Ctx) {
        let transcript = before.transcripts.get(self.selected).cloned();
        self.codebook_version = ctx.repo.codebook_version();
        self.retext_open_transcript(ctx);
        let transcripts = &ctx.study.transcripts;
        self.selected = transcript
            .and_then(|id| transcripts.iter().position(|t| *t == id))
            .unwrap_or(self.selected)
            .min(transcripts.len().saturating_sub(1));
    }
}

impl TranscriptsScreen {
    pub fn new(ui: UiState, codebook_version: Option<String>) -> Self {
        TranscriptsScreen {
            ui,
            codebook_version,
            ..TranscriptsScreen::default()
        }
    }

    /// The line about the re-check queue the list shows from now on.
    pub fn set_recheck_note(&mut self, note: Option<String>) {
        self.list_note = note;
    }

    /// Reads the coder's progress in the background, behind the first frame.
    /// Each coding is dropped once counted: the list needs only progress.
    pub fn load_progress_behind(ctx: &mut Ctx) {
        let (study, coder) = (ctx.study.clone(), ctx.coder().clone());
        ctx.spawn(
            Job::OwnCodings,
            move || {
                let mut own = Vec::new();
                study.fold_codings(
                    std::slice::from_ref(&coder),
                    |_, c| (c.transcript.clone(), progress_of(&c)),
                    |_, p| own.push(p),
                );
                own
            },
            |screen: &mut TranscriptsScreen, own, ctx| screen.set_progress(own, ctx),
        );
    }

    /// The coder's own codings, for the list's progress.
    pub fn set_own_codings(&mut self, own: Vec<Coding>, ctx: &mut Ctx) {
        let own = own
            .iter()
            .map(|c| (c.transcript.clone(), progress_of(c)))
            .collect();
        self.set_progress(own, ctx);
    }

    /// The coder's progress on each transcript it has a coding file for.
    pub fn set_progress(&mut self, own: Vec<(Slug, Progress)>, ctx: &mut Ctx) {
        self.progress = own.into_iter().collect();
        // Sessions opened meanwhile know better than the files read before.
        for session in self.parked.values() {
            take_in(&mut self.progress, &session.coding);
        }
        self.progress_loaded = true;
        self.sync_progress(ctx);
    }

    /// The open transcript's state for the status bar, in the list's
    /// words: a transcript opened but not coded yet is "not started".
    pub fn open_state(&self) -> Option<&'static str> {
        let doc = self.doc.as_ref()?;
        let coding = &doc.session.coding;
        let started =
            !coding.segments.is_empty() || self.progress.get(doc.id()).is_some_and(|p| p.started);
        Some(if coding.complete {
            "complete"
        } else if started {
            "in progress"
        } else {
            "not started"
        })
    }

    /// Commits every coding session with changes (the open transcript and
    /// those opened earlier), as leaving a transcript does; returns the
    /// transcripts committed. One failure does not stop the others (this
    /// also runs on the way out); the first is returned.
    pub fn commit_sessions(&mut self, ctx: &mut Ctx) -> Result<Vec<Slug>, StudyError> {
        let mut committed = Vec::new();
        let mut failed = None;
        let Ok(repo) = ctx.repo.git() else {
            return Ok(committed);
        };
        let open = self.doc.as_mut().map(|doc| &mut doc.session);
        for session in open.into_iter().chain(self.parked.values_mut()) {
            match session.commit(repo, ctx.author) {
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

    /// Shows the new text of the open transcript if it changed, keeping
    /// the cursor, the selection and the undo history.
    fn retext_open_transcript(&mut self, ctx: &mut Ctx) {
        let Some(doc) = &mut self.doc else { return };
        let Ok(fresh) = ctx.study.transcript(doc.id()) else {
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
        ctx.say("This transcript's text changed in the sync: check your segments against it.");
    }
}
