//! The `cbr` command line: clap subcommands over the study layer. Every
//! command that reports data can print it as a table or as JSON.

mod agree;
mod agree_releases;
mod codes;
mod codings;
mod diff;
mod draft;
mod exchange;
mod history;
mod recheck;
mod reconcile;
mod render;
mod study_cmds;
mod suggest;
mod suggest_new;
mod team;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::model::{Slug, UnitKind};
use crate::study::{Study, StudyError};

#[derive(Debug, Parser)]
#[command(
    name = "cbr",
    version,
    about = "Collaborative qualitative coding in the terminal: a git-versioned codebook, blind coding, disagreements as diffs.",
    after_help = "Run `cbr` with no command inside a study to open the terminal UI; `cbr demo` builds a demo study."
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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new, empty study (git repository, study.toml, first commit).
    Init {
        /// Folder to create the study in (default: the current folder).
        dir: Option<PathBuf>,
        /// The study's title.
        #[arg(long, default_value = "Untitled study")]
        title: String,
        /// Also create the team's shared (bare, group-writable) repository at PATH and push to it.
        #[arg(long, value_name = "PATH")]
        shared: Option<PathBuf>,
    },
    /// Get your own working copy of the team's shared repository.
    Join {
        /// The shared repository (a folder on this server, e.g. /srv/studies/violence.git).
        path: PathBuf,
        /// Where to put the working copy (default: the repository's name, in the current folder).
        dir: Option<PathBuf>,
    },
    /// Exchange work with the team: save your coding, bring in theirs, send yours.
    Sync {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Add transcripts (.txt or .md, UTF-8) to the study, in one commit; or bring in a REFI-QDA codebook (`qdc FILE`, FILE.qdc) or project (`qdpx FILE`, FILE.qdpx).
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Projects: whose work each user of the file is, as NAME=coder-id pairs (default: ids made from the names).
        #[arg(long, value_name = "NAME=ID,...", value_delimiter = ',')]
        coder_map: Vec<String>,
    },
    /// Hand the codebook or the whole coded project to another QDA tool (REFI-QDA).
    Export {
        #[command(subcommand)]
        command: exchange::ExportCmd,
    },
    /// List the codebook as a tree with each code's definition.
    Codes {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Include deprecated and merged codes.
        #[arg(long)]
        all: bool,
    },
    /// Show every field of one code (ids and aliases both work).
    Show {
        code: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Validate the whole study; prints `path:line:col: message` and exits 1 on problems.
    Check {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Instead, list segments coded under an earlier definition of their code (the re-check queue).
        #[arg(long)]
        outdated: bool,
    },
    /// Codebook suggestions: propose, review, merge.
    Suggest {
        #[command(subcommand)]
        command: Box<suggest::SuggestCmd>,
    },
    /// The codebook's history (merged suggestions, direct commits, releases), or one code's.
    Log {
        /// A code id (former ids work too): its history, following renames.
        code: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Semantic diff of the codebook (or one code) between two versions: tags, commits or dates YYYY-MM-DD.
    Compare {
        from: String,
        /// Default: main.
        to: Option<String>,
        #[arg(long)]
        code: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Tag main as a codebook release (an annotated git tag).
    Release {
        name: String,
        #[arg(short, long, default_value = "")]
        message: String,
    },
    /// Markdown changelog of the codebook between two versions, for a methods section.
    Changelog {
        /// FROM..TO, or FROM (up to main); default: the whole history.
        range: Option<String>,
    },
    /// Work through the segments coded under an earlier definition of their code.
    Recheck {
        #[command(subcommand)]
        command: recheck::RecheckCmd,
    },
    /// Inter-coder agreement per code: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.
    Agree(agree::Args),
    /// Move codings in and out as CSV (coder,transcript,start_line,end_line,code,memo).
    Codings {
        #[command(subcommand)]
        action: CodingsAction,
    },
    /// Disagreements between two coders (or a coder and consensus) as unified-diff hunks: `-` only A, `+` only B.
    Diff(diff::Args),
    /// Reconcile two coders: on a terminal, open the reconciliation screen; else list the disagreements and progress, or record a decision in consensus.
    Reconcile(reconcile::Args),
    /// Write a large, realistic, deterministic study for benchmarks (see docs/performance.md).
    #[command(hide = true)]
    Generate {
        /// Folder to create (must be empty or missing).
        dir: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 500)]
        transcripts: usize,
        /// Average lines per transcript.
        #[arg(long, default_value_t = 1000)]
        lines: usize,
        #[arg(long, default_value_t = 300)]
        codes: usize,
        #[arg(long, default_value_t = 6)]
        coders: usize,
        /// Transcripts each coder completes (overlapping, so pairs can be compared).
        #[arg(long, default_value_t = 150)]
        per_coder: usize,
        /// Commits of codebook history (suggestions, reviews, merges); codings add to it.
        #[arg(long, default_value_t = 5000)]
        history: usize,
    },
    /// Build a demo study with real history (default: a new temporary folder) and open it.
    Demo {
        dir: Option<PathBuf>,
        /// Print the path and exit instead of opening the terminal UI.
        #[arg(long)]
        no_tui: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CodingsAction {
    /// Import codings from CSV: each (coder, transcript) in the file gets exactly its rows, in one commit; nothing is written if any row is bad.
    Import {
        file: PathBuf,
        /// Mark every (coder, transcript) pair in the file complete.
        #[arg(long)]
        complete: bool,
    },
    /// Print every coding as CSV, one row per segment.
    Export {
        #[arg(long, value_enum, default_value_t)]
        format: ExportFormat,
    },
}

/// Formats codings can be exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ExportFormat {
    #[default]
    Csv,
}

/// Runs the command line; errors are printed here, once, with exit code 2.
pub fn main() -> ExitCode {
    crate::study::git::configure_libgit2();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("cbr: {}", one_line(&err));
            ExitCode::from(2)
        }
    }
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
            outdated: false,
        } => study_cmds::check(&open_study(&cli.study)?, format),
        Command::Check {
            format,
            outdated: true,
        } => {
            let study = open_study(&cli.study)?;
            let repo = git2::Repository::open(&study.root)?;
            recheck::print_queue(&crate::study::outdated::queue(&study, &repo)?, format)
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
        Command::Generate {
            dir,
            seed,
            transcripts,
            lines,
            codes,
            coders,
            per_coder,
            history,
        } => study_cmds::generate(
            &dir,
            &crate::study::generate::Options {
                seed,
                transcripts,
                lines,
                codes,
                coders,
                per_coder,
                history,
            },
        ),
    }
}

pub(crate) fn open_study(dir: &Option<PathBuf>) -> Result<Study, StudyError> {
    match dir {
        Some(dir) => Study::open(dir),
        None => Study::discover(&std::env::current_dir().map_err(|e| StudyError::io(".", e))?),
    }
}

/// The study's repository and the git author for the current coder.
pub(crate) fn repo_and_author(
    study: &Study,
    coder: Option<&str>,
) -> anyhow::Result<(git2::Repository, crate::study::git::Author)> {
    let repo = crate::study::git::open(&study.root)?;
    let id = crate::study::identity::resolve(coder, Some(&repo))?;
    let author = crate::study::identity::author(id, Some(&repo));
    Ok((repo, author))
}

/// Parses ids given on the command line.
pub(crate) fn slugs(ids: &[String]) -> Result<Vec<Slug>, StudyError> {
    ids.iter()
        .map(|id| Slug::new(id.trim()).map_err(StudyError::from))
        .collect()
}

pub(crate) fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
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
