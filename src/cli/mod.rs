//! The `cbr` command line: clap subcommands over the study layer. Every
//! command that reports data can print it as a table or as JSON.

#[macro_use]
mod output;

mod agree;
mod agree_interval;
mod agree_releases;
mod analysis;
mod codes;
mod codings;
mod columns;
mod command;
mod complete;
mod diff;
mod draft;
#[macro_use]
pub mod exit;
mod exchange;
mod heatmap;
mod history;
mod man;
mod recheck;
mod reconcile;
mod render;
mod report;
mod study_cmds;
mod suggest;
mod suggest_new;
mod team;
mod transcripts;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::model::{Slug, UnitKind};
use crate::study::context::Repo;
use crate::study::{Study, StudyError};

pub use command::{CodingsAction, Command, ExportFormat};

/// The version and the commit the binary was built from (`-dirty` when the
/// tree had changes), so a bug report says exactly what ran; see build.rs.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("CBR_BUILD_COMMIT"),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "cbr",
    version = VERSION,
    about = "Collaborative qualitative coding in the terminal: a git-versioned codebook, blind coding, disagreements as diffs.",
    after_help = "Run `cbr` with no command inside a study to open the terminal UI; `cbr demo` builds a demo study.",
    after_long_help = concat!(
        "Run `cbr` with no command inside a study to open the terminal UI; `cbr demo` builds a demo study.\n\n",
        exit_status_help!()
    )
)]
pub struct Cli {
    /// The study folder (default: the current folder or the nearest one above it with a study.toml).
    #[arg(long, short = 'C', global = true, value_name = "DIR")]
    pub study: Option<PathBuf>,
    /// Who you are (default: CBR_CODER, then git user.name, then the Unix user).
    #[arg(long, global = true, env = "CBR_CODER", value_name = "ID")]
    pub coder: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
}

/// Output of commands that print a table of numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    #[default]
    Table,
    Csv,
    Json,
}

/// Output of commands that print text such as diffs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DiffFormat {
    #[default]
    Text,
    Json,
}

/// A reconciliation decision, naming the two coders first and second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChoiceArg {
    /// Keep what the first coder applied.
    First,
    /// Keep what the second coder applied.
    Second,
    /// Keep what either applied.
    Both,
    /// Keep only what both applied.
    Neither,
    /// Use the segments given with --segment.
    Edited,
}

/// What agreement is counted over (see docs/agreement.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnitArg {
    /// Every non-blank line.
    Line,
    /// Every speaker turn.
    Turn,
}

impl From<UnitArg> for UnitKind {
    fn from(u: UnitArg) -> UnitKind {
        match u {
            UnitArg::Line => UnitKind::Line,
            UnitArg::Turn => UnitKind::Turn,
        }
    }
}

/// Runs the command line; errors are printed here, once, with the exit
/// status `exit::for_error` gives them.
pub fn main() -> ExitCode {
    complete::answer_if_asked();
    crate::study::git::configure();
    let cli = Cli::parse();
    // Before anything is created: interview material stays private.
    crate::study::privacy::restrict_umask(&umask_anchor(&cli));
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("cbr: {}", crate::model::text::inert_lines(&one_line(&err)));
            exit::code(exit::for_error(&err))
        }
    }
}

