//! The `?` overlay: every key of the current screen, from the binding table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::tui::draw::widgets;
use crate::tui::draw::wrap::width;
use crate::tui::keymap::{self, Context};
use crate::tui::popups::keys;
use crate::tui::theme::Theme;

/// The help lines for a context: (keys, description), with section titles
/// as lines whose keys are empty.
pub fn lines(context: Context) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), context.title().to_string())];
    let mut in_global = false;
    for b in keymap::for_context(context) {
        if b.context == Context::Global && !in_global {
            in_global = true;
            out.push((String::new(), Context::Global.title().to_string()));
        }
        out.push((b.label(), b.description.to_string()));
    }
    // The popups' keys, which cannot show their own help while typing.
    out.extend(keys::help_lines("In the code picker", keys::PICKER));
    out.extend(keys::help_lines("When asked yes or no", keys::CONFIRM));
    out.extend(keys::help_lines("In a text prompt", keys::PROMPT));
    out.extend(keys::help_lines(
        "In a menu (a choice's own key also chooses it)",
        keys::MENU,
    ));
    out.extend(keys::help_lines("In a message or a problem", keys::MESSAGE));
    out.extend(keys::help_lines(
        "In an edited decision's checklist (reconciliation)",
        keys::CHECKLIST,
    ));
    out.extend(keys::help_lines("In this help", keys::HELP));
    out
}

pub fn draw(buf: &mut Buffer, area: Rect, context: Context, scroll: usize, theme: &Theme) {
    let lines = lines(context);
    let title = keys::hints(keys::HELP)
        .first()
        .map_or(" Keys ".into(), |(k, word)| format!(" Keys ({k} {word}) "));
    let inner = widgets::popup(buf, area, 78, lines.len() as u16 + 2, &title);
    let scroll = scroll.min(lines.len().saturating_sub(inner.height as usize));
    let columns = key_columns(&lines);
    for (i, ((keys, desc), col)) in lines
        .iter()
        .zip(columns)
        .skip(scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        let y = inner.y + i as u16;
        if keys.is_empty() {
            buf.set_stringn(inner.x, y, desc, inner.width as usize, theme.heading());
        } else {
            buf.set_stringn(inner.x + 1, y, keys, col, theme.key());
            let at = 2 + col as u16;
            buf.set_stringn(
                inner.x + at,
                y,
                desc,
                inner.width.saturating_sub(at) as usize,
                theme.plain(),
            );
        }
    }
}

/// The width of the keys column on each line: ten columns, or more in a
/// section whose labels need it (the popups' list every key), so a label
/// generated from the keys is never cut.
fn key_columns(lines: &[(String, String)]) -> Vec<usize> {
    let mut out = vec![0; lines.len()];
    let mut start = 0;
    for end in 1..=lines.len() {
        if end == lines.len() || lines[end].0.is_empty() {
            let widest = lines[start..end].iter().map(|(k, _)| width(k)).max();
            out[start..end].fill(widest.unwrap_or(0).max(10));
            start = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_widens_its_keys_column_for_a_long_label() {
        let line = |k: &str| (k.to_string(), "what it does".to_string());
        let lines = [line(""), line("j/↓"), line(""), line("Esc/?/q/Enter")];
        assert_eq!(key_columns(&lines), [10, 10, 13, 13]);
    }

    #[test]
    fn the_help_lists_the_popup_keys() {
        let lines = lines(Context::Document);
        for line in [
            ("↑/^p/S-Tab/^k", "previous code"),
            ("y/Enter/Y", "yes, go ahead"),
            ("Bksp", "delete the character before the cursor"),
            ("Esc/?/q/Enter", "close this help"),
        ] {
            assert!(
                lines.contains(&(line.0.to_string(), line.1.to_string())),
                "{line:?} in {lines:?}"
            );
        }
    }
}
