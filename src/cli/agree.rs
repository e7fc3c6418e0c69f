//! `cbr agree`: inter-coder agreement per code, as a table with the usual
//! readings, as CSV, or as JSON.

use std::process::ExitCode;

use crate::model::agreement::bootstrap::Settings;
use crate::model::agreement::metrics::{alpha_band, kappa_band};
use crate::model::agreement::report::{CodeMetrics, Metrics};
use crate::model::agreement::{Options, Report, worst_first};
use crate::model::{Slug, UnitKind};
use crate::study::{Study, agreement, blind};

use super::{ReportFormat, UnitArg, print_json, slugs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Coders to compare, in this order (default: every coder but consensus, alphabetically).
    #[arg(long, value_delimiter = ',', value_name = "A,B,...", add = super::complete::coder_ids())]
    pub coders: Vec<String>,
    /// Count agreement over lines or speaker turns (default: study.toml's `unit`).
    #[arg(long, value_enum)]
    pub unit: Option<UnitArg>,
    /// Only these transcripts (default: every transcript two of the coders completed).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub transcripts: Vec<String>,
    /// A segment of a sub-code also counts for its parent codes.
    #[arg(long)]
    pub rollup: bool,
    /// Count only units that at least one coder coded with some code.
    #[arg(long)]
    pub coded_only: bool,
    /// Show it even though blind coding would still hide some coder's work.
    #[arg(long)]
    pub unblind: bool,
    /// One row per codebook release: the transcripts coded under it, all codes pooled.
    #[arg(long, conflicts_with = "transcripts")]
    pub by_release: bool,
    /// Bootstrap resamples of the units for alpha's confidence interval (0: none).
    #[arg(long, value_name = "N", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    pub bootstrap: u64,
    /// Seed of the bootstrap: the same study and seed give the same interval.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Confidence level of alpha's interval, between 0 and 1.
    #[arg(long, value_name = "P", default_value_t = 0.95, value_parser = open_unit)]
    pub level: f64,
    /// Smallest acceptable alpha: the report gives the chance that alpha is below it.
    #[arg(long, value_name = "A", default_value_t = 0.667, value_parser = alpha_value,
          allow_negative_numbers = true)]
    pub alpha_min: f64,
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
}

impl Args {
    fn bootstrap(&self) -> Settings {
        Settings {
            draws: self.bootstrap as usize,
            seed: self.seed,
            level: self.level,
            alpha_min: self.alpha_min,
            per_code: true,
        }
    }
}

fn open_unit(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if p > 0.0 && p < 1.0 => Ok(p),
        _ => Err("a level between 0 and 1, such as 0.95".into()),
    }
}

fn alpha_value(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(a) if (-1.0..=1.0).contains(&a) => Ok(a),
        _ => Err("a value of alpha between -1 and 1, such as 0.667".into()),
    }
}

pub fn agree(study: &Study, args: Args) -> anyhow::Result<ExitCode> {
    let coders = if args.coders.is_empty() {
        agreement::default_coders(study)
    } else {
        slugs(&args.coders)?
    };
    let transcripts = slugs(&args.transcripts)?;
    let options = Options {
        unit: args.unit.map(UnitKind::from).unwrap_or(study.config.unit),
        rollup: args.rollup,
        coded_only: args.coded_only,
    };
    if args.by_release {
        let bootstrap = args.bootstrap();
        super::agree_releases::print(
            study,
            &coders,
            options,
            &bootstrap,
            args.unblind,
            args.format,
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let report = agreement::report_with(study, &coders, &transcripts, options, &args.bootstrap())?;
    // Only the transcripts counted show anyone's segments (through the
    // numbers); the ones skipped reveal nothing.
    blind::check_reveal(study, &coders, &report.transcripts, args.unblind)?;
    match args.format {
        ReportFormat::Json => print_json(&report)?,
        ReportFormat::Csv => print_csv(&report)?,
        ReportFormat::Table => print_table(&report),
    }
    Ok(ExitCode::SUCCESS)
}

/// The CSV header for rows of metrics, after a first column `first`.
pub(super) fn csv_header(first: &str, m: &Metrics) -> Vec<String> {
    let mut header = vec![
        first.to_string(),
        "units".into(),
        "percent_agreement".into(),
    ];
    for (pair, _) in &m.cohen_kappa.0 {
        header.push(format!("cohen_kappa:{pair}"));
    }
    header.extend(["fleiss_kappa".into(), "krippendorff_alpha".into()]);
    header.push("gwet_ac1".into());
    for (pair, _) in &m.gwet_ac1_pairs.0 {
        header.push(format!("gwet_ac1:{pair}"));
    }
    for name in [
        "alpha_ci_low",
        "alpha_ci_high",
        "p_below_min",
        "present_units",
        "too_rare",
    ] {
        header.push(name.into());
    }
    header
}

/// One CSV row of metrics; undefined values are empty cells. The name
/// (a code id, a release tag) is text from the study, so it is made
/// spreadsheet-safe; the numbers stay numbers.
pub(super) fn csv_cells(name: &str, m: &Metrics) -> Vec<String> {
    let cell = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut r = vec![
        crate::model::text::spreadsheet_safe(name).into_owned(),
        m.units.to_string(),
        cell(m.percent_agreement),
    ];
    r.extend(m.cohen_kappa.0.iter().map(|(_, v)| cell(*v)));
    r.extend([cell(m.fleiss_kappa), cell(m.krippendorff_alpha)]);
    r.push(cell(m.gwet_ac1));
    r.extend(m.gwet_ac1_pairs.0.iter().map(|(_, v)| cell(*v)));
    r.extend([
        cell(m.alpha_ci.map(|ci| ci[0])),
        cell(m.alpha_ci.map(|ci| ci[1])),
        cell(m.p_below_min),
        m.present_units.to_string(),
        m.too_rare.to_string(),
    ]);
    r
}

fn print_csv(report: &Report) -> anyhow::Result<()> {
    let mut out = csv::Writer::from_writer(super::output::csv_stdout());
    out.write_record(csv_header("code", &report.overall.metrics))?;
    // Slugs never hold parentheses, so this row cannot clash with a code.
    out.write_record(csv_cells("(overall)", &report.overall.metrics))?;
    for code in &report.codes {
        out.write_record(csv_cells(code.code.as_str(), &code.metrics))?;
    }
    out.flush()?;
    Ok(())
}

fn kappa(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |k| format!("{k:.2} {}", kappa_band(k)))
}

fn alpha(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |a| format!("{a:.3} {}", alpha_band(a)))
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |p| format!("{:.1}%", p * 100.0))
}

