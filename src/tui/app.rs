//! The application state and the one place actions are carried out.
//! Domain state lives here; screens keep only selection and scroll.

use std::collections::{BTreeMap, HashMap};

use git2::Repository;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use crate::model::{Coding, Segment, Slug};
use crate::study::git::{self, Author};
use crate::study::session::CodingSession;
use crate::study::ui_state::UiState;
use crate::study::{Study, StudyError};

use super::action::Action;
use super::codebook_view::{CodebookScreen, Retrieved, counts};
use super::doc::Doc;
use super::input::{Edit, Input};
use super::keymap::{self, Context};
use super::picker::{Picker, Purpose};
use super::theme::Theme;

pub const TABS: [&str; 2] = ["Transcripts", "Codebook"];

/// A popup over the screen; it gets every key until it closes.
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Picker(Picker),
    Memo {
        code: Slug,
        input: Input,
    },
    Search(Input),
    /// Something failed; the app keeps running.
    Error(String),
}

/// The coder's own progress on a transcript.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub started: bool,
    pub complete: bool,
    pub segments: usize,
}

pub struct App {
    pub study: Study,
    pub repo: Option<Repository>,
    pub author: Author,
    pub theme: Theme,
    pub tab: usize,
    pub list_selected: usize,
    /// The coder's progress per transcript (absent: not started).
    pub progress: BTreeMap<Slug, Progress>,
    /// False until the coder's codings are read, behind the first frame.
    pub progress_loaded: bool,
    pub doc: Option<Doc>,
    /// Sessions of transcripts opened earlier, kept for their undo history.
    parked: HashMap<Slug, CodingSession>,
    pub codebook_screen: CodebookScreen,
    pub overlay: Option<Overlay>,
    pub flash: Option<(String, bool)>,
    pub ui: UiState,
    pub codebook_version: Option<String>,
    /// Everyone's codings, loaded in the background for counts and retrieval.
    pub all_codings: Option<Vec<(Slug, Coding)>>,
    pub code_counts: Option<BTreeMap<Slug, BTreeMap<Slug, usize>>>,
    pub quit: bool,
}

