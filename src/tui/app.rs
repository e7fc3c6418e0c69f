//! The application: the shared context (study, repository, author,
//! theme, jobs), the screens, the overlay and the status line; it routes
//! keys and actions to the screen shown and applies what screens ask for.

use std::cell::Cell;

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use crate::model::{Coding, Slug};
use crate::study::context::Repo;
use crate::study::git::Author;
use crate::study::ui_state::UiState;
use crate::study::{Study, StudyError};

use crate::tui::action::{Action, Tab};
use crate::tui::agreement::tab::AgreementScreen;
use crate::tui::background::Job;
use crate::tui::codebook::CodebookScreen;
use crate::tui::context::{Jobs, Screen};
use crate::tui::history::HistoryScreen;
use crate::tui::keymap::{self, Context};
use crate::tui::popups::overlay::Overlay;
use crate::tui::screen_call::on_screen;
use crate::tui::suggestions::tab::SuggestScreen;
use crate::tui::suspend::EditRequest;
use crate::tui::team::Team;
use crate::tui::theme::Theme;
use crate::tui::transcripts::TranscriptsScreen;

pub struct App {
    pub study: Study,
    /// The study's repository, opened once (see `study::context`).
    pub repo: Repo,
    pub author: Author,
    pub theme: Theme,
    pub tab: Tab,
    pub transcripts: TranscriptsScreen,
    pub codebook_screen: CodebookScreen,
    pub agreement: AgreementScreen,
    pub overlay: Option<Overlay>,
    pub flash: Option<(String, bool)>,
    /// Session lock, sync, ahead/behind, blind coding (see `team`).
    pub team: Team,
    pub quit: bool,
    /// The last frame was too small to show anything but a message: learnt
    /// while drawing, which takes `&App`, hence a `Cell`.
    pub too_small: Cell<bool>,
    pub suggestions: SuggestScreen,
    pub history: HistoryScreen,
    /// Results of background reads on their way.
    pub background: Jobs,
    /// A draft waiting for the event loop to run `$EDITOR` on it.
    pub editor: Option<EditRequest>,
    /// What to print once the terminal is back (the commits `q` made).
    pub farewell: Vec<String>,
}

impl App {
    pub fn new(study: Study, author: Author, theme: Theme) -> App {
        let repo = Repo::open(&study.root);
        let codebook_version = repo.codebook_version();
        let ui = UiState::load(&study, &author.coder);
        let mut app = App {
            transcripts: TranscriptsScreen::new(ui, codebook_version),
            repo,
            theme,
            tab: Tab::Transcripts,
            codebook_screen: CodebookScreen::default(),
            agreement: AgreementScreen::new(&study),
            overlay: None,
            flash: None,
            team: Team::default(),
            quit: false,
            too_small: Cell::new(false),
            suggestions: SuggestScreen::default(),
            history: HistoryScreen::default(),
            background: Jobs::default(),
            editor: None,
            farewell: Vec::new(),
            study,
            author,
        };
        if !app.study.problems.is_empty() {
            let lines: Vec<String> = app.study.problems.iter().map(|p| p.to_string()).collect();
            app.overlay = Some(Overlay::Error(format!(
                "Some files could not be read and were skipped (run `cbr check`):\n{}",
                lines.join("\n")
            )));
        }
        // Re-open where the coder left off.
        let ui = &app.transcripts.ui;
        if let Some(id) = ui.transcript.clone()
            && let Some(i) = app.study.transcripts.iter().position(|t| *t == id)
        {
            let line = ui.line;
            app.transcripts.selected = i;
            app.open(&id, line);
        }
        app
    }

    pub fn coder(&self) -> &Slug {
        &self.author.coder
    }

    /// Reads the coder's progress now; the terminal UI does this in the
    /// background instead (see `set_own_codings`).
    pub fn load_progress(&mut self) {
        let (own, _) = self.study.codings_of(&self.author.coder);
        self.set_own_codings(own);
    }

    /// Reads the coder's progress in the background, behind the first frame.
    pub fn load_progress_behind(&mut self) {
        on_screen!(self, transcripts, |_screen, ctx| {
            TranscriptsScreen::load_progress_behind(&mut ctx)
        });
    }

