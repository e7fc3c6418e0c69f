//! The `cbr` command line: clap subcommands over the study layer. Every
//! command that reports data can print it as a table or as JSON.

mod codes;
mod study_cmds;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

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
    /// Who you are (default: git user.name, then the Unix user).
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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new, empty study (git repository, study.toml, first commit).
    Init {
        /// Folder to create the study in (default: the current folder).
        dir: Option<PathBuf>,
        /// The study's title.
        #[arg(long, default_value = "Untitled study")]
        title: String,
    },
    /// Add transcripts (.txt or .md, UTF-8) to the study, in one commit.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
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
    },
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

/// Runs the command line; errors are printed here, once, with exit code 2.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("cbr: {err:#}");
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
        Command::Init { dir, title } => study_cmds::init(dir, &title, cli.coder.as_deref()),
        Command::Import { files } => {
            let study = open_study(&cli.study)?;
            study_cmds::import(&study, &files, cli.coder.as_deref())
        }
        Command::Codes { format, all } => codes::codes(&open_study(&cli.study)?, format, all),
        Command::Show { code, format } => codes::show(&open_study(&cli.study)?, &code, format),
        Command::Check { format } => study_cmds::check(&open_study(&cli.study)?, format),
        Command::Demo { dir, no_tui } => study_cmds::demo(dir, no_tui, cli.coder.as_deref()),
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

pub(crate) fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
