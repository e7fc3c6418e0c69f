//! Paragraphs of differently styled runs (a word diff, a label and its
//! value), wrapped by display width and drawn with a scroll offset. The
//! text is wrapped as one string and the runs' styles are laid back onto
//! the rows, so a removed word keeps its style across a line break.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;

use crate::model::text::inert;

use crate::tui::draw::widgets;
use crate::tui::draw::wrap::{truncate, width, wrap};

/// One paragraph: runs of text with their style, a left margin, and a
/// hanging indent for its continuation rows. No newlines inside (use
/// [`Para::lines`] to split a text that has some).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    pub spans: Vec<(String, Style)>,
    pub indent: u16,
    pub hang: u16,
}

impl Para {
    pub fn new(indent: u16) -> Para {
        Para {
            indent,
            hang: 2,
            ..Para::default()
        }
    }

    /// A paragraph of one run.
    pub fn text(text: impl Into<String>, style: Style) -> Para {
        Para::new(0).push(text, style)
    }

    pub fn blank() -> Para {
        Para::default()
    }

    pub fn push(mut self, text: impl Into<String>, style: Style) -> Para {
        let text = text.into();
        if !text.is_empty() {
            self.spans.push((text, style));
        }
        self
    }

    /// Running text, one paragraph per line, every row at `indent`.
    pub fn prose(text: &str, style: Style, indent: u16) -> Vec<Para> {
        Para::lines(vec![(text.trim_end().to_string(), style)], indent, 0)
            .into_iter()
            .map(|p| Para { hang: 0, ..p })
            .collect()
    }

    /// Splits runs containing newlines into one paragraph per line; lines
    /// after the first get `more` extra columns of margin.
    pub fn lines(spans: Vec<(String, Style)>, indent: u16, more: u16) -> Vec<Para> {
        let mut out = vec![Para::new(indent)];
        for (text, style) in spans {
            for (i, piece) in text.split('\n').enumerate() {
                if i > 0 {
                    out.push(Para::new(indent + more));
                }
                let last = out.len() - 1;
                out[last] = std::mem::take(&mut out[last]).push(piece, style);
            }
        }
        out
    }
}

/// One screen row: pieces at column offsets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub pieces: Vec<(u16, String, Style)>,
}

/// Wraps paragraphs to `cols` columns.
pub fn layout(paras: &[Para], cols: u16) -> Vec<Row> {
    let mut rows = Vec::new();
    for para in paras {
        let mut text = String::new();
        let mut bounds = Vec::new();
        for (t, style) in &para.spans {
            let start = text.len();
            text.push_str(&inert(&t.replace('\n', " ")));
            bounds.push((start, text.len(), *style));
        }
        let avail = cols.saturating_sub(para.indent).max(1) as usize;
        // `wrap` clamps the hanging indent the same way.
        let hang = (para.hang as usize).min(avail.saturating_sub(1) / 2);
        for (i, range) in wrap(&text, avail, hang).into_iter().enumerate() {
            let x0 = para.indent as usize + if i > 0 { hang } else { 0 };
            let mut row = Row::default();
            for &(s, e, style) in &bounds {
                let (from, to) = (s.max(range.start), e.min(range.end));
                if from >= to {
                    continue;
                }
                let x = x0 + width(&text[range.start..from]);
                row.pieces
                    .push((x as u16, text[from..to].to_string(), style));
            }
            rows.push(row);
        }
    }
    rows
}

/// Draws `rows` from row `first` into `area`.
pub fn draw(buf: &mut Buffer, area: Rect, rows: &[Row], first: usize) {
    for (i, row) in rows
        .iter()
        .skip(first)
        .take(area.height as usize)
        .enumerate()
    {
        let y = area.y + i as u16;
        for (x, text, style) in &row.pieces {
            if *x >= area.width {
                continue;
            }
            let room = (area.width - x) as usize;
            buf.set_stringn(area.x + x, y, text, room, *style);
        }
    }
}

/// One row of text at `y`: made inert and cut to the area's width with `…`.
pub fn line(buf: &mut Buffer, area: Rect, y: u16, text: &str, style: Style) {
    let w = area.width as usize;
    buf.set_stringn(area.x, y, truncate(&inert(text), w), w, style);
}

/// A list row: the whole width takes `style`, so a highlight is a bar.
pub fn list_row(buf: &mut Buffer, area: Rect, y: u16, text: &str, style: Style) {
    let w = area.width as usize;
    widgets::row(
        buf,
        area.x,
        y,
        area.width,
        &truncate(&inert(text), w),
        style,
    );
}

/// The part of `area` below its first `rows` rows.
pub fn below(area: Rect, rows: u16) -> Rect {
    let [_, rest] = area.layout(&Layout::vertical([
        Constraint::Length(rows),
        Constraint::Fill(1),
    ]));
    rest
}

/// Which items of `per` rows each fit in `rows` rows with `selected` in
/// view: (first shown, how many).
pub fn window(selected: usize, rows: u16, per: usize) -> (usize, usize) {
    let fit = (rows as usize / per.max(1)).max(1);
    (selected.saturating_sub(fit - 1), fit)
}

/// Lays out and draws paragraphs scrolled by `scroll` rows (clamped so the
/// last row stays at the bottom). Returns the largest useful scroll.
pub fn draw_paras(buf: &mut Buffer, area: Rect, paras: &[Para], scroll: usize) -> usize {
    let rows = layout(paras, area.width);
    let max = rows.len().saturating_sub(area.height as usize);
    draw(buf, area, &rows, scroll.min(max));
    max
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    fn plain_rows(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|r| {
                let mut line = String::new();
                for (x, t, _) in &r.pieces {
                    while width(&line) < *x as usize {
                        line.push(' ');
                    }
                    line.push_str(t);
                }
                line
            })
            .collect()
    }

    #[test]
    fn styles_follow_words_across_rows() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let para = Para::new(2)
            .push("one two ", Style::new())
            .push("three four", bold);
        let rows = layout(&[para], 12);
        assert_eq!(plain_rows(&rows), ["  one two ", "    three ", "    four"]);
        assert_eq!(rows[1].pieces, [(4, "three ".to_string(), bold)]);
    }

    #[test]
    fn newlines_start_new_paragraphs() {
        let paras = Para::lines(
            vec![
                ("a: ".into(), Style::new()),
                ("first\nsecond".into(), Style::new()),
            ],
            1,
            3,
        );
        assert_eq!(paras.len(), 2);
        assert_eq!(plain_rows(&layout(&paras, 20)), [" a: first", "    second"]);
    }

    #[test]
    fn control_characters_are_made_inert() {
        let rows = layout(&[Para::text("a\u{1b}[31mb", Style::new())], 20);
        assert_eq!(plain_rows(&rows), ["a^[[31mb"]);
    }
}
