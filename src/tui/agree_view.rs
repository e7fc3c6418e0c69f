//! Draws the Agreement tab from its state: the pair of coders, the
//! per-code table with a bar and reading for each value (worst codes
//! first), a code's list of disagreements, agreement per codebook release
//! as a small chart, and why nothing is shown when blind coding hides it.
//! No file or git access: everything was computed in the background.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use crate::model::agreement::metrics::{alpha_band, kappa_band};
use crate::model::agreement::report::Metrics;
use crate::model::text::inert;
use crate::model::{Codebook, Slug, UnitKind};
use crate::study::release_agreement::ByRelease;

use super::agree_job::Loaded;
use super::agree_tab::{AgreementScreen, Data, HunkList};
use super::reconcile_view;
use super::theme::Theme;
use super::widgets;
use super::wrap::{truncate, width};

/// Partial blocks, in eighths of a cell, for bars finer than a cell.
const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/// A bar of `value` (0 to 1; below 0 draws nothing) `cells` wide: the
/// filled part, and the empty rest as dots.
pub fn bar(value: Option<f64>, cells: usize) -> (String, String) {
    let v = value.unwrap_or(0.0).clamp(0.0, 1.0);
    let eighths = (v * cells as f64 * 8.0).round() as usize;
    let (full, part) = (eighths / 8, eighths % 8);
    let filled = format!("{}{}", "█".repeat(full), EIGHTHS[part]);
    let used = full + usize::from(part > 0);
    (filled, "·".repeat(cells.saturating_sub(used)))
}

/// The colour of an alpha value's reading (green reliable, yellow
/// tentative, red unreliable); the words say it without colour.
pub fn band_style(alpha: Option<f64>, theme: &Theme) -> Style {
    match alpha {
        None => theme.dim(),
        Some(_) if !theme.color => theme.plain(),
        Some(a) if a >= 0.800 => Style::new().fg(Color::Green),
        Some(a) if a >= 0.667 => Style::new().fg(Color::Yellow),
        Some(_) => Style::new().fg(Color::Red),
    }
}

fn alpha_text(a: Option<f64>) -> String {
    a.map_or_else(
        || "–  undefined".into(),
        |a| format!("{a:>6.3} {}", alpha_band(a)),
    )
}

fn kappa_of(m: &Metrics) -> Option<f64> {
    m.cohen_kappa.0.first().and_then(|(_, v)| *v)
}

fn fixed2(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.2}"))
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |p| format!("{:.1}%", p * 100.0))
}

/// Writes `text` at (x, y), clipped to `w` cells; returns the next x.
fn put(buf: &mut Buffer, x: u16, y: u16, w: usize, text: &str, style: Style) -> u16 {
    buf.set_stringn(x, y, text, w, style).0
}

pub fn draw(
    buf: &mut Buffer,
    area: Rect,
    screen: &mut AgreementScreen,
    codebook: &Codebook,
    theme: &Theme,
) {
    if area.height < 4 {
        return;
    }
    if let (Some(view), Data::Loaded(loaded)) = (&mut screen.reconcile, &screen.data) {
        reconcile_view::draw(buf, area, &loaded.session, view, codebook, theme);
        return;
    }
    let w = area.width as usize;
    let Some((a, b)) = screen.current_pair() else {
        let text = "Agreement needs two coders: nobody else has coded in this study yet. \
                    Each coder's work appears under codings/<coder>/.";
        widgets::paragraph(buf, area, area.y + 1, text, theme.plain(), 0);
        return;
    };
    let x = put(
        buf,
        area.x,
        area.y,
        w,
        &format!(" {a} ⇄ {b} "),
        theme.bold(),
    );
    let which = format!(
        "pair {} of {}{}{}",
        screen.pair + 1,
        screen.pairs.len(),
        if screen.pairs.len() > 1 {
            " (c: next pair)"
        } else {
            ""
        },
        if screen.refreshing {
            " · updating…"
        } else {
            ""
        }
    );
    put(
        buf,
        x + 1,
        area.y,
        w.saturating_sub((x - area.x) as usize + 1),
        &which,
        theme.dim(),
    );
    let body = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    match &screen.data {
        Data::Idle | Data::Computing => {
            let text = format!("Computing the agreement of {a} and {b}… (keys still work)");
            put(buf, body.x + 1, body.y + 1, w - 1, &text, theme.dim());
        }
        Data::Hidden(reason) => hidden(buf, body, reason, theme),
        Data::Failed(msg) => {
            put(
                buf,
                body.x + 1,
                body.y + 1,
                w - 1,
                "Could not compute agreement",
                theme.error(),
            );
            widgets::paragraph(buf, inset(body, 3), body.y + 3, msg, theme.plain(), 2);
        }
        Data::Loaded(loaded) => match &screen.hunks {
            Some(list) => hunk_list(buf, body, loaded, list, codebook, theme),
            None => table(buf, body, screen, loaded, codebook, theme),
        },
    }
}

