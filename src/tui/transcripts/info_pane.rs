//! The pane of codes at the cursor in an open transcript (below the text,
//! or beside it on a wide terminal): every code's name, definition and
//! memo whole, scrolled with `J`/`K` under a heading that stays.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;

use crate::model::Codebook;
use crate::model::text::inert;

use crate::tui::draw::wrap::{hanging, truncate, wrap};
use crate::tui::theme::Theme;
use crate::tui::transcripts::doc::Doc;

pub fn draw(
    buf: &mut Buffer,
    area: Rect,
    doc: &Doc,
    codebook: &Codebook,
    theme: &Theme,
    side: bool,
) {
    if area.is_empty() {
        return;
    }
    let mut lines: Vec<(String, Style)> = Vec::new();
    let sel = doc.selection();
    let turn = doc
        .transcript
        .turn_at(doc.cursor)
        .and_then(|t| t.speaker.clone())
        .map(|s| format!(" · {}", inert(&s)))
        .unwrap_or_default();
    let head = if doc.anchor.is_some() {
        format!(
            "Selected lines {}–{} ({}) · c to code",
            sel.start,
            sel.end,
            sel.end - sel.start + 1
        )
    } else {
        format!("Line {}/{}{turn}", doc.cursor, doc.transcript.line_count())
    };
    let here = doc.segments_at_cursor();
    let head = match here.len() {
        0 | 1 => head,
        n => format!("{head} · {n} codes"),
    };
    if here.is_empty() {
        lines.push((
            "No code here. v selects lines, c applies a code.".into(),
            theme.dim(),
        ));
    }
    for seg in here {
        let code = codebook.resolve(seg.code.as_str());
        lines.push((
            format!(
                "{} ({}) {}",
                code.map_or(seg.code.as_str(), |c| c.name.as_str()),
                seg.code,
                crate::tui::draw::words::lines_label(seg.start_line, seg.end_line)
            ),
            code_style(theme, codebook, seg.code.as_str()).patch(theme.bold()),
        ));
        match code {
            Some(c) => lines.push((format!("  {}", c.definition.trim()), theme.plain())),
            None => lines.push(("  not in the codebook (cbr check)".into(), theme.error())),
        }
        if let Some(memo) = &seg.memo {
            lines.push((format!("  memo: {}", inert(memo.trim())), theme.dim()));
        }
    }
    // Beside the text a rule on the left sets the pane apart; below it, a
    // rule on top.
    let pane = if side {
        let [rule, pane] = area.layout(&Layout::horizontal([
            Constraint::Length(1),
            Constraint::Fill(1),
        ]));
        for row in rule.rows() {
            buf.set_stringn(row.x, row.y, "│", 1, theme.dim());
        }
        pane
    } else {
        let [rule, pane] = area.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
        ]));
        let w = usize::from(rule.width);
        buf.set_stringn(rule.x, rule.y, "─".repeat(w), w, theme.dim());
        pane
    };
    let w = usize::from(pane.width);
    if pane.height == 0 || pane.width == 0 {
        return;
    }
    // Every code at the cursor, each definition and memo whole: what does
    // not fit scrolls (J/K) under a heading that stays.
    let rows: Vec<(String, Style, u16)> = lines
        .iter()
        .flat_map(|(text, style)| {
            let text = inert(&text.replace('\n', " ")).into_owned();
            wrap(&text, w, 2)
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let dx = if i > 0 { hanging(w, 2) as u16 } else { 0 };
                    (text[r].to_string(), *style, dx)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let room = pane.height as usize - 1;
    doc.info_max.set(rows.len().saturating_sub(room));
    let overflow = rows.len() > room;
    let offset = doc.info_offset().min(rows.len().saturating_sub(room));
    let mut heading = head;
    if overflow {
        heading.push_str(" · J/K scroll");
    }
    buf.set_stringn(pane.x, pane.y, truncate(&heading, w), w, theme.heading());
    let below = rows.len().saturating_sub(offset + room);
    let shown = if below > 0 {
        room.saturating_sub(1)
    } else {
        room
    };
    for (i, (text, style, dx)) in rows.iter().skip(offset).take(shown).enumerate() {
        let width = (pane.width - dx) as usize;
        buf.set_stringn(pane.x + dx, pane.y + 1 + i as u16, text, width, *style);
    }
    if below > 0 && room > 0 {
        let hidden = rows.len() - offset - shown;
        let more = format!(
            "↓ {hidden} more row{} (J)",
            if hidden == 1 { "" } else { "s" }
        );
        buf.set_stringn(
            pane.x,
            pane.y + room as u16,
            truncate(&more, w),
            w,
            theme.dim(),
        );
    }
}

/// A code's colour: its own, or one by its place in the codebook.
pub(super) fn code_style(theme: &Theme, codebook: &Codebook, code: &str) -> Style {
    let resolved = codebook.resolve(code);
    let index = resolved
        .and_then(|c| codebook.codes.keys().position(|k| *k == c.id))
        .unwrap_or(0);
    theme.code(resolved.and_then(|c| c.color.as_deref()), index)
}
