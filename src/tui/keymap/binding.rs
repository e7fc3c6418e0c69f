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

impl Key {
    /// How the key is written in hints and help: `j`, `^n`, `↓`, `Enter`.
    pub fn name(&self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Backspace => "Bksp".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("^{name}")
        } else {
            name
        }
    }
}

/// Keys as one label, `↓/^n/Tab`: the one way hints and help write them.
pub fn names(keys: &[Key]) -> String {
    keys.iter().map(Key::name).collect::<Vec<_>>().join("/")
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
    /// The keys, those the label names first.
    pub keys: &'static [Key],
    /// How many of the leading `keys` hints and help name: the others
    /// (vim's `l` beside `Enter`, arrows beside letters) would crowd them.
    pub shown: usize,
    pub action: Action,
    pub description: &'static str,
    /// A word or two for the bottom hint bar; empty = only in `?` help.
    pub hint: &'static str,
}

impl Binding {
    /// How the binding's keys are written in hints and help, generated
    /// from the keys so the two cannot disagree.
    pub fn label(&self) -> String {
        names(&self.keys[..self.shown.min(self.keys.len())])
    }
}

pub(in crate::tui) const fn b(
    context: Context,
    keys: &'static [Key],
    shown: usize,
    action: Action,
    description: &'static str,
    hint: &'static str,
) -> Binding {
    Binding {
        context,
        keys,
        shown,
        action,
        description,
        hint,
    }
}