/// `area` without its first `rows` rows and one column each side.
fn inset(area: Rect, rows: u16) -> Rect {
    Rect {
        x: area.x + 1,
        y: area.y + rows.min(area.height),
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(rows),
    }
}

fn hidden(buf: &mut Buffer, area: Rect, reason: &str, theme: &Theme) {
    let inner = inset(area, 1);
    put(
        buf,
        inner.x,
        inner.y,
        inner.width as usize,
        "Hidden by blind coding",
        theme.heading(),
    );
    let mut y = Some(inner.y + 2);
    for line in reason.lines() {
        y = y.and_then(|y| widgets::paragraph(buf, inner, y, line, theme.plain(), 2));
    }
    if let Some(y) = y {
        widgets::paragraph(
            buf,
            inner,
            y + 1,
            "U shows it anyway for this session (it asks first); c picks another pair.",
            theme.dim(),
            0,
        );
    }
}

/// Column widths of the table at a given width.
struct Columns {
    name: usize,
    bar: usize,
}

const ALPHA_W: usize = 17;
const KAPPA_W: usize = 6;
const AGREE_W: usize = 7;

impl Columns {
    fn at(width: usize) -> Columns {
        let bar = (width / 5).clamp(8, 24);
        let name = width
            .saturating_sub(bar + ALPHA_W + KAPPA_W + AGREE_W + 5)
            .max(8);
        Columns { name, bar }
    }
}

/// One row of the table (`row` is one line high): name, bar, alpha with
/// its reading, kappa, agreement.
fn metrics_row(
    buf: &mut Buffer,
    row: Rect,
    cols: &Columns,
    name: &str,
    m: &Metrics,
    selected: bool,
    theme: &Theme,
) {
    let (area, y) = (row, row.y);
    let w = area.width as usize;
    let base = if selected {
        theme.cursor()
    } else {
        theme.plain()
    };
    widgets::row(buf, area.x, y, area.width, "", base);
    let mut x = put(
        buf,
        area.x + 1,
        y,
        cols.name,
        &truncate(name, cols.name),
        base,
    );
    x = x.max(area.x + 1 + cols.name as u16) + 1;
    let alpha = m.krippendorff_alpha;
    let (filled, empty) = bar(alpha, cols.bar);
    let band = band_style(alpha, theme);
    let nx = put(buf, x, y, w, &filled, band.patch(base));
    put(buf, nx, y, w, &empty, theme.dim().patch(base));
    x += cols.bar as u16 + 1;
    put(buf, x, y, ALPHA_W, &alpha_text(alpha), band.patch(base));
    x += ALPHA_W as u16 + 1;
    let k = format!("{:>KAPPA_W$}", fixed2(kappa_of(m)));
    put(buf, x, y, KAPPA_W, &k, base);
    x += KAPPA_W as u16 + 1;
    let p = format!("{:>AGREE_W$}", percent(m.percent_agreement));
    put(buf, x, y, AGREE_W, &p, base);
}

fn chart_height(releases: &Result<ByRelease, String>) -> u16 {
    match releases {
        Ok(r) if r.eras.is_empty() => 0,
        Ok(r) => (1 + r.eras.len() + usize::from(!r.unplaced.is_empty())).min(7) as u16,
        Err(_) => 1,
    }
}

