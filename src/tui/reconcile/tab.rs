//! The reconciliation view's actions: walking the hunks, deciding one
//! (confirming before a recorded decision is replaced, then asking for the
//! rationale), editing which codes and lines to keep, and turning a hunk
//! into a codebook suggestion. Every decision goes through
//! `study::reconcile::Session::decide`: consensus file and commit.

use crate::model::coding::Choice;
use crate::model::proposal::Proposal;
use crate::model::{Segment, Slug};
use crate::study::reconcile::Session;
use crate::study::{StudyError, suggest};

use crate::tui::action::Action;
use crate::tui::agreement::tab::{Data, ReconcileView};
use crate::tui::app::App;
use crate::tui::popups::input::Input;
use crate::tui::popups::overlay::Overlay;
use crate::tui::popups::picker::{Picker, Purpose};
use crate::tui::reconcile::hunk::{edit_items, hunk_source, suggestion_rationale, with_example};
use crate::tui::reconcile::popup::Popup;

const UNDECIDED: &str = "Decide this disagreement first (a, b, o, x or e): the suggestion adds the passage as an example of the decision.";

impl App {
    fn session_view(&mut self) -> Option<(&mut Session, &mut ReconcileView)> {
        let view = self.agreement.reconcile.as_mut()?;
        match &mut self.agreement.data {
            Data::Loaded(l) => Some((&mut l.session, view)),
            _ => None,
        }
    }

    /// Actions of the reconciliation view.
    pub(in crate::tui) fn reconcile_action(&mut self, action: Action) -> Result<(), StudyError> {
        let Some((session, view)) = self.session_view() else {
            self.agreement.reconcile = None;
            return Ok(());
        };
        let n = session.items.len();
        let page = 10;
        match action {
            Action::Back => self.agreement.reconcile = None,
            Action::NextHunk | Action::PrevHunk => {
                let step = if action == Action::NextHunk { 1 } else { -1 };
                let next = view
                    .index
                    .saturating_add_signed(step)
                    .min(n.saturating_sub(1));
                if next != view.index {
                    *view = ReconcileView {
                        index: next,
                        scroll: 0,
                    };
                }
            }
            Action::NextUnresolved => match session.next_unresolved(view.index + 1) {
                Some(i) => {
                    *view = ReconcileView {
                        index: i,
                        scroll: 0,
                    }
                }
                None => self.say(format!("All {n} disagreements are resolved.")),
            },
            Action::Down => view.scroll += 1,
            Action::Up => view.scroll = view.scroll.saturating_sub(1),
            Action::PageDown => view.scroll += page,
            Action::PageUp => view.scroll = view.scroll.saturating_sub(page),
            Action::Decide(choice) => {
                let index = view.index;
                match &session.items[index].decision {
                    Some(d) => {
                        let question = format!(
                            "Disagreement {} of {n} ({}) was decided: {} by {}{}. Replace that decision with {}?",
                            index + 1,
                            hunk_source(&session.items[index].hunk),
                            crate::tui::reconcile::hunk::choice_words(d.choice),
                            d.decided_by,
                            if d.rationale.is_empty() {
                                String::new()
                            } else {
                                format!(" («{}»)", d.rationale)
                            },
                            crate::tui::reconcile::hunk::choice_words(choice)
                        );
                        self.overlay = Some(Overlay::Confirm {
                            question,
                            action: Action::Redecide(choice),
                        });
                    }
                    None => self.begin_decision(choice),
                }
            }
            Action::Redecide(choice) => self.begin_decision(choice),
            Action::Record(choice, segments, rationale) => {
                self.record(choice, &segments, &rationale)?
            }
            // The passage becomes an example of what the team decided:
            // before that there is nothing to exemplify.
            Action::Suggest | Action::SuggestFor(_)
                if session.items[view.index].decision.is_none() =>
            {
                self.say(UNDECIDED);
            }
            Action::Suggest => {
                let codes = session.items[view.index].hunk.codes_at_stake();
                match codes.as_slice() {
                    [] => self.say("No code is at stake here."),
                    [one] => self.update(Action::SuggestFor(one.clone())),
                    _ => {
                        self.overlay = Some(Overlay::Picker(Picker::among(
                            Purpose::Suggest,
                            codes,
                            &self.study.codebook,
                        )))
                    }
                }
            }
            Action::SuggestFor(code) => {
                let source = hunk_source(&session.items[view.index].hunk);
                let name = self
                    .study
                    .codebook
                    .get(code.as_str())
                    .map_or(code.as_str(), |c| c.name.as_str());
                // Short enough to show whole in the prompt at 80 columns.
                let title = format!("{name}: {source}");
                let branch = format!("suggest/{}/", self.author.coder);
                self.overlay = Some(Overlay::Reconcile(Popup::Title {
                    code,
                    input: Input::with_text(&title),
                    branch,
                }));
            }
            Action::CreateSuggestion(code, title) => self.create_suggestion(&code, &title)?,
            _ => {}
        }
        Ok(())
    }

