//! The History tab: the codebook's timeline (merged suggestions, direct
//! commits, releases) or one code's, following renames; what one change
//! did; the diff between two marked versions; and the coder's re-check
//! queue. Git walks run in the background. Drawing is in `history::view`.

use std::collections::BTreeSet;

use crate::model::Slug;
use crate::model::diff::CodeChange;
use crate::study::StudyError;
use crate::study::context;
use crate::study::history::LogEntry;
use crate::study::outdated;
use crate::study::session::CodingSession;
use crate::study::text_recheck;

use crate::tui::action::{Action, Tab};
use crate::tui::app::App;
use crate::tui::background::{Job, Loadable};
use crate::tui::history::recheck::{self, Recheck, RecheckItem};
use crate::tui::keymap::Context;
use crate::tui::review_ops::ReviewOp;

#[derive(Default)]
pub struct HistoryScreen {
    /// The whole codebook's history, newest first.
    pub log: Loadable<Vec<LogEntry>>,
    /// One code's history instead, by the id it was asked for.
    pub code: Option<(Slug, Loadable<Vec<LogEntry>>)>,
    pub selected: usize,
    /// The commit marked to compare another version with.
    pub mark: Option<String>,
    pub view: HistView,
    pub recheck: Loadable<Recheck>,
    pub recheck_selected: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum HistView {
    #[default]
    Timeline,
    /// What the selected entry changed.
    Entry {
        scroll: usize,
        max: usize,
    },
    /// The codebook between two versions (older first).
    Diff {
        from: String,
        to: String,
        changes: Loadable<Vec<CodeChange>>,
        scroll: usize,
        max: usize,
    },
    Recheck,
}

impl HistoryScreen {
    /// The entries on screen: one code's, or the whole codebook's.
    pub fn entries(&self) -> &Loadable<Vec<LogEntry>> {
        match &self.code {
            Some((_, entries)) => entries,
            None => &self.log,
        }
    }

    pub fn current(&self) -> Option<&LogEntry> {
        self.entries().ready()?.get(self.selected)
    }
}

fn load_log(root: &std::path::Path, code: Option<&Slug>) -> Result<Vec<LogEntry>, StudyError> {
    context::main_log(root, code)
}

/// The codebook diff between two commits, kept to `only` ids when given.
fn load_diff(
    root: &std::path::Path,
    from: &str,
    to: &str,
    only: Option<BTreeSet<Slug>>,
) -> Result<Vec<CodeChange>, StudyError> {
    context::codebook_diff(root, from, to, only.as_ref())
}

impl App {
    pub(in crate::tui) fn history_context(&self) -> Context {
        match self.history.view {
            HistView::Timeline => Context::History,
            HistView::Entry { .. } | HistView::Diff { .. } => Context::Change,
            HistView::Recheck => Context::Recheck,
        }
    }

    /// Starts the background reads the review tabs need.
    pub fn warm_up(&mut self) {
        self.refresh_recheck();
        // The suggestion list (with a merge plan each) and the history walk
        // cost CPU on a shared server; they wait until their tab is first
        // shown, and are refreshed here only once they have been read.
        if self.tab == Tab::Suggestions || !matches!(self.suggestions.list, Loadable::Idle) {
            self.load_suggestions();
        }
        if self.tab == Tab::History || !matches!(self.history.log, Loadable::Idle) {
            self.load_history();
        }
    }

    /// Reads what the Suggestions or History tab shows the first time it
    /// comes on screen.
    pub(in crate::tui) fn review_tabs_shown(&mut self) {
        match self.tab {
            Tab::Suggestions if matches!(self.suggestions.list, Loadable::Idle) => {
                self.load_suggestions()
            }
            Tab::History if matches!(self.history.log, Loadable::Idle) => self.load_history(),
            _ => {}
        }
        if matches!(self.history.recheck, Loadable::Idle) && self.recheck_shown() {
            self.load_recheck();
        }
    }

    /// Whether the re-check queue, or its count in the transcript list, is on screen.
    fn recheck_shown(&self) -> bool {
        match self.tab {
            Tab::Transcripts => self.doc.is_none(),
            Tab::History => self.history.view == HistView::Recheck,
            _ => false,
        }
    }

