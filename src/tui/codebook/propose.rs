//! Suggesting a change from the Codebook tab, and amending one's own
//! suggestion. Rename, merge and deprecate ask for a title and rationale in
//! prompts; add, edit and split open `$EDITOR` on the same TOML draft the
//! CLI uses (the event loop suspends the screen meanwhile). A draft that
//! does not parse, or a change the codebook refuses, is reported with its
//! position and the draft is kept: choosing the same change reopens it.

use crate::model::proposal::{Kind, Proposal};
use crate::model::{Code, Codebook, Slug, Status};
use crate::study::drafts::{self, Made};
use crate::study::{StudyError, suggest};

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::popups::menu::{Ask, Menu};
use crate::tui::popups::overlay::Overlay;
use crate::tui::popups::picker::{Picker, Purpose};
use crate::tui::review_ops::{Answer, ReviewOp};

/// A draft to edit in `$EDITOR`; the event loop runs the editor and hands
/// it back to [`App::draft_edited`].
pub use crate::study::drafts::Pending as EditRequest;

const RATIONALE_NOTE: &str =
    "Why should the codebook change? Reviewers read it; the history keeps it.";

impl App {
    /// The code selected in the Codebook tab.
    fn selected_code(&self) -> Option<Code> {
        self.codebook_screen.current(&self.study.codebook).cloned()
    }

    /// The codebook on `main`, which suggestions start from.
    fn main_codebook(&self) -> Result<Codebook, StudyError> {
        self.repo.main_codebook()
    }

