//! `cbr report`: a methods report (study, coders, transcripts, codebook
//! at a release, changelog, agreement per code and per release, code
//! frequencies, reconciliation) as one self-contained HTML or Markdown
//! file, or JSON. The content comes from `study::report`, which calls the
//! same functions as `cbr agree`, `cbr changelog` and `cbr matrix`; the
//! table cells are formatted by `cbr agree`'s own functions.

mod html;
mod markdown;
mod md;
mod svg;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::model::UnitKind;
use crate::study::Study;
use crate::study::report::{MethodsReport, gather};

use super::agree::{cells, header};
use super::print_json;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Html,
    Md,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The codebook release to report on (default: the latest; main when there is none).
    #[arg(long, value_name = "NAME")]
    pub release: Option<String>,
    /// Write to FILE (created readable by you only); .html, .md or .json picks the format.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Default: from the file's extension; Markdown on standard output.
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Include other coders' work that blind coding still hides.
    #[arg(long)]
    pub unblind: bool,
}

/// The sections of every report, as (anchor, title), in order.
pub const SECTIONS: [(&str, &str); 9] = [
    ("study", "Study"),
    ("coders", "Coders"),
    ("transcripts", "Transcripts"),
    ("codebook", "Codebook"),
    ("changes", "Changes to the codebook"),
    ("agreement", "Agreement per code"),
    ("releases", "Agreement per codebook release"),
    ("frequencies", "Code frequencies"),
    ("reconciliation", "Reconciliation"),
];

pub(crate) fn describe_unit(unit: UnitKind) -> &'static str {
    match unit {
        UnitKind::Line => "non-blank lines",
        UnitKind::Turn => "speaker turns",
    }
}

/// The per-release table, with `cbr agree --by-release`'s cells.
pub(crate) fn release_cells(r: &MethodsReport) -> (Vec<String>, Vec<Vec<String>>) {
    let with_fleiss = r.agreement.as_ref().is_some_and(|a| a.coders.len() > 2);
    let mut head = vec!["release".to_string(), "transcripts".into()];
    let mut rows = Vec::new();
    if let Some(first) = r.by_release.iter().find_map(|e| e.overall.as_ref()) {
        head = header("release", &first.metrics, with_fleiss);
        head.insert(1, "transcripts".into());
    }
    for e in &r.by_release {
        match &e.overall {
            Some(o) => {
                let mut row = cells(e.release.clone(), &o.metrics, with_fleiss);
                row.insert(1, e.transcripts.len().to_string());
                rows.push(row);
            }
            None => {
                let mut row = vec![e.release.clone(), "0".into()];
                row.resize(head.len(), "–".into());
                rows.push(row);
            }
        }
    }
    (head, rows)
}

/// The reconciliation summary as tables: hunks by decision, by who
/// decided, by who was present (when recorded), by pair of coders
/// (header, rows each).
pub(crate) fn reconciliation_tables(r: &MethodsReport) -> Vec<(Vec<String>, Vec<Vec<String>>)> {
    let s = &r.reconciliation;
    [
        ("Decision", &s.by_choice),
        ("Decided by", &s.by_decider),
        ("Present", &s.by_present),
        ("Coders", &s.by_pair),
    ]
    .into_iter()
    .filter(|(_, map)| !map.is_empty())
    .map(|(title, map)| {
        let rows = map
            .iter()
            .map(|(k, n)| vec![k.clone(), n.to_string()])
            .collect();
        (vec![title.to_string(), "hunks".into()], rows)
    })
    .collect()
}

/// Code × coder segment counts, codes never applied left out.
pub(crate) fn frequency_rows(r: &MethodsReport) -> (Vec<String>, Vec<Vec<String>>) {
    let m = &r.frequencies;
    let mut head = vec!["code".to_string()];
    head.extend(m.columns.iter().cloned());
    head.push("total".into());
    let rows = m
        .rows
        .iter()
        .enumerate()
        .filter(|(i, _)| m.totals[*i] > 0)
        .map(|(i, code)| {
            let mut row = vec![code.clone()];
            row.extend(m.cells[i].iter().map(usize::to_string));
            row.push(m.totals[i].to_string());
            row
        })
        .collect();
    (head, rows)
}

fn format_for(path: &Path) -> anyhow::Result<ReportFormat> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html" | "htm") => Ok(ReportFormat::Html),
        Some("md" | "markdown") => Ok(ReportFormat::Md),
        Some("json") => Ok(ReportFormat::Json),
        _ => anyhow::bail!(
            "{}: give the report a .html, .md or .json name (or --format html|md|json)",
            path.display()
        ),
    }
}

pub fn report(study: &Study, coder: Option<&str>, args: Args) -> anyhow::Result<ExitCode> {
    let format = match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(path)) => format_for(path)?,
        (None, None) => ReportFormat::Md,
    };
    let viewer = super::analysis::viewer(study, coder)?;
    let r = gather(study, &viewer, args.release.as_deref(), args.unblind)?;
    let text = match format {
        ReportFormat::Html => html::render(&r),
        ReportFormat::Md => md::render(&r),
        ReportFormat::Json => {
            if args.output.is_none() {
                print_json(&r)?;
                return Ok(ExitCode::SUCCESS);
            }
            serde_json::to_string_pretty(&r)? + "\n"
        }
    };
    if let Some(note) = &r.hidden_note {
        errln!("{note}");
    }
    match &args.output {
        None => out!("{text}"),
        Some(path) => {
            crate::study::quotes::write_private(path, text.as_bytes())?;
            errln!(
                "Wrote {} (readable by you only: it quotes confidential material).",
                path.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
