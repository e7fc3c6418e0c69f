//! Reviewing the open suggestion: comment, approve, reject, merge once the
//! study's approvals are met, and settle conflicts with `main` by keeping
//! either side or typing the text. Every write asks first (a confirmation
//! popup or a prompt) and goes through `study::suggest`.

use crate::model::merge::Resolution;
use crate::study::StudyError;
use crate::study::suggest::{self, MergeOutcome, Verdict, resolutions};

use crate::tui::action::Action;
use crate::tui::context::{Ctx, Effect};
use crate::tui::popups::menu::Ask;
use crate::tui::popups::overlay::Overlay;
use crate::tui::review_ops::{Answer, Confirmed, ReviewOp};
use crate::tui::suggestions::tab::{Loaded, Opened, SuggestScreen, View};

impl SuggestScreen {
    /// Whether `coder` made the open suggestion (`None` until it is read).
    pub fn is_by(&self, coder: &str) -> Option<bool> {
        let (_, loaded) = self.opened()?;
        Some(loaded.detail.suggestion.author == coder)
    }

    /// The open suggestion, when loaded.
    fn opened(&self) -> Option<(&Opened, &Loaded)> {
        let open = self.open.as_ref()?;
        Some((open, open.data.ready()?))
    }

    /// Review actions on the open suggestion.
    pub(super) fn op(&mut self, op: ReviewOp, ctx: &mut Ctx) -> Result<(), StudyError> {
        let Some((open, loaded)) = self.opened() else {
            ctx.say("Still reading the suggestion…");
            return Ok(());
        };
        let s = &loaded.detail.suggestion;
        let title = s.title.clone();
        let mine = s.author == ctx.author.coder.as_str();
        match op {
            ReviewOp::Approve if mine => {
                ctx.say("You made this suggestion; someone else has to approve it.")
            }
            ReviewOp::Approve => ctx.overlay(Overlay::Ask(Ask::new(
                "A comment with your approval? (optional)",
                "Enter with nothing typed approves without one; you confirm next.",
                "",
                Answer::ApproveComment,
            ))),
            ReviewOp::Comment => ctx.overlay(Overlay::Ask(Ask::new(
                format!("Comment on “{title}”"),
                "Recorded on the suggestion's branch for the team to read.",
                "",
                Answer::Comment,
            ))),
            ReviewOp::Reject => ctx.overlay(Overlay::Ask(Ask::new(
                format!("Reject “{title}”: why?"),
                "A rejection stays in the history; approving later lifts it.",
                "",
                Answer::RejectReason,
            ))),
            ReviewOp::Merge => {
                if let Some(why) = merge_blocker(loaded, ctx.study.config.approvals_required) {
                    if !loaded.open_conflicts.is_empty() {
                        self.open.as_mut().expect("open").view = View::Conflicts(0);
                    }
                    ctx.fail(format!("Merge unavailable: {why}"));
                } else {
                    ctx.overlay(Overlay::Confirm {
                        question: format!(
                            "Merge “{title}” into main?\nA merge commit keeps its title, rationale and approvals; {} is deleted.",
                            open.branch
                        ),
                        action: Action::Review(ReviewOp::Confirmed(Confirmed::Merge)),
                    });
                }
            }
            ReviewOp::Passages if loaded.passages().is_empty() => {
                ctx.say("No coded passage is affected by this suggestion.")
            }
            ReviewOp::Passages => self.set_view(View::Passages(0)),
            ReviewOp::Conflicts if loaded.open_conflicts.is_empty() => {
                ctx.say("No open conflict with main.")
            }
            ReviewOp::Conflicts => self.set_view(View::Conflicts(0)),
            ReviewOp::TakeOurs | ReviewOp::TakeTheirs | ReviewOp::EditResolution => {
                let View::Conflicts(i) = open.view else {
                    return Ok(());
                };
                let Some(c) = loaded.open_conflicts.get(i).cloned() else {
                    return Ok(());
                };
                match op {
                    ReviewOp::TakeOurs => self.settle(&c.key(), Resolution::Ours, ctx)?,
                    ReviewOp::TakeTheirs => self.settle(&c.key(), Resolution::Theirs, ctx)?,
                    _ if c.field.is_none() => {
                        ctx.say("A whole code conflicts: keep main's (o) or the suggestion's (t).")
                    }
                    _ => ctx.overlay(Overlay::Ask(Ask::new(
                        format!("Text for {}", c.key()),
                        "Starts from the suggestion's text; Enter settles the conflict with it.",
                        &c.theirs,
                        Answer::Resolution(c.key()),
                    ))),
                }
            }
            ReviewOp::Confirmed(Confirmed::Approve(text)) => {
                self.review(Verdict::Approve, &text, ctx)?
            }
            ReviewOp::Confirmed(Confirmed::Comment(text)) => {
                self.review(Verdict::Comment, &text, ctx)?
            }
            ReviewOp::Confirmed(Confirmed::Reject(text)) => {
                self.review(Verdict::Reject, &text, ctx)?
            }
            ReviewOp::Confirmed(Confirmed::Merge) => self.merge_open(ctx)?,
            ReviewOp::Answer(Answer::ApproveComment, text) => {
                let because = match text.trim() {
                    "" => String::new(),
                    t => format!("\nWith the comment: {t}"),
                };
                ctx.overlay(Overlay::Confirm {
                    question: format!(
                        "Approve “{title}”?\nYour approval is recorded on {} as a commit by {}.{because}",
                        open.branch, ctx.author.coder
                    ),
                    action: Action::Review(ReviewOp::Confirmed(Confirmed::Approve(text))),
                })
            }
            ReviewOp::Answer(Answer::Comment, text) if text.trim().is_empty() => {
                ctx.say("An empty comment says nothing; nothing was recorded.")
            }
            ReviewOp::Answer(Answer::Comment, text) => ctx.overlay(Overlay::Confirm {
                question: format!("Comment on “{title}”?\n{}", text.trim()),
                action: Action::Review(ReviewOp::Confirmed(Confirmed::Comment(text))),
            }),
            ReviewOp::Answer(Answer::RejectReason, text) => {
                if text.trim().is_empty() {
                    ctx.say("A rejection needs a reason; nothing was recorded.");
                } else {
                    ctx.overlay(Overlay::Confirm {
                        question: format!("Reject “{title}”?\nBecause: {}", text.trim()),
                        action: Action::Review(ReviewOp::Confirmed(Confirmed::Reject(text))),
                    });
                }
            }
            ReviewOp::Answer(Answer::Resolution(key), text) => {
                self.settle(&key, Resolution::Text(text), ctx)?
            }
            _ => {}
        }
        Ok(())
    }

