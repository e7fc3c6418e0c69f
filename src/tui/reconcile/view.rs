//! Draws the reconciliation view: the progress (always on the first row),
//! the current hunk as a diff — context lines, `-` what only A applied,
//! `+` what only B applied, `±` both, with the code names beside each
//! line — its decision if it has one, and the definitions (use when / do
//! not use when) of every code at stake: beside the diff on a wide
//! terminal, below it at 80 columns. No file or git access.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use crate::model::disagreement::{Hunk, HunkLine};
use crate::model::text::inert;
use crate::model::{Codebook, Slug};
use crate::study::reconcile::Session;

use crate::tui::agreement::tab::ReconcileView;
use crate::tui::draw::styled::below;
use crate::tui::draw::wrap::{truncate, width, wrap};
use crate::tui::theme::Theme;

/// From this width on, definitions go beside the diff.
const SIDE_BY_SIDE: u16 = 120;

fn removed(theme: &Theme) -> Style {
    if theme.color {
        Style::new().fg(Color::Red)
    } else {
        theme.plain()
    }
}

fn added(theme: &Theme) -> Style {
    if theme.color {
        Style::new().fg(Color::Green)
    } else {
        theme.plain()
    }
}

/// `text` padded with spaces to `cells` display cells.
fn pad(text: &str, cells: usize) -> String {
    format!("{text}{}", " ".repeat(cells.saturating_sub(width(text))))
}

/// The rows of one hunk line: gutter, text (wrapped within the passage,
/// cut in the context around it), and the codes beside it.
fn diff_line(hunk: &Hunk, l: &HunkLine, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let codes_w = (w / 3).clamp(12, 28);
    let text_w = w.saturating_sub(7 + 1 + codes_w).max(8);
    let in_passage = hunk.changed.start <= l.line && l.line <= hunk.changed.end;
    // Lines around the passage may belong to a neighbouring hunk: they
    // keep their markers but are dimmed, as they are not decided here.
    let outside = |style: Style| if in_passage { style } else { theme.dim() };
    let (marker, mark_style) = match (l.changed, l.only_a.is_empty(), l.only_b.is_empty()) {
        (false, ..) => (' ', theme.dim()),
        (true, false, true) => ('-', outside(removed(theme))),
        (true, true, false) => ('+', outside(added(theme))),
        (true, ..) => ('±', outside(theme.bold())),
    };
    let text = inert(&l.text).into_owned();
    let text_rows: Vec<String> = if in_passage {
        wrap(&text, text_w, 0)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    } else {
        vec![truncate(&text, text_w)]
    };
    let mut code_rows: Vec<(String, Style)> = Vec::new();
    for c in &l.only_a {
        code_rows.push((format!("- {c}"), outside(removed(theme))));
    }
    for c in &l.only_b {
        code_rows.push((format!("+ {c}"), outside(added(theme))));
    }
    for c in &l.both {
        code_rows.push((format!("  {c}"), theme.dim()));
    }
    let text_style = if in_passage {
        theme.plain()
    } else {
        theme.dim()
    };
    let rows = text_rows.len().max(code_rows.len()).max(1);
    (0..rows)
        .map(|r| {
            let gutter = if r == 0 {
                format!("{marker} {:>4} ", l.line)
            } else {
                " ".repeat(7)
            };
            let body = text_rows.get(r).map_or("", String::as_str);
            let mut spans = vec![
                Span::styled(gutter, mark_style),
                Span::styled(pad(body, text_w), text_style),
                Span::raw(" "),
            ];
            if let Some((code, style)) = code_rows.get(r) {
                spans.push(Span::styled(truncate(code, codes_w), *style));
            }
            Line::from(spans)
        })
        .collect()
}

/// `label` in bold then `text`, wrapped to `w` with continuation rows
/// indented.
fn field(label: &str, text: &str, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let text = inert(&text.trim().replace('\n', " ")).into_owned();
    let text = if text.is_empty() {
        "—".to_string()
    } else {
        text
    };
    let full = format!("{label} {text}");
    wrap(&full, w, 2)
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            if i == 0 && r.start == 0 {
                let split = label.len().min(r.end);
                Line::from(vec![
                    Span::styled(full[..split].to_string(), theme.bold()),
                    Span::raw(full[split..r.end].to_string()),
                ])
            } else {
                Line::from(format!("  {}", &full[r]))
            }
        })
        .collect()
}

/// The definitions of the codes at stake, each with who applied it here.
fn definitions(
    session: &Session,
    hunk: &Hunk,
    codebook: &Codebook,
    w: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for id in hunk.codes_at_stake() {
        let by = |side: fn(&HunkLine) -> &Vec<Slug>| hunk.core().any(|l| side(l).contains(&id));
        let mut who = Vec::new();
        if by(|l| &l.only_a) {
            who.push(format!("-{}", session.a));
        }
        if by(|l| &l.only_b) {
            who.push(format!("+{}", session.b));
        }
        match codebook.resolve(id.as_str()) {
            Some(code) => {
                out.push(Line::from(vec![
                    Span::styled(truncate(&inert(&code.name), w), theme.heading()),
                    Span::styled(format!(" ({id}) {}", who.join(" ")), theme.dim()),
                ]));
                out.extend(field("Definition:", &code.definition, w, theme));
                out.extend(field("Use when:", &code.include, w, theme));
                out.extend(field("Do not use when:", &code.exclude, w, theme));
            }
            None => out.push(Line::styled(
                format!("{id}: not in the codebook (`cbr check`)"),
                theme.error(),
            )),
        }
        out.push(Line::default());
    }
    out
}

