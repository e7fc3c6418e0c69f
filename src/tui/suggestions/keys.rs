//! The key tables of the Suggestions and History tabs (the latter in
//! `history::keys`), in the same form as `keymap`'s, which dispatches here,
//! so hints and `?` help come from them too.

use ratatui::crossterm::event::KeyCode;

use crate::tui::action::Action;
use crate::tui::keymap::binding::{Binding, Context, b, code, ctrl, k};
use crate::tui::review_ops::ReviewOp;

use crate::tui::history::keys::{CHANGE, HISTORY, RECHECK};

use Context::{Change, Conflicts, History, Passages, Recheck, Suggestion, Suggestions};

/// The contexts with a table here.
pub const CONTEXTS: [Context; 7] = [
    Suggestions,
    Suggestion,
    Conflicts,
    Passages,
    History,
    Change,
    Recheck,
];

/// The list of open suggestions.
#[rustfmt::skip]
pub static SUGGESTIONS: &[Binding] = &[
    b(Suggestions, &[k('j'), code(KeyCode::Down)], 2, Action::Down, "next suggestion", ""),
    b(Suggestions, &[k('k'), code(KeyCode::Up)], 2, Action::Up, "previous suggestion", ""),
    b(Suggestions, &[k('g'), code(KeyCode::Home)], 1, Action::Top, "first", ""),
    b(Suggestions, &[k('G'), code(KeyCode::End)], 1, Action::Bottom, "last", ""),
    b(Suggestions, &[code(KeyCode::Enter), k('l'), code(KeyCode::Right)], 1, Action::Open, "show the suggestion: diff, impact, reviews", "open"),
    b(Suggestions, &[k('r')], 1, Action::Review(ReviewOp::Refresh), "read again from git (after a sync)", ""),
];

/// One suggestion.
#[rustfmt::skip]
pub static SUGGESTION: &[Binding] = &[
    b(Suggestion, &[k('j'), code(KeyCode::Down)], 2, Action::Down, "scroll down", ""),
    b(Suggestion, &[k('k'), code(KeyCode::Up)], 2, Action::Up, "scroll up", ""),
    b(Suggestion, &[code(KeyCode::PageDown), ctrl('d'), k(' ')], 2, Action::PageDown, "page down", ""),
    b(Suggestion, &[code(KeyCode::PageUp), ctrl('u')], 2, Action::PageUp, "page up", ""),
    b(Suggestion, &[k('g'), code(KeyCode::Home)], 1, Action::Top, "top", ""),
    b(Suggestion, &[k('G'), code(KeyCode::End)], 1, Action::Bottom, "bottom", ""),
    b(Suggestion, &[k('a')], 1, Action::Review(ReviewOp::Approve), "approve (not your own)", "approve"),
    b(Suggestion, &[k('c')], 1, Action::Review(ReviewOp::Comment), "comment", "comment"),
    b(Suggestion, &[k('x')], 1, Action::Review(ReviewOp::Reject), "reject, saying why (kept in the history)", "reject"),
    b(Suggestion, &[k('m')], 1, Action::Review(ReviewOp::Merge), "merge into main (once approved)", "merge"),
    b(Suggestion, &[k('p')], 1, Action::Review(ReviewOp::Passages), "list the coded passages it affects", "passages"),
    b(Suggestion, &[code(KeyCode::Esc), k('h'), code(KeyCode::Left)], 1, Action::Back, "back to the list", "back"),
    b(Suggestion, &[k('e')], 1, Action::Review(ReviewOp::Amend), "amend it in $EDITOR (its author only)", ""),
    b(Suggestion, &[k('C')], 1, Action::Review(ReviewOp::Conflicts), "its conflicts with main, side by side", ""),
    b(Suggestion, &[k('r')], 1, Action::Review(ReviewOp::Refresh), "read again from git (after a sync)", ""),
];

/// A suggestion's conflicts with `main`.
#[rustfmt::skip]
pub static CONFLICTS: &[Binding] = &[
    b(Conflicts, &[k('j'), code(KeyCode::Down)], 2, Action::Down, "next conflict", ""),
    b(Conflicts, &[k('k'), code(KeyCode::Up)], 2, Action::Up, "previous conflict", ""),
    b(Conflicts, &[k('g'), code(KeyCode::Home)], 1, Action::Top, "first", ""),
    b(Conflicts, &[k('G'), code(KeyCode::End)], 1, Action::Bottom, "last", ""),
    b(Conflicts, &[k('o')], 1, Action::Review(ReviewOp::TakeOurs), "keep main's text", "main's"),
    b(Conflicts, &[k('t')], 1, Action::Review(ReviewOp::TakeTheirs), "take the suggestion's text", "theirs"),
    b(Conflicts, &[k('e')], 1, Action::Review(ReviewOp::EditResolution), "write the text yourself", "edit"),
    b(Conflicts, &[k('m')], 1, Action::Review(ReviewOp::Merge), "merge again once every conflict is settled", "merge"),
    b(Conflicts, &[code(KeyCode::Esc), k('h'), code(KeyCode::Left)], 1, Action::Back, "back to the suggestion", "back"),
];

/// The coded passages behind a suggestion's impact.
#[rustfmt::skip]
pub static PASSAGES: &[Binding] = &[
    b(Passages, &[k('j'), code(KeyCode::Down)], 2, Action::Down, "next passage", ""),
    b(Passages, &[k('k'), code(KeyCode::Up)], 2, Action::Up, "previous passage", ""),
    b(Passages, &[k('g'), code(KeyCode::Home)], 1, Action::Top, "first", ""),
    b(Passages, &[k('G'), code(KeyCode::End)], 1, Action::Bottom, "last", ""),
    b(Passages, &[code(KeyCode::Enter), k('l'), code(KeyCode::Right)], 1, Action::Open, "open the passage in its transcript", "jump"),
    b(Passages, &[code(KeyCode::Esc), k('h'), code(KeyCode::Left)], 1, Action::Back, "back to the suggestion", "back"),
];

/// The table of one of [`CONTEXTS`] (empty for any other).
pub fn table(context: Context) -> &'static [Binding] {
    match context {
        Suggestions => SUGGESTIONS,
        Suggestion => SUGGESTION,
        Conflicts => CONFLICTS,
        Passages => PASSAGES,
        History => HISTORY,
        Change => CHANGE,
        Recheck => RECHECK,
        _ => &[],
    }
}