impl App {
    pub fn new(study: Study, author: Author, theme: Theme) -> App {
        let repo = Repository::open(&study.root).ok();
        let codebook_version = repo
            .as_ref()
            .and_then(|r| git::codebook_version(r, "HEAD").ok().flatten());
        let ui = UiState::load(&study, &author.coder);
        let mut app = App {
            progress: BTreeMap::new(),
            progress_loaded: false,
            repo,
            theme,
            tab: 0,
            list_selected: 0,
            doc: None,
            parked: HashMap::new(),
            codebook_screen: CodebookScreen::default(),
            overlay: None,
            flash: None,
            codebook_version,
            all_codings: None,
            code_counts: None,
            quit: false,
            ui,
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
        if let Some(id) = app.ui.transcript.clone()
            && let Some(i) = app.study.transcripts.iter().position(|t| *t == id)
        {
            app.list_selected = i;
            let line = app.ui.line;
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

    /// Background results: the coder's own codings, for the transcript list.
    pub fn set_own_codings(&mut self, own: Vec<Coding>) {
        let progress = |c: &Coding| Progress {
            started: true,
            complete: c.complete,
            segments: c.segments.len(),
        };
        self.progress = own
            .iter()
            .map(|c| (c.transcript.clone(), progress(c)))
            .collect();
        // Sessions opened meanwhile know better than the files read before.
        for session in self.parked.values() {
            let c = &session.coding;
            self.progress.insert(c.transcript.clone(), progress(c));
        }
        self.progress_loaded = true;
        self.sync_progress();
    }

    pub fn context(&self) -> Context {
        match (self.tab, &self.doc) {
            (0, Some(_)) => Context::Document,
            (0, None) => Context::List,
            _ => Context::Codebook,
        }
    }

    /// Background results: everyone's codings, for counts and retrieval.
    pub fn set_all_codings(&mut self, codings: Vec<(Slug, Coding)>) {
        self.code_counts = Some(counts(&self.study.codebook, &codings));
        self.all_codings = Some(codings);
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        if self.overlay.is_some() {
            self.overlay_key(key);
            return;
        }
        self.flash = None;
        if let Some(action) = keymap::lookup(self.context(), &key) {
            self.update(action);
        }
    }

    fn overlay_key(&mut self, key: KeyEvent) {
        let Some(overlay) = self.overlay.take() else {
            return;
        };
        let (keep, action) = match overlay {
            Overlay::Help { scroll } => match key.code {
                KeyCode::Char('j') | KeyCode::Down => {
                    (Some(Overlay::Help { scroll: scroll + 1 }), None)
                }
                KeyCode::Char('k') | KeyCode::Up => (
                    Some(Overlay::Help {
                        scroll: scroll.saturating_sub(1),
                    }),
                    None,
                ),
                KeyCode::Char('q') | KeyCode::Char('?') | KeyCode::Esc | KeyCode::Enter => {
                    (None, None)
                }
                _ => (Some(Overlay::Help { scroll }), None),
            },
            Overlay::Error(msg) => match key.code {
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') | KeyCode::Char(' ') => {
                    (None, None)
                }
                _ => (Some(Overlay::Error(msg)), None),
            },
            Overlay::Picker(mut p) => match key.code {
                KeyCode::Down | KeyCode::Tab => {
                    p.move_by(1);
                    (Some(Overlay::Picker(p)), None)
                }
                KeyCode::Up | KeyCode::BackTab => {
                    p.move_by(-1);
                    (Some(Overlay::Picker(p)), None)
                }
                KeyCode::Char('n') | KeyCode::Char('j')
                    if key
                        .modifiers
                        .contains(ratatui::crossterm::event::KeyModifiers::CONTROL) =>
                {
                    p.move_by(1);
                    (Some(Overlay::Picker(p)), None)
                }
                KeyCode::Char('p') | KeyCode::Char('k')
                    if key
                        .modifiers
                        .contains(ratatui::crossterm::event::KeyModifiers::CONTROL) =>
                {
                    p.move_by(-1);
                    (Some(Overlay::Picker(p)), None)
                }
                _ => match p.input.handle(&key) {
                    Edit::Submit => (None, p.choose()),
                    Edit::Cancel => (None, None),
                    Edit::Changed => {
                        p.refilter(&self.study.codebook);
                        (Some(Overlay::Picker(p)), None)
                    }
                    _ => (Some(Overlay::Picker(p)), None),
                },
            },
            Overlay::Memo { code, mut input } => match input.handle(&key) {
                Edit::Submit => (None, Some(Action::SetMemo(code, input.text))),
                Edit::Cancel => (None, None),
                _ => (Some(Overlay::Memo { code, input }), None),
            },
            Overlay::Search(mut input) => match input.handle(&key) {
                Edit::Submit => (None, Some(Action::SearchFor(input.text))),
                Edit::Cancel => (None, None),
                _ => (Some(Overlay::Search(input)), None),
            },
        };
        self.overlay = keep;
        if let Some(action) = action {
            self.update(action);
        }
    }

    fn say(&mut self, text: impl Into<String>) {
        self.flash = Some((text.into(), false));
    }

    fn fail(&mut self, err: impl std::fmt::Display) {
        self.overlay = Some(Overlay::Error(err.to_string()));
    }

    /// Carries out one action. Failures show in a popup; nothing panics.
    pub fn update(&mut self, action: Action) {
        if let Err(e) = self.try_update(action) {
            self.fail(e);
        }
    }

    fn try_update(&mut self, action: Action) -> Result<(), StudyError> {
        let context = self.context();
        match action {
            Action::Quit => {
                self.shutdown();
                self.quit = true;
            }
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::NextTab => self.tab = (self.tab + 1) % TABS.len(),
            Action::PrevTab => self.tab = (self.tab + TABS.len() - 1) % TABS.len(),
            Action::Tab(i) => self.tab = i.min(TABS.len() - 1),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => self.motion(context, &action),
            Action::Open => match context {
                Context::List => {
                    if let Some(id) = self.study.transcripts.get(self.list_selected).cloned() {
                        let line = if self.ui.transcript.as_ref() == Some(&id) {
                            self.ui.line
                        } else {
                            1
                        };
                        self.open(&id, line);
                    }
                }
                Context::Codebook => self.open_retrieved(),
                _ => {}
            },
            Action::Back => match context {
                Context::Document => {
                    let doc = self.doc.as_mut().expect("document context");
                    if doc.anchor.take().is_none() {
                        self.close_doc()?;
                    }
                }
                Context::Codebook => self.codebook_screen.retrieval = None,
                _ => {}
            },
            Action::ToggleSelect => {
                let doc = self.doc.as_mut().expect("document context");
                doc.anchor = match doc.anchor {
                    Some(_) => None,
                    None => Some(doc.cursor),
                };
            }
            Action::Pick => {
                self.overlay = Some(Overlay::Picker(Picker::for_apply(
                    &self.study.codebook,
                    &self.ui.recent_codes,
                )))
            }
            Action::RemoveCode | Action::EditMemo => {
                let purpose = if action == Action::RemoveCode {
                    Purpose::Remove
                } else {
                    Purpose::Memo
                };
                let codes: Vec<Slug> = self.doc.as_ref().map_or(Vec::new(), |d| {
                    d.segments_at_cursor()
                        .iter()
                        .map(|s| s.code.clone())
                        .collect()
                });
                match codes.as_slice() {
                    [] => self.say("No segment at the cursor."),
                    [one] if purpose == Purpose::Remove => self.update(Action::Remove(one.clone())),
                    [one] => self.update(Action::Memo(one.clone())),
                    _ => {
                        self.overlay = Some(Overlay::Picker(Picker::among(
                            purpose,
                            codes,
                            &self.study.codebook,
                        )))
                    }
                }
            }
            Action::Apply(code) => self.apply(code)?,
            Action::Remove(code) => self.edit_at_cursor(
                &code,
                |coding, i| {
                    coding.segments.remove(i);
                },
                "Removed",
            )?,
            Action::Memo(code) => {
                let memo = self
                    .segment_at_cursor(&code)
                    .and_then(|s| s.memo.clone())
                    .unwrap_or_default();
                self.overlay = Some(Overlay::Memo {
                    code,
                    input: Input::with_text(&memo),
                });
            }
            Action::SetMemo(code, text) => {
                let text = text.trim().to_string();
                self.edit_at_cursor(
                    &code,
                    move |coding, i| {
                        coding.segments[i].memo = (!text.is_empty()).then_some(text);
                    },
                    "Memo saved on",
                )?
            }
            Action::ToggleComplete => {
                let doc = self.doc.as_mut().expect("document context");
                doc.session
                    .edit(&self.study, |c| c.complete = !c.complete)?;
                let done = doc.session.coding.complete;
                self.say(if done {
                    "Marked complete: it now counts in agreement."
                } else {
                    "Reopened: no longer counts in agreement."
                });
                self.sync_progress();
            }
            Action::Search => self.overlay = Some(Overlay::Search(Input::default())),
            Action::SearchFor(q) => {
                let doc = self.doc.as_mut().expect("document context");
                doc.search = Some(q.clone());
                if !doc.search_step(true) {
                    self.say(format!("“{q}” not found"));
                }
            }
            Action::SearchNext | Action::SearchPrev => {
                let doc = self.doc.as_mut().expect("document context");
                if doc.search.is_none() {
                    self.say("No search yet: press / to search.");
                } else if !doc.search_step(action == Action::SearchNext) {
                    self.say("No match");
                }
            }
            Action::NextSegment | Action::PrevSegment => {
                let doc = self.doc.as_mut().expect("document context");
                if !doc.jump_segment(action == Action::NextSegment) {
                    self.say("No more segments that way.");
                }
            }
            Action::Undo | Action::Redo => {
                let doc = self.doc.as_mut().expect("document context");
                let done = if action == Action::Undo {
                    doc.session.undo(&self.study)?
                } else {
                    doc.session.redo(&self.study)?
                };
                let word = if action == Action::Undo {
                    "undo"
                } else {
                    "redo"
                };
                self.say(if done {
                    format!("Did {word}.")
                } else {
                    format!("Nothing to {word}.")
                });
                self.sync_progress();
            }
            Action::ToggleExpand => self.codebook_screen.toggle(&self.study.codebook),
            Action::Retrieve => self.retrieve(),
            Action::JumpTo(id, line) => {
                self.tab = 0;
                if self.doc.as_ref().is_some_and(|d| *d.id() == id) {
                    self.doc.as_mut().expect("open").move_to(line);
                } else {
                    self.close_doc()?;
                    self.open(&id, line);
                }
                if let Some(i) = self.study.transcripts.iter().position(|t| *t == id) {
                    self.list_selected = i;
                }
            }
        }
        Ok(())
    }

    fn motion(&mut self, context: Context, action: &Action) {
        let delta: isize = match (action, context) {
            (Action::Up, _) => -1,
            (Action::Down, _) => 1,
            (Action::PageUp, Context::Document) => {
                -(self.doc.as_ref().map_or(10, |d| d.page_rows.max(2) - 1) as isize)
            }
            (Action::PageDown, Context::Document) => {
                self.doc.as_ref().map_or(10, |d| d.page_rows.max(2) - 1) as isize
            }
            (Action::Top, _) => isize::MIN / 2,
            (Action::Bottom, _) => isize::MAX / 2,
            _ => 0,
        };
        match context {
            Context::Document => self.doc.as_mut().expect("document context").move_by(delta),
            Context::List => {
                let n = self.study.transcripts.len();
                if n > 0 {
                    self.list_selected = self.list_selected.saturating_add_signed(delta).min(n - 1);
                }
            }
            Context::Codebook => self.codebook_screen.move_by(&self.study.codebook, delta),
            Context::Global => {}
        }
    }

    /// Opens a transcript for coding at `line`; errors go to the popup.
    pub fn open(&mut self, id: &Slug, line: usize) {
        let result = (|| -> Result<Doc, StudyError> {
            let transcript = self.study.transcript(id)?;
            let session = match self.parked.remove(id) {
                Some(s) => s,
                None => CodingSession::open(&self.study, &self.author.coder, &transcript)?,
            };
            Ok(Doc::new(transcript, session, line))
        })();
        match result {
            Ok(doc) => {
                if doc.session.stale_hash {
                    self.say("This transcript changed since you coded it: check your segments; your next change records the new text.");
                }
                self.ui.transcript = Some(id.clone());
                self.doc = Some(doc);
            }
            Err(e) => self.fail(e),
        }
    }

    /// Leaves the transcript, committing what changed in it.
    fn close_doc(&mut self) -> Result<(), StudyError> {
        if let Some(mut doc) = self.doc.take() {
            self.ui.line = doc.cursor;
            let _ = self.ui.save(&self.study, &self.author.coder);
            let committed = match &self.repo {
                Some(repo) => doc.session.commit(repo, &self.author),
                None => Ok(false),
            };
            let id = doc.id().clone();
            self.parked.insert(id.clone(), doc.session);
            if committed? {
                self.say(format!("Committed your coding of {id}."));
            }
        }
        Ok(())
    }

    fn segment_at_cursor(&self, code: &Slug) -> Option<&Segment> {
        let doc = self.doc.as_ref()?;
        doc.segments_at_cursor()
            .into_iter()
            .find(|s| s.code == *code)
    }

    fn edit_at_cursor(
        &mut self,
        code: &Slug,
        change: impl FnOnce(&mut Coding, usize),
        verb: &str,
    ) -> Result<(), StudyError> {
        let doc = self.doc.as_mut().expect("document context");
        let cursor = doc.cursor;
        let Some(index) = doc
            .session
            .coding
            .segments
            .iter()
            .position(|s| s.code == *code && s.start_line <= cursor && cursor <= s.end_line)
        else {
            self.say(format!("No {code} segment at the cursor."));
            return Ok(());
        };
        doc.session.edit(&self.study, |c| change(c, index))?;
        let name = self
            .study
            .codebook
            .resolve(code.as_str())
            .map_or(code.to_string(), |c| c.name.clone());
        self.say(format!("{verb} {name}."));
        self.sync_progress();
        Ok(())
    }

    fn apply(&mut self, code: Slug) -> Result<(), StudyError> {
        let doc = self.doc.as_mut().expect("document context");
        let range = doc.selection();
        let mut segment = Segment::new(code.clone(), range.start, range.end);
        segment.codebook.clone_from(&self.codebook_version);
        let exists = doc
            .session
            .coding
            .segments
            .iter()
            .any(|s| s.code == code && s.lines() == range);
        if exists {
            self.say(format!(
                "{code} is already on lines {}–{}.",
                range.start, range.end
            ));
            return Ok(());
        }
        doc.session
            .edit(&self.study, |c| c.segments.push(segment))?;
        doc.anchor = None;
        self.ui.used(&code);
        let name = self
            .study
            .codebook
            .resolve(code.as_str())
            .map_or(code.to_string(), |c| c.name.clone());
        self.say(format!(
            "Applied {name} to lines {}–{} (saved).",
            range.start, range.end
        ));
        self.sync_progress();
        Ok(())
    }

    /// Keeps the list's progress and the background counts in step with edits.
    fn sync_progress(&mut self) {
        let Some(doc) = &self.doc else { return };
        let coding = &doc.session.coding;
        self.progress.insert(
            doc.id().clone(),
            Progress {
                started: true,
                complete: coding.complete,
                segments: coding.segments.len(),
            },
        );
        if let Some(all) = &mut self.all_codings {
            all.retain(|(c, k)| !(c == &self.author.coder && k.transcript == coding.transcript));
            all.push((self.author.coder.clone(), coding.clone()));
            self.code_counts = Some(counts(&self.study.codebook, all));
        }
    }

    fn retrieve(&mut self) {
        let Some(code) = self.codebook_screen.current(&self.study.codebook).cloned() else {
            return;
        };
        let Some(all) = &self.all_codings else {
            self.say("Still reading codings…");
            return;
        };
        let mut items = Vec::new();
        let mut texts: HashMap<Slug, Option<crate::model::Transcript>> = HashMap::new();
        for (coder, coding) in all {
            for seg in &coding.segments {
                if self
                    .study
                    .codebook
                    .resolve(seg.code.as_str())
                    .map(|c| &c.id)
                    != Some(&code.id)
                {
                    continue;
                }
                let t = texts
                    .entry(coding.transcript.clone())
                    .or_insert_with(|| self.study.transcript(&coding.transcript).ok());
                let preview = t
                    .as_ref()
                    .and_then(|t| t.line(seg.start_line))
                    .unwrap_or("")
                    .to_string();
                items.push(Retrieved {
                    coder: coder.clone(),
                    transcript: coding.transcript.clone(),
                    start: seg.start_line,
                    end: seg.end_line,
                    preview,
                });
            }
        }
        items.sort_by(|a, b| {
            (&a.transcript, a.start, &a.coder).cmp(&(&b.transcript, b.start, &b.coder))
        });
        if items.is_empty() {
            self.say(format!("Nobody has applied {} yet.", code.name));
            return;
        }
        self.codebook_screen.retrieval = Some((items, 0));
    }

    fn open_retrieved(&mut self) {
        let target = self
            .codebook_screen
            .retrieval
            .as_ref()
            .and_then(|(items, sel)| items.get(*sel))
            .map(|r| (r.transcript.clone(), r.start));
        match target {
            Some((id, line)) => self.update(Action::JumpTo(id, line)),
            None => self.retrieve(),
        }
    }

    /// Commits every touched transcript and saves where the coder is. Runs
    /// on quit and on SIGHUP/SIGTERM; never fails loudly since the terminal
    /// may already be gone (every change is on disk already).
    pub fn shutdown(&mut self) {
        if let Some(doc) = &self.doc {
            self.ui.line = doc.cursor;
            self.ui.transcript = Some(doc.id().clone());
        }
        let _ = self.ui.save(&self.study, &self.author.coder);
        if let Some(repo) = &self.repo {
            if let Some(doc) = &mut self.doc {
                let _ = doc.session.commit(repo, &self.author);
            }
            for session in self.parked.values_mut() {
                let _ = session.commit(repo, &self.author);
            }
        }
    }
}
