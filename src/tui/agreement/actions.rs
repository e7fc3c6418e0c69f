//! The Agreement tab's keys: moving in the table or a code's list of
//! disagreements, opening one, cycling the pair of coders, starting the
//! reconciliation, and showing figures blind coding hides (after asking).

use crate::study::StudyError;

use crate::tui::action::Action;
use crate::tui::agreement::tab::{Data, HunkList};
use crate::tui::app::App;
use crate::tui::popups::overlay::Overlay;

impl App {
    /// Actions of the Agreement tab (table and a code's disagreements).
    pub(in crate::tui) fn agreement_action(&mut self, action: Action) -> Result<(), StudyError> {
        let delta: isize = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -10,
            Action::PageDown => 10,
            Action::Open => {
                self.agreement_open();
                0
            }
            Action::Back => {
                self.agreement.hunks = None;
                0
            }
            Action::CyclePair(step) => {
                let screen = &mut self.agreement;
                if screen.pairs.len() < 2 {
                    self.say("There is only one pair of coders.");
                } else {
                    let n = screen.pairs.len() as isize;
                    screen.pair = (screen.pair as isize + step).rem_euclid(n) as usize;
                    screen.ask();
                }
                0
            }
            Action::Reconcile => {
                self.start_reconciliation(None);
                0
            }
            Action::Unblind(false) => {
                if matches!(self.agreement.data, Data::Hidden(_)) {
                    self.overlay = Some(Overlay::Confirm {
                        question: "Blind coding still hides this pair's work: some coders have \
                                   not finished. Showing it now may influence them. Show it anyway \
                                   for this session?"
                            .into(),
                        action: Action::Unblind(true),
                    });
                } else {
                    self.say("Nothing is hidden here.");
                }
                0
            }
            Action::Unblind(true) => {
                self.agreement.unblind = true;
                self.agreement.ask();
                0
            }
            _ => 0,
        };
        let screen = &mut self.agreement;
        if let Some(list) = &mut screen.hunks {
            let n = list.items.len();
            list.selected = list.selected.saturating_add_signed(delta).min(n.max(1) - 1);
        } else {
            let n = screen.rows();
            screen.selected = screen
                .selected
                .saturating_add_signed(delta)
                .min(n.max(1) - 1);
        }
        Ok(())
    }

    fn agreement_open(&mut self) {
        let screen = &mut self.agreement;
        screen.keep_shown();
        if let Some(list) = &screen.hunks {
            if let Some(&index) = list.items.get(list.selected) {
                self.start_reconciliation(Some(index));
            }
            return;
        }
        let Some(loaded) = screen.loaded() else {
            return;
        };
        // Row 0 is the overall row: every disagreement, in order.
        let code = match screen.selected.checked_sub(1) {
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
            self.say(format!(
                "No disagreement on {what} in the transcripts both completed."
            ));
            return;
        }
        screen.hunks = Some(HunkList {
            code,
            items,
            selected: 0,
        });
    }
}
