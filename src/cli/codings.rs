//! `cbr codings import` and `cbr codings export`: codings as CSV.

use std::path::Path;
use std::process::ExitCode;

use crate::model::text::inert;
use crate::study::codings_csv::{self, ImportError};
use crate::study::{Study, layout};

use super::study_cmds::author;

pub fn export(study: &Study) -> anyhow::Result<ExitCode> {
    codings_csv::export(study, super::output::csv_stdout())?;
    Ok(ExitCode::SUCCESS)
}

pub fn import(
    study: &Study,
    file: &Path,
    complete: bool,
    coder: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let author = author(Some(&study.root), coder)?;
    match codings_csv::import(study, file, complete, &author) {
        Ok(done) => {
            for ((coder, transcript, n, complete), before) in done.pairs.iter().zip(&done.replaced)
            {
                let state = if *complete { "complete" } else { "in progress" };
                let replaced = match before {
                    0 => String::new(),
                    b => format!(" (replacing the {b} it had)"),
                };
                outln!(
                    "{}: {n} segment(s), {state}{replaced}",
                    layout::coding_file(coder, transcript).display()
                );
                if *coder != author.coder && *before > 0 {
                    errln!(
                        "note: you ({}) replaced {coder}'s coding of {transcript}; `git revert HEAD` undoes it",
                        author.coder
                    );
                }
            }
            print_capped(&done.duplicates, "duplicate row(s) stored once");
            if done.commit.is_none() {
                outln!("(nothing changed: the codings already held these rows)");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Rows(rows)) => {
            print_capped(&rows, "bad row(s)");
            Err(ImportError::Rows(rows).into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Rows shown on stderr, at most [`SHOWN`] of them, then how many more:
/// a million bad rows must not become a million lines.
fn print_capped(rows: &[codings_csv::RowError], what: &str) {
    for row in rows.iter().take(SHOWN) {
        // Rows echo the file's fields, which may hold anything.
        errln!("{}", inert(&row.to_string()));
    }
    if rows.len() > SHOWN {
        errln!(
            "… and {} more {what} not shown ({} in all)",
            rows.len() - SHOWN,
            rows.len()
        );
    }
}

/// How many row messages are printed before the rest are summarised.
const SHOWN: usize = 50;
