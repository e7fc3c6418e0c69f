//! The `cbr` subcommands as clap parses them: one variant per command,
//! with its arguments and their help. `cli::run` dispatches them.

use std::path::PathBuf;

use super::*;

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
        /// N times the large study: transcripts, codings and codebook history (default 1).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=64))]
        scale: u32,
        /// Transcripts [default: 500 × scale].
        #[arg(long)]
        transcripts: Option<usize>,
        /// Average lines per transcript.
        #[arg(long, default_value_t = 1000)]
        lines: usize,
        #[arg(long, default_value_t = 300)]
        codes: usize,
        #[arg(long, default_value_t = 6)]
        coders: usize,
        /// Transcripts each coder completes (overlapping, so pairs can be compared) [default: 150 × scale].
        #[arg(long)]
        per_coder: Option<usize>,
        /// Commits of codebook history (suggestions, reviews, merges); codings add to it [default: 5000 × scale].
        #[arg(long)]
        history: Option<usize>,
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
