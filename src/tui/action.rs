//! Everything a user can do, as data: keys map to actions, overlays
//! produce actions, and `App::update` is the one place that carries them out.

use crate::model::coding::Choice;
use crate::model::{Segment, Slug};

use crate::tui::review_ops::RetrievalOp;
use crate::tui::review_ops::ReviewOp;

/// The screens across the top, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Transcripts,
    Codebook,
    Agreement,
    Suggestions,
    History,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Transcripts,
        Tab::Codebook,
        Tab::Agreement,
        Tab::Suggestions,
        Tab::History,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Transcripts => "Transcripts",
            Tab::Codebook => "Codebook",
            Tab::Agreement => "Agreement",
            Tab::Suggestions => "Suggestions",
            Tab::History => "History",
        }
    }

    /// A short title for narrow terminals, where all five must still show.
    pub fn short(self) -> &'static str {
        match self {
            Tab::Transcripts => "Texts",
            Tab::Codebook => "Codes",
            Tab::Agreement => "Agree",
            Tab::Suggestions => "Suggest",
            Tab::History => "History",
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The tab `step` places along, wrapping round.
    pub fn step(self, step: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        Tab::ALL[(self.index() as isize + step).rem_euclid(n) as usize]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    NextTab,
    PrevTab,
    Tab(Tab),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    ToggleSelect,
    Pick,
    RemoveCode,
    EditMemo,
    ToggleComplete,
    /// Correct the open transcript's text in `$EDITOR`; codings move with it.
    CorrectText,
    Search,
    SearchNext,
    SearchPrev,
    NextSegment,
    /// Scrolls the pane of codes at the cursor (`J`/`K`).
    InfoDown,
    InfoUp,
    PrevSegment,
    Undo,
    Redo,
    ToggleExpand,
    Retrieve,
    /// Apply a code to the selection (or the cursor line).
    Apply(Slug),
    /// Remove the segment with this code at the cursor.
    Remove(Slug),
    /// Open the memo editor on the segment with this code at the cursor.
    Memo(Slug),
    /// Set the memo of the segment with this code at the cursor.
    SetMemo(Slug, String),
    SearchFor(String),
    /// Open a transcript at a line (from coded retrieval).
    JumpTo(Slug, usize),
    /// Agreement tab: the next (1) or previous (-1) pair of coders.
    CyclePair(isize),
    /// Open the reconciliation of the pair at its first unresolved hunk.
    Reconcile,
    /// Show agreement despite blind coding: `false` asks first.
    Unblind(bool),
    NextHunk,
    PrevHunk,
    NextUnresolved,
    /// Decide the current hunk (asks first if it was decided before).
    Decide(Choice),
    /// Decide it again, replacing the recorded decision.
    Redecide(Choice),
    /// Record a decision: the choice, the segments of an edited one, the rationale.
    Record(Choice, Vec<Segment>, String),
    /// Who is at the reconciliation meeting, as typed (comma-separated
    /// coder ids): recorded with each decision from now on.
    SetPresent(String),
    /// Turn the current hunk into a codebook suggestion (asks which code).
    Suggest,
    /// ... for this code: asks for a title.
    SuggestFor(Slug),
    /// ... with this title: creates the suggestion branch.
    CreateSuggestion(Slug, String),
    /// Exchange work with the team (fetch only in a read-only session).
    Sync,
    /// Suggestions, history and re-checks (see `review_ops`).
    Review(ReviewOp),
    /// The Codebook tab's retrieval: its filter and writing it to a file.
    Retrieval(RetrievalOp),
}

impl Action {
    /// How far a motion moves a selection: one, a page of ten, or to an end.
    pub fn step(&self) -> isize {
        match self {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -10,
            Action::PageDown => 10,
            Action::Top => isize::MIN / 2,
            Action::Bottom => isize::MAX / 2,
            _ => 0,
        }
    }

    /// Whether the action changes the study. A read-only session refuses
    /// these, and so does any session while a sync runs. Deliberately no
    /// `_` arm: each new action must be classified here.
    pub fn mutates(&self) -> bool {
        match self {
            Action::Pick
            | Action::RemoveCode
            | Action::EditMemo
            | Action::ToggleComplete
            | Action::CorrectText
            | Action::Undo
            | Action::Redo
            | Action::Apply(_)
            | Action::Remove(_)
            | Action::Memo(_)
            | Action::SetMemo(..)
            // Deciding and suggesting end in commits; refuse them before
            // the prompts rather than after.
            | Action::Decide(_)
            | Action::Redecide(_)
            | Action::Record(..)
            | Action::Suggest
            | Action::SuggestFor(_)
            | Action::CreateSuggestion(..) => true,
            Action::Review(op) => op.mutates(),
            Action::Quit
            | Action::Help
            | Action::NextTab
            | Action::PrevTab
            | Action::Tab(_)
            | Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::Open
            | Action::Back
            | Action::ToggleSelect
            | Action::Search
            | Action::SearchNext
            | Action::SearchPrev
            | Action::NextSegment
            | Action::PrevSegment
            | Action::InfoDown
            | Action::InfoUp
            | Action::ToggleExpand
            | Action::Retrieve
            // Writing a retrieval goes to a file of the user's, not the study.
            | Action::Retrieval(_)
            // Only remembered: each decision, refused on its own, stores it.
            | Action::SetPresent(_)
            | Action::SearchFor(_)
            | Action::JumpTo(..)
            | Action::Sync
            | Action::CyclePair(_)
            | Action::Reconcile
            | Action::Unblind(_)
            | Action::NextHunk
            | Action::PrevHunk
            | Action::NextUnresolved => false,
        }
    }
}
