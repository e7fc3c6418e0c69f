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
use crate::tui::agreement::tab::{AgreementScreen, Data, ReconcileView};
use crate::tui::context::{Ctx, Effect};
use crate::tui::popups::input::Input;
use crate::tui::popups::overlay::Overlay;
use crate::tui::popups::picker::{Picker, Purpose};
use crate::tui::reconcile::hunk::{edit_items, hunk_source, suggestion_rationale, with_example};
use crate::tui::reconcile::popup::Popup;

const UNDECIDED: &str = "Decide this disagreement first (a, b, o, x or e): the suggestion adds the passage as an example of the decision.";

/// Records who is present, as typed; a name that is no coder id, or no
/// coder of the study, asks again with the reason and the text kept.
fn set_present(session: &mut Session, text: &str, ctx: &mut Ctx) {
    let listed: Result<Vec<Slug>, String> = text
        .split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(|w| Slug::new(w).map_err(|e| e.to_string()))
        .collect();
    match listed.and_then(|l| {
        session
            .set_present(ctx.study, &l)
            .map_err(|e| e.to_string())
    }) {
        Ok(()) if session.present.is_empty() => ctx.say("Nobody recorded as present."),
        Ok(()) => ctx.say(format!(
            "Present: {} (recorded with each decision)",
            crate::study::reconcile::present_list(&session.present)
        )),
        Err(error) => ctx.overlay(Overlay::Reconcile(Popup::Present {
            input: Input::with_text(text),
            error: Some(error),
        })),
    }
}

impl AgreementScreen {
    fn session_view(&mut self) -> Option<(&mut Session, &mut ReconcileView)> {
        let view = self.reconcile.as_mut()?;
        match &mut self.data {
            Data::Loaded(l) => Some((&mut l.session, view)),
            _ => None,
        }
    }

    /// Actions of the reconciliation view.
    pub(in crate::tui) fn reconcile(
        &mut self,
        action: Action,
        ctx: &mut Ctx,
    ) -> Result<(), StudyError> {
        let max = self.reconcile_max.get();
        let Some((session, view)) = self.session_view() else {
            self.reconcile = None;
            return Ok(());
        };
        // As far as the hunk shown scrolls (learnt when it was drawn).
        view.scroll = view.scroll.min(max.unwrap_or(usize::MAX));
        let n = session.items.len();
        let page = 10;
        match action {
            Action::Back => self.reconcile = None,
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
                None => ctx.say(format!("All {n} disagreements are resolved.")),
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
                        ctx.overlay(Overlay::Confirm {
                            question,
                            action: Action::Redecide(choice),
                        });
                    }
                    None => self.begin_decision(choice, ctx),
                }
            }
            Action::Redecide(choice) => self.begin_decision(choice, ctx),
            Action::Record(choice, segments, rationale) => {
                self.record(choice, &segments, &rationale, ctx)?
            }
            // The passage becomes an example of what the team decided:
            // before that there is nothing to exemplify.
            Action::Suggest | Action::SuggestFor(_)
                if session.items[view.index].decision.is_none() =>
            {
                ctx.say(UNDECIDED);
            }
            Action::Suggest => {
                let codes = session.items[view.index].hunk.codes_at_stake();
                match codes.as_slice() {
                    [] => ctx.say("No code is at stake here."),
                    [one] => ctx.effect(Effect::Do(Action::SuggestFor(one.clone()))),
                    _ => ctx.overlay(Overlay::Picker(Picker::among(
                        Purpose::Suggest,
                        codes,
                        &ctx.study.codebook,
                    ))),
                }
            }
            Action::SuggestFor(code) => {
                let source = hunk_source(&session.items[view.index].hunk);
                let name = ctx
                    .study
                    .codebook
                    .get(code.as_str())
                    .map_or(code.as_str(), |c| c.name.as_str());
                // Short enough to show whole in the prompt at 80 columns.
                let title = format!("{name}: {source}");
                let branch = format!("suggest/{}/", ctx.author.coder);
                ctx.overlay(Overlay::Reconcile(Popup::Title {
                    code,
                    input: Input::with_text(&title),
                    branch,
                }));
            }
            Action::CreateSuggestion(code, title) => self.create_suggestion(&code, &title, ctx)?,
            Action::SetPresent(text) => set_present(session, &text, ctx),
            _ => {}
        }
        Ok(())
    }

    /// Asks what an edited decision keeps, or straight for the rationale
    /// (prefilled with the recorded one when revisiting).
    fn begin_decision(&mut self, choice: Choice, ctx: &mut Ctx) {
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
        ctx.overlay(Overlay::Reconcile(popup));
    }

    fn record(
        &mut self,
        choice: Choice,
        segments: &[Segment],
        rationale: &str,
        ctx: &mut Ctx,
    ) -> Result<(), StudyError> {
        let Some(index) = self.reconcile.map(|v| v.index) else {
            return Ok(());
        };
        let Data::Loaded(loaded) = &mut self.data else {
            return Ok(());
        };
        let session = &mut loaded.session;
        session.decide(ctx.study, index, choice, segments, rationale, ctx.author)?;
        let (done, total) = session.progress();
        let mut msg = format!(
            "{}: {} ({done}/{total} resolved)",
            hunk_source(&session.items[index].hunk),
            crate::tui::reconcile::hunk::choice_words(choice)
        );
        match session.next_unresolved(index + 1) {
            Some(next) => {
                self.reconcile = Some(ReconcileView {
                    index: next,
                    scroll: 0,
                })
            }
            None => msg.push_str(" — every disagreement is resolved"),
        }
        ctx.say(msg);
        Ok(())
    }

    fn create_suggestion(
        &mut self,
        code: &Slug,
        title: &str,
        ctx: &mut Ctx,
    ) -> Result<(), StudyError> {
        let Some(view) = self.reconcile else {
            return Ok(());
        };
        let Some(loaded) = self.loaded() else {
            return Ok(());
        };
        let item = &loaded.session.items[view.index];
        let repo = ctx.repo.git().map_err(|_| {
            StudyError::Refused(
                "the study is not a git repository: suggestions are branches".into(),
            )
        })?;
        // The suggestion is a change to `main`'s codebook: start from the
        // code as it is there.
        let on_main = ctx.repo.main_codebook()?;
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
        let branch = suggest::propose(repo, ctx.author, &proposal, Some(title), &rationale, None)?;
        ctx.say(format!(
            "Suggested on {branch}, with the passage as an example"
        ));
        ctx.effect(Effect::SuggestionsChanged);
        Ok(())
    }
}
