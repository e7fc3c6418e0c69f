//! `cbr quotes`, `cbr matrix`, `cbr cooccur`: retrieval by code and
//! metadata, code × attribute counts and code co-occurrence, over what
//! blind coding lets you see (see study::analysis). Nothing found is said,
//! on stderr with exit code 1, never an empty table.

use std::process::ExitCode;

use serde::Serialize;

use crate::model::Slug;
use crate::model::analysis::counts::{Count, Matrix};
use crate::model::analysis::filter::Where;
use crate::model::text::{inert, spreadsheet_safe};
use crate::study::Study;
use crate::study::analysis::{self, By, Corpus, Query};
use crate::study::counting::{self, Table};
use crate::study::quotes::{self, Quote};

use super::diff::Palette;
use super::{ReportFormat, print_json, slugs};

/// Output of `cbr quotes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum QuoteFormat {
    /// Ready to paste into a draft.
    #[default]
    Md,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum CountArg {
    #[default]
    Segments,
    Transcripts,
    Lines,
}

impl From<CountArg> for Count {
    fn from(c: CountArg) -> Count {
        match c {
            CountArg::Segments => Count::Segments,
            CountArg::Transcripts => Count::Transcripts,
            CountArg::Lines => Count::Lines,
        }
    }
}

/// What every analysis command selects on.
#[derive(Debug, clap::Args)]
pub struct Filter {
    /// Only transcripts whose metadata match: KEY=VALUE,... (keys ANDed; the same key twice: either value).
    #[arg(long = "where", value_delimiter = ',', value_name = "KEY=VALUE,...")]
    pub filter: Vec<String>,
    /// Only these coders' segments (`consensus` for reconciled coding); default: everyone's.
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub coders: Vec<String>,
    /// A sub-code's segment also counts for its parent codes.
    #[arg(long)]
    pub rollup: bool,
    /// Include other coders' work that blind coding still hides.
    #[arg(long)]
    pub unblind: bool,
}

#[derive(Debug, clap::Args)]
pub struct QuotesArgs {
    /// Codes (ids, former ids or aliases).
    #[arg(required = true)]
    pub codes: Vec<String>,
    #[command(flatten)]
    pub filter: Filter,
    #[arg(long, value_enum, default_value_t)]
    pub format: QuoteFormat,
}

#[derive(Debug, clap::Args)]
pub struct MatrixArgs {
    /// Columns: a metadata key (city, kind, site, role, ...), `transcript` or `coder`.
    #[arg(long, default_value = "kind", value_name = "KEY")]
    pub by: String,
    /// Rows: these codes (default: every code).
    #[arg(long, value_delimiter = ',', value_name = "CODE,...")]
    pub codes: Vec<String>,
    #[arg(long, value_enum, default_value_t)]
    pub count: CountArg,
    #[command(flatten)]
    pub filter: Filter,
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
}

#[derive(Debug, clap::Args)]
pub struct CooccurArgs {
    /// These codes (default: every code).
    #[arg(long, value_delimiter = ',', value_name = "CODE,...")]
    pub codes: Vec<String>,
    #[arg(long, value_enum, default_value_t)]
    pub count: CountArg,
    #[command(flatten)]
    pub filter: Filter,
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
}

/// Who is looking (blind coding shows you your own work).
pub(super) fn viewer(study: &Study, coder: Option<&str>) -> anyhow::Result<Slug> {
    let repo = crate::study::git::open(&study.root).ok();
    Ok(crate::study::identity::resolve(coder, repo.as_ref())?)
}

fn query(study: &Study, codes: &[String], f: &Filter) -> anyhow::Result<Query> {
    let _ = study;
    Ok(Query {
        codes: codes.to_vec(),
        coders: slugs(&f.coders)?,
        filter: Where::parse(&f.filter).map_err(crate::study::StudyError::Refused)?,
        rollup: f.rollup,
    })
}

fn note(corpus: &Corpus<'_>) {
    if let Some(n) = corpus.hidden_note() {
        errln!("{n}");
    }
    for p in &corpus.problems {
        errln!("{p} (left out)");
    }
}

/// "coded verbal-violence where city=Marseille by alice".
fn scope(transcripts: &[Slug], f: &Filter) -> String {
    let mut s = String::new();
    if !f.filter.is_empty() {
        s.push_str(&format!(" where {}", inert(&f.filter.join(", "))));
    }
    if !f.coders.is_empty() {
        s.push_str(&format!(" by {}", f.coders.join(", ")));
    }
    if transcripts.is_empty() {
        s.push_str(" (no transcript matches)");
    }
    s
}

fn nothing(what: String) -> ExitCode {
    errln!("{what}");
    ExitCode::from(1)
}

