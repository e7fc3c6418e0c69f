//! The keys of the code picker and of a yes/no question, as tables like
//! the screens' (`keymap`): the same table handles the key, writes the hint
//! bar and the `?` help, and the labels are generated from the keys, so
//! none of the three can drift from the others.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::keymap::binding::{Key, code, ctrl, k, names};

/// One key binding of a popup.
pub struct PopupBinding<Op: 'static> {
    /// Empty for typing itself (the picker's filter).
    pub keys: &'static [Key],
    pub op: Op,
    pub description: &'static str,
    /// A word for the hint bar.
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

/// The hint bar's items.
pub fn hints<Op>(table: &[PopupBinding<Op>]) -> Vec<(String, String)> {
    table
        .iter()
        .map(|b| {
            let shown = &b.keys[..b.hint_keys.min(b.keys.len())];
            (label(shown), b.hint.to_string())
        })
        .collect()
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
