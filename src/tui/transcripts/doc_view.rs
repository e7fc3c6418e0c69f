//! Draws an open transcript: line numbers, coding stripes in a gutter,
//! wrapped text with a hanging indent, code names in a right margin, and a
//! pane with the codes at the cursor and their definitions.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::model::text::inert;
use crate::model::transcript::speaker_label;
use crate::model::{Codebook, Segment};

use crate::tui::draw::wrap::{hanging, truncate, width, wrap};
use crate::tui::theme::Theme;
use crate::tui::transcripts::doc::Doc;
use crate::tui::transcripts::info_pane::{self, code_style};

/// Most stripes shown side by side; more overlapping segments share the last.
const MAX_LANES: usize = 4;
/// Below this width the info pane goes under the text instead of beside it.
const SIDE_PANE_MIN_WIDTH: u16 = 110;

/// Each segment's lane: overlapping segments get different columns.
fn lanes(segments: &[Segment]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..segments.len()).collect();
    order.sort_by_key(|&i| {
        (
            segments[i].start_line,
            std::cmp::Reverse(segments[i].end_line),
        )
    });
    let mut lane_end: Vec<usize> = Vec::new();
    let mut out = vec![0; segments.len()];
    for i in order {
        let s = &segments[i];
        let lane = lane_end
            .iter()
            .position(|&end| end < s.start_line)
            .unwrap_or(lane_end.len());
        if lane == lane_end.len() {
            lane_end.push(s.end_line);
        } else {
            lane_end[lane] = s.end_line;
        }
        out[i] = lane.min(MAX_LANES - 1);
    }
    out
}

/// A letter per distinct code, in order of first use: the stripe glyph
/// without colour, and the tag beside names in the margin.
fn letters(segments: &[Segment]) -> Vec<char> {
    let mut codes: Vec<&str> = Vec::new();
    segments
        .iter()
        .map(|s| {
            let i = codes
                .iter()
                .position(|c| *c == s.code.as_str())
                .unwrap_or_else(|| {
                    codes.push(s.code.as_str());
                    codes.len() - 1
                });
            (b'a' + (i % 26) as u8) as char
        })
        .collect()
}

fn code_name<'a>(codebook: &'a Codebook, code: &'a str) -> &'a str {
    codebook.resolve(code).map_or(code, |c| c.name.as_str())
}

/// Byte ranges of case-insensitive matches of `needle` in `hay`.
fn matches(hay: &str, needle: &str) -> Vec<std::ops::Range<usize>> {
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = hay.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + needle.len() <= chars.len() {
        let hit = chars[i..i + needle.len()]
            .iter()
            .zip(&needle)
            .all(|((_, c), n)| c.to_lowercase().eq(std::iter::once(*n)));
        if hit {
            let end = chars.get(i + needle.len()).map_or(hay.len(), |(b, _)| *b);
            out.push(chars[i].0..end);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

pub fn draw(buf: &mut Buffer, area: Rect, doc: &Doc, codebook: &Codebook, theme: &Theme) {
    if area.width < 20 || area.height < 3 {
        return;
    }
    // Wide: the pane of codes at the cursor on the right, a column apart;
    // narrow: below the text, at most a third of the height.
    let (text_area, info_area) = if area.width >= SIDE_PANE_MIN_WIDTH {
        let [text, _gap, side] = area.layout(&Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(36),
        ]));
        (text, side)
    } else {
        let [text, info] = area.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(6.min(area.height / 3)),
        ]));
        (text, info)
    };
    draw_text(buf, text_area, doc, codebook, theme);
    info_pane::draw(
        buf,
        info_area,
        doc,
        codebook,
        theme,
        area.width >= SIDE_PANE_MIN_WIDTH,
    );
}