fn names(ids: &[Slug]) -> String {
    ids.iter().map(Slug::as_str).collect::<Vec<_>>().join(", ")
}

fn print_table(report: &Report) {
    let unit = match report.unit {
        UnitKind::Line => "non-blank line",
        UnitKind::Turn => "speaker turn",
    };
    outln!(
        "Agreement of {} on {} transcript(s): {}",
        names(&report.coders),
        report.transcripts.len(),
        if report.transcripts.is_empty() {
            "none (no transcript was completed by two of these coders)".to_string()
        } else {
            names(&report.transcripts)
        }
    );
    outln!(
        "Unit: {unit}; {} units, {}; {}.",
        report.overall.metrics.units,
        if report.coded_only {
            "only units someone coded (--coded-only)"
        } else {
            "every unit, coded or not"
        },
        if report.rollup {
            "a sub-code also counts for its parents (--rollup)"
        } else {
            "codes counted as applied, no roll-up"
        }
    );
    if !report.skipped.is_empty() {
        outln!(
            "Not counted (fewer than two of these coders completed them): {}",
            names(&report.skipped)
        );
    }
    for (label, list) in [
        (
            "Missing (not completed, not counted as absent)",
            &report.missing,
        ),
        (
            "Coded against an older text (`cbr reanchor` moves them onto the current one)",
            &report.stale,
        ),
    ] {
        if !list.is_empty() {
            let items: Vec<String> = list
                .iter()
                .map(|p| format!("{}/{}", p.coder, p.transcript))
                .collect();
            outln!("{label}: {}", items.join(", "));
        }
    }
    outln!();

    let with_fleiss = report.coders.len() > 2;
    let mut codes: Vec<CodeMetrics> = report.codes.clone();
    worst_first(&mut codes);
    // Codes too rare to judge go after those that can be judged.
    codes.sort_by_key(|c| c.metrics.too_rare);
    let mut rows = vec![
        header("code", &report.overall.metrics, with_fleiss),
        cells(
            format!("overall ({} codes)", report.overall.codes),
            &report.overall.metrics,
            with_fleiss,
        ),
    ];
    rows.extend(
        codes
            .iter()
            .map(|c| cells(c.code.to_string(), &c.metrics, with_fleiss)),
    );
    print_columns(&rows, &[1]);
    outln!();
    super::agree_interval::table(report, &codes);
    outln!();
    outln!(
        "Worst codes first; codes judged present on fewer than {} units are too rare to judge (their values are in --format json or csv).",
        report.rare_below
    );
    outln!(
        "κ: Landis & Koch (poor < 0 ≤ slight ≤ .20 < fair ≤ .40 < moderate ≤ .60 < substantial ≤ .80 < almost perfect)."
    );
    outln!(
        "α: Krippendorff (reliable ≥ .800, tentative ≥ .667, else unreliable). – undefined: no variation to judge. See docs/agreement.md."
    );
}

/// The table header for rows of metrics, after a first column `first`.
pub(super) fn header(first: &str, m: &Metrics, with_fleiss: bool) -> Vec<String> {
    let mut header = vec![first.to_string(), "units".into(), "agree".into()];
    for (pair, _) in &m.cohen_kappa.0 {
        header.push(format!("κ {pair}"));
    }
    if with_fleiss {
        header.push("Fleiss κ".into());
    }
    header.push("α".into());
    header
}

/// One table row: the name, then each value with its reading; a code too
/// rare to judge shows no kappa or alpha.
pub(super) fn cells(name: String, m: &Metrics, with_fleiss: bool) -> Vec<String> {
    let mut r = vec![name, m.units.to_string(), percent(m.percent_agreement)];
    if m.too_rare {
        r.extend(m.cohen_kappa.0.iter().map(|_| "–".to_string()));
        if with_fleiss {
            r.push("–".into());
        }
        r.push("too rare to judge".into());
        return r;
    }
    r.extend(m.cohen_kappa.0.iter().map(|(_, v)| kappa(*v)));
    if with_fleiss {
        r.push(kappa(m.fleiss_kappa));
    }
    r.push(alpha(m.krippendorff_alpha));
    r
}

/// Prints rows as aligned columns; the columns in `right` align right.
pub(super) fn print_columns(rows: &[Vec<String>], right: &[usize]) {
    super::columns::print(rows, right);
}