/// The folder whose kind (private, or a setgid group folder) decides the
/// umask: the folder a command creates, else the study's.
fn umask_anchor(cli: &Cli) -> PathBuf {
    let target = match &cli.command {
        Some(Command::Init { dir, .. })
        | Some(Command::Join { dir, .. })
        | Some(Command::Demo { dir, .. }) => dir.clone(),
        _ => None,
    };
    target
        .or_else(|| cli.study.clone())
        .unwrap_or_else(|| PathBuf::from("."))
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let Some(command) = cli.command else {
        let study = open_study(&cli.study)?;
        return study_cmds::open_tui(study, cli.coder.as_deref());
    };
    match command {
        Command::Init {
            dir,
            title,
            shared: None,
        } => study_cmds::init(dir, &title, cli.coder.as_deref()),
        Command::Init {
            dir,
            title,
            shared: Some(bare),
        } => team::init_shared(&bare, dir, &title, cli.coder.as_deref()),
        Command::Join { path, dir } => team::join(&path, dir),
        Command::Share { target, format } => team::share(
            &open_study(&cli.study)?,
            &target,
            cli.coder.as_deref(),
            format,
        ),
        Command::Coders { command } => {
            team::coders(&open_study(&cli.study)?, cli.coder.as_deref(), command)
        }
        Command::Codebook { command } => {
            team::codebook(&open_study(&cli.study)?, cli.coder.as_deref(), command)
        }
        Command::Sync { format } => {
            team::sync(&open_study(&cli.study)?, cli.coder.as_deref(), format)
        }
        Command::Import { files, coder_map } => {
            let study = open_study(&cli.study)?;
            match exchange::import_kind(&files) {
                Some((kind, files)) => {
                    exchange::import(&study, kind, files, &coder_map, cli.coder.as_deref())
                }
                None => study_cmds::import(&study, &files, cli.coder.as_deref()),
            }
        }
        Command::Export { command } => {
            exchange::export(&open_study(&cli.study)?, command, cli.coder.as_deref())
        }
        Command::Codes { format, all } => codes::codes(&open_study(&cli.study)?, format, all),
        Command::Show { code, format } => codes::show(&open_study(&cli.study)?, &code, format),
        Command::Check {
            format,
            pseudonyms: Some(file),
            ..
        } => transcripts::check_pseudonyms(&open_study(&cli.study)?, &file, format),
        Command::Check {
            format,
            outdated: false,
            ..
        } => study_cmds::check(&open_study(&cli.study)?, format),
        Command::Check {
            format,
            outdated: true,
            ..
        } => {
            let study = open_study(&cli.study)?;
            let repo = Repo::require(&study.root)?;
            let text = crate::study::text_recheck::load_all(&study)?;
            recheck::print_queue(
                &crate::study::outdated::queue(&study, repo.git()?)?,
                &text,
                format,
            )
        }
        Command::Reanchor { ids, format } => {
            transcripts::reanchor_cmd(&open_study(&cli.study)?, cli.coder.as_deref(), &ids, format)
        }
        Command::Transcript { command } => {
            transcripts::transcript(&open_study(&cli.study)?, cli.coder.as_deref(), command)
        }
        Command::Pseudonymise(args) => {
            transcripts::pseudonymise(&open_study(&cli.study)?, cli.coder.as_deref(), args)
        }
        Command::Suggest { command } => {
            suggest::run(&open_study(&cli.study)?, cli.coder.as_deref(), *command)
        }
        Command::Log { code, format } => {
            history::log(&open_study(&cli.study)?, code.as_deref(), format)
        }
        Command::Compare {
            from,
            to,
            code,
            format,
        } => history::compare(
            &open_study(&cli.study)?,
            &from,
            to.as_deref(),
            code.as_deref(),
            format,
        ),
        Command::Release { name, message } => history::release(
            &open_study(&cli.study)?,
            cli.coder.as_deref(),
            &name,
            &message,
        ),
        Command::Changelog { range } => {
            history::changelog_cmd(&open_study(&cli.study)?, range.as_deref())
        }
        Command::Recheck { command } => {
            recheck::run(&open_study(&cli.study)?, cli.coder.as_deref(), command)
        }
        Command::Completions { shell } => complete::print_script(shell),
        Command::Man { dir } => man::man(dir.as_deref()),
        Command::Demo { dir, no_tui } => study_cmds::demo(dir, no_tui, cli.coder.as_deref()),
        Command::Codings { action } => {
            let study = open_study(&cli.study)?;
            match action {
                CodingsAction::Import { file, complete } => {
                    codings::import(&study, &file, complete, cli.coder.as_deref())
                }
                CodingsAction::Export {
                    format: ExportFormat::Csv,
                } => codings::export(&study),
            }
        }
        Command::Diff(args) => diff::diff(&open_study(&cli.study)?, args),
        Command::Reconcile(args) => {
            reconcile::reconcile(&open_study(&cli.study)?, args, cli.coder.as_deref())
        }
        Command::Agree(args) => agree::agree(&open_study(&cli.study)?, args),
        Command::Quotes(args) => {
            analysis::quotes(&open_study(&cli.study)?, cli.coder.as_deref(), args)
        }
        Command::Matrix(args) => {
            analysis::matrix(&open_study(&cli.study)?, cli.coder.as_deref(), args)
        }
        Command::Report(args) => {
            report::report(&open_study(&cli.study)?, cli.coder.as_deref(), args)
        }
        Command::Cooccur(args) => {
            analysis::cooccur(&open_study(&cli.study)?, cli.coder.as_deref(), args)
        }
        Command::Generate {
            dir,
            seed,
            scale,
            transcripts,
            lines,
            codes,
            coders,
            per_coder,
            history,
        } => {
            let base = crate::study::generate::Options::scaled(scale as usize);
            study_cmds::generate(
                &dir,
                &crate::study::generate::Options {
                    seed,
                    transcripts: transcripts.unwrap_or(base.transcripts),
                    lines,
                    codes,
                    coders,
                    per_coder: per_coder.unwrap_or(base.per_coder),
                    history: history.unwrap_or(base.history),
                },
            )
        }
    }
}

pub(crate) fn open_study(dir: &Option<PathBuf>) -> Result<Study, StudyError> {
    let study = match dir {
        Some(dir) => Study::open(dir)?,
        None => Study::discover(&std::env::current_dir().map_err(|e| StudyError::io(".", e))?)?,
    };
    // Whatever a killed command left behind is put right (or named by
    // `cbr check`) before anything builds on it.
    let repaired = crate::study::recovery::repair_index(&study.root).unwrap_or_default();
    if !repaired.is_empty() {
        errln!(
            "cbr: repaired git's index after an interrupted command: {} committed file(s) showed as \
             changed or deleted in `git status`",
            repaired.len()
        );
    }
    crate::study::recovery::clear_finished(&study.root);
    Ok(study)
}

/// The study's repository (refused when the study is not one) and the git
/// author for the current coder.
pub(crate) fn repo_and_author(
    study: &Study,
    coder: Option<&str>,
) -> anyhow::Result<(Repo, crate::study::git::Author)> {
    let repo = Repo::require(&study.root)?;
    let author = repo.author(coder)?;
    Ok((repo, author))
}

/// Parses ids given on the command line.
pub(crate) fn slugs(ids: &[String]) -> Result<Vec<Slug>, StudyError> {
    ids.iter()
        .map(|id| Slug::new(id.trim()).map_err(StudyError::from))
        .collect()
}

/// Prints JSON with every control and bidirectional-override character
/// written as a `\uXXXX` escape, so a viewer shows it rather than acts on it.
pub(crate) fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!(
        "{}",
        crate::model::text::json_escaped(&serde_json::to_string_pretty(value)?)
    );
    Ok(())
}

/// The error and its causes on one line, each cause said once: study
/// errors already name their cause in their own message.
fn one_line(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}
