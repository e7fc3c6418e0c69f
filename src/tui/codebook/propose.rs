//! Suggesting a change from the Codebook tab, and amending one's own
//! suggestion. Rename, merge and deprecate ask for a title and rationale in
//! prompts; add, edit and split open `$EDITOR` on the same TOML draft the
//! CLI uses (the event loop suspends the screen meanwhile). A draft that
//! does not parse, or a change the codebook refuses, is reported with its
//! position and the draft is kept: choosing the same change reopens it.

use crate::model::draft::{Draft, help};
use crate::model::proposal::{Kind, Proposal};
use crate::model::{Code, Slug, Status};
use crate::study::suggest;
use crate::study::{StudyError, drafts};

use crate::tui::action::Action;
use crate::tui::codebook::CodebookScreen;
use crate::tui::context::{Ctx, Effect};
use crate::tui::popups::menu::{Ask, Menu};
use crate::tui::popups::overlay::Overlay;
use crate::tui::popups::picker::{Picker, Purpose};
use crate::tui::review_ops::{Answer, ReviewOp};
use crate::tui::suspend::{DraftFor, EditRequest};

pub(crate) const RATIONALE_NOTE: &str =
    "Why should the codebook change? Reviewers read it; the history keeps it.";

impl CodebookScreen {
    /// The code selected in the Codebook tab.
    fn selected_code(&self, ctx: &Ctx) -> Option<Code> {
        self.current(&ctx.study.codebook).cloned()
    }

    /// `s` in the Codebook tab: what kind of change to suggest.
    pub fn suggest_menu(&mut self, ctx: &mut Ctx) {
        let Some(code) = self.selected_code(ctx) else {
            ctx.say("The codebook is empty: nothing to change.");
            return;
        };
        let op = |k| Action::Review(ReviewOp::Propose(k));
        let mut items = vec![
            (
                'e',
                "Edit its fields (in $EDITOR)".to_string(),
                op(Kind::Edit),
            ),
            (
                'r',
                "Rename it (new id; the old one stays an alias)".into(),
                op(Kind::Rename),
            ),
            ('m', "Merge it into another code".into(), op(Kind::Merge)),
            (
                's',
                "Split a new code off it (in $EDITOR)".into(),
                op(Kind::Split),
            ),
            ('d', "Deprecate it".into(), op(Kind::Deprecate)),
            (
                'a',
                "Add a new code under it (in $EDITOR)".into(),
                op(Kind::Add),
            ),
        ];
        if code.status != Status::Active {
            // Only active codes can be renamed, merged, split or deprecated.
            items.retain(|(k, _, _)| matches!(k, 'e' | 'a'));
        }
        ctx.overlay(Overlay::Menu(Menu {
            title: format!("Suggest a change to {}", code.name),
            items,
            selected: 0,
        }));
    }

    /// Starts the suggestion of `kind` for the selected code.
    pub fn start_proposal(&mut self, ctx: &mut Ctx, kind: Kind) -> Result<(), StudyError> {
        let Some(code) = self.selected_code(ctx) else {
            return Ok(());
        };
        // Suggestions start from main, which may differ from the working tree.
        let code = ctx
            .repo
            .main_codebook()?
            .get(code.id.as_str())
            .cloned()
            .unwrap_or(code);
        match kind {
            Kind::Edit => open_draft(ctx, kind, Some(code), None)?,
            Kind::Rename => ask_id(ctx, kind, "New id for", &code, code.id.as_str()),
            Kind::Add => ask_id(ctx, kind, "Id of the new code under", &code, ""),
            Kind::Split => ask_id(ctx, kind, "Id of the code split off", &code, ""),
            Kind::Deprecate => ask_title(ctx, Proposal::Deprecate(code.id.clone()))?,
            Kind::Merge => {
                let targets: Vec<Slug> = ctx
                    .study
                    .codebook
                    .tree()
                    .into_iter()
                    .map(|(_, c)| c)
                    .filter(|c| c.status == Status::Active && c.id != code.id)
                    .map(|c| c.id.clone())
                    .collect();
                ctx.overlay(Overlay::Picker(Picker::among(
                    Purpose::MergeInto,
                    targets,
                    &ctx.study.codebook,
                )));
            }
        }
        Ok(())
    }
}

fn ask_id(ctx: &mut Ctx, kind: Kind, what: &str, code: &Code, text: &str) {
    ctx.overlay(Overlay::Ask(Ask::new(
        format!("{what} {}", code.name),
        "Lowercase letters, digits and hyphens, e.g. threats-online.",
        text,
        Answer::NewId(kind),
    )));
}

