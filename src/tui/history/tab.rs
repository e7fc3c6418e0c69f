//! The History tab: the codebook's timeline (merged suggestions, direct
//! commits, releases) or one code's, following renames; what one change
//! did; the diff between two marked versions; and the coder's re-check
//! queue. Git walks run in the background, their results delivered to
//! the screen. Drawing is in `history::view`.

use std::collections::BTreeSet;

use crate::model::Slug;
use crate::model::diff::CodeChange;
use crate::study::StudyError;
use crate::study::context;
use crate::study::history::LogEntry;
use crate::study::outdated;
use crate::study::text_recheck;

use crate::tui::action::{Action, Tab};
use crate::tui::background::{Job, Loadable};
use crate::tui::context::{Ctx, Effect};
use crate::tui::history::recheck::{self, RecheckItem};
use crate::tui::history::{HistView, HistoryScreen};
use crate::tui::review_ops::ReviewOp;

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

impl HistoryScreen {
    /// Whether the re-check queue itself is shown.
    pub fn recheck_open(&self) -> bool {
        self.view == HistView::Recheck
    }

    /// Reads what the tab shows the first time it comes on screen (`shown`)
    /// and the queue once it, or its count in the transcript list, is on
    /// screen (`queue_shown`).
    pub fn shown(&mut self, shown: bool, queue_shown: bool, ctx: &mut Ctx) {
        if shown && matches!(self.log, Loadable::Idle) {
            self.load_history(ctx);
        }
        if queue_shown && matches!(self.recheck, Loadable::Idle) {
            self.load_recheck(ctx);
        }
    }

    /// The study may have changed: reads again what was read before or is
    /// on screen; a session that never shows a list never pays for it.
    pub fn refresh(&mut self, shown: bool, queue_shown: bool, ctx: &mut Ctx) {
        if queue_shown || !matches!(self.recheck, Loadable::Idle) {
            self.load_recheck(ctx);
        }
        if shown || !matches!(self.log, Loadable::Idle) {
            self.load_history(ctx);
        }
    }

    /// After a merge: the history and the queue changed.
    pub fn codebook_changed(&mut self, queue_shown: bool, ctx: &mut Ctx) {
        self.load_history(ctx);
        if queue_shown || !matches!(self.recheck, Loadable::Idle) {
            self.load_recheck(ctx);
        }
    }

    pub fn load_history(&mut self, ctx: &mut Ctx) {
        if self.log.ready().is_none() {
            self.log = Loadable::Loading;
        }
        let root = ctx.study.root.clone();
        ctx.spawn(
            Job::HistoryLog,
            move || load_log(&root, None),
            |screen: &mut HistoryScreen, result, _| screen.log = Loadable::from_result(result),
        );
        if let Some((id, _)) = &self.code {
            let (root, id) = (ctx.study.root.clone(), id.clone());
            let wanted = id.clone();
            ctx.spawn(
                Job::CodeHistory,
                move || load_log(&root, Some(&wanted)),
                move |screen: &mut HistoryScreen, result, _| {
                    if let Some((shown, entries)) = &mut screen.code
                        && *shown == id
                    {
                        *entries = Loadable::from_result(result);
                    }
                },
            );
        }
    }

    pub fn load_recheck(&mut self, ctx: &mut Ctx) {
        if self.recheck.ready().is_none() {
            self.recheck = Loadable::Loading;
        }
        let (study, coder) = (ctx.study.clone(), ctx.coder().clone());
        ctx.spawn(
            Job::Recheck,
            move || recheck::load(&study, &coder),
            |screen: &mut HistoryScreen, result, ctx| {
                screen.recheck = Loadable::from_result(result);
                let n = screen.recheck.ready().map_or(0, |r| r.len());
                screen.recheck_selected = screen.recheck_selected.min(n.saturating_sub(1));
                ctx.effect(Effect::RecheckNote(screen.recheck_note()));
            },
        );
    }

    /// "N to re-check" for the transcript list, once the queue is read.
    pub fn recheck_note(&self) -> Option<String> {
        let n = self.recheck.ready()?.len();
        (n > 0).then(|| format!("{n} segment(s) to re-check (R)"))
    }

    /// The transcript of the selected re-check item, whose coding file
    /// clearing it may rewrite.
    pub fn selected_recheck_transcript(&self) -> Option<Slug> {
        let item = self.recheck.ready()?.get(self.recheck_selected)?;
        Some(item.transcript().clone())
    }

    /// One code's history (from the Codebook tab), on the History tab.
    pub fn show_code(&mut self, id: Slug, ctx: &mut Ctx) {
        self.code = Some((id, Loadable::Loading));
        self.selected = 0;
        self.view = HistView::Timeline;
        ctx.effect(Effect::Tab(Tab::History));
        self.load_history(ctx);
    }