fn draw_text(buf: &mut Buffer, area: Rect, doc: &Doc, codebook: &Codebook, theme: &Theme) {
    let lane_of = lanes(&doc.session.coding.segments);
    let letter_of = letters(&doc.session.coding.segments);
    let lanes_used = lane_of.iter().map(|l| l + 1).max().unwrap_or(0).max(1);
    let last = doc.transcript.line_count();
    let num_w = last.max(1).to_string().len();
    let margin_w: usize = if area.width >= 100 { 24 } else { 16 };
    let text_x = area.x + (num_w + 1 + lanes_used + 1) as u16;
    let text_w = (area.x + area.width).saturating_sub(text_x + margin_w as u16 + 1) as usize;
    if text_w < 8 {
        return;
    }
    let margin_x = text_x + text_w as u16 + 1;
    doc.page_rows.set(area.height as usize);

    doc.scroll_into_view(area.height as usize, |line| {
        let text = inert(line);
        wrap(&text, text_w, hanging_indent(&text)).len()
    });
    let segments = &doc.session.coding.segments;

    let selection = doc.anchor.map(|_| doc.selection());
    let mut y = area.y;
    let mut n = doc.top.get();
    while y < area.y + area.height && n <= last {
        let raw = doc.transcript.line(n).unwrap_or("");
        let text = inert(raw);
        let rows = wrap(&text, text_w, hanging_indent(&text));
        let speaker = speaker_label(&text).map(|s| text.find(s).unwrap_or(0) + s.len());
        let hits = doc
            .search
            .as_deref()
            .map(|q| matches(&text, q))
            .unwrap_or_default();
        // The cursor line is marked in the gutter (reversed number, `▶`)
        // rather than by reversing the whole line: a move then repaints a few
        // cells instead of every wrapped row of two lines, which is what a
        // slow SSH link notices. A selection does get a background.
        let line_style = if selection.is_some_and(|s| s.start <= n && n <= s.end) {
            theme.selection()
        } else {
            theme.plain()
        };
        let number_style = if n == doc.cursor {
            theme.cursor()
        } else {
            theme.dim()
        };
        for (row_i, row) in rows.iter().enumerate() {
            if y >= area.y + area.height {
                break;
            }
            if row_i == 0 {
                buf.set_stringn(area.x, y, format!("{n:>num_w$}"), num_w, number_style);
                if n == doc.cursor {
                    buf.set_stringn(text_x - 1, y, "▶", 1, theme.key());
                }
            }
            for (i, seg) in segments.iter().enumerate() {
                if seg.start_line <= n && n <= seg.end_line {
                    let x = area.x + (num_w + 1 + lane_of[i]) as u16;
                    let glyph = if theme.color {
                        "┃".to_string()
                    } else {
                        letter_of[i].to_string()
                    };
                    buf.set_stringn(
                        x,
                        y,
                        glyph,
                        1,
                        code_style(theme, codebook, seg.code.as_str()),
                    );
                }
            }
            // The whole text row carries the line's background (cursor, selection).
            buf.set_stringn(text_x, y, " ".repeat(text_w), text_w, line_style);
            let mut x = text_x;
            if row_i > 0 {
                x += hanging(text_w, hanging_indent(&text)) as u16;
            }
            let mut pos = row.start;
            while pos < row.end {
                let mut end = row.end;
                let mut style = line_style;
                if let Some(sp) = speaker.filter(|&sp| pos < sp) {
                    end = end.min(sp);
                    style = style.patch(theme.speaker());
                }
                if let Some(hit) = hits.iter().find(|h| h.start <= pos && pos < h.end) {
                    end = end.min(hit.end);
                    style = style.patch(theme.search_hit());
                } else if let Some(next) = hits.iter().map(|h| h.start).filter(|&s| s > pos).min() {
                    end = end.min(next);
                }
                let piece = &text[pos..end];
                let room = (text_x as usize + text_w).saturating_sub(x as usize);
                let (nx, _) = buf.set_stringn(x, y, piece, room, style);
                x = nx;
                pos = end;
            }
            if row_i == 0 {
                let starting: Vec<(usize, &Segment)> = segments
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.start_line == n)
                    .collect();
                if let Some((i, first)) = starting.first() {
                    let more = if starting.len() > 1 {
                        format!(" +{}", starting.len() - 1)
                    } else {
                        String::new()
                    };
                    let name = code_name(codebook, first.code.as_str());
                    let label = format!(
                        "{} {}",
                        letter_of[*i],
                        // A name from a hostile commit shows its controls as `^[`.
                        truncate(&inert(name), margin_w.saturating_sub(2 + width(&more)))
                    );
                    let style = code_style(theme, codebook, first.code.as_str());
                    let (mx, _) = buf.set_stringn(margin_x, y, &label, margin_w, style);
                    buf.set_stringn(
                        mx,
                        y,
                        &more,
                        margin_w.saturating_sub(width(&label)),
                        theme.dim(),
                    );
                }
            }
            y += 1;
        }
        n += 1;
    }
}

/// Continuation rows line up after the speaker label when there is one.
fn hanging_indent(text: &str) -> usize {
    speaker_label(text).map_or(2, |s| (width(s) + 2).min(12))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Slug;

    fn seg(start: usize, end: usize) -> Segment {
        Segment::new(Slug::new("a").unwrap(), start, end)
    }

    #[test]
    fn overlapping_segments_get_separate_lanes() {
        let segs = [seg(1, 5), seg(2, 3), seg(4, 6), seg(7, 8)];
        assert_eq!(lanes(&segs), [0, 1, 1, 0]);
    }

    #[test]
    fn search_matches_ignore_case_across_accents() {
        assert_eq!(matches("Écoute, écoute", "ÉCOUTE"), [0..7, 9..16]);
        assert!(matches("abc", "").is_empty());
    }
}
