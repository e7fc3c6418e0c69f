//! The History tab: the codebook's timeline, one change, a diff of two
//! versions and the re-check queue. The screen owns its state (here), its
//! actions and background reads (`tab`), drawing (`view`, and the queue's
//! in `recheck_view`), the queue's items (`recheck`) and its keys (`keys`).

pub mod keys;
pub mod recheck;
pub mod recheck_view;
pub mod tab;
pub mod view;

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::Slug;
use crate::model::diff::CodeChange;
use crate::study::StudyError;
use crate::study::history::LogEntry;

use crate::tui::action::Action;
use crate::tui::background::Loadable;
use crate::tui::context::{Ctx, DrawCtx, Screen};
use crate::tui::history::recheck::Recheck;
use crate::tui::keymap::Context;

/// A commit's short id, as the screens show it.
fn short(commit: &str) -> &str {
    &commit[..7.min(commit.len())]
}

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
    /// What the selected entry changed. `max` is the last scroll position,
    /// learnt when it is drawn at the terminal's size.
    Entry {
        scroll: usize,
        max: Cell<usize>,
    },
    /// The codebook between two versions (older first).
    Diff {
        from: String,
        to: String,
        changes: Loadable<Vec<CodeChange>>,
        scroll: usize,
        max: Cell<usize>,
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

impl Screen for HistoryScreen {
    fn context(&self) -> Context {
        match self.view {
            HistView::Timeline => Context::History,
            HistView::Entry { .. } | HistView::Diff { .. } => Context::Change,
            HistView::Recheck => Context::Recheck,
        }
    }

    fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Result<(), StudyError> {
        match action {
            Action::Review(op) => self.op(op, ctx),
            motion => {
                self.act(motion, ctx);
                Ok(())
            }
        }
    }

    fn draw(&self, buf: &mut Buffer, area: Rect, ctx: &DrawCtx) {
        self.draw_with(buf, area, ctx.theme);
    }
}
