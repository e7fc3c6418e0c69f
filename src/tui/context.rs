//! What a screen is handed: a narrow context ([`Ctx`]) over the study, the
//! repository, the author, the theme and the background jobs, and the
//! [`Effect`]s it asks of the app for what only the app may do (switch
//! tab, open a transcript, show a popup, sync, quit …).
//!
//! A screen never names `App`: it owns its state, turns actions into
//! changes of that state against a `Ctx`, and draws from `&self`. The app
//! holds the screens, builds a `Ctx` for each call, and applies the
//! effects the call left in it, in order. See ARCHITECTURE.md, "How a
//! screen is built".

use std::any::{Any, TypeId};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::{Coding, Slug};
use crate::study::context::Repo;
use crate::study::git::Author;
use crate::study::{Study, StudyError};

use crate::tui::action::{Action, Tab};
use crate::tui::background::{Background, Job};
use crate::tui::keymap;
use crate::tui::popups::overlay::Overlay;
use crate::tui::suspend::EditRequest;
use crate::tui::theme::Theme;

/// The background jobs of the terminal UI: each result is delivered to
/// the screen that started the job (see [`Ctx::spawn`]).
pub type Jobs = Background<Delivery>;

/// Applies a result to a screen (found by type) with a fresh context.
pub type ToScreen = Box<dyn FnOnce(&mut dyn Any, &mut Ctx) + Send>;
/// Applies a result to the app itself.
pub type ToHost = Box<dyn FnOnce(&mut dyn Any) + Send>;

/// A job's result on its way to the screen that asked for it.
pub enum Delivery {
    /// Applied to the screen of type `to` (the app finds it by type).
    Screen { to: TypeId, apply: ToScreen },
    /// Applied to the app itself: what is not in a screen yet.
    Host(ToHost),
}

/// What a screen asks of the app, applied in order after the call.
pub enum Effect {
    /// A short message in the status bar, until the next key.
    Say(String),
    /// Something failed: the error popup.
    Fail(String),
    /// A popup over the screen.
    Overlay(Overlay),
    /// Show another tab.
    Tab(Tab),
    /// Open a transcript at a line on the Transcripts tab; Esc there goes
    /// back to `back_to`, if given.
    JumpTo {
        transcript: Slug,
        line: usize,
        back_to: Option<Tab>,
    },
    /// Carry out an action as if its key was pressed (what a popup chose).
    Do(Action),
    /// A suggestion was merged into `main`: re-read the codebook if the
    /// working copy's `codebook/` changed, and tell the screens that show it.
    CodebookMerged { workdir_updated: bool },
    /// A suggestion was made elsewhere than the Suggestions tab: its list
    /// is read again (the tab shown stays).
    SuggestionsChanged,
    /// The coder's coding of a transcript changed: counts follow.
    OwnCodingChanged(Box<Coding>),
    /// Everyone's codings may show more now (completing under blind coding).
    RereadCodings,
    /// A commit was made: ahead/behind is read again.
    Committed,
    /// Run `$EDITOR` on a draft (the event loop suspends the screen).
    Edit(EditRequest),
    /// A suggestion was made or changed: show it on the Suggestions tab.
    ShowSuggestion(String),
    /// The re-check queue was read: the line the transcript list shows
    /// about it (none when it is empty or could not be read).
    RecheckNote(Option<String>),
}

/// The narrow context a screen's handlers get.
pub struct Ctx<'a> {
    pub study: &'a Study,
    /// The study's repository, opened once (see `study::context`).
    pub repo: &'a Repo,
    pub author: &'a Author,
    pub theme: &'a Theme,
    pub jobs: &'a mut Jobs,
    effects: Vec<Effect>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        study: &'a Study,
        repo: &'a Repo,
        author: &'a Author,
        theme: &'a Theme,
        jobs: &'a mut Jobs,
    ) -> Ctx<'a> {
        Ctx {
            study,
            repo,
            author,
            theme,
            jobs,
            effects: Vec::new(),
        }
    }

    pub fn coder(&self) -> &Slug {
        &self.author.coder
    }

    pub fn effect(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.effect(Effect::Say(text.into()));
    }

    pub fn fail(&mut self, err: impl std::fmt::Display) {
        self.effect(Effect::Fail(err.to_string()));
    }

    pub fn overlay(&mut self, overlay: Overlay) {
        self.effect(Effect::Overlay(overlay));
    }

    /// The effects asked for so far, for the app to apply.
    pub fn into_effects(self) -> Vec<Effect> {
        self.effects
    }

    /// Runs `work` in the background as the latest job named `job`; its
    /// result is handed to `apply` on the screen of type `S`, between keys,
    /// with a fresh context.
    pub fn spawn<S: Any, T: Send + 'static>(
        &mut self,
        job: Job,
        work: impl FnOnce() -> T + Send + 'static,
        apply: impl FnOnce(&mut S, T, &mut Ctx) + Send + 'static,
    ) {
        self.jobs.spawn(job, work, |value| Delivery::Screen {
            to: TypeId::of::<S>(),
            apply: Box::new(move |screen, ctx| {
                if let Some(screen) = screen.downcast_mut::<S>() {
                    apply(screen, value, ctx);
                }
            }),
        });
    }
}

/// What a screen draws with: read-only, and without the repository or the
/// jobs, so drawing can neither touch git nor start work.
pub struct DrawCtx<'a> {
    pub study: &'a Study,
    pub author: &'a Author,
    pub theme: &'a Theme,
}

impl DrawCtx<'_> {
    pub fn coder(&self) -> &Slug {
        &self.author.coder
    }
}

/// What every screen provides. The app routes keys to the screen shown
/// (through its key context), hands it each action, and draws it.
pub trait Screen {
    /// The key table in force (see `keymap`); it also picks help and hints.
    fn context(&self) -> keymap::Context;
    /// Carries out one action. Failures become the error popup.
    fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Result<(), StudyError>;
    /// Draws from `&self` only: no file or git access.
    fn draw(&self, buf: &mut Buffer, area: Rect, ctx: &DrawCtx);
    /// The study was read again (a sync, another session's commit, a
    /// merge): `ctx.study` is the new one, `before` the one replaced. Keep
    /// the selection where it still makes sense, re-read what is shown.
    fn study_changed(&mut self, _before: &Study, _ctx: &mut Ctx) {}
}
