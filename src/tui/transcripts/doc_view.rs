//! Draws an open transcript: line numbers, coding stripes in a gutter,
//! wrapped text with a hanging indent, code names in a right margin, and a
//! pane with the codes at the cursor and their definitions.

use std::borrow::Cow;
use std::collections::BTreeMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::text::inert;
use crate::model::transcript::speaker_label;
use crate::model::{Codebook, Segment};

use crate::tui::draw::wrap::{hanging, truncate, width, wrap};
use crate::tui::theme::Theme;
use crate::tui::transcripts::columns;
use crate::tui::transcripts::doc::Doc;
use crate::tui::transcripts::info_pane::{self, code_style};

/// Most stripes shown side by side; more overlapping segments share the last.
const MAX_LANES: usize = 4;

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
    let panes = columns::panes(area);
    draw_text(buf, panes.text, doc, codebook, theme);
    info_pane::draw(buf, panes.info, doc, codebook, theme, panes.side);
}

/// The margin label of each line where segments start: the first
/// segment's index there and how many start there.
fn starts(segments: &[Segment]) -> BTreeMap<usize, (usize, usize)> {
    let mut out = BTreeMap::new();
    for (i, s) in segments.iter().enumerate() {
        out.entry(s.start_line).or_insert((i, 0)).1 += 1;
    }
    out
}

/// A margin label after its letter: the code's name, and how many more
/// codes start on the line (` +2`). Every label is measured at each frame,
/// so the name is borrowed unless it had controls to replace.
fn label_parts<'a>(
    codebook: &'a Codebook,
    first: &'a Segment,
    count: usize,
) -> (Cow<'a, str>, String) {
    let more = if count > 1 {
        format!(" +{}", count - 1)
    } else {
        String::new()
    };
    // A name from a hostile commit shows its controls as `^[`.
    let name = inert(code_name(codebook, first.code.as_str()));
    (name, more)
}

fn draw_text(buf: &mut Buffer, area: Rect, doc: &Doc, codebook: &Codebook, theme: &Theme) {
    let segments = &doc.session.coding.segments;
    let lane_of = lanes(segments);
    let letter_of = letters(segments);
    let starts = starts(segments);
    let lanes_used = lane_of.iter().map(|l| l + 1).max().unwrap_or(0).max(1);
    let last = doc.transcript.line_count();
    let num_w = last.max(1).to_string().len();
    // Every label in the transcript, not only those on screen, so the
    // text keeps its width as it scrolls.
    let label_w = starts
        .values()
        .map(|&(i, count)| {
            let (name, more) = label_parts(codebook, &segments[i], count);
            2 + width(&name) + width(&more)
        })
        .max()
        .unwrap_or(0);
    let gutter = u16::try_from(num_w + 1 + lanes_used + 1).unwrap_or(u16::MAX);
    let label_w = u16::try_from(label_w).unwrap_or(u16::MAX);
    let Some(cols) = columns::columns(area, gutter, label_w) else {
        return;
    };
    let gutter_x = cols.gutter.x;
    let text_x = cols.text.x;
    let text_w = usize::from(cols.text.width);
    let margin_x = cols.margin.x;
    let margin_w = usize::from(cols.margin.width);
    doc.page_rows.set(area.height as usize);

    doc.scroll_into_view(area.height as usize, |line| {
        let text = inert(line);
        wrap(&text, text_w, hanging_indent(&text)).len()
    });

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
                buf.set_stringn(gutter_x, y, format!("{n:>num_w$}"), num_w, number_style);
                if n == doc.cursor {
                    buf.set_stringn(text_x - 1, y, "▶", 1, theme.key());
                }
            }
            for (i, seg) in segments.iter().enumerate() {
                if seg.start_line <= n && n <= seg.end_line {
                    let x = gutter_x + (num_w + 1 + lane_of[i]) as u16;
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
            if let Some(&(i, count)) = starts.get(&n).filter(|_| row_i == 0) {
                let first = &segments[i];
                let (name, more) = label_parts(codebook, first, count);
                let label = format!(
                    "{} {}",
                    letter_of[i],
                    truncate(&name, margin_w.saturating_sub(2 + width(&more)))
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
    fn each_start_line_labels_its_first_segment_and_counts_the_rest() {
        let segs = [seg(4, 6), seg(1, 2), seg(4, 4), seg(4, 9)];
        let by_line: Vec<_> = starts(&segs).into_iter().collect();
        assert_eq!(by_line, [(1, (1, 1)), (4, (0, 3))]);
    }

    #[test]
    fn search_matches_ignore_case_across_accents() {
        assert_eq!(matches("Écoute, écoute", "ÉCOUTE"), [0..7, 9..16]);
        assert!(matches("abc", "").is_empty());
    }
}
