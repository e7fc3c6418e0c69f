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
use crate::study::{Study, StudyError};

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new, empty study (git repository, study.toml, first commit).
    Init {
        /// Folder to create the study in (default: the current folder).
        dir: Option<PathBuf>,
        /// The study's title.
        #[arg(long, default_value = "Untitled study")]
        title: String,
        /// Also create the team's shared repository at PATH (a folder here: bare, group-writable) or URL (an empty repository on the team's git host) and push to it.
        #[arg(long, value_name = "PATH|URL")]
        shared: Option<PathBuf>,
    },
    /// Get your own working copy of the team's shared repository.
    Join {
        /// The shared repository: a folder on this server (e.g. /srv/studies/violence.git) or a URL (ssh://host/path.git, user@host:path.git, https://…).
        path: PathBuf,
        /// Where to put the working copy (default: the repository's name, in the current folder).
        dir: Option<PathBuf>,
    },
    /// Turn this study into a team study: create (or adopt an empty) shared repository at PATH, or use the empty repository at URL, and send the history there.
    Share {
        /// A folder on this server (e.g. /srv/studies/violence.git) or a URL (ssh://…, user@host:path, https://…).
        target: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// The list of coders in study.toml (who blind coding waits for): list, add, remove; each change is one commit.
    Coders {
        #[command(subcommand)]
        command: Option<team::CodersCommand>,
    },
    /// Start the codebook of a new study.
    Codebook {
        #[command(subcommand)]
        command: team::CodebookCommand,
    },
    /// Exchange work with the team: save your coding, bring in theirs, send yours.
    Sync {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Add transcripts to the study, in one commit: .txt or .md (UTF-8), .docx, .odt, .vtt, .srt; or bring in a REFI-QDA codebook (`qdc FILE`, FILE.qdc) or project (`qdpx FILE`, FILE.qdpx).
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
        #[arg(add = complete::code_ids())]
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
        /// Instead, report any original name of this pseudonym mapping still in the study's files.
        #[arg(long, value_name = "FILE", conflicts_with = "outdated")]
        pseudonyms: Option<PathBuf>,
    },
    /// Codebook suggestions: propose, review, merge.
    Suggest {
        #[command(subcommand)]
        command: Box<suggest::SuggestCmd>,
    },
    /// The codebook's history (merged suggestions, direct commits, releases), or one code's.
    Log {
        /// A code id (former ids work too): its history, following renames.
        #[arg(add = complete::code_ids())]
        code: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Semantic diff of the codebook (or one code) between two versions: tags, commits or dates YYYY-MM-DD.
    Compare {
        from: String,
        /// Default: main.
        to: Option<String>,
        #[arg(long, add = complete::code_ids())]
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
    /// Every passage coded with CODE..., with its source, speaker, coder, memo and metadata (Markdown, CSV or JSON).
    Quotes(analysis::QuotesArgs),
    /// How often each code appears per city, kind, role... (any metadata key), transcript or coder.
    Matrix(analysis::MatrixArgs),
    /// Which codes the same coder applied to the same lines.
    Cooccur(analysis::CooccurArgs),
    /// A methods report (codebook at a release, changes, agreement, frequencies, reconciliation) as HTML, Markdown or JSON.
    Report(report::Args),
    /// Move codings in and out as CSV (coder,transcript,start_line,end_line,code,memo).
    Codings {
        #[command(subcommand)]
        action: CodingsAction,
    },
    /// Disagreements between two coders (or a coder and consensus) as unified-diff hunks: `-` only A, `+` only B.
    Diff(diff::Args),
    /// Reconcile two coders: on a terminal, open the reconciliation screen; else list the disagreements and progress, or record a decision in consensus.
    Reconcile(reconcile::Args),
    /// Move every coding onto transcripts whose text was edited by hand (all when no ID): one commit each.
    Reanchor {
        ids: Vec<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Correct a transcript's text; every coding moves with it.
    Transcript {
        #[command(subcommand)]
        command: transcripts::TranscriptCmd,
    },
    /// Replace real names by pseudonyms in transcripts, memos and examples; codings move with the text.
    Pseudonymise(transcripts::PseudonymiseArgs),
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
    /// Print the script that gives your shell Tab completion for cbr (commands, options, code ids, coders, suggestions).
    #[command(
        after_help = "bash: cbr completions bash > ~/.local/share/bash-completion/completions/cbr\nzsh:  cbr completions zsh > ~/.zfunc/_cbr   (with ~/.zfunc in fpath)\nfish: cbr completions fish > ~/.config/fish/completions/cbr.fish\nSystem-wide installs: docs/install.md."
    )]
    Completions {
        #[arg(value_enum)]
        shell: complete::Shell,
    },
    /// Print the manual page cbr(1), or write every page (cbr.1, cbr-agree.1, …) into DIR.
    Man {
        /// Write all pages here instead of printing cbr(1).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
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

/// Runs the command line; errors are printed here, once, with the exit
/// status `exit::for_error` gives them.
pub fn main() -> ExitCode {
    complete::answer_if_asked();
    crate::study::git::configure_libgit2();
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
            let repo = git2::Repository::open(&study.root)?;
            let text = crate::study::text_recheck::load_all(&study)?;
            recheck::print_queue(
                &crate::study::outdated::queue(&study, &repo)?,
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
