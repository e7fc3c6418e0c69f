//! The Agreement tab's drawing primitives and its small chart: bars in
//! eighths of a cell coloured by Krippendorff's reading, and agreement per
//! codebook release, one bar per release.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use crate::model::agreement::metrics::alpha_band;
use crate::model::text::inert;
use crate::study::release_agreement::ByRelease;

use crate::tui::agreement::release_note;
use crate::tui::draw::wrap::{truncate, width};
use crate::tui::theme::Theme;

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

pub(in crate::tui) fn alpha_text(a: Option<f64>) -> String {
    a.map_or_else(
        || "–  undefined".into(),
        |a| format!("{a:>6.3} {}", alpha_band(a)),
    )
}

/// Writes `text` at (x, y), clipped to `w` cells; returns the next x.
pub(in crate::tui) fn put(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    w: usize,
    text: &str,
    style: Style,
) -> u16 {
    buf.set_stringn(x, y, text, w, style).0
}

pub(in crate::tui) fn chart_height(releases: &Result<ByRelease, String>, moved: &[String]) -> u16 {
    match releases {
        Ok(r) if r.eras.is_empty() => 0,
        Ok(r) => {
            let notes = release_note::lines(r, moved).len();
            (1 + r.eras.len() + usize::from(!r.unplaced.is_empty()) + notes).min(9) as u16
        }
        Err(_) => 1,
    }
}

pub(in crate::tui) fn release_chart(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    releases: &Result<ByRelease, String>,
    moved: &[String],
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
                // The bootstrap interval as a range beside the point, so a
                // revision that "helped" inside the noise reads as such.
                let range = o
                    .metrics
                    .alpha_ci
                    .map(|[lo, hi]| format!(" [{lo:.2}–{hi:.2}]"))
                    .unwrap_or_default();
                let text = format!(
                    "{}{range}  {} transcript(s)",
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
        y += 1;
    }
    // Why a figure moved: the rows above change with no edit to a
    // release's codings when a transcript leaves it.
    for line in release_note::lines(by, moved) {
        if y >= bottom {
            return;
        }
        put(buf, area.x, y, w, &truncate(&inert(&line), w), theme.dim());
        y += 1;
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