    /// Reads the queue again if it was read before or is on screen; a
    /// session that never shows it never pays for it.
    fn refresh_recheck(&mut self) {
        if self.recheck_shown() || !matches!(self.history.recheck, Loadable::Idle) {
            self.load_recheck();
        }
    }

    pub fn load_history(&mut self) {
        if self.history.log.ready().is_none() {
            self.history.log = Loadable::Loading;
        }
        let root = self.study.root.clone();
        self.spawn(
            Job::HistoryLog,
            move || load_log(&root, None),
            |app, result| app.history.log = Loadable::from_result(result),
        );
        if let Some((id, _)) = &self.history.code {
            let (root, id) = (self.study.root.clone(), id.clone());
            let wanted = id.clone();
            self.spawn(
                Job::CodeHistory,
                move || load_log(&root, Some(&wanted)),
                move |app, result| {
                    if let Some((shown, entries)) = &mut app.history.code
                        && *shown == id
                    {
                        *entries = Loadable::from_result(result);
                    }
                },
            );
        }
    }

    pub fn load_recheck(&mut self) {
        if self.history.recheck.ready().is_none() {
            self.history.recheck = Loadable::Loading;
        }
        let (study, coder) = (self.study.clone(), self.author.coder.clone());
        self.spawn(
            Job::Recheck,
            move || recheck::load(&study, &coder),
            |app, result| {
                app.history.recheck = Loadable::from_result(result);
                let n = app.history.recheck.ready().map_or(0, |r| r.items.len());
                app.history.recheck_selected =
                    app.history.recheck_selected.min(n.saturating_sub(1));
            },
        );
    }

    /// After a merge: the history and the queue changed.
    pub(in crate::tui) fn codebook_changed(&mut self) {
        self.load_history();
        self.refresh_recheck();
    }

    /// "N to re-check" for the transcript list, once the queue is read.
    pub(in crate::tui) fn recheck_note(&self) -> Option<String> {
        let n = self.history.recheck.ready()?.items.len();
        (n > 0).then(|| format!("{n} segment(s) to re-check (R)"))
    }

    /// Movement and opening in the History tab.
    pub(in crate::tui) fn history_action(&mut self, action: Action) -> Result<(), StudyError> {
        let step = action.step();
        let h = &mut self.history;
        let paging = matches!(action, Action::PageUp | Action::PageDown);
        match (&mut h.view, action) {
            (HistView::Timeline, Action::Open) => {
                if h.current().is_some() {
                    h.view = HistView::Entry { scroll: 0, max: 0 };
                }
            }
            (HistView::Timeline, Action::Back) => {
                if h.code.take().is_some() {
                    h.selected = 0;
                }
            }
            (HistView::Timeline, _) => {
                let n = h.entries().ready().map_or(0, Vec::len);
                if n > 0 {
                    h.selected = h.selected.saturating_add_signed(step).min(n - 1);
                }
            }
            (HistView::Recheck, Action::Open) => {
                let target = h
                    .recheck
                    .ready()
                    .and_then(|r| r.items.get(h.recheck_selected))
                    .map(|o| (o.transcript().clone(), o.start_line()));
                if let Some((transcript, line)) = target {
                    self.jump_to(transcript, line)?;
                }
            }
            (HistView::Recheck, Action::Back) => h.view = HistView::Timeline,
            (HistView::Recheck, _) => {
                let n = h.recheck.ready().map_or(0, |r| r.items.len());
                if n > 0 {
                    h.recheck_selected = h.recheck_selected.saturating_add_signed(step).min(n - 1);
                }
            }
            (_, Action::Back) => h.view = HistView::Timeline,
            (HistView::Entry { scroll, max } | HistView::Diff { scroll, max, .. }, _) => {
                let page = if paging { step.signum() * 15 } else { step };
                *scroll = (*scroll).min(*max).saturating_add_signed(page).min(*max);
            }
        }
        Ok(())
    }

