//! Drawing the re-check queue: one row per segment, then what the selected
//! one is waiting on — its code's changed definition, or its passage's old
//! and new text. State only; no file or git access.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::Slug;
use crate::study::text_recheck::TextChanged;

use crate::tui::background::Loadable;
use crate::tui::draw::diff_text::{added, field_paras, removed};
use crate::tui::draw::loadable::{heading, ready};
use crate::tui::draw::styled::{self, Para, below};
use crate::tui::history::recheck::{Recheck, RecheckItem};
use crate::tui::history::short;
use crate::tui::theme::Theme;

pub(super) fn draw_recheck(
    buf: &mut Buffer,
    area: Rect,
    recheck: &Loadable<Recheck>,
    selected: usize,
    theme: &Theme,
) {
    let Some(r) = ready(buf, area, "Re-check queue", recheck, theme) else {
        return;
    };
    heading(
        buf,
        area,
        &format!(
            "Re-check queue · {} of your segments: definition or text changed",
            r.len()
        ),
        theme,
    );
    if r.is_empty() {
        let mut paras = vec![Para::text(
            "Nothing to re-check: your segments match the current codebook and text.",
            theme.dim(),
        )];
        if r.unversioned > 0 {
            paras.push(Para::text(
                format!(
                    "({} segment(s) record no codebook version and cannot be checked.)",
                    r.unversioned
                ),
                theme.dim(),
            ));
        }
        styled::draw_paras(buf, below(area, 2), &paras, 0);
        return;
    }
    let list_h = (area.height.saturating_sub(1) / 2).clamp(1, r.len().min(u16::MAX as usize) as u16)
        as usize;
    let first = selected.saturating_sub(list_h - 1);
    for (i, item) in (first..).zip(r.iter_from(first)).take(list_h) {
        let y = area.y + 1 + (i - first) as u16;
        let text = match &item {
            RecheckItem::Definition(o) => {
                row(&o.transcript, o.start_line, o.end_line, &o.code) + &o.view().why()
            }
            RecheckItem::Text(t) => {
                row(&t.transcript, t.start_line, t.end_line, &t.code) + "text changed"
            }
        };
        let style = if i == selected {
            theme.cursor()
        } else {
            theme.plain()
        };
        styled::list_row(buf, area, y, &text, style);
    }
    let Some(item) = r.get(selected) else {
        return;
    };
    let rest = below(area, 1 + list_h as u16);
    let mut paras = vec![Para::text("─".repeat(area.width as usize), theme.dim())];
    match &item {
        RecheckItem::Definition(o) => {
            paras.push(Para::text(
                format!("{} since {}:", o.code, short(&o.coded_under)),
                theme.bold(),
            ));
            for field in o.changes.iter() {
                paras.extend(field_paras(field, theme, 2));
            }
        }
        RecheckItem::Text(t) => paras.extend(text_paras(t, theme)),
    }
    paras.push(Para::text(
        "Enter opens it; once re-read (and recoded if needed), x clears it.",
        theme.dim(),
    ));
    styled::draw_paras(buf, rest, &paras, 0);
}

fn row(transcript: &Slug, start: usize, end: usize, code: &Slug) -> String {
    format!(" {transcript}:{start}-{end}  {code}  ")
}

/// The passage as it was coded and as it reads now, line by line.
fn text_paras(t: &TextChanged, theme: &Theme) -> Vec<Para> {
    let mut out = vec![Para::text(
        format!("{}: the passage's words changed", t.code),
        theme.bold(),
    )];
    for (mark, text, style) in [
        ("- ", &t.old_text, removed(theme)),
        ("+ ", &t.new_text, added(theme)),
    ] {
        if text.trim().is_empty() {
            out.push(Para::new(2).push(format!("{mark}(nothing)"), style));
        }
        for line in text.lines() {
            out.push(Para::new(2).push(format!("{mark}{line}"), style));
        }
    }
    out
}
