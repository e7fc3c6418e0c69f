//! How the app routes to the Agreement tab and its reconciliation view:
//! actions, the computation the tab asks for after each one, and opening
//! a reconciliation from `cbr reconcile A B`. Routing only.

use crate::model::Slug;
use crate::study::StudyError;

use crate::tui::action::{Action, Tab};
use crate::tui::app::App;
use crate::tui::context::Screen;
use crate::tui::screen_call::on_screen;

impl App {
    /// Actions of the Agreement tab's table and lists.
    pub(in crate::tui) fn agreement_action(&mut self, action: Action) -> Result<(), StudyError> {
        on_screen!(self, agreement, |screen, ctx| screen
            .handle(action, &mut ctx))
    }

    /// Actions of the reconciliation view.
    pub(in crate::tui) fn reconcile_action(&mut self, action: Action) -> Result<(), StudyError> {
        on_screen!(self, agreement, |screen, ctx| screen
            .handle(action, &mut ctx))
    }

    /// Starts the computation the tab asked for, if any.
    pub(in crate::tui) fn start_agreement(&mut self) {
        on_screen!(self, agreement, |screen, ctx| screen.start(&mut ctx))
    }

    /// Called after every action (`before` is the tab it started on).
    pub(in crate::tui) fn agreement_shown(&mut self, before: Tab) {
        if self.tab == Tab::Agreement {
            self.agreement.shown(before != Tab::Agreement);
        }
    }

    /// Opens the reconciliation of `a` and `b` (A first), as
    /// `cbr reconcile A B` does on a terminal.
    pub fn open_reconciliation(&mut self, a: Slug, b: Slug, unblind: bool) {
        self.agreement.open_reconciliation(a, b, unblind);
        self.tab = Tab::Agreement;
        self.start_agreement();
    }
}
