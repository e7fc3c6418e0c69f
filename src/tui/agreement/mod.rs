//! The Agreement tab: the pair of coders shown and its figures (`tab`),
//! its keys (`actions`), their background computation (`job`), the table
//! (`view`), a code's disagreements (`hunks_view`) and the per-release
//! chart (`chart`) with why its figures moved (`release_note`). The
//! reconciliation view is part of this screen's state; its actions and
//! drawing are in `reconcile`.

pub mod actions;
pub mod chart;
pub mod hunks_view;
pub mod job;
pub mod release_note;
pub mod tab;
pub mod view;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::study::StudyError;

use crate::tui::action::Action;
use crate::tui::agreement::tab::AgreementScreen;
use crate::tui::context::{Ctx, DrawCtx, Screen};
use crate::tui::keymap::Context;

impl Screen for AgreementScreen {
    fn context(&self) -> Context {
        if self.reconcile.is_some() {
            Context::Reconcile
        } else {
            Context::Agreement
        }
    }

    fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Result<(), StudyError> {
        if self.reconcile.is_some() {
            self.reconcile(action, ctx)
        } else {
            self.act(action, ctx);
            Ok(())
        }
    }

    fn draw(&self, buf: &mut Buffer, area: Rect, ctx: &DrawCtx) {
        view::draw(buf, area, self, &ctx.study.codebook, ctx.theme);
    }
}