pub fn quotes(study: &Study, coder: Option<&str>, args: QuotesArgs) -> anyhow::Result<ExitCode> {
    let viewer = viewer(study, coder)?;
    let corpus = Corpus::load(study, &viewer, args.filter.unblind)?;
    let sel = analysis::select(study, &corpus, &query(study, &args.codes, &args.filter)?)?;
    let quotes = quotes::quotes(study, &corpus, &sel)?;
    note(&corpus);
    if quotes.is_empty() {
        let codes: Vec<&str> = sel.codes.iter().map(Slug::as_str).collect();
        return Ok(nothing(format!(
            "No passage coded {}{}.",
            codes.join(" or "),
            scope(&sel.transcripts, &args.filter)
        )));
    }
    match args.format {
        QuoteFormat::Json => print_json(&quotes)?,
        QuoteFormat::Csv => quotes_csv(&quotes)?,
        QuoteFormat::Md => out!("{}", quotes::markdown(&study.codebook, &quotes)),
    }
    Ok(ExitCode::SUCCESS)
}

fn quotes_csv(quotes: &[Quote]) -> anyhow::Result<()> {
    let mut keys: Vec<&String> = quotes.iter().flat_map(|q| q.meta.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = csv::Writer::from_writer(super::output::csv_stdout());
    let mut header: Vec<String> = [
        "code",
        "coded_as",
        "transcript",
        "start_line",
        "end_line",
        "speaker",
        "coder",
        "text",
        "memo",
    ]
    .map(String::from)
    .to_vec();
    header.extend(keys.iter().map(|k| k.to_string()));
    out.write_record(header.iter().map(|h| spreadsheet_safe(h).into_owned()))?;
    for q in quotes {
        let mut row: Vec<String> = vec![
            q.code.to_string(),
            q.coded_as.to_string(),
            q.transcript.to_string(),
            q.start_line.to_string(),
            q.end_line.to_string(),
            q.speaker.clone().unwrap_or_default(),
            q.coder.to_string(),
            q.text.join("\n"),
            q.memo.clone().unwrap_or_default(),
        ];
        row.extend(
            keys.iter()
                .map(|k| q.meta.get(*k).cloned().unwrap_or_default()),
        );
        out.write_record(row.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
    }
    out.flush()?;
    Ok(())
}

fn by(arg: &str) -> By {
    match arg {
        "transcript" => By::Transcript,
        "coder" => By::Coder,
        key => By::Key(key.to_string()),
    }
}

/// `cbr matrix` and `cbr cooccur`, counted transcript by transcript.
fn counted(
    study: &Study,
    coder: Option<&str>,
    codes: &[String],
    filter: &Filter,
    table: &Table,
    count: Count,
) -> anyhow::Result<Option<Matrix>> {
    let viewer = viewer(study, coder)?;
    let query = query(study, codes, filter)?;
    let c = counting::count(study, &viewer, filter.unblind, &query, table, count)?;
    note(&c.corpus);
    if c.matrix.totals.iter().all(|&t| t == 0) {
        errln!("Nothing coded{}.", scope(&c.transcripts, filter));
        return Ok(None);
    }
    Ok(Some(c.matrix))
}

pub fn matrix(study: &Study, coder: Option<&str>, args: MatrixArgs) -> anyhow::Result<ExitCode> {
    let table = Table::Matrix(by(args.by.trim()));
    let Some(m) = counted(
        study,
        coder,
        &args.codes,
        &args.filter,
        &table,
        args.count.into(),
    )?
    else {
        return Ok(ExitCode::from(1));
    };
    print_matrix(
        &m,
        false,
        &format!("code × {}", args.by.trim()),
        args.format,
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn cooccur(study: &Study, coder: Option<&str>, args: CooccurArgs) -> anyhow::Result<ExitCode> {
    let table = Table::Cooccur;
    let Some(m) = counted(
        study,
        coder,
        &args.codes,
        &args.filter,
        &table,
        args.count.into(),
    )?
    else {
        return Ok(ExitCode::from(1));
    };
    print_matrix(&m, true, "code × code", args.format)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct MatrixJson<'a> {
    what: &'a str,
    #[serde(flatten)]
    matrix: &'a Matrix,
}

fn print_matrix(m: &Matrix, square: bool, what: &str, format: ReportFormat) -> anyhow::Result<()> {
    match format {
        ReportFormat::Json => print_json(&MatrixJson { what, matrix: m })?,
        ReportFormat::Csv => {
            let mut out = csv::Writer::from_writer(super::output::csv_stdout());
            let mut header = vec!["code".to_string()];
            header.extend(m.columns.iter().cloned());
            header.push("total".into());
            out.write_record(header.iter().map(|h| spreadsheet_safe(h).into_owned()))?;
            for (r, row) in m.rows.iter().enumerate() {
                let mut cells = vec![row.clone()];
                cells.extend(m.cells[r].iter().map(usize::to_string));
                cells.push(m.totals[r].to_string());
                out.write_record(cells.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
            }
            out.flush()?;
        }
        ReportFormat::Table => {
            outln!("{} ({}):", what, m.count.as_str());
            for line in super::heatmap::render(m, square, Palette::for_stdout()) {
                outln!("{line}");
            }
        }
    }
    Ok(())
}
