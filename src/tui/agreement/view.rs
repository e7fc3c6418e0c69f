//! Draws the Agreement tab from its state: the pair of coders, the
//! per-code table with a bar and reading for each value (worst codes
//! first), and why nothing is shown when blind coding hides it; a code's
//! list of disagreements is `agreement::hunks_view`, the chart per codebook release is `agreement::chart`.
//! No file or git access: everything was computed in the background.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};

use crate::model::agreement::metrics::kappa_band;
use crate::model::agreement::report::Metrics;
use crate::model::text::inert;
use crate::model::{Codebook, UnitKind};

use crate::tui::agreement::chart::{alpha_text, band_style, bar, chart_height, put, release_chart};
use crate::tui::agreement::hunks_view::hunk_list;
use crate::tui::agreement::job::Loaded;
use crate::tui::agreement::tab::{AgreementScreen, Data};
use crate::tui::draw::styled::below;
use crate::tui::draw::widgets;
use crate::tui::draw::wrap::truncate;
use crate::tui::reconcile::view as reconcile_view;
use crate::tui::theme::Theme;

fn kappa_of(m: &Metrics) -> Option<f64> {
    m.cohen_kappa.0.first().and_then(|(_, v)| *v)
}

fn fixed2(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.2}"))
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |p| format!("{:.1}%", p * 100.0))
}

pub fn draw(
    buf: &mut Buffer,
    area: Rect,
    screen: &AgreementScreen,
    codebook: &Codebook,
    theme: &Theme,
) {
    if area.height < 4 {
        return;
    }
    if let (Some(view), Data::Loaded(loaded)) = (&screen.reconcile, &screen.data) {
        let max = &screen.reconcile_max;
        reconcile_view::draw(buf, area, &loaded.session, view, max, codebook, theme);
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
    let body = below(area, 1);
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
    below(area, rows).inner(Margin::new(1, 0))
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
    // A rare code's alpha and kappa swing on one unit: no bar, no reading,
    // only what `cbr agree` says of it (docs/agreement.md, rare codes).
    let alpha = m.krippendorff_alpha.filter(|_| !m.too_rare);
    let (filled, empty) = bar(alpha, cols.bar);
    let band = band_style(alpha, theme);
    let nx = put(buf, x, y, w, &filled, band.patch(base));
    put(buf, nx, y, w, &empty, theme.dim().patch(base));
    x += cols.bar as u16 + 1;
    if m.too_rare {
        put(buf, x, y, ALPHA_W, "  too rare", theme.dim().patch(base));
    } else {
        put(buf, x, y, ALPHA_W, &alpha_text(alpha), band.patch(base));
    }
    x += ALPHA_W as u16 + 1;
    let kappa = kappa_of(m).filter(|_| !m.too_rare);
    let k = format!("{:>KAPPA_W$}", fixed2(kappa));
    put(buf, x, y, KAPPA_W, &k, base);
    x += KAPPA_W as u16 + 1;
    let p = format!("{:>AGREE_W$}", percent(m.percent_agreement));
    put(buf, x, y, AGREE_W, &p, base);
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
    let chart = chart_height(&loaded.releases, &screen.release_moves);
    let rows_h = area.height.saturating_sub(3 + chart + u16::from(chart > 0)) as usize;
    let first = screen.selected.saturating_sub(rows_h.saturating_sub(1));
    let overall_name = format!("overall ({} codes)", report.overall.codes);
    let shown = first..(loaded.codes.len() + 1).min(first + rows_h);
    for (i, row) in shown.zip(below(area, 2).rows()) {
        let (name, m) = match i {
            0 => (overall_name.as_str(), &report.overall.metrics),
            _ => (
                loaded.codes[i - 1].code.as_str(),
                &loaded.codes[i - 1].metrics,
            ),
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
        release_chart(
            buf,
            area,
            detail_y + 2,
            &loaded.releases,
            &screen.release_moves,
            theme,
        );
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
        format!("{n} to settle")
    };
    let report = &loaded.report;
    let sure = if m.too_rare {
        format!(
            "on {} unit(s): too rare to judge (< {})",
            m.present_units, report.rare_below
        )
    } else {
        match (m.alpha_ci, m.p_below_min) {
            (Some([lo, hi]), Some(p)) => format!(
                "α {lo:.2}–{hi:.2} ({:.0}%), P(α<{}) {p:.2}",
                report.bootstrap.level * 100.0,
                format!("{:.3}", report.bootstrap.alpha_min).trim_start_matches('0')
            ),
            _ => k,
        }
    };
    format!(" {} · {sure} · {list}", inert(&label))
}
