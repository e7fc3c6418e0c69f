//! The second table of `cbr agree`: per code, the units anyone judged it
//! present on, alpha's bootstrap interval, the chance that alpha is below
//! the minimum, and Gwet's AC1; then the codes nobody applied. Apart from
//! the first table so that each stays readable at 80 columns.

use crate::model::agreement::Report;
use crate::model::agreement::report::{CodeMetrics, Metrics};

use super::agree::print_columns;

/// A level as a percentage: 95%, 99.5%.
fn percent(level: f64) -> String {
    let p = level * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn value(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.decimals$}"))
}

fn row(name: String, m: &Metrics, with_interval: bool) -> Vec<String> {
    let mut r = vec![name, m.present_units.to_string()];
    if m.too_rare {
        // In the interval's column (AC1's without one), where it is narrow.
        r.extend([String::new(), "too rare to judge".into()]);
        return r;
    }
    r.push(value(m.krippendorff_alpha, 3));
    if with_interval {
        r.push(
            m.alpha_ci
                .map_or_else(|| "–".into(), |[lo, hi]| format!("[{lo:.3}, {hi:.3}]")),
        );
        r.push(value(m.p_below_min, 3));
    }
    r.push(value(m.gwet_ac1, 3));
    r
}

/// Prints the table for the codes in display order, and the codes nobody
/// applied.
pub(super) fn table(report: &Report, codes: &[CodeMetrics]) {
    let b = &report.bootstrap;
    let with_interval = b.draws > 0;
    if with_interval {
        outln!(
            "α's {} bootstrap interval ({} resamples of the units, seed {}),",
            percent(b.level),
            b.draws,
            b.seed
        );
        outln!(
            "the chance that α < {} (the share of resamples below it), and Gwet's AC1:",
            b.alpha_min
        );
    } else {
        outln!("Gwet's AC1 (no bootstrap interval: --bootstrap 0):");
    }
    let mut header = vec!["code".to_string(), "present".into(), "α".into()];
    if with_interval {
        header.push(format!("{} interval", percent(b.level)));
        header.push(format!("P(α<{})", b.alpha_min));
    }
    header.push("AC1".into());
    let mut rows = vec![
        header,
        row(
            format!("overall ({} codes)", report.overall.codes),
            &report.overall.metrics,
            with_interval,
        ),
    ];
    rows.extend(
        codes
            .iter()
            .map(|c| row(c.code.to_string(), &c.metrics, with_interval)),
    );
    let right: Vec<usize> = (1..rows[0].len()).collect();
    print_columns(&rows, &right);
    if !report.unused.is_empty() {
        let names: Vec<&str> = report.unused.iter().map(|c| c.as_str()).collect();
        outln!();
        outln!(
            "Nobody applied ({}, left out of every figure): {}",
            names.len(),
            names.join(", ")
        );
    }
}