    /// `s` in the Codebook tab: what kind of change to suggest.
    pub(in crate::tui) fn suggest_menu(&mut self) {
        let Some(code) = self.selected_code() else {
            self.say("The codebook is empty: nothing to change.");
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
        self.overlay = Some(Overlay::Menu(Menu {
            title: format!("Suggest a change to {}", code.name),
            items,
            selected: 0,
        }));
    }

    /// Starts the suggestion of `kind` for the selected code.
    pub(in crate::tui) fn start_proposal(&mut self, kind: Kind) -> Result<(), StudyError> {
        let Some(code) = self.selected_code() else {
            return Ok(());
        };
        // Suggestions start from main, which may differ from the working tree.
        let code = self
            .main_codebook()?
            .get(code.id.as_str())
            .cloned()
            .unwrap_or(code);
        match kind {
            Kind::Edit => self.open_draft(kind, Some(code), None)?,
            Kind::Rename => self.ask_id(kind, "New id for", &code, code.id.as_str()),
            Kind::Add => self.ask_id(kind, "Id of the new code under", &code, ""),
            Kind::Split => self.ask_id(kind, "Id of the code split off", &code, ""),
            Kind::Deprecate => self.ask_title(Proposal::Deprecate(code.id.clone()))?,
            Kind::Merge => {
                let targets: Vec<Slug> = self
                    .study
                    .codebook
                    .tree()
                    .into_iter()
                    .map(|(_, c)| c)
                    .filter(|c| c.status == Status::Active && c.id != code.id)
                    .map(|c| c.id.clone())
                    .collect();
                self.overlay = Some(Overlay::Picker(Picker::among(
                    Purpose::MergeInto,
                    targets,
                    &self.study.codebook,
                )));
            }
        }
        Ok(())
    }

    fn ask_id(&mut self, kind: Kind, what: &str, code: &Code, text: &str) {
        self.overlay = Some(Overlay::Ask(Ask::new(
            format!("{what} {}", code.name),
            "Lowercase letters, digits and hyphens, e.g. threats-online.",
            text,
            Answer::NewId(kind),
        )));
    }

    fn ask_title(&mut self, proposal: Proposal) -> Result<(), StudyError> {
        let cb = self.main_codebook()?;
        // Refuse now rather than after the rationale is typed.
        proposal
            .apply(&cb)
            .map_err(|e| StudyError::Refused(e.to_string()))?;
        let title = proposal.default_title(&cb);
        self.overlay = Some(Overlay::Ask(Ask::new(
            "Title of the suggestion",
            "One line; reviewers see it in the list.",
            &title,
            Answer::Title(proposal),
        )));
        Ok(())
    }

    /// Text typed in the prompts of a new suggestion.
    pub(in crate::tui) fn proposal_answer(
        &mut self,
        answer: Answer,
        text: String,
    ) -> Result<(), StudyError> {
        match answer {
            Answer::NewId(kind) => {
                let Some(code) = self.selected_code() else {
                    return Ok(());
                };
                let id = Slug::new(text.trim())?;
                match kind {
                    Kind::Rename => self.ask_title(Proposal::Rename {
                        from: code.id,
                        to: id,
                    })?,
                    Kind::Add => {
                        let mut new = Code::new(id.clone(), id.as_str(), "");
                        new.parent = Some(code.id.clone());
                        self.open_draft(kind, Some(new), None)?;
                    }
                    _ => {
                        let mut new = Code::new(id.clone(), id.as_str(), "");
                        new.parent = code.parent.clone();
                        self.open_draft(Kind::Split, Some(code), Some(new))?;
                    }
                }
            }
            Answer::Title(_) if text.trim().is_empty() => {
                self.say("A suggestion needs a title; nothing was suggested.");
            }
            Answer::Title(proposal) => {
                self.overlay = Some(Overlay::Ask(Ask::new(
                    format!("Rationale for “{}”", text.trim()),
                    RATIONALE_NOTE,
                    "",
                    Answer::Rationale(proposal, text),
                )));
            }
            Answer::Rationale(proposal, title) => {
                let branch = suggest::propose(
                    self.repo.git()?,
                    &self.author,
                    &proposal,
                    Some(&title),
                    &text,
                    None,
                )?;
                self.proposed(branch);
            }
            _ => {}
        }
        Ok(())
    }

    /// The picker's choice of a target for merging the selected code.
    pub(in crate::tui) fn propose_merge_into(&mut self, into: Slug) -> Result<(), StudyError> {
        let Some(code) = self.selected_code() else {
            return Ok(());
        };
        self.ask_title(Proposal::Merge {
            from: code.id,
            into,
        })
    }

    fn proposed(&mut self, branch: String) {
        self.say(format!("Suggested {branch}."));
        self.show_suggestion(branch);
    }

    /// Writes the draft (or finds the unfinished one) and asks the event
    /// loop to run the editor on it.
    fn open_draft(
        &mut self,
        kind: Kind,
        code: Option<Code>,
        new_code: Option<Code>,
    ) -> Result<(), StudyError> {
        let proposal = match (code, new_code) {
            (Some(c), Some(n)) => Proposal::Split {
                narrowed: Box::new(c),
                new: Box::new(n),
            },
            (Some(c), None) if kind == Kind::Add => Proposal::Add(Box::new(c)),
            (Some(c), None) => Proposal::Edit(Box::new(c)),
            (None, _) => return Ok(()),
        };
        let pending = drafts::start_new(&self.repo, proposal, None, None, None)?;
        if pending.reopened {
            self.say("Reopening your unfinished draft.");
        }
        self.editor = Some(pending);
        Ok(())
    }

    /// `e` on one's own suggestion: amend one of the codes it changes.
    pub(in crate::tui) fn amend_op(&mut self, op: ReviewOp, mine: bool) -> Result<(), StudyError> {
        let Some(open) = self.suggestions.open.as_ref() else {
            return Ok(());
        };
        if !mine {
            let owner = suggest::author_of(&open.branch)
                .unwrap_or("its author")
                .to_string();
            self.say(format!("Only {owner} can amend it; comment instead (c)."));
            return Ok(());
        }
        let branch = open.branch.clone();
        let cb = self.repo.branch_codebook(&branch)?;
        let code = match op {
            ReviewOp::AmendCode(id) => cb.get(id.as_str()).cloned(),
            _ => {
                let ids: Vec<Slug> = open
                    .data
                    .ready()
                    .map(|l| l.detail.changes.iter().map(|c| c.id().clone()).collect())
                    .unwrap_or_default();
                let present: Vec<&Code> = ids.iter().filter_map(|id| cb.get(id.as_str())).collect();
                if present.len() > 1 {
                    let items = present
                        .iter()
                        .zip('1'..='9')
                        .map(|(c, key)| {
                            (
                                key,
                                c.name.clone(),
                                Action::Review(ReviewOp::AmendCode(c.id.clone())),
                            )
                        })
                        .collect();
                    self.overlay = Some(Overlay::Menu(Menu {
                        title: "Amend which code?".into(),
                        items,
                        selected: 0,
                    }));
                    return Ok(());
                }
                present.first().map(|c| (*c).clone())
            }
        };
        let Some(code) = code else {
            self.say("This suggestion changes no code that can be edited; comment instead.");
            return Ok(());
        };
        self.editor = Some(drafts::start_amend(
            &self.repo,
            &branch,
            code,
            String::new(),
        )?);
        Ok(())
    }

    /// Back from the editor: read the draft and make the suggestion or the
    /// amendment. Anything wrong leaves the draft in place and says where.
    pub fn draft_edited(&mut self, request: EditRequest, edited: Result<(), StudyError>) {
        let path = request.path.clone();
        if let Err(e) = edited.and_then(|()| self.use_draft(request)) {
            self.fail(format!(
                "{e}\nYour draft is kept in {}; choose the same change again to reopen it.",
                path.display()
            ));
        }
    }

    fn use_draft(&mut self, request: EditRequest) -> Result<(), StudyError> {
        match drafts::finish(&self.repo, &self.author, &request)? {
            Made::Amended(_) => {
                self.say("Amended your suggestion; its approvals stay.");
                self.load_suggestions();
            }
            Made::Suggested(branch) => self.proposed(branch),
        }
        Ok(())
    }
}