fn table(
    buf: &mut Buffer,
    area: Rect,
    screen: &AgreementScreen,
    loaded: &Loaded,
    codebook: &Codebook,
    theme: &Theme,
) {
    let w = area.width as usize;
    let report = &loaded.report;
    let (done, total) = loaded.session.progress();
    let unit = match report.unit {
        UnitKind::Line => "non-blank lines",
        UnitKind::Turn => "speaker turns",
    };
    let summary = format!(
        " {} transcript(s) both completed · {} units ({unit}) · {done}/{total} resolved",
        report.transcripts.len(),
        report.overall.metrics.units
    );
    put(buf, area.x, area.y, w, &truncate(&summary, w), theme.dim());
    if report.transcripts.is_empty() {
        let text = "No transcript was completed by both coders yet: agreement counts only \
                    transcripts each of them marked complete (C in an open transcript).";
        widgets::paragraph(buf, inset(area, 2), area.y + 2, text, theme.plain(), 0);
        return;
    }
    let cols = Columns::at(w.saturating_sub(1));
    let header = format!(
        " {:<name$} {:<bar$} {:<ALPHA_W$} {:>KAPPA_W$} {:>AGREE_W$}",
        "code (worst first)",
        "Krippendorff α",
        "",
        "κ",
        "agree",
        name = cols.name,
        bar = cols.bar
    );
    put(buf, area.x, area.y + 1, w, &header, theme.heading());
    let chart = chart_height(&loaded.releases);
    let rows_h = area.height.saturating_sub(3 + chart + u16::from(chart > 0)) as usize;
    let first = screen.selected.saturating_sub(rows_h.saturating_sub(1));
    let overall_name = format!("overall ({} codes)", report.overall.codes);
    for i in first..(loaded.codes.len() + 1).min(first + rows_h) {
        let y = area.y + 2 + (i - first) as u16;
        let (name, m) = match i {
            0 => (overall_name.as_str(), &report.overall.metrics),
            _ => (
                loaded.codes[i - 1].code.as_str(),
                &loaded.codes[i - 1].metrics,
            ),
        };
        let row = Rect {
            y,
            height: 1,
            ..area
        };
        metrics_row(buf, row, &cols, name, m, i == screen.selected, theme);
    }
    let detail_y = area.y + 2 + rows_h as u16;
    put(
        buf,
        area.x,
        detail_y,
        w,
        &detail(screen, loaded, codebook),
        theme.ok(),
    );
    if chart > 0 {
        release_chart(buf, area, detail_y + 2, &loaded.releases, theme);
    }
}

/// The line under the table: the selected row's readings in words.
fn detail(screen: &AgreementScreen, loaded: &Loaded, codebook: &Codebook) -> String {
    let (label, m, code) = match screen.selected.checked_sub(1) {
        None => (
            "All codes pooled".to_string(),
            &loaded.report.overall.metrics,
            None,
        ),
        Some(i) => {
            let c = &loaded.codes[i.min(loaded.codes.len().saturating_sub(1))];
            let name = codebook
                .get(c.code.as_str())
                .map_or(c.code.to_string(), |code| code.name.clone());
            (name, &c.metrics, Some(&c.code))
        }
    };
    let k = kappa_of(m).map_or("κ undefined".to_string(), |k| {
        format!("κ {k:.2} {}", kappa_band(k))
    });
    let n = loaded
        .session
        .items
        .iter()
        .filter(|i| code.is_none_or(|c| i.hunk.codes_at_stake().contains(c)))
        .count();
    let list = if n == 0 {
        "no disagreement".to_string()
    } else {
        format!("{n} disagreement(s), Enter lists them")
    };
    format!(" {} · {k} · {list}", inert(&label))
}

fn release_chart(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    releases: &Result<ByRelease, String>,
    theme: &Theme,
) {
    let w = area.width as usize;
    let bottom = area.y + area.height;
    let by = match releases {
        Err(e) => {
            let text = format!(" Agreement by codebook release unavailable: {e}");
            put(
                buf,
                area.x,
                y.min(bottom - 1),
                w,
                &truncate(&text, w),
                theme.dim(),
            );
            return;
        }
        Ok(by) => by,
    };
    if y >= bottom {
        return;
    }
    put(
        buf,
        area.x,
        y,
        w,
        " By codebook release (α, all codes pooled)",
        theme.heading(),
    );
    let label_w = by
        .eras
        .iter()
        .map(|e| width(&e.label))
        .max()
        .unwrap_or(0)
        .min(22);
    let bar_w = (w / 4).clamp(8, 30);
    let mut y = y + 1;
    for era in &by.eras {
        if y >= bottom {
            return;
        }
        let mut x = put(
            buf,
            area.x + 1,
            y,
            label_w,
            &truncate(&inert(&era.label), label_w),
            theme.plain(),
        );
        x = x.max(area.x + 1 + label_w as u16) + 1;
        match &era.overall {
            None => {
                put(
                    buf,
                    x,
                    y,
                    w,
                    "no transcript coded under it yet",
                    theme.dim(),
                );
            }
            Some(o) => {
                let alpha = o.metrics.krippendorff_alpha;
                let (filled, empty) = bar(alpha, bar_w);
                let nx = put(buf, x, y, bar_w, &filled, band_style(alpha, theme));
                put(buf, nx, y, bar_w, &empty, theme.dim());
                x += bar_w as u16 + 1;
                let text = format!(
                    "{}  {} transcript(s)",
                    alpha_text(alpha).trim_start(),
                    era.transcripts.len()
                );
                let room = (area.x + area.width).saturating_sub(x) as usize;
                put(
                    buf,
                    x,
                    y,
                    room,
                    &truncate(&text, room),
                    band_style(alpha, theme),
                );
            }
        }
        y += 1;
    }
    if !by.unplaced.is_empty() && y < bottom {
        let items: Vec<String> = by
            .unplaced
            .iter()
            .map(|(t, why)| format!("{t} ({why})"))
            .collect();
        let text = format!(" Not placed: {}", items.join("; "));
        put(buf, area.x, y, w, &truncate(&inert(&text), w), theme.dim());
    }
}

