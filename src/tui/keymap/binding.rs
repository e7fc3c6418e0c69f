//! What a key binding is, below every key table (`keymap`'s, the
//! Suggestions', History's and the popups'), so the tables and the
//! dispatch in `keymap` can use one another's types without a cycle.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use crate::tui::action::Action;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    /// The transcript list.
    List,
    /// A transcript open for coding.
    Document,
    Codebook,
    /// The Codebook tab listing every segment of one code (coded retrieval).
    Retrieval,
    /// The Agreement tab: the table, or a code's disagreements.
    Agreement,
    /// Walking through the disagreement hunks of two coders.
    Reconcile,
    /// The list of open suggestions.
    Suggestions,
    /// One suggestion: its diff, impact and reviews.
    Suggestion,
    Conflicts,
    Passages,
    /// The codebook's timeline (or one code's).
    History,
    /// One change of the history, or the diff of two versions.
    Change,
    Recheck,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "Transcript list",
            Context::Document => "Transcript",
            Context::Codebook => "Codebook (codes by name, each under its parent)",
            Context::Retrieval => "Coded retrieval (every segment of the code)",
            Context::Agreement => "Agreement",
            Context::Reconcile => "Reconciliation",
            Context::Suggestions => "Suggestions",
            Context::Suggestion => "A suggestion",
            Context::Conflicts => "Merge conflicts",
            Context::Passages => "Coded passages",
            Context::History => "Codebook history",
            Context::Change => "A change",
            Context::Recheck => "Re-check queue",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

pub(in crate::tui) const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

pub(in crate::tui) const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

pub(in crate::tui) const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    /// How the keys are written in hints and help.
    pub label: &'static str,
    pub action: Action,
    pub description: &'static str,
    /// A word or two for the bottom hint bar; empty = only in `?` help.
    pub hint: &'static str,
}

pub(in crate::tui) const fn b(
    context: Context,
    keys: &'static [Key],
    label: &'static str,
    action: Action,
    description: &'static str,
    hint: &'static str,
) -> Binding {
    Binding {
        context,
        keys,
        label,
        action,
        description,
        hint,
    }
}