    /// Asks what an edited decision keeps, or straight for the rationale
    /// (prefilled with the recorded one when revisiting).
    fn begin_decision(&mut self, choice: Choice) {
        let Some((session, view)) = self.session_view() else {
            return;
        };
        let item = &session.items[view.index];
        let popup = if choice == Choice::Edited {
            Popup::Edit {
                items: edit_items(&item.hunk, &session.a, &session.b),
                selected: 0,
            }
        } else {
            let before = item.decision.as_ref().map_or("", |d| d.rationale.as_str());
            Popup::Rationale {
                choice,
                segments: Vec::new(),
                input: Input::with_text(before),
            }
        };
        self.overlay = Some(Overlay::Reconcile(popup));
    }

    fn record(
        &mut self,
        choice: Choice,
        segments: &[Segment],
        rationale: &str,
    ) -> Result<(), StudyError> {
        let Some(index) = self.agreement.reconcile.map(|v| v.index) else {
            return Ok(());
        };
        let Data::Loaded(loaded) = &mut self.agreement.data else {
            return Ok(());
        };
        let session = &mut loaded.session;
        session.decide(
            &self.study,
            index,
            choice,
            segments,
            rationale,
            &self.author,
        )?;
        let (done, total) = session.progress();
        let mut msg = format!(
            "{}: {} ({done}/{total} resolved)",
            hunk_source(&session.items[index].hunk),
            crate::tui::reconcile::hunk::choice_words(choice)
        );
        match session.next_unresolved(index + 1) {
            Some(next) => {
                self.agreement.reconcile = Some(ReconcileView {
                    index: next,
                    scroll: 0,
                })
            }
            None => msg.push_str(" — every disagreement is resolved"),
        }
        self.say(msg);
        Ok(())
    }

    fn create_suggestion(&mut self, code: &Slug, title: &str) -> Result<(), StudyError> {
        let Some(view) = self.agreement.reconcile else {
            return Ok(());
        };
        let Some(loaded) = self.agreement.loaded() else {
            return Ok(());
        };
        let item = &loaded.session.items[view.index];
        let repo = self.repo.git().map_err(|_| {
            StudyError::Refused(
                "the study is not a git repository: suggestions are branches".into(),
            )
        })?;
        // The suggestion is a change to `main`'s codebook: start from the
        // code as it is there.
        let on_main = self.repo.main_codebook()?;
        let current = on_main.get(code.as_str()).ok_or_else(|| {
            StudyError::Refused(format!("`{code}` is not in the codebook on main"))
        })?;
        let rationale = suggestion_rationale(
            [&loaded.session.a, &loaded.session.b],
            &item.hunk,
            item.decision.as_ref(),
            current,
        );
        if item.decision.is_none() {
            return Err(StudyError::Refused(
                "decide this disagreement first: the passage becomes an example of the decision"
                    .into(),
            ));
        }
        let proposal = Proposal::Edit(Box::new(with_example(current, &item.hunk)));
        let branch =
            suggest::propose(repo, &self.author, &proposal, Some(title), &rationale, None)?;
        self.say(format!(
            "Suggested on {branch}, with the passage as an example"
        ));
        self.load_suggestions();
        Ok(())
    }
}