fn hunk_list(
    buf: &mut Buffer,
    area: Rect,
    loaded: &Loaded,
    list: &HunkList,
    codebook: &Codebook,
    theme: &Theme,
) {
    let w = area.width as usize;
    let session = &loaded.session;
    let what = match &list.code {
        Some(code) => codebook
            .get(code.as_str())
            .map_or(code.to_string(), |c| format!("{} ({code})", c.name)),
        None => "every code".to_string(),
    };
    let title = format!(
        " {}: {} disagreement(s) between {} (-) and {} (+)",
        inert(&what),
        list.items.len(),
        session.a,
        session.b
    );
    put(
        buf,
        area.x,
        area.y,
        w,
        &truncate(&title, w),
        theme.heading(),
    );
    put(
        buf,
        area.x,
        area.y + 1,
        w,
        " Enter reconciles the one chosen · Esc back to the table",
        theme.dim(),
    );
    let rows_h = area.height.saturating_sub(2) as usize;
    let first = list.selected.saturating_sub(rows_h.saturating_sub(1));
    for (row, &index) in list.items.iter().enumerate().skip(first).take(rows_h) {
        let item = &session.items[index];
        let h = &item.hunk;
        let status = match &item.decision {
            Some(d) => format!("[x] {:<12}", d.choice.as_str()),
            None => format!(
                "[ ] {:<12}",
                sides(h, list.code.as_ref(), &session.a, &session.b)
            ),
        };
        let at = format!("{}:{}-{}", h.transcript, h.changed.start, h.changed.end);
        let preview = h
            .core()
            .find(|l| l.changed)
            .map(|l| inert(&l.text).into_owned())
            .unwrap_or_default();
        let text = format!(" {status} {at:<22} {preview}");
        let style = if row == list.selected {
            theme.cursor()
        } else {
            theme.plain()
        };
        let y = area.y + 2 + (row - first) as u16;
        widgets::row(buf, area.x, y, area.width, &truncate(&text, w), style);
    }
}

/// Who applied the code at stake: "-alice", "+bob" or both.
fn sides(
    hunk: &crate::model::disagreement::Hunk,
    code: Option<&Slug>,
    a: &Slug,
    b: &Slug,
) -> String {
    let applies = |only: fn(&crate::model::disagreement::HunkLine) -> &Vec<Slug>| {
        hunk.core()
            .any(|l| code.map_or(!only(l).is_empty(), |c| only(l).contains(c)))
    };
    match (applies(|l| &l.only_a), applies(|l| &l.only_b)) {
        (true, true) => "both differ".to_string(),
        (true, false) => format!("-{a}"),
        (false, true) => format!("+{b}"),
        (false, false) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_eighths_and_never_overflow() {
        assert_eq!(bar(Some(1.0), 4), ("████".into(), String::new()));
        assert_eq!(bar(Some(0.5), 4), ("██".into(), "··".into()));
        assert_eq!(bar(Some(0.58), 10), ("█████▊".into(), "····".into()));
        assert_eq!(bar(Some(-0.2), 3), (String::new(), "···".into()));
        assert_eq!(bar(None, 3), (String::new(), "···".into()));
        assert_eq!(bar(Some(1.7), 2), ("██".into(), String::new()));
    }
}
