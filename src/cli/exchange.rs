//! `cbr export qdc|qdpx` and `cbr import qdc|qdpx`: REFI-QDA exchange with
//! NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette (docs/exchange.md).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use crate::model::Slug;
use crate::model::text::inert;
use crate::study::Study;
use crate::study::atomic::write_private;
use crate::study::exchange::{qdc, qdpx_export, qdpx_import};

use super::study_cmds::author;

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// The codebook as a REFI-QDA codebook (.qdc) for other QDA tools.
    Qdc {
        /// Write here (created readable by you only) instead of printing.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The codebook as of a release, tag, commit or date YYYY-MM-DD (default: main).
        #[arg(long, value_name = "VERSION")]
        at: Option<String>,
    },
    /// The coded project (codebook, transcripts, every coder's segments, memos, metadata) as a REFI-QDA project (.qdpx).
    Qdpx {
        /// Write here (created readable by you only); default: STUDY-FOLDER.qdpx in the current folder.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Only these coders' segments (default: everyone's, consensus included).
        #[arg(long, value_name = "ID,...", value_delimiter = ',')]
        coders: Vec<String>,
        /// The project as of a release, tag, commit or date YYYY-MM-DD (default: main).
        #[arg(long, value_name = "VERSION")]
        at: Option<String>,
        /// In a blind study, include other coders' work on transcripts not everyone has finished.
        #[arg(long)]
        unblind: bool,
    },
}

pub fn export(study: &Study, cmd: ExportCmd, coder: Option<&str>) -> anyhow::Result<ExitCode> {
    match cmd {
        ExportCmd::Qdc { output, at } => {
            let text = qdc::export(study, at.as_deref())?;
            match output {
                Some(path) => {
                    write_private(&path, text.as_bytes())
                        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                    errln!("codebook written to {}", path.display());
                }
                None => out!("{text}"),
            }
        }
        ExportCmd::Qdpx {
            output,
            coders,
            at,
            unblind,
        } => {
            let me = author(Some(&study.root), coder)?.coder;
            let viewer = qdpx_export::Viewer {
                coder: &me,
                unblind,
            };
            let coders = coders
                .iter()
                .map(|c| Slug::new(c.trim()))
                .collect::<Result<Vec<_>, _>>()?;
            let (bytes, s) = qdpx_export::export(study, at.as_deref(), &coders, &viewer)?;
            let path = output.unwrap_or_else(|| {
                let name = study
                    .root
                    .file_name()
                    .map_or("study".into(), |n| n.to_string_lossy().into_owned());
                PathBuf::from(format!("{name}.qdpx"))
            });
            write_private(&path, &bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            outln!(
                "{}: {} codes, {} transcripts, {} segments, {} memos",
                path.display(),
                s.codes,
                s.sources,
                s.selections,
                s.memos
            );
            if s.unresolved > 0 {
                outln!(
                    "{} segments left out: their code no longer resolves (`cbr check` lists them)",
                    s.unresolved
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Which exchange format an import argument list asks for: `qdc FILE`,
/// `qdpx FILE`, or files whose extension says so. `None` leaves the files
/// to the transcript import.
pub fn import_kind(files: &[PathBuf]) -> Option<(&'static str, &[PathBuf])> {
    let ext = |p: &Path| {
        p.extension()
            .and_then(OsStr::to_str)
            .map(str::to_ascii_lowercase)
    };
    if let [first, rest @ ..] = files
        && !rest.is_empty()
        && !first.exists()
    {
        match first.to_str() {
            Some("qdc") => return Some(("qdc", rest)),
            Some("qdpx") => return Some(("qdpx", rest)),
            _ => {}
        }
    }
    let exts: Vec<Option<String>> = files.iter().map(|f| ext(f)).collect();
    if !files.is_empty() && exts.iter().all(|e| e.as_deref() == Some("qdc")) {
        return Some(("qdc", files));
    }
    if !files.is_empty()
        && exts
            .iter()
            .all(|e| matches!(e.as_deref(), Some("qdpx" | "qde")))
    {
        return Some(("qdpx", files));
    }
    None
}

pub fn import(
    study: &Study,
    kind: &str,
    files: &[PathBuf],
    coder_map: &[String],
    coder: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let [file] = files else {
        anyhow::bail!("import one {kind} file at a time: `cbr import {kind} FILE`");
    };
    let author = author(Some(&study.root), coder)?;
    match kind {
        "qdc" => {
            let report = qdc::import(study, file, &author)?;
            print_codebook_report(file, &report);
        }
        _ => {
            let report = qdpx_import::import(study, file, coder_map, &author)?;
            print_project_report(file, &report);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_codebook_report(file: &Path, report: &qdc::Report) {
    let name = inert(&file.display().to_string()).into_owned();
    match &report.outcome {
        qdc::Outcome::Committed { codes } => {
            outln!("{name}: imported {codes} codes into the codebook (one commit)")
        }
        qdc::Outcome::Suggested {
            branch,
            added,
            changed,
        } => {
            outln!(
                "{name}: the study already has a codebook, so the {added} new and {changed} changed codes are a suggestion: {branch}"
            );
            outln!("Review it with `cbr suggest show {branch}`; it changes main only when merged.");
        }
        qdc::Outcome::Unchanged => {
            outln!(
                "{name}: the codebook already holds these {} codes; nothing to do",
                report.codes
            )
        }
    }
    if report.with_fields > 0 {
        outln!(
            "{} codes carried cbr's fields (definition, include, exclude, examples, aliases) and were read back into them",
            report.with_fields
        );
    }
    if report.not_codable > 0 {
        outln!(
            "{} codes were not codable in the file and are deprecated here",
            report.not_codable
        );
    }
    print_not_carried(&report.not_carried);
}

fn print_project_report(file: &Path, r: &qdpx_import::Report) {
    let name = inert(&file.display().to_string()).into_owned();
    if r.transcripts.is_empty() && r.codes_added == 0 {
        outln!("{name}: no codes and no text the study lacks; nothing changed");
        print_not_carried(&r.not_carried);
        return;
    }
    outln!(
        "{name}: imported {} transcripts and {} segments in one commit{}",
        r.transcripts.len(),
        r.segments,
        if r.codes_added > 0 {
            format!(", with {} codes as the first codebook", r.codes_added)
        } else {
            String::new()
        }
    );
    for (user, id) in &r.coders {
        outln!("  user \"{}\" → coder {id}", inert(user));
    }
    if let Some(reading) = r.reading {
        outln!("Positions read as {reading}.");
    }
    if r.widened > 0 {
        outln!(
            "{} selections start or end inside a line: their segments cover those whole lines, with the exact characters kept as columns",
            r.widened
        );
    }
    if r.clamped > 0 {
        outln!(
            "warning: {} selections pointed outside their text or ended before they started; clamped to the text",
            r.clamped
        );
    }
    print_not_carried(&r.not_carried);
}

pub(crate) fn print_not_carried(items: &[(String, usize)]) {
    if items.is_empty() {
        return;
    }
    outln!("Not carried into cbr (the standard asks tools to say so):");
    for (what, n) in items {
        outln!("  {n} {}", inert(what));
    }
}
