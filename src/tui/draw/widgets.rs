//! Small drawing helpers shared by the screens and overlays.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect, Size};
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::model::text::inert;

use crate::tui::draw::wrap::{self, wrap};

/// Clears a centred `w`×`h` box (clamped to `area`), draws its border and
/// title, and returns the inside.
pub fn popup(buf: &mut Buffer, area: Rect, w: u16, h: u16, title: &str) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    // Not `Rect::centered`: its layout rounds an odd margin up, and popups
    // have always sat half a cell up and left of centre.
    let margin = Margin::new(
        area.width.saturating_sub(w) / 2,
        area.height.saturating_sub(h) / 2,
    );
    let outer = area.inner(margin).resize(Size::new(w, h));
    Clear.render(outer, buf);
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(outer);
    block.render(outer, buf);
    inner
}

/// One list row: the whole width takes `style` (so a highlight is a bar),
/// then the text.
pub fn row(buf: &mut Buffer, x: u16, y: u16, width: u16, text: &str, style: Style) {
    let w = width as usize;
    buf.set_stringn(x, y, " ".repeat(w), w, style);
    buf.set_stringn(x, y, text, w, style);
}

/// Draws `text` (made inert, newlines as spaces) wrapped to `area`'s width
/// from row `y`, continuation rows indented by `indent`. Returns the next
/// free row, or `None` once the area is full.
pub fn paragraph(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    text: &str,
    style: Style,
    indent: u16,
) -> Option<u16> {
    let text = inert(&text.replace('\n', " ")).into_owned();
    let mut y = y;
    for (i, r) in wrap(&text, area.width as usize, indent as usize)
        .into_iter()
        .enumerate()
    {
        if y >= area.y + area.height {
            return None;
        }
        let dx = if i > 0 {
            wrap::hanging(area.width as usize, indent as usize) as u16
        } else {
            0
        };
        buf.set_stringn(area.x + dx, y, &text[r], (area.width - dx) as usize, style);
        y += 1;
    }
    Some(y)
}