fn draw_lines(buf: &mut Buffer, area: Rect, lines: &[Line<'static>], scroll: usize) {
    for (i, line) in lines
        .iter()
        .skip(scroll)
        .take(area.height as usize)
        .enumerate()
    {
        buf.set_line(area.x, area.y + i as u16, line, area.width);
    }
}

pub fn draw(
    buf: &mut Buffer,
    area: Rect,
    session: &Session,
    view: &ReconcileView,
    max_scroll: &Cell<Option<usize>>,
    codebook: &Codebook,
    theme: &Theme,
) {
    let w = area.width as usize;
    // The scroll shown stays within the hunk; the largest is kept for the
    // keys, which clamp to it (drawing only reads the screen's state).
    let mut scroll = view.scroll;
    let mut clamp = |max: usize| {
        max_scroll.set(Some(max));
        scroll = scroll.min(max);
        scroll
    };
    let Some(item) = session.items.get(view.index) else {
        return;
    };
    let hunk = &item.hunk;
    let (done, total) = session.progress();

    // Row 0: who is compared, and the progress, always visible.
    let progress = format!(
        " hunk {}/{total} · {done}/{total} resolved ",
        view.index + 1
    );
    let mut title = format!(" Reconcile  -{} (A)  +{} (B)", session.a, session.b);
    if !session.present.is_empty() {
        title.push_str(&format!(
            "  present: {}",
            crate::study::reconcile::present_list(&session.present)
        ));
    }
    let room = w.saturating_sub(width(&progress));
    buf.set_stringn(
        area.x,
        area.y,
        pad(&truncate(&title, room), room),
        room,
        theme.bold(),
    );
    buf.set_stringn(
        area.x + room as u16,
        area.y,
        &progress,
        width(&progress),
        theme.tab_active(),
    );
    if area.height < 4 {
        return;
    }

    // Row 1: the hunk; row 2: its decision, or the choices.
    let stake: Vec<String> = hunk.codes_at_stake().iter().map(Slug::to_string).collect();
    let header = format!(
        "@@ {}:{}-{} @@ {}",
        hunk.transcript,
        hunk.changed.start,
        hunk.changed.end,
        stake.join(", ")
    );
    let header_y = area.y + 1;
    let (status, style) = match &item.decision {
        Some(d) => {
            let mut s = format!(
                "Decided: {} by {}",
                crate::tui::reconcile::hunk::choice_words(d.choice),
                inert(&d.decided_by)
            );
            if !d.rationale.is_empty() {
                s.push_str(&format!(" — «{}»", inert(&d.rationale)));
            }
            s.push_str(" (deciding again asks first)");
            (s, theme.ok())
        }
        None => (
            "Not decided yet: a keep A's · b keep B's · o both · x neither · e edit".to_string(),
            theme.dim(),
        ),
    };
    buf.set_stringn(area.x, area.y + 2, truncate(&status, w), w, style);

    let content = below(area, 3);
    let side = area.width >= SIDE_BY_SIDE;
    let defs_w = if side { (w * 2 / 5).max(30) } else { w };
    let diff_w = if side { w - defs_w - 1 } else { w };
    let mut diff: Vec<Line<'static>> = hunk
        .lines
        .iter()
        .flat_map(|l| diff_line(hunk, l, diff_w, theme))
        .collect();
    let defs = definitions(session, hunk, codebook, defs_w, theme);
    let height = content.height as usize;
    if side {
        let longest = diff.len().max(defs.len());
        let scroll = clamp(longest.saturating_sub(height));
        let [left, rule, right] = content.layout(&Layout::horizontal([
            Constraint::Length(diff_w as u16),
            Constraint::Length(1),
            Constraint::Length(defs_w as u16),
        ]));
        draw_lines(
            buf,
            left,
            &diff,
            scroll.min(diff.len().saturating_sub(height)),
        );
        for cell in rule.rows() {
            buf.set_stringn(cell.x, cell.y, "│", 1, theme.dim());
        }
        draw_lines(
            buf,
            right,
            &defs,
            scroll.min(defs.len().saturating_sub(height)),
        );
        buf.set_stringn(area.x, header_y, truncate(&header, w), w, theme.key());
        return;
    }
    diff.push(Line::default());
    diff.push(Line::styled(
        pad(" Definitions of the codes at stake", w),
        theme.bar(),
    ));
    diff.extend(defs);
    let scroll = clamp(diff.len().saturating_sub(height));
    draw_lines(buf, content, &diff, scroll);
    let more = if diff.len() > height {
        format!(
            " rows {}-{}/{} j/k",
            scroll + 1,
            (scroll + height).min(diff.len()),
            diff.len()
        )
    } else {
        String::new()
    };
    let mw = width(&more).min(w);
    let hw = w - mw;
    buf.set_stringn(area.x, header_y, truncate(&header, hw), hw, theme.key());
    buf.set_stringn(area.x + hw as u16, header_y, &more, mw, theme.dim());
}
