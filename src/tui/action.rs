//! Everything a user can do, as data: keys map to actions, overlays
//! produce actions, and `App::update` is the one place that carries them out.

use crate::model::Slug;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    NextTab,
    PrevTab,
    Tab(usize),
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
}
