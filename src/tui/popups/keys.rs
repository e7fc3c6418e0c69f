//! The keys of the popups (the code picker, a yes/no question, a text
//! prompt, a menu, a message, the `?` help itself), as tables like the
//! screens' (`keymap`): the same table handles the key, writes the hint bar
//! and the `?` help, and the labels are generated from the keys, so none of
//! the three can drift from the others.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::keymap::binding::{Key, code, ctrl, k, names};

/// One key binding of a popup.
pub struct PopupBinding<Op: 'static> {
    /// Empty for typing itself (the picker's filter).
    pub keys: &'static [Key],
    pub op: Op,
    pub description: &'static str,
    /// A word for the hint bar; empty = only in `?` help.
    pub hint: &'static str,
    /// How many of `keys` the hint bar names (the help names them all).
    pub hint_keys: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerOp {
    Filter,
    Next,
    Previous,
    Apply,
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmOp {
    Yes,
    No,
}

/// Editing a one-line text input (memo, search, the review prompts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptOp {
    Type,
    Submit,
    Cancel,
    Left,
    Right,
    Start,
    End,
    Backspace,
    Delete,
    DeleteToStart,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuOp {
    Next,
    Previous,
    Choose,
    Cancel,
}

/// A problem or a message to read has nothing to do but close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageOp {
    Close,
}

/// The reconciliation's checklist of an edited decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecklistOp {
    Toggle,
    Next,
    Previous,
    Done,
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpOp {
    Down,
    Up,
    Close,
}

const fn pb<Op>(
    keys: &'static [Key],
    op: Op,
    description: &'static str,
    hint: &'static str,
    hint_keys: usize,
) -> PopupBinding<Op> {
    PopupBinding {
        keys,
        op,
        description,
        hint,
        hint_keys,
    }
}

#[rustfmt::skip]
pub static PICKER: &[PopupBinding<PickerOp>] = &[
    pb(&[], PickerOp::Filter, "type to filter codes by name, id or alias", "filter", 0),
    pb(&[code(KeyCode::Down), ctrl('n'), code(KeyCode::Tab), ctrl('j')], PickerOp::Next, "next code", "next", 2),
    pb(&[code(KeyCode::Up), ctrl('p'), code(KeyCode::BackTab), ctrl('k')], PickerOp::Previous, "previous code", "previous", 2),
    pb(&[code(KeyCode::Enter)], PickerOp::Apply, "apply the highlighted code", "apply", 1),
    pb(&[code(KeyCode::Esc)], PickerOp::Cancel, "close without applying", "cancel", 1),
];

#[rustfmt::skip]
pub static CONFIRM: &[PopupBinding<ConfirmOp>] = &[
    pb(&[k('y'), code(KeyCode::Enter), k('Y')], ConfirmOp::Yes, "yes, go ahead", "yes", 1),
    pb(&[k('n'), code(KeyCode::Esc), k('N'), k('q')], ConfirmOp::No, "no, leave things as they are", "no", 2),
];

#[rustfmt::skip]
pub static PROMPT: &[PopupBinding<PromptOp>] = &[
    pb(&[code(KeyCode::Enter)], PromptOp::Submit, "confirm what was typed", "confirm", 1),
    pb(&[code(KeyCode::Esc)], PromptOp::Cancel, "close without doing anything", "close", 1),
    pb(&[], PromptOp::Type, "type the text", "", 0),
    pb(&[code(KeyCode::Left)], PromptOp::Left, "cursor one character left", "", 0),
    pb(&[code(KeyCode::Right)], PromptOp::Right, "cursor one character right", "", 0),
    pb(&[code(KeyCode::Home), ctrl('a')], PromptOp::Start, "cursor to the start", "", 0),
    pb(&[code(KeyCode::End), ctrl('e')], PromptOp::End, "cursor to the end", "", 0),
    pb(&[code(KeyCode::Backspace)], PromptOp::Backspace, "delete the character before the cursor", "", 0),
    pb(&[code(KeyCode::Delete)], PromptOp::Delete, "delete the character under the cursor", "", 0),
    pb(&[ctrl('u')], PromptOp::DeleteToStart, "delete everything before the cursor", "", 0),
];

/// A menu's fixed keys; each choice also has its own, shown beside it.
#[rustfmt::skip]
pub static MENU: &[PopupBinding<MenuOp>] = &[
    pb(&[code(KeyCode::Enter)], MenuOp::Choose, "choose the highlighted item", "confirm", 1),
    pb(&[code(KeyCode::Esc), k('q')], MenuOp::Cancel, "close without choosing", "close", 1),
    pb(&[k('j'), code(KeyCode::Down)], MenuOp::Next, "next item", "", 0),
    pb(&[k('k'), code(KeyCode::Up)], MenuOp::Previous, "previous item", "", 0),
];

#[rustfmt::skip]
pub static MESSAGE: &[PopupBinding<MessageOp>] = &[
    pb(&[code(KeyCode::Esc), code(KeyCode::Enter), k('q'), k(' ')], MessageOp::Close, "close the message", "close", 2),
];

#[rustfmt::skip]
pub static CHECKLIST: &[PopupBinding<ChecklistOp>] = &[
    pb(&[k(' '), k('x')], ChecklistOp::Toggle, "keep or drop the segment", "keep/drop", 1),
    pb(&[k('j'), code(KeyCode::Down)], ChecklistOp::Next, "next segment", "move", 1),
    pb(&[k('k'), code(KeyCode::Up)], ChecklistOp::Previous, "previous segment", "move", 1),
    pb(&[code(KeyCode::Enter)], ChecklistOp::Done, "go on to the rationale", "next: rationale", 1),
    pb(&[code(KeyCode::Esc)], ChecklistOp::Cancel, "close without deciding", "cancel", 1),
];