    /// Background results: the coder's own codings, for the transcript list.
    pub fn set_own_codings(&mut self, own: Vec<Coding>) {
        on_screen!(self, transcripts, |screen, ctx| {
            screen.set_own_codings(own, &mut ctx)
        });
    }

    pub fn context(&self) -> Context {
        match (self.tab, ()) {
            (Tab::Transcripts, _) => self.transcripts.context(),
            (Tab::Codebook, _) => self.codebook_screen.context(),
            (Tab::Agreement, _) if self.agreement.reconcile.is_some() => Context::Reconcile,
            (Tab::Agreement, _) => Context::Agreement,
            (Tab::Suggestions, _) => self.suggestions_context(),
            (Tab::History, _) => self.history_context(),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        // The screen only says it is too small: keys that act on what the
        // user cannot see would change the study blind. Only quitting works.
        if self.too_small.get() {
            if keymap::lookup(Context::Global, &key) == Some(Action::Quit) {
                self.update(Action::Quit);
            }
            return;
        }
        if let Some(overlay) = self.overlay.take() {
            let (keep, action) = overlay.key(&key, &self.study.codebook);
            self.overlay = keep;
            if let Some(action) = action {
                self.update(action);
            }
            return;
        }
        self.flash = None;
        if let Some(action) = keymap::lookup(self.context(), &key) {
            self.update(action);
        }
    }

    pub(crate) fn say(&mut self, text: impl Into<String>) {
        self.flash = Some((text.into(), false));
    }

    pub(crate) fn fail(&mut self, err: impl std::fmt::Display) {
        self.overlay = Some(Overlay::Error(err.to_string()));
    }

    /// Carries out one action. Failures show in a popup; nothing panics.
    pub fn update(&mut self, action: Action) {
        let before = self.tab;
        if let Err(e) = self.try_update(action) {
            self.fail(e);
        }
        self.agreement_shown(before);
        self.start_agreement();
        self.review_tabs_shown();
    }

    fn try_update(&mut self, action: Action) -> Result<(), StudyError> {
        if action.mutates()
            && let Some(why) = self.write_refusal()
        {
            self.say(why);
            return Ok(());
        }
        match action {
            Action::Quit => {
                self.shutdown();
                let said = self.farewell.join(" ");
                if !said.is_empty() {
                    self.say(said);
                }
                self.quit = true;
            }
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::NextTab => self.tab = self.tab.step(1),
            Action::PrevTab => self.tab = self.tab.step(-1),
            Action::Tab(tab) => self.tab = tab,
            Action::JumpTo(id, line) => self.jump_to(id, line)?,
            Action::Sync => self.start_sync(),
            Action::Review(op) => self.review_op(op)?,
            other => match self.context() {
                Context::List | Context::Document => self.transcripts_action(other)?,
                Context::Codebook | Context::Retrieval => self.codebook_action(other)?,
                Context::Agreement => self.agreement_action(other)?,
                Context::Reconcile => self.reconcile_action(other)?,
                Context::Global => {}
                Context::Suggestions
                | Context::Suggestion
                | Context::Conflicts
                | Context::Passages => self.suggestions_action(other)?,
                Context::History | Context::Change | Context::Recheck => {
                    self.history_action(other)?
                }
            },
        }
        Ok(())
    }

    /// Commits every touched transcript and saves where the coder is, then
    /// releases the session lock. Runs on quit and on SIGHUP/SIGTERM; never
    /// fails loudly since the terminal may already be gone (every change is
    /// on disk already). A read-only session writes nothing.
    pub fn shutdown(&mut self) {
        // A sync in flight may be committing: let it finish first.
        self.finish_sync();
        self.join(Job::Fetch);
        if self.closing_writes() {
            let screen = &mut self.transcripts;
            if let Some(doc) = &screen.doc {
                screen.ui.line = doc.cursor;
                screen.ui.transcript = Some(doc.id().clone());
            }
            let _ = screen.ui.save(&self.study, &self.author.coder);
            // Esc says what it committed; quitting says it too, after the
            // terminal is restored (`farewell`), where it stays readable.
            match self.commit_sessions() {
                Ok(ids) => self.farewell.extend(
                    ids.iter()
                        .map(|id| format!("Committed your coding of {id}.")),
                ),
                Err(e) => self
                    .farewell
                    .push(format!("Your coding is saved but not committed: {e}")),
            }
        }
        self.release_session();
    }
}
