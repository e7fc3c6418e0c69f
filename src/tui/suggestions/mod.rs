//! The Suggestions tab: the list and one suggestion (`tab`, `view`,
//! `panes`), reviewing and merging it (`review`), and its keys (`keys`).
//! `SuggestScreen` (in `tab`) owns its state and is a `Screen` (here).

pub mod keys;
pub mod panes;
pub mod review;
pub mod tab;
pub mod view;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::study::StudyError;

use crate::tui::action::Action;
use crate::tui::context::{Ctx, DrawCtx, Screen};
use crate::tui::keymap::Context;
use crate::tui::suggestions::tab::{SuggestScreen, View};

impl Screen for SuggestScreen {
    fn context(&self) -> Context {
        match self.open.as_ref().map(|o| o.view) {
            None => Context::Suggestions,
            Some(View::Diff) => Context::Suggestion,
            Some(View::Passages(_)) => Context::Passages,
            Some(View::Conflicts(_)) => Context::Conflicts,
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
        self.draw_with(buf, area, ctx);
    }
}