fn ask_title(ctx: &mut Ctx, proposal: Proposal) -> Result<(), StudyError> {
    let cb = ctx.repo.main_codebook()?;
    // Refuse now rather than after the rationale is typed.
    proposal
        .apply(&cb)
        .map_err(|e| StudyError::Refused(e.to_string()))?;
    let title = proposal.default_title(&cb);
    ctx.overlay(Overlay::Ask(Ask::new(
        "Title of the suggestion",
        "One line; reviewers see it in the list.",
        &title,
        Answer::Title(proposal),
    )));
    Ok(())
}

impl CodebookScreen {
    /// Text typed in the prompts of a new suggestion.
    pub fn proposal_answer(
        &mut self,
        ctx: &mut Ctx,
        answer: Answer,
        text: String,
    ) -> Result<(), StudyError> {
        match answer {
            Answer::NewId(kind) => {
                let Some(code) = self.selected_code(ctx) else {
                    return Ok(());
                };
                let id = Slug::new(text.trim())?;
                match kind {
                    Kind::Rename => ask_title(
                        ctx,
                        Proposal::Rename {
                            from: code.id,
                            to: id,
                        },
                    )?,
                    Kind::Add => {
                        let mut new = Code::new(id.clone(), id.as_str(), "");
                        new.parent = Some(code.id.clone());
                        open_draft(ctx, kind, Some(new), None)?;
                    }
                    _ => {
                        let mut new = Code::new(id.clone(), id.as_str(), "");
                        new.parent = code.parent.clone();
                        open_draft(ctx, Kind::Split, Some(code), Some(new))?;
                    }
                }
            }
            Answer::Title(_) if text.trim().is_empty() => {
                ctx.say("A suggestion needs a title; nothing was suggested.");
            }
            Answer::Title(proposal) => {
                ctx.overlay(Overlay::Ask(Ask::new(
                    format!("Rationale for “{}”", text.trim()),
                    RATIONALE_NOTE,
                    "",
                    Answer::Rationale(proposal, text),
                )));
            }
            Answer::Rationale(proposal, title) => {
                let branch = suggest::propose(
                    ctx.repo.git()?,
                    ctx.author,
                    &proposal,
                    Some(&title),
                    &text,
                    None,
                )?;
                proposed(ctx, branch);
            }
            _ => {}
        }
        Ok(())
    }

    /// The picker's choice of a target for merging the selected code.
    pub fn propose_merge_into(&mut self, ctx: &mut Ctx, into: Slug) -> Result<(), StudyError> {
        let Some(code) = self.selected_code(ctx) else {
            return Ok(());
        };
        ask_title(
            ctx,
            Proposal::Merge {
                from: code.id,
                into,
            },
        )
    }
}

/// A suggestion was made: say so and show it.
pub(crate) fn proposed(ctx: &mut Ctx, branch: String) {
    ctx.say(format!("Suggested {branch}."));
    ctx.effect(Effect::ShowSuggestion(branch));
}

/// Writes the draft (or finds the unfinished one) and asks the event
/// loop to run the editor on it.
fn open_draft(
    ctx: &mut Ctx,
    kind: Kind,
    code: Option<Code>,
    new_code: Option<Code>,
) -> Result<(), StudyError> {
    let name = format!(
        "{kind}-{}",
        code.as_ref()
            .map_or("change".to_string(), |c| c.id.to_string())
    );
    let cb = ctx.repo.main_codebook()?;
    let proposal = match (&code, &new_code) {
        (Some(c), Some(n)) => Proposal::Split {
            narrowed: Box::new(c.clone()),
            new: Box::new(n.clone()),
        },
        (Some(c), None) if kind == Kind::Add => Proposal::Add(Box::new(c.clone())),
        (Some(c), None) => Proposal::Edit(Box::new(c.clone())),
        (None, _) => return Ok(()),
    };
    let initial = Draft {
        title: proposal.default_title(&cb),
        rationale: String::new(),
        code,
        new_code,
    };
    let (path, reopened) = drafts::prepare(ctx.repo.git()?, &name, &initial, &help(kind))?;
    if reopened {
        ctx.say("Reopening your unfinished draft.");
    }
    ctx.effect(Effect::Edit(EditRequest {
        path,
        purpose: DraftFor::New(kind),
    }));
    Ok(())
}
