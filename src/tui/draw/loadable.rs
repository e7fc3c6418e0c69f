//! What a screen shows for a background read not finished yet
//! ("Reading from git…", or the failure), and the heading line above it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::tui::background::Loadable;
use crate::tui::draw::styled::{self, Para, below};
use crate::tui::theme::Theme;

/// The value of a finished background read; otherwise draws `title` and
/// "Reading…" or the failure below it.
pub fn ready<'a, T>(
    buf: &mut Buffer,
    area: Rect,
    title: &str,
    what: &'a Loadable<T>,
    theme: &Theme,
) -> Option<&'a T> {
    if let Loadable::Ready(value) = what {
        return Some(value);
    }
    heading(buf, area, title, theme);
    not_ready(buf, below(area, 2), what, theme);
    None
}

/// Draws "Reading…" or the failure of a background read.
fn not_ready<T>(buf: &mut Buffer, area: Rect, what: &Loadable<T>, theme: &Theme) {
    let (text, style) = match what {
        Loadable::Ready(_) => return,
        Loadable::Idle | Loadable::Loading => ("Reading from git…".to_string(), theme.dim()),
        Loadable::Failed(e) => (
            format!("Could not read it: {e} (r tries again)"),
            theme.error(),
        ),
    };
    styled::draw_paras(buf, area, &[Para::text(text, style)], 0);
}

pub fn heading(buf: &mut Buffer, area: Rect, text: &str, theme: &Theme) {
    styled::line(buf, area, area.y, text, theme.heading());
}
