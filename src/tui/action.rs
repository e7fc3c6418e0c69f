//! Everything a user can do, as data: keys map to actions, overlays
//! produce actions, and `App::update` is the one place that carries them out.

use crate::model::Slug;

use super::review_ops::ReviewOp;

/// The screens across the top, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Transcripts,
    Codebook,
    Suggestions,
    History,
}

impl Tab {
    pub const ALL: [Tab; 4] = [
        Tab::Transcripts,
        Tab::Codebook,
        Tab::Suggestions,
        Tab::History,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Transcripts => "Transcripts",
            Tab::Codebook => "Codebook",
            Tab::Suggestions => "Suggestions",
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
    Search,
    SearchNext,
    SearchPrev,
    NextSegment,
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
    /// Suggestions, history and re-checks (see `review_ops`).
    Review(ReviewOp),
}