    /// History and re-check actions.
    pub(in crate::tui) fn history_op(&mut self, op: ReviewOp) -> Result<(), StudyError> {
        match op {
            ReviewOp::CodeHistory => {
                let Some(code) = self.codebook_screen.current(&self.study.codebook) else {
                    return Ok(());
                };
                self.history.code = Some((code.id.clone(), Loadable::Loading));
                self.history.selected = 0;
                self.history.view = HistView::Timeline;
                self.tab = Tab::History;
                self.load_history();
            }
            ReviewOp::Mark => {
                let Some(commit) = self.history.current().map(|e| e.commit.clone()) else {
                    return Ok(());
                };
                if self.history.mark.as_ref() == Some(&commit) {
                    self.history.mark = None;
                    self.say("Mark removed.");
                } else {
                    self.say(format!(
                        "Marked {}: d on another entry diffs the two.",
                        &commit[..7]
                    ));
                    self.history.mark = Some(commit);
                }
            }
            ReviewOp::DiffMarked => self.diff_marked(),
            ReviewOp::RecheckQueue => {
                self.tab = Tab::History;
                self.history.view = HistView::Recheck;
                self.load_recheck();
            }
            ReviewOp::ClearRecheck => self.clear_recheck()?,
            _ => {}
        }
        Ok(())
    }

    fn diff_marked(&mut self) {
        let h = &self.history;
        let (Some(mark), Some(entries)) = (h.mark.clone(), h.entries().ready()) else {
            self.say("Mark a version first (m), then press d on another.");
            return;
        };
        let Some(here) = entries.get(h.selected).map(|e| e.commit.clone()) else {
            return;
        };
        // Entries are newest first, so the one further down is older.
        let (from, to) = match entries.iter().position(|e| e.commit == mark) {
            Some(i) if i > h.selected => (mark, here),
            Some(_) => (here, mark),
            None => (mark, here),
        };
        let only: Option<BTreeSet<Slug>> = h.code.as_ref().map(|_| {
            entries
                .iter()
                .flat_map(|e| e.changes.iter().flat_map(|c| c.ids().into_iter().cloned()))
                .collect()
        });
        self.history.view = HistView::Diff {
            from: from.clone(),
            to: to.clone(),
            changes: Loadable::Loading,
            scroll: 0,
            max: 0,
        };
        let root = self.study.root.clone();
        let (f, t) = (from.clone(), to.clone());
        self.spawn(
            Job::HistoryDiff,
            move || load_diff(&root, &f, &t, only),
            move |app, result| {
                if let HistView::Diff {
                    from: a,
                    to: b,
                    changes,
                    ..
                } = &mut app.history.view
                    && *a == from
                    && *b == to
                {
                    *changes = Loadable::from_result(result);
                }
            },
        );
    }

    /// Clears the selected item (a commit): a definition-changed segment is
    /// re-saved under the current codebook; a text-changed one leaves the
    /// coder's queue file.
    fn clear_recheck(&mut self) -> Result<(), StudyError> {
        let Some(item) = self
            .history
            .recheck
            .ready()
            .and_then(|r| r.items.get(self.history.recheck_selected))
            .cloned()
        else {
            return Ok(());
        };
        let Ok(repo) = self.repo.git() else {
            return Err(StudyError::Refused(
                "this study is not a git repository".into(),
            ));
        };
        let said = match &item {
            RecheckItem::Definition(outdated) => {
                // The coding file is rewritten: an open session must not keep an old copy.
                if let Some(mut parked) = self.parked.remove(&outdated.transcript) {
                    parked.commit(repo, &self.author)?;
                }
                let open_here = self
                    .doc
                    .as_ref()
                    .is_some_and(|d| *d.id() == outdated.transcript);
                if open_here && let Some(doc) = self.doc.as_mut() {
                    doc.session.commit(repo, &self.author)?;
                }
                let n = outdated::clear(&self.study, repo, &self.author, &[item.name()])?;
                if open_here && let Some(doc) = self.doc.as_mut() {
                    doc.session =
                        CodingSession::open(&self.study, &self.author.coder, &doc.transcript)?;
                }
                format!(
                    "{} re-checked under the current codebook ({n} segment(s), committed).",
                    item.name()
                )
            }
            RecheckItem::Text(_) => {
                text_recheck::clear(&self.study, repo, &self.author, &[item.name()])?;
                format!(
                    "{} re-checked against its new text (committed).",
                    item.name()
                )
            }
        };
        if let Some(r) = self.history.recheck.ready_mut() {
            r.items.retain(|o| o != &item);
            self.history.recheck_selected = self
                .history
                .recheck_selected
                .min(r.items.len().saturating_sub(1));
        }
        self.say(said);
        Ok(())
    }
}
