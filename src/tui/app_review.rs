//! How the app routes to the review screens (Suggestions, History): each
//! `ReviewOp` to the screen that carries it out, the reads a screen needs
//! when it comes on screen, and what a merge into the codebook means for
//! them. Routing only: the work is in the screens.

use crate::study::StudyError;
use crate::study::session::CodingSession;

use crate::tui::action::{Action, Tab};
use crate::tui::app::App;
use crate::tui::background::Loadable;
use crate::tui::context::Screen;
use crate::tui::keymap::Context;
use crate::tui::review_ops::{Answer, ReviewOp};
use crate::tui::screen_call::on_screen;

impl App {
    /// Sends each operation to the screen it belongs to.
    pub(super) fn review_op(&mut self, op: ReviewOp) -> Result<(), StudyError> {
        match op {
            ReviewOp::Refresh if self.tab == Tab::History => {
                on_screen!(self, history, |screen, ctx| {
                    screen.load_history(&mut ctx);
                    screen.load_recheck(&mut ctx);
                })
            }
            ReviewOp::Refresh => self.load_suggestions(),
            ReviewOp::SuggestChange => self.suggest_menu(),
            ReviewOp::Propose(kind) => self.start_proposal(kind)?,
            ReviewOp::MergeInto(into) => self.propose_merge_into(into)?,
            ReviewOp::Answer(
                answer @ (Answer::NewId(_) | Answer::Title(_) | Answer::Rationale(..)),
                text,
            ) => self.proposal_answer(answer, text)?,
            ReviewOp::CodeHistory => {
                let Some(code) = self.codebook_screen.current(&self.study.codebook) else {
                    return Ok(());
                };
                let id = code.id.clone();
                on_screen!(self, history, |screen, ctx| screen.show_code(id, &mut ctx))
            }
            ReviewOp::ClearRecheck => self.clear_recheck()?,
            op @ (ReviewOp::Amend | ReviewOp::AmendCode(_)) => {
                match self.suggestions.is_by(self.author.coder.as_str()) {
                    Some(mine) => self.amend_op(op, mine)?,
                    None => self.say("Still reading the suggestion…"),
                }
            }
            op @ (ReviewOp::Mark | ReviewOp::DiffMarked | ReviewOp::RecheckQueue) => {
                self.history_action(Action::Review(op))?
            }
            other => self.suggestions_action(Action::Review(other))?,
        }
        Ok(())
    }

    pub(in crate::tui) fn suggestions_context(&self) -> Context {
        self.suggestions.context()
    }

    pub(in crate::tui) fn suggestions_action(&mut self, action: Action) -> Result<(), StudyError> {
        on_screen!(self, suggestions, |screen, ctx| screen
            .handle(action, &mut ctx))
    }

    /// Reads the list of suggestions (and the one open) again.
    pub fn load_suggestions(&mut self) {
        on_screen!(self, suggestions, |screen, ctx| screen.load(&mut ctx))
    }

    /// Shows the Suggestions tab with `branch` open (after proposing it).
    pub(in crate::tui) fn show_suggestion(&mut self, branch: String) {
        on_screen!(self, suggestions, |screen, ctx| screen
            .show(branch, &mut ctx))
    }

    /// Re-reads the codebook after a merge changed `codebook/`.
    pub(in crate::tui) fn reload_codebook(&mut self) -> Result<(), StudyError> {
        let mut problems = Vec::new();
        self.study.codebook = crate::study::load::load_codebook(&self.study.root, &mut problems)?;
        self.transcripts.codebook_version = self.repo.codebook_version();
        self.codebook_screen.codebook_changed(&self.study.codebook);
        Ok(())
    }

    pub(in crate::tui) fn history_context(&self) -> Context {
        self.history.context()
    }

    pub(in crate::tui) fn history_action(&mut self, action: Action) -> Result<(), StudyError> {
        on_screen!(self, history, |screen, ctx| screen.handle(action, &mut ctx))
    }

    /// Whether the re-check queue, or its count in the transcript list, is on screen.
    fn recheck_shown(&self) -> bool {
        match self.tab {
            Tab::Transcripts => self.transcripts.doc.is_none(),
            Tab::History => self.history.recheck_open(),
            _ => false,
        }
    }

    /// Starts the background reads the review tabs need.
    pub fn warm_up(&mut self) {
        // The suggestion list (with a merge plan each) and the history walk
        // cost CPU on a shared server; they wait until their tab is first
        // shown, and are refreshed here only once they have been read.
        let (shown, queue) = (self.tab == Tab::History, self.recheck_shown());
        on_screen!(self, history, |screen, ctx| screen
            .refresh(shown, queue, &mut ctx));
        if self.tab == Tab::Suggestions || !matches!(self.suggestions.list, Loadable::Idle) {
            self.load_suggestions();
        }
    }

    /// Reads what the Suggestions or History tab shows the first time it
    /// comes on screen.
    pub(in crate::tui) fn review_tabs_shown(&mut self) {
        if self.tab == Tab::Suggestions && matches!(self.suggestions.list, Loadable::Idle) {
            self.load_suggestions()
        }
        let (shown, queue) = (self.tab == Tab::History, self.recheck_shown());
        on_screen!(self, history, |screen, ctx| screen
            .shown(shown, queue, &mut ctx));
    }

    /// After a merge: the history and the queue changed.
    pub(in crate::tui) fn codebook_changed(&mut self) {
        let queue = self.recheck_shown();
        on_screen!(self, history, |screen, ctx| screen
            .codebook_changed(queue, &mut ctx));
    }

    /// Clearing a re-check item may rewrite the coder's coding file of its
    /// transcript: an open session must not keep an old copy, so it is
    /// committed first and read again after.
    fn clear_recheck(&mut self) -> Result<(), StudyError> {
        let Some(transcript) = self.history.selected_recheck_transcript() else {
            return Ok(());
        };
        if let Ok(repo) = self.repo.git() {
            if let Some(mut parked) = self.transcripts.parked.remove(&transcript) {
                parked.commit(repo, &self.author)?;
            }
            if let Some(doc) = self
                .transcripts
                .doc
                .as_mut()
                .filter(|d| *d.id() == transcript)
            {
                doc.session.commit(repo, &self.author)?;
            }
        }
        self.history_action(Action::Review(ReviewOp::ClearRecheck))?;
        if let Some(doc) = self
            .transcripts
            .doc
            .as_mut()
            .filter(|d| *d.id() == transcript)
        {
            doc.session = CodingSession::open(&self.study, &self.author.coder, &doc.transcript)?;
        }
        Ok(())
    }
}
