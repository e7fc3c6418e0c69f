//! What a person can do with suggestions, the history and the re-check
//! queue, as data: one `Action::Review` carries these, so the shared action
//! list grows by one variant and this module owns the rest. Which screen
//! carries each one out is `App::review_op` (`app_review`).

use crate::model::Slug;
use crate::model::proposal::{Kind, Proposal};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewOp {
    /// Read suggestions, history or the queue again from git.
    Refresh,
    Approve,
    Comment,
    Reject,
    Merge,
    Amend,
    /// Amend the suggestion's change to this code (chosen in a menu).
    AmendCode(Slug),
    /// The coded passages behind a suggestion's impact.
    Passages,
    /// A suggestion's conflicts with `main`, side by side.
    Conflicts,
    TakeOurs,
    TakeTheirs,
    EditResolution,
    /// From the Codebook tab: the menu of changes to suggest.
    SuggestChange,
    Propose(Kind),
    /// The target chosen in the picker for a merge of the selected code.
    MergeInto(Slug),
    /// From the Codebook tab: the selected code's history.
    CodeHistory,
    /// Mark the selected history entry to compare another with it.
    Mark,
    /// The codebook diff between the marked entry and the selected one.
    DiffMarked,
    RecheckQueue,
    ClearRecheck,
    /// Confirmed in a popup: carry it out.
    Confirmed(Confirmed),
    /// Text typed in a prompt, for the step that asked for it.
    Answer(Answer, String),
}

/// Actions that run once a confirmation popup says yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    /// With the optional comment typed first (empty for none).
    Approve(String),
    Comment(String),
    Reject(String),
    Merge,
}

/// What a prompt's text is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The optional comment an approval carries.
    ApproveComment,
    Comment,
    RejectReason,
    /// The new id of a rename, an added code or a split-off code.
    NewId(Kind),
    /// The title of a proposal (pre-filled with its default title).
    Title(Proposal),
    /// The rationale, last: then the suggestion is made.
    Rationale(Proposal, String),
    /// Hand-written text settling the conflict `key`.
    Resolution(String),
    /// The Codebook tab's retrieval: a filter or a file name. The prompt
    /// hands it to `Action::Retrieval`, never as a `ReviewOp`.
    Retrieval(Prompt),
}

impl ReviewOp {
    /// Whether it writes to git (see `Action::mutates`): a read-only
    /// session, or one that is syncing, refuses it before any prompt.
    /// Deliberately no `_` arm: each new operation must be classified.
    pub fn mutates(&self) -> bool {
        match self {
            ReviewOp::Approve
            | ReviewOp::Comment
            | ReviewOp::Reject
            | ReviewOp::Merge
            | ReviewOp::Amend
            | ReviewOp::AmendCode(_)
            | ReviewOp::TakeOurs
            | ReviewOp::TakeTheirs
            | ReviewOp::EditResolution
            | ReviewOp::SuggestChange
            | ReviewOp::Propose(_)
            | ReviewOp::MergeInto(_)
            | ReviewOp::ClearRecheck
            | ReviewOp::Confirmed(_)
            | ReviewOp::Answer(..) => true,
            ReviewOp::Refresh
            | ReviewOp::Passages
            | ReviewOp::Conflicts
            | ReviewOp::CodeHistory
            | ReviewOp::Mark
            | ReviewOp::DiffMarked
            | ReviewOp::RecheckQueue => false,
        }
    }
}

/// What the Codebook tab's retrieval keys and prompts ask for; carried by
/// `Action::Retrieval` and carried out by `CodebookScreen`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetrievalOp {
    /// Ask for a filter (`KEY=VALUE,...`).
    Filter,
    /// The filter typed; empty clears it.
    Where(String),
    ClearFilter,
    /// Ask where to write the retrieval.
    Save,
    /// The path typed.
    SaveTo(String),
}

/// Which prompt a typed answer belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    Where,
    SaveTo,
}

impl Prompt {
    /// The operation carrying what was typed.
    pub fn answer(self, text: String) -> RetrievalOp {
        match self {
            Prompt::Where => RetrievalOp::Where(text),
            Prompt::SaveTo => RetrievalOp::SaveTo(text),
        }
    }
}
