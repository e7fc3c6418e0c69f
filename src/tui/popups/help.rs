//! The `?` overlay: every key of the current screen, from the binding table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::tui::draw::widgets;
use crate::tui::draw::wrap::{width, wrap};
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

/// One row of the overlay as drawn.
enum Row<'a> {
    Title(&'a str),
    /// Keys (empty on a description's continuation rows), the keys
    /// column's width, and this row's part of the description.
    Key(&'a str, usize, &'a str),
}

/// The overlay's rows for a popup `outer_width` wide: a description too
/// long for its column wraps under itself instead of being cut.
fn rows<'a>(lines: &'a [(String, String)], outer_width: u16) -> Vec<Row<'a>> {
    let inner = usize::from(outer_width.saturating_sub(2));
    let mut out = Vec::new();
    for ((keys, desc), col) in lines.iter().zip(key_columns(lines)) {
        if keys.is_empty() {
            out.push(Row::Title(desc));
            continue;
        }
        let room = inner.saturating_sub(2 + col).max(1);
        for (n, part) in wrap(desc, room, 0).into_iter().enumerate() {
            let keys = if n == 0 { keys.as_str() } else { "" };
            out.push(Row::Key(keys, col, desc[part].trim_end()));
        }
    }
    out
}

pub fn draw(buf: &mut Buffer, area: Rect, context: Context, scroll: usize, theme: &Theme) {
    const WIDTH: u16 = 78;
    let lines = lines(context);
    let title = keys::hints(keys::HELP)
        .first()
        .map_or(" Keys ".into(), |(k, word)| format!(" Keys ({k} {word}) "));
    let rows = rows(&lines, WIDTH.min(area.width));
    let inner = widgets::popup(buf, area, WIDTH, rows.len() as u16 + 2, &title);
    let scroll = scroll.min(rows.len().saturating_sub(inner.height as usize));
    for (i, row) in rows
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        let y = inner.y + i as u16;
        match *row {
            Row::Title(text) => {
                buf.set_stringn(inner.x, y, text, inner.width as usize, theme.heading());
            }
            Row::Key(keys, col, text) => {
                buf.set_stringn(inner.x + 1, y, keys, col, theme.key());
                let at = 2 + col as u16;
                buf.set_stringn(
                    inner.x + at,
                    y,
                    text,
                    inner.width.saturating_sub(at) as usize,
                    theme.plain(),
                );
            }
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
    fn a_long_description_wraps_under_itself() {
        let desc = "correct the transcript's text in $EDITOR (everyone's codings move with it)";
        let lines = [
            (String::new(), "Transcript".to_string()),
            ("E".to_string(), desc.to_string()),
        ];
        let rows = rows(&lines, 78);
        let parts: Vec<(&str, &str)> = rows
            .iter()
            .filter_map(|r| match *r {
                Row::Key(keys, _, text) => Some((keys, text)),
                Row::Title(_) => None,
            })
            .collect();
        assert_eq!(parts.len(), 2, "64 columns hold the first part only");
        assert_eq!(parts[0].0, "E");
        assert_eq!(parts[1].0, "", "the keys are not repeated");
        assert!(parts.iter().all(|(_, t)| width(t) <= 64));
        assert_eq!(format!("{} {}", parts[0].1, parts[1].1), desc);
    }

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
