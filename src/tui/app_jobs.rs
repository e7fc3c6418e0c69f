//! How the app meets its screens: it builds the [`Ctx`] a screen's call
//! gets, applies the [`Effect`]s the call left, in order, and delivers
//! background results to the screen that started the job.

use std::any::{Any, TypeId};

use crate::study::StudyError;

use crate::tui::agreement::tab::AgreementScreen;
use crate::tui::app::App;
use crate::tui::background::{Arrived, Job};
use crate::tui::codebook::CodebookScreen;
use crate::tui::context::{Delivery, Effect};
use crate::tui::history::HistoryScreen;
use crate::tui::popups::overlay::Overlay;
use crate::tui::screen_call::{ctx, on_screen};
use crate::tui::suggestions::tab::SuggestScreen;
use crate::tui::transcripts::TranscriptsScreen;

/// A message for the app itself (progress a job posts, say).
pub(crate) fn to_app(apply: impl FnOnce(&mut App) + Send + 'static) -> Delivery {
    Delivery::Host(Box::new(move |host: &mut dyn Any| {
        if let Some(app) = host.downcast_mut::<App>() {
            apply(app);
        }
    }))
}

impl App {
    /// Carries out what a screen asked for, in order. A transcript that
    /// cannot be opened stops the rest (as an error would have).
    pub(crate) fn apply_effects(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Say(text) => self.say(text),
                Effect::Fail(text) => self.fail(text),
                Effect::Overlay(overlay) => self.overlay = Some(overlay),
                Effect::Tab(tab) => self.tab = tab,
                Effect::JumpTo {
                    transcript,
                    line,
                    back_to,
                } => {
                    if let Err(e) = self.jump_to(transcript, line) {
                        self.fail(e);
                        return;
                    }
                    if let Some(doc) = self.transcripts.doc.as_mut() {
                        doc.back_to = back_to;
                    }
                }
                Effect::Do(action) => self.update(action),
                Effect::CodebookMerged { workdir_updated } => {
                    if workdir_updated && let Err(e) = self.reload_codebook() {
                        self.fail(e);
                        return;
                    }
                    self.codebook_changed();
                }
                Effect::SuggestionsChanged => self.load_suggestions(),
                Effect::OwnCodingChanged(coding) => self.codebook_screen.own_coding_changed(
                    &self.study.codebook,
                    &self.author.coder,
                    &coding,
                ),
                Effect::RereadCodings => self.reload_codings(),
                Effect::Committed => self.refresh_status(),
                Effect::Edit(request) => self.editor = Some(request),
                Effect::ShowSuggestion(branch) => self.show_suggestion(branch),
                Effect::RecheckNote(note) => self.transcripts.set_recheck_note(note),
            }
        }
    }

    /// Runs `work` as the latest job named `job`, applying its result to
    /// the app: for what is not in a screen yet (screens use `Ctx::spawn`).
    pub fn spawn<T: Send + 'static>(
        &mut self,
        job: Job,
        work: impl FnOnce() -> T + Send + 'static,
        apply: impl FnOnce(&mut App, T) + Send + 'static,
    ) {
        self.background
            .spawn(job, work, |value| to_app(move |app| apply(app, value)));
    }

    /// Waits until the latest job named `job` has finished its work.
    pub fn join(&mut self, job: Job) {
        self.background.join(job);
    }

    /// Applies every result that has arrived (called by the event loop).
    pub fn poll_background(&mut self) {
        while let Some(arrived) = self.background.try_next() {
            self.deliver(arrived);
        }
    }

    /// Blocks until every job started so far (and any they start) is
    /// applied. For tests and scripted use; the TUI never calls it.
    pub fn wait_background(&mut self) {
        while let Some(arrived) = self.background.wait_next() {
            self.deliver(arrived);
        }
    }

    fn deliver(&mut self, arrived: Arrived<Delivery>) {
        match arrived {
            Arrived::Panicked => {
                self.fail("A background task failed unexpectedly; press r to try again.")
            }
            Arrived::Message(Delivery::Host(apply)) => apply(self),
            Arrived::Message(Delivery::Screen { to, apply }) => {
                let mut ctx = ctx!(self);
                let screen: Option<&mut dyn Any> = if to == TypeId::of::<CodebookScreen>() {
                    Some(&mut self.codebook_screen)
                } else if to == TypeId::of::<AgreementScreen>() {
                    Some(&mut self.agreement)
                } else if to == TypeId::of::<HistoryScreen>() {
                    Some(&mut self.history)
                } else if to == TypeId::of::<SuggestScreen>() {
                    Some(&mut self.suggestions)
                } else if to == TypeId::of::<TranscriptsScreen>() {
                    Some(&mut self.transcripts)
                } else {
                    None
                };
                if let Some(screen) = screen {
                    apply(screen, &mut ctx);
                }
                let effects = ctx.into_effects();
                self.apply_effects(effects);
            }
        }
    }

    /// Shows `text` in the problems popup, after anything already there.
    pub(crate) fn add_problem(&mut self, text: String) {
        self.overlay = Some(match self.overlay.take() {
            Some(Overlay::Error(before)) => Overlay::Error(format!("{before}\n\n{text}")),
            _ => Overlay::Error(text),
        });
    }

    /// Reads everyone's codings again in the background (at start, and
    /// when completing a transcript may reveal others' work on it).
    pub(crate) fn reload_codings(&mut self) {
        // Drawing tests start no team side and read codings when they ask.
        if !self.team.started {
            return;
        }
        on_screen!(self, codebook_screen, |_screen, ctx| {
            CodebookScreen::reload(&mut ctx)
        });
    }

    /// Takes in codings read elsewhere (a sync's thread, a test).
    pub fn set_loaded(&mut self, loaded: crate::tui::team::visible::Loaded) {
        on_screen!(self, codebook_screen, |screen, ctx| {
            screen.take_loaded(loaded, &mut ctx)
        });
    }

    /// Everyone's codings, for counts and retrieval.
    pub fn set_all_codings(&mut self, codings: Vec<(crate::model::Slug, crate::model::Coding)>) {
        let codings = crate::model::coding_index::CodingIndex::from_codings(&codings);
        self.codebook_screen
            .set_codings(&self.study.codebook, codings);
    }

    /// Opens a transcript at a line, from anywhere (coded retrieval, hunks).
    pub(crate) fn jump_to(
        &mut self,
        id: crate::model::Slug,
        line: usize,
    ) -> Result<(), StudyError> {
        self.tab = crate::tui::action::Tab::Transcripts;
        on_screen!(self, transcripts, |screen, ctx| {
            screen.jump_to(&mut ctx, id, line)
        })
    }

    /// Opens a transcript for coding at `line`; errors go to the popup.
    pub fn open(&mut self, id: &crate::model::Slug, line: usize) {
        on_screen!(self, transcripts, |screen, ctx| {
            screen.open(&mut ctx, id, line)
        });
    }

    /// Commits every coding session with changes; see
    /// `TranscriptsScreen::commit_sessions`.
    pub(crate) fn commit_sessions(&mut self) -> Result<Vec<crate::model::Slug>, StudyError> {
        on_screen!(self, transcripts, |screen, ctx| {
            screen.commit_sessions(&mut ctx)
        })
    }

    /// Hands an action to the Transcripts tab.
    pub(super) fn transcripts_action(
        &mut self,
        action: crate::tui::action::Action,
    ) -> Result<(), StudyError> {
        use crate::tui::context::Screen;
        on_screen!(self, transcripts, |screen, ctx| {
            screen.handle(action, &mut ctx)
        })
    }

    /// Hands an action to the Codebook tab.
    pub(super) fn codebook_action(
        &mut self,
        action: crate::tui::action::Action,
    ) -> Result<(), StudyError> {
        use crate::tui::context::Screen;
        on_screen!(self, codebook_screen, |screen, ctx| {
            screen.handle(action, &mut ctx)
        })
    }
}
