//! The Agreement tab's keys: moving in the table or a code's list of
//! disagreements, opening one, cycling the pair of coders, starting the
//! reconciliation, and showing figures blind coding hides (after asking).

use crate::tui::action::Action;
use crate::tui::agreement::tab::{AgreementScreen, Data, HunkList};
use crate::tui::context::Ctx;
use crate::tui::popups::overlay::Overlay;

impl AgreementScreen {
    /// Actions of the Agreement tab (table and a code's disagreements).
    pub(super) fn act(&mut self, action: Action, ctx: &mut Ctx) {
        let delta: isize = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -10,
            Action::PageDown => 10,
            Action::Open => {
                self.open(ctx);
                0
            }
            Action::Back => {
                self.hunks = None;
                0
            }
            Action::CyclePair(step) => {
                if self.pairs.len() < 2 {
                    ctx.say("There is only one pair of coders.");
                } else {
                    let n = self.pairs.len() as isize;
                    self.pair = (self.pair as isize + step).rem_euclid(n) as usize;
                    self.ask();
                }
                0
            }
            Action::Reconcile => {
                self.start_reconciliation(None, ctx);
                0
            }
            Action::Unblind(false) => {
                if matches!(self.data, Data::Hidden(_)) {
                    ctx.overlay(Overlay::Confirm {
                        question: "Blind coding still hides this pair's work: some coders have \
                                   not finished. Showing it now may influence them. Show it anyway \
                                   for this session?"
                            .into(),
                        action: Action::Unblind(true),
                    });
                } else {
                    ctx.say("Nothing is hidden here.");
                }
                0
            }
            Action::Unblind(true) => {
                self.unblind = true;
                self.ask();
                0
            }
            _ => 0,
        };
        if let Some(list) = &mut self.hunks {
            let n = list.items.len();
            list.selected = list.selected.saturating_add_signed(delta).min(n.max(1) - 1);
        } else {
            let n = self.rows();
            self.selected = self.selected.saturating_add_signed(delta).min(n.max(1) - 1);
        }
    }

    fn open(&mut self, ctx: &mut Ctx) {
        self.keep_shown();
        if let Some(list) = &self.hunks {
            if let Some(&index) = list.items.get(list.selected) {
                self.start_reconciliation(Some(index), ctx);
            }
            return;
        }
        let Some(loaded) = self.loaded() else {
            return;
        };
        // Row 0 is the overall row: every disagreement, in order.
        let code = match self.selected.checked_sub(1) {
            None => None,
            Some(i) => match loaded.codes.get(i) {
                Some(c) => Some(c.code.clone()),
                None => return,
            },
        };
        let items: Vec<usize> = loaded
            .session
            .items
            .iter()
            .enumerate()
            .filter(|(_, item)| {
                code.as_ref()
                    .is_none_or(|c| item.hunk.codes_at_stake().contains(c))
            })
            .map(|(i, _)| i)
            .collect();
        if items.is_empty() {
            let what = code.map_or_else(|| "any code".to_string(), |c| c.to_string());
            ctx.say(format!(
                "No disagreement on {what} in the transcripts both completed."
            ));
            return;
        }
        self.hunks = Some(HunkList {
            code,
            items,
            selected: 0,
        });
    }
}