    /// Movement and opening in the History tab.
    pub(super) fn act(&mut self, action: Action, ctx: &mut Ctx) {
        let step = action.step();
        let paging = matches!(action, Action::PageUp | Action::PageDown);
        match (&mut self.view, action) {
            (HistView::Timeline, Action::Open) => {
                if self.current().is_some() {
                    self.view = HistView::Entry {
                        scroll: 0,
                        max: Default::default(),
                    };
                }
            }
            (HistView::Timeline, Action::Back) => {
                if self.code.take().is_some() {
                    self.selected = 0;
                }
            }
            (HistView::Timeline, _) => {
                let n = self.entries().ready().map_or(0, Vec::len);
                if n > 0 {
                    self.selected = self.selected.saturating_add_signed(step).min(n - 1);
                }
            }
            (HistView::Recheck, Action::Open) => {
                let target = self
                    .recheck
                    .ready()
                    .and_then(|r| r.get(self.recheck_selected))
                    .map(|o| (o.transcript().clone(), o.start_line()));
                if let Some((transcript, line)) = target {
                    ctx.effect(Effect::JumpTo {
                        transcript,
                        line,
                        back_to: None,
                    });
                }
            }
            (HistView::Recheck, Action::Back) => self.view = HistView::Timeline,
            (HistView::Recheck, _) => {
                let n = self.recheck.ready().map_or(0, |r| r.len());
                if n > 0 {
                    self.recheck_selected =
                        self.recheck_selected.saturating_add_signed(step).min(n - 1);
                }
            }
            (_, Action::Back) => self.view = HistView::Timeline,
            (HistView::Entry { scroll, max } | HistView::Diff { scroll, max, .. }, _) => {
                let page = if paging { step.signum() * 15 } else { step };
                let max = max.get();
                *scroll = (*scroll).min(max).saturating_add_signed(page).min(max);
            }
        }
    }

    /// History and re-check operations.
    pub(super) fn op(&mut self, op: ReviewOp, ctx: &mut Ctx) -> Result<(), StudyError> {
        match op {
            ReviewOp::Mark => {
                let Some(commit) = self.current().map(|e| e.commit.clone()) else {
                    return Ok(());
                };
                if self.mark.as_ref() == Some(&commit) {
                    self.mark = None;
                    ctx.say("Mark removed.");
                } else {
                    ctx.say(format!(
                        "Marked {}: d on another entry diffs the two.",
                        &commit[..7]
                    ));
                    self.mark = Some(commit);
                }
            }
            ReviewOp::DiffMarked => self.diff_marked(ctx),
            ReviewOp::RecheckQueue => {
                ctx.effect(Effect::Tab(Tab::History));
                self.view = HistView::Recheck;
                self.load_recheck(ctx);
            }
            ReviewOp::ClearRecheck => self.clear_recheck(ctx)?,
            _ => {}
        }
        Ok(())
    }

    fn diff_marked(&mut self, ctx: &mut Ctx) {
        let (Some(mark), Some(entries)) = (self.mark.clone(), self.entries().ready()) else {
            ctx.say("Mark a version first (m), then press d on another.");
            return;
        };
        let Some(here) = entries.get(self.selected).map(|e| e.commit.clone()) else {
            return;
        };
        // Entries are newest first, so the one further down is older.
        let (from, to) = match entries.iter().position(|e| e.commit == mark) {
            Some(i) if i > self.selected => (mark, here),
            Some(_) => (here, mark),
            None => (mark, here),
        };
        let only: Option<BTreeSet<Slug>> = self.code.as_ref().map(|_| {
            entries
                .iter()
                .flat_map(|e| e.changes.iter().flat_map(|c| c.ids().into_iter().cloned()))
                .collect()
        });
        self.view = HistView::Diff {
            from: from.clone(),
            to: to.clone(),
            changes: Loadable::Loading,
            scroll: 0,
            max: Default::default(),
        };
        let root = ctx.study.root.clone();
        let (f, t) = (from.clone(), to.clone());
        ctx.spawn(
            Job::HistoryDiff,
            move || load_diff(&root, &f, &t, only),
            move |screen: &mut HistoryScreen, result, _| {
                if let HistView::Diff {
                    from: a,
                    to: b,
                    changes,
                    ..
                } = &mut screen.view
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
    /// coder's queue file. The app commits any open session of its
    /// transcript first and reopens it after (see `App::review_op`).
    fn clear_recheck(&mut self, ctx: &mut Ctx) -> Result<(), StudyError> {
        let Some(item) = self
            .recheck
            .ready()
            .and_then(|r| r.get(self.recheck_selected))
        else {
            return Ok(());
        };
        let Ok(repo) = ctx.repo.git() else {
            return Err(StudyError::Refused(
                "this study is not a git repository".into(),
            ));
        };
        let said = match &item {
            RecheckItem::Definition(_) => {
                let n = outdated::clear(ctx.study, repo, ctx.author, &[item.name()])?;
                format!(
                    "{} re-checked under the current codebook ({n} segment(s), committed).",
                    item.name()
                )
            }
            RecheckItem::Text(_) => {
                text_recheck::clear(ctx.study, repo, ctx.author, &[item.name()])?;
                format!(
                    "{} re-checked against its new text (committed).",
                    item.name()
                )
            }
        };
        if let Some(r) = self.recheck.ready_mut() {
            r.remove(&item);
            self.recheck_selected = self.recheck_selected.min(r.len().saturating_sub(1));
        }
        ctx.say(said);
        Ok(())
    }
}
