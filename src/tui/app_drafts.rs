//! The app's side of suggesting from the terminal UI: the Codebook tab's
//! suggestion keys handed to its screen (`codebook::propose`), amending
//! one's own suggestion, and taking a draft back from `$EDITOR`.

use crate::model::Code;
use std::path::Path;

use crate::model::Slug;
use crate::model::proposal::Kind;
use crate::study::StudyError;
use crate::study::drafts::{self, Made};
use crate::study::{correct, suggest};

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::popups::menu::Menu;
use crate::tui::popups::overlay::Overlay;
use crate::tui::review_ops::{Answer, ReviewOp};
use crate::tui::screen_call::on_screen;
use crate::tui::suspend::{DraftFor, EditRequest};

impl App {
    /// `s` in the Codebook tab: what kind of change to suggest.
    pub(crate) fn suggest_menu(&mut self) {
        on_screen!(self, codebook_screen, |screen, ctx| screen
            .suggest_menu(&mut ctx))
    }

    /// Starts the suggestion of `kind` for the selected code.
    pub(crate) fn start_proposal(&mut self, kind: Kind) -> Result<(), StudyError> {
        on_screen!(self, codebook_screen, |screen, ctx| {
            screen.start_proposal(&mut ctx, kind)
        })
    }

    /// Text typed in the prompts of a new suggestion.
    pub(crate) fn proposal_answer(
        &mut self,
        answer: Answer,
        text: String,
    ) -> Result<(), StudyError> {
        on_screen!(self, codebook_screen, |screen, ctx| {
            screen.proposal_answer(&mut ctx, answer, text)
        })
    }

    /// The picker's choice of a target for merging the selected code.
    pub(crate) fn propose_merge_into(&mut self, into: Slug) -> Result<(), StudyError> {
        on_screen!(self, codebook_screen, |screen, ctx| {
            screen.propose_merge_into(&mut ctx, into)
        })
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
        self.editor = Some(EditRequest::from(drafts::start_amend(
            &self.repo,
            &branch,
            code,
            String::new(),
        )?));
        Ok(())
    }

    /// Back from the editor: read the draft and make the suggestion or the
    /// amendment. Anything wrong leaves the draft in place and says where.
    pub fn draft_edited(&mut self, request: EditRequest, edited: Result<(), StudyError>) {
        if let DraftFor::Correct { transcript } = &request.purpose {
            self.corrected(&request.path, transcript.clone(), edited);
            return;
        }
        let path = request.path.clone();
        if let Err(e) = edited.and_then(|()| self.use_draft(request)) {
            self.fail(format!(
                "{e}\nYour draft is kept in {}; choose the same change again to reopen it.",
                path.display()
            ));
        }
    }

    fn use_draft(&mut self, request: EditRequest) -> Result<(), StudyError> {
        // A correction is handed to `corrected` by `draft_edited`.
        let DraftFor::Draft(pending) = request.purpose else {
            return Ok(());
        };
        match drafts::finish(&self.repo, &self.author, &pending)? {
            Made::Amended(_) => {
                self.say("Amended your suggestion; its approvals stay.");
                self.load_suggestions();
            }
            Made::Suggested(branch) => {
                self.say(format!("Suggested {branch}."));
                self.show_suggestion(branch);
            }
        }
        Ok(())
    }

    /// Back from the editor with a corrected transcript: re-anchor every
    /// coding on the new text (one commit), read the transcript again and
    /// say what moved. On failure nothing changed and the text is kept.
    fn corrected(&mut self, path: &Path, id: Slug, edited: Result<(), StudyError>) {
        let result = edited.and_then(|()| {
            let bytes = std::fs::read(path).map_err(|e| StudyError::io(path, e))?;
            // The correction rewrites the coding files: this session's
            // changes go in first.
            self.commit_sessions()?;
            correct::replace(
                &self.study,
                self.repo.git()?,
                &self.author,
                &id,
                path,
                &bytes,
            )
        });
        let report = match result {
            Ok(report) => report,
            Err(e) => {
                self.fail(format!(
                    "{e}\nNothing was changed; your corrected text is kept in {}.",
                    path.display()
                ));
                return;
            }
        };
        if let Some(dir) = path.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
        on_screen!(self, transcripts, |screen, ctx| screen
            .reopen(&mut ctx, &id));
        match report {
            None => self.say(format!("{id}: the text is unchanged; nothing to do.")),
            Some(report) => {
                let mut said = format!("Corrected {id}: {}.", report.tally.summary());
                if !report.recheck.is_empty() {
                    said.push_str(" Each coder finds theirs under R (re-check).");
                }
                self.say(said);
                self.refresh_status();
            }
        }
    }
}
