//! The key tables of the History tab: the timeline, one change, and the
//! re-check queue (see `suggestions::keys`).

use ratatui::crossterm::event::KeyCode;

use crate::tui::action::Action;
use crate::tui::keymap::binding::{Binding, Context, b, code, ctrl, k};
use crate::tui::review_ops::ReviewOp;

use Context::{Change, History, Recheck};

/// The codebook's timeline.
#[rustfmt::skip]
pub static HISTORY: &[Binding] = &[
    b(History, &[k('j'), code(KeyCode::Down)], 2, Action::Down, "next entry", ""),
    b(History, &[k('k'), code(KeyCode::Up)], 2, Action::Up, "previous entry", ""),
    b(History, &[k('g'), code(KeyCode::Home)], 1, Action::Top, "first", ""),
    b(History, &[k('G'), code(KeyCode::End)], 1, Action::Bottom, "last", ""),
    b(History, &[code(KeyCode::Enter), k('l'), code(KeyCode::Right)], 1, Action::Open, "show what the change did, field by field", "show"),
    b(History, &[k('m')], 1, Action::Review(ReviewOp::Mark), "mark this version to compare another with it", "mark"),
    b(History, &[k('d')], 1, Action::Review(ReviewOp::DiffMarked), "diff the marked version and this one", "diff"),
    b(History, &[k('R')], 1, Action::Review(ReviewOp::RecheckQueue), "your segments to re-check", "re-check"),
    b(History, &[code(KeyCode::Esc), k('h'), code(KeyCode::Left)], 1, Action::Back, "back to the whole codebook's history", "all"),
    b(History, &[k('r')], 1, Action::Review(ReviewOp::Refresh), "read again from git (after a sync)", ""),
];

/// One change, or the diff of two versions.
#[rustfmt::skip]
pub static CHANGE: &[Binding] = &[
    b(Change, &[k('j'), code(KeyCode::Down)], 2, Action::Down, "scroll down", ""),
    b(Change, &[k('k'), code(KeyCode::Up)], 2, Action::Up, "scroll up", ""),
    b(Change, &[code(KeyCode::PageDown), ctrl('d'), k(' ')], 2, Action::PageDown, "page down", ""),
    b(Change, &[code(KeyCode::PageUp), ctrl('u')], 2, Action::PageUp, "page up", ""),
    b(Change, &[k('g'), code(KeyCode::Home)], 1, Action::Top, "top", ""),
    b(Change, &[k('G'), code(KeyCode::End)], 1, Action::Bottom, "bottom", ""),
    b(Change, &[code(KeyCode::Esc), k('h'), code(KeyCode::Left)], 1, Action::Back, "back to the timeline", "back"),
];

/// The re-check queue.
#[rustfmt::skip]
pub static RECHECK: &[Binding] = &[
    b(Recheck, &[k('j'), code(KeyCode::Down)], 2, Action::Down, "next segment", ""),
    b(Recheck, &[k('k'), code(KeyCode::Up)], 2, Action::Up, "previous segment", ""),
    b(Recheck, &[k('g'), code(KeyCode::Home)], 1, Action::Top, "first", ""),
    b(Recheck, &[k('G'), code(KeyCode::End)], 1, Action::Bottom, "last", ""),
    b(Recheck, &[code(KeyCode::Enter), k('l'), code(KeyCode::Right)], 1, Action::Open, "open the segment in its transcript", "jump"),
    b(Recheck, &[k('x')], 1, Action::Review(ReviewOp::ClearRecheck), "mark it re-checked under the current codebook (commits)", "re-checked"),
    b(Recheck, &[code(KeyCode::Esc), k('h'), code(KeyCode::Left)], 1, Action::Back, "back to the timeline", "back"),
    b(Recheck, &[k('r')], 1, Action::Review(ReviewOp::Refresh), "read again from git (after a sync)", ""),
];
