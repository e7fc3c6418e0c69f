//! The `?` overlay: every key of the current screen, from the binding table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::tui::draw::widgets;
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
    for (i, (keys, desc)) in lines
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        let y = inner.y + i as u16;
        if keys.is_empty() {
            buf.set_stringn(inner.x, y, desc, inner.width as usize, theme.heading());
        } else {
            buf.set_stringn(inner.x + 1, y, keys, 10, theme.key());
            buf.set_stringn(
                inner.x + 12,
                y,
                desc,
                inner.width.saturating_sub(12) as usize,
                theme.plain(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
