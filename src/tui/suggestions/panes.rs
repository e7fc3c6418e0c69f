//! Two panes of the Suggestions tab: the coded passages a suggestion
//! affects (with the selected one in full), and one conflict with `main`
//! as the base text and both sides' word diffs side by side.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};

use crate::model::merge::Conflict;

use crate::tui::draw::diff_text::word_spans;
use crate::tui::draw::loadable::heading;
use crate::tui::draw::styled::{self, Para};
use crate::tui::draw::wrap::truncate;
use crate::tui::suggestions::tab::Loaded;
use crate::tui::theme::Theme;

pub(in crate::tui) fn draw_passages(
    buf: &mut Buffer,
    area: Rect,
    loaded: &Loaded,
    selected: usize,
    theme: &Theme,
) {
    let passages = loaded.passages();
    heading(
        buf,
        area,
        &format!(
            "{} coded passage(s) affected by “{}”",
            passages.len(),
            loaded.detail.suggestion.title
        ),
        theme,
    );
    let list_h =
        (area.height.saturating_sub(1) / 2).clamp(1, passages.len().max(1) as u16) as usize;
    let first = selected.saturating_sub(list_h - 1);
    for (i, (code, coder, p)) in passages.iter().enumerate().skip(first).take(list_h) {
        let y = area.y + 1 + (i - first) as u16;
        let text = format!(
            " {:<22} {:<8} {}:{}-{}  {}",
            truncate(code.as_str(), 22),
            coder.as_str(),
            p.transcript,
            p.start_line,
            p.end_line,
            p.text.replace('\n', " / ")
        );
        let style = if i == selected {
            theme.cursor()
        } else {
            theme.plain()
        };
        styled::list_row(buf, area, y, &text, style);
    }
    let Some((_, _, p)) = passages.get(selected) else {
        return;
    };
    let rest = styled::below(area, 1 + list_h as u16);
    let mut paras = vec![Para::text("─".repeat(area.width as usize), theme.dim())];
    paras.extend(Para::prose(&p.text, theme.plain(), 1));
    if let Some(memo) = &p.memo {
        paras.push(Para::new(1).push(format!("memo: {memo}"), theme.dim()));
    }
    styled::draw_paras(buf, rest, &paras, 0);
}

/// One conflict: the base text, then main's and the suggestion's changes
/// to it side by side as word diffs.
pub(in crate::tui) fn draw_conflict(
    buf: &mut Buffer,
    area: Rect,
    loaded: &Loaded,
    selected: usize,
    theme: &Theme,
) {
    let n = loaded.open_conflicts.len();
    let Some(c) = loaded.open_conflicts.get(selected) else {
        heading(
            buf,
            area,
            "No conflict left: m merges, Esc goes back.",
            theme,
        );
        return;
    };
    let settled = if loaded.settled > 0 {
        format!(" · {} settled", loaded.settled)
    } else {
        String::new()
    };
    heading(
        buf,
        area,
        &format!("Conflict {} of {n}: {}{settled}", selected + 1, c.key()),
        theme,
    );
    let body = styled::below(area, 1);
    if c.field.is_none() {
        let said = |t: &str| {
            if t.is_empty() {
                "removed the code"
            } else {
                "changed the code"
            }
        };
        let paras = [
            Para::text(
                format!(
                    "main {}; the suggestion {}.",
                    said(&c.ours),
                    said(&c.theirs)
                ),
                theme.plain(),
            ),
            Para::text(
                "o keeps main's version, t takes the suggestion's.",
                theme.dim(),
            ),
        ];
        styled::draw_paras(buf, body, &paras, 0);
        return;
    }
    let base = Para::lines(
        vec![
            ("base: ".to_string(), theme.bold()),
            (c.base.trim_end().to_string(), theme.dim()),
        ],
        0,
        2,
    );
    let base_rows = styled::layout(&base, body.width);
    let base_h = base_rows.len().min(body.height as usize / 3) as u16;
    let [base_area, cols] = body
        .layout(&Layout::vertical([Constraint::Length(base_h), Constraint::Fill(1)]).spacing(1));
    styled::draw(buf, base_area, &base_rows, 0);
    side_by_side(buf, cols, c, theme);
}

fn side_by_side(buf: &mut Buffer, area: Rect, c: &Conflict, theme: &Theme) {
    let [left, gap, right] = area.layout(&Layout::horizontal([
        Constraint::Length(area.width.saturating_sub(3) / 2),
        Constraint::Length(3),
        Constraint::Fill(1),
    ]));
    // The rule in the middle of the gap, a space either side.
    for cell in gap.inner(Margin::new(1, 0)).rows() {
        buf.set_stringn(cell.x, cell.y, "│", 1, theme.dim());
    }
    for (rect, title, words) in [
        (left, "main (o keeps it)", c.ours_words()),
        (right, "suggestion (t takes it)", c.theirs_words()),
    ] {
        let mut paras = vec![Para::text(title, theme.heading())];
        paras.extend(Para::lines(word_spans(&words, theme), 0, 0));
        styled::draw_paras(buf, rect, &paras, 0);
    }
}