#[rustfmt::skip]
pub static HELP: &[PopupBinding<HelpOp>] = &[
    pb(&[k('j'), code(KeyCode::Down)], HelpOp::Down, "scroll down", "scroll", 1),
    pb(&[k('k'), code(KeyCode::Up)], HelpOp::Up, "scroll up", "scroll", 1),
    pb(&[code(KeyCode::Esc), k('?'), k('q'), code(KeyCode::Enter)], HelpOp::Close, "close this help", "close", 1),
];

/// The keys as one label, `↓/^n/Tab`; "type" for typing itself.
pub fn label(keys: &[Key]) -> String {
    if keys.is_empty() {
        return "type".into();
    }
    names(keys)
}

/// The operation bound to `key`, if any (Shift is ignored, as on screens).
pub fn find<Op: Copy>(table: &[PopupBinding<Op>], key: &KeyEvent) -> Option<Op> {
    let mods = key.modifiers - KeyModifiers::SHIFT;
    table
        .iter()
        .find(|b| b.keys.iter().any(|k| k.code == key.code && k.mods == mods))
        .map(|b| b.op)
}

/// Like [`find`], for the popups that always took a key whatever was held
/// with it (Ctrl-Enter still submits a prompt, Ctrl-j still scrolls the
/// help): the key as pressed, then with Control alone, then bare.
pub fn find_loosely<Op: Copy>(table: &[PopupBinding<Op>], key: &KeyEvent) -> Option<Op> {
    let mods = key.modifiers - KeyModifiers::SHIFT;
    [mods, mods & KeyModifiers::CONTROL, KeyModifiers::NONE]
        .into_iter()
        .find_map(|mods| find(table, &KeyEvent::new(key.code, mods)))
}

/// The hint bar's items. Rows in a row with the same word share one item
/// (`j/k scroll`).
pub fn hints<Op>(table: &[PopupBinding<Op>]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for b in table.iter().filter(|b| !b.hint.is_empty()) {
        let keys = label(&b.keys[..b.hint_keys.min(b.keys.len())]);
        match out.last_mut() {
            Some((shown, hint)) if hint == b.hint => *shown = format!("{shown}/{keys}"),
            _ => out.push((keys, b.hint.to_string())),
        }
    }
    out
}

/// One hint bar item in a popup's own words (a prompt's Enter may
/// "record" or "accept"), its keys still from `table`'s row for `op`.
pub fn hint_as<Op: PartialEq>(table: &[PopupBinding<Op>], op: Op, word: &str) -> (String, String) {
    let keys = table
        .iter()
        .find(|b| b.op == op)
        .map_or(&[][..], |b| &b.keys[..b.hint_keys.min(b.keys.len())]);
    (label(keys), word.to_string())
}

/// The `?` help's lines: a title, then (keys, description).
pub fn help_lines<Op>(title: &str, table: &[PopupBinding<Op>]) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), title.to_string())];
    out.extend(
        table
            .iter()
            .map(|b| (label(b.keys), b.description.to_string())),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_the_keys() {
        assert_eq!(label(PICKER[1].keys), "↓/^n/Tab/^j");
        assert_eq!(
            hints(PICKER),
            [
                ("type".to_string(), "filter".to_string()),
                ("↓/^n".into(), "next".into()),
                ("↑/^p".into(), "previous".into()),
                ("Enter".into(), "apply".into()),
                ("Esc".into(), "cancel".into()),
            ]
        );
        assert_eq!(
            hints(CONFIRM),
            [
                ("y".to_string(), "yes".to_string()),
                ("n/Esc".into(), "no".into())
            ]
        );
        let pair = |k: &str, d: &str| (k.to_string(), d.to_string());
        assert_eq!(hints(HELP), [pair("j/k", "scroll"), pair("Esc", "close")]);
        assert_eq!(
            hints(PROMPT),
            [pair("Enter", "confirm"), pair("Esc", "close")]
        );
        assert_eq!(
            hints(MENU),
            [pair("Enter", "confirm"), pair("Esc", "close")]
        );
        assert_eq!(hints(MESSAGE), [pair("Esc/Enter", "close")]);
        assert_eq!(hints(CHECKLIST)[1], pair("j/k", "move"));
        assert_eq!(
            hint_as(PROMPT, PromptOp::Submit, "record"),
            pair("Enter", "record")
        );
    }

    #[test]
    fn prompts_and_menus_take_a_key_whatever_is_held_with_it() {
        let ctrl_enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::CONTROL);
        assert_eq!(find_loosely(PROMPT, &ctrl_enter), Some(PromptOp::Submit));
        let ctrl_a = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL);
        assert_eq!(find_loosely(PROMPT, &ctrl_a), Some(PromptOp::Start));
        let a = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE);
        assert_eq!(find_loosely(PROMPT, &a), None, "typed");
        let ctrl_j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL);
        assert_eq!(find_loosely(HELP, &ctrl_j), Some(HelpOp::Down));
    }

    #[test]
    fn keys_find_their_operation() {
        let ctrl_n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL);
        assert_eq!(find(PICKER, &ctrl_n), Some(PickerOp::Next));
        let n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(find(PICKER, &n), None, "a plain n is typed into the filter");
        let shift_y = KeyEvent::new(KeyCode::Char('Y'), KeyModifiers::SHIFT);
        assert_eq!(find(CONFIRM, &shift_y), Some(ConfirmOp::Yes));
    }
}