    fn set_view(&mut self, view: View) {
        if let Some(open) = self.open.as_mut() {
            open.view = view;
        }
    }

    fn review(&mut self, verdict: Verdict, text: &str, ctx: &mut Ctx) -> Result<(), StudyError> {
        let Some(branch) = self.open.as_ref().map(|o| o.branch.clone()) else {
            return Ok(());
        };
        suggest::review(ctx.repo.git()?, &branch, ctx.author, verdict, text)?;
        ctx.say(match verdict {
            Verdict::Approve => "Approved (recorded on the branch).",
            Verdict::Comment => "Comment recorded.",
            Verdict::Reject => "Rejected (kept in the history).",
        });
        self.load(ctx);
        Ok(())
    }

    /// Saves how one conflict is settled (`resolutions::record`).
    fn settle(
        &mut self,
        key: &str,
        resolution: Resolution,
        ctx: &mut Ctx,
    ) -> Result<(), StudyError> {
        let Some(branch) = self.open.as_ref().map(|o| o.branch.clone()) else {
            return Ok(());
        };
        let open = resolutions::record(ctx.repo.git()?, &branch, key, &resolution)?;
        let how = match resolution {
            Resolution::Ours => "main's text kept",
            Resolution::Theirs => "the suggestion's text taken",
            Resolution::Text(_) => "your text used",
        };
        ctx.say(if open.is_empty() {
            format!("Settled {key}: {how}. No conflict left: m merges.")
        } else {
            format!("Settled {key}: {how}. {} left.", open.len())
        });
        if let Some(o) = self.open.as_mut()
            && let Some(loaded) = o.data.ready_mut()
        {
            loaded.settled += 1;
            let n = open.len();
            loaded.open_conflicts = open;
            if let View::Conflicts(i) = o.view {
                o.view = View::Conflicts(i.min(n.saturating_sub(1)));
            }
        }
        Ok(())
    }

    fn merge_open(&mut self, ctx: &mut Ctx) -> Result<(), StudyError> {
        let Some(branch) = self.open.as_ref().map(|o| o.branch.clone()) else {
            return Ok(());
        };
        let required = ctx.study.config.approvals_required;
        let outcome = suggest::merge(ctx.repo.git()?, &branch, ctx.author, required, &[])?;
        match outcome {
            MergeOutcome::Merged {
                commit,
                workdir_updated,
            } => {
                self.open = None;
                ctx.say(format!(
                    "Merged {branch} into main ({}).",
                    &commit[..7.min(commit.len())]
                ));
                self.load(ctx);
                ctx.effect(Effect::CodebookMerged { workdir_updated });
            }
            MergeOutcome::Conflicts { conflicts } => {
                let n = conflicts.len();
                if let Some(o) = self.open.as_mut() {
                    if let Some(loaded) = o.data.ready_mut() {
                        loaded.open_conflicts = conflicts;
                    }
                    o.view = View::Conflicts(0);
                }
                ctx.say(format!(
                    "{n} conflict(s) with main: keep main's (o), take the suggestion's (t) or edit (e), then m."
                ));
            }
        }
        Ok(())
    }
}

/// Why the suggestion cannot be merged yet, if it cannot.
pub fn merge_blocker(loaded: &Loaded, required: u32) -> Option<String> {
    let s = &loaded.detail.suggestion;
    if !s.rejected_by.is_empty() {
        return Some(format!(
            "rejected by {}; they can lift it by approving.",
            s.rejected_by.join(", ")
        ));
    }
    let have = s.approvals.len() as u32;
    if have < required {
        return Some(format!(
            "it needs {required} approval(s) by someone other than {} and has {have}.",
            s.author
        ));
    }
    if let suggest::Mergeability::Blocked { reason } = &s.mergeable {
        return Some(reason.clone());
    }
    if !loaded.open_conflicts.is_empty() {
        return Some(format!(
            "{} conflict(s) with main to settle first (o, t or e on each).",
            loaded.open_conflicts.len()
        ));
    }
    None
}
