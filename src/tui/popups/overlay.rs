//! Popups over the screen: help, the code picker, text prompts, errors.
//! An open overlay gets every key until it closes.

use ratatui::crossterm::event::KeyEvent;

use crate::model::{Codebook, Slug};

use crate::tui::action::Action;
use crate::tui::popups::input::{Edit, Input};
use crate::tui::popups::keys::{self, ConfirmOp, HelpOp, MessageOp, PickerOp};
use crate::tui::popups::menu::{Ask, Menu};
use crate::tui::popups::picker::Picker;
use crate::tui::reconcile::popup::Popup;

/// A popup over the screen; it gets every key until it closes.
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Picker(Picker),
    Memo {
        code: Slug,
        input: Input,
    },
    Search(Input),
    /// Something failed; the app keeps running.
    Error(String),
    /// Something to read, such as what a sync did.
    Info {
        title: String,
        text: String,
    },
    /// Asks before something hard to undo; `y` or Enter carries out `action`.
    Confirm {
        question: String,
        action: Action,
    },
    /// The reconciliation view's prompts and checklist.
    Reconcile(Popup),
    /// A one-line prompt of the Suggestions and History tabs.
    Ask(Ask),
    /// A choice among a few actions, one key each.
    Menu(Menu),
}

impl Overlay {
    /// Takes one key: what stays open (if anything) and the action chosen,
    /// which the app carries out.
    pub fn key(self, key: &KeyEvent, codebook: &Codebook) -> (Option<Overlay>, Option<Action>) {
        match self {
            Overlay::Help { scroll } => match keys::find_loosely(keys::HELP, key) {
                Some(HelpOp::Down) => (Some(Overlay::Help { scroll: scroll + 1 }), None),
                Some(HelpOp::Up) => (
                    Some(Overlay::Help {
                        scroll: scroll.saturating_sub(1),
                    }),
                    None,
                ),
                Some(HelpOp::Close) => (None, None),
                None => (Some(Overlay::Help { scroll }), None),
            },
            Overlay::Error(msg) => match keys::find_loosely(keys::MESSAGE, key) {
                Some(MessageOp::Close) => (None, None),
                None => (Some(Overlay::Error(msg)), None),
            },
            Overlay::Info { title, text } => match keys::find_loosely(keys::MESSAGE, key) {
                Some(MessageOp::Close) => (None, None),
                None => (Some(Overlay::Info { title, text }), None),
            },
            Overlay::Picker(mut p) => match keys::find(keys::PICKER, key) {
                Some(PickerOp::Next) => {
                    p.move_by(1);
                    (Some(Overlay::Picker(p)), None)
                }
                Some(PickerOp::Previous) => {
                    p.move_by(-1);
                    (Some(Overlay::Picker(p)), None)
                }
                Some(PickerOp::Apply) => (None, p.choose()),
                Some(PickerOp::Cancel) => (None, None),
                Some(PickerOp::Filter) | None => match p.input.handle(key) {
                    Edit::Submit => (None, p.choose()),
                    Edit::Cancel => (None, None),
                    Edit::Changed => {
                        p.refilter(codebook);
                        (Some(Overlay::Picker(p)), None)
                    }
                    _ => (Some(Overlay::Picker(p)), None),
                },
            },
            Overlay::Memo { code, mut input } => match input.handle(key) {
                Edit::Submit => (None, Some(Action::SetMemo(code, input.text))),
                Edit::Cancel => (None, None),
                _ => (Some(Overlay::Memo { code, input }), None),
            },
            Overlay::Search(mut input) => match input.handle(key) {
                Edit::Submit => (None, Some(Action::SearchFor(input.text))),
                Edit::Cancel => (None, None),
                _ => (Some(Overlay::Search(input)), None),
            },
            Overlay::Confirm { question, action } => match keys::find(keys::CONFIRM, key) {
                Some(ConfirmOp::Yes) => (None, Some(action)),
                Some(ConfirmOp::No) => (None, None),
                None => (Some(Overlay::Confirm { question, action }), None),
            },
            Overlay::Reconcile(popup) => {
                let (keep, action) = popup.key(key);
                (keep.map(Overlay::Reconcile), action)
            }
            Overlay::Ask(ask) => {
                let (keep, action) = ask.key(key);
                (keep.map(Overlay::Ask), action)
            }
            Overlay::Menu(menu) => {
                let (keep, action) = menu.key(key);
                (keep.map(Overlay::Menu), action)
            }
        }
    }
}
