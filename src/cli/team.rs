//! Commands for working as a team: `init --shared`, `join`, `sync`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::study::session_lock::{self, SessionLock};
use crate::study::sync::{self, Step, SyncOptions, summary};
use crate::study::{Study, shared};

use super::study_cmds::author;
use super::{Format, print_json};

pub fn init_shared(
    bare: &Path,
    dir: Option<PathBuf>,
    title: &str,
    coder: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let dir = match dir {
        Some(dir) => dir,
        None => std::env::current_dir()?,
    };
    let author = author(Some(&dir), coder)?;
    let bare = shared::init_shared(bare, &dir, title, &author)?;
    outln!("Created study \"{title}\" in {}", dir.display());
    outln!(
        "Shared repository: {} (the team's copy; `origin` here)",
        bare.display()
    );
    outln!(
        "Teammates get their own working copy with: cbr join {}",
        bare.display()
    );
    if let Some(note) = crate::study::privacy::group_note(&bare) {
        errln!("{note}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The folder `cbr join` picks: the repository's name without `.git`
/// (the last part of a path or URL, after any `host:`).
fn default_join_dir(bare: &Path) -> anyhow::Result<PathBuf> {
    let text = bare.to_string_lossy();
    let text = text.trim_end_matches('/');
    let name = text.rsplit(['/', ':']).next().unwrap_or_default();
    let name = name.strip_suffix(".git").unwrap_or(name);
    if name.is_empty() {
        anyhow::bail!(
            "{}: cannot name a folder after this path; give one: cbr join PATH DIR",
            bare.display()
        );
    }
    Ok(std::env::current_dir()?.join(name))
}

pub fn join(bare: &Path, dir: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let dir = match dir {
        Some(dir) => dir,
        None => default_join_dir(bare)?,
    };
    let bare = shared::join(bare, &dir)?;
    let study = Study::open(&dir)?;
    outln!(
        "Your working copy of \"{}\" is in {}",
        study.config.title,
        dir.display()
    );
    outln!("Shared repository: {}", bare.display());
    outln!("Run `cbr sync` there to exchange work with the team.");
    Ok(ExitCode::SUCCESS)
}

/// `cbr share PATH|URL`, then a first sync so suggestions and releases
/// go along with `main`.
pub fn share(
    study: &Study,
    target: &str,
    coder: Option<&str>,
    format: Format,
) -> anyhow::Result<ExitCode> {
    let author = author(Some(&study.root), coder)?;
    let shared = crate::study::share::share(&study.root, target, &author)?;
    let shown = shared.shown();
    if let crate::study::remote::Shared::Folder(path) = &shared
        && let Some(note) = crate::study::privacy::group_note(path)
    {
        errln!("{note}");
    }
    errln!(
        "Shared \"{}\" with {}",
        crate::model::text::inert(&study.config.title),
        shown.display()
    );
    errln!(
        "Teammates get their own working copy with: cbr join {}",
        shown.display()
    );
    sync(study, coder, format)
}

pub fn sync(study: &Study, coder: Option<&str>, format: Format) -> anyhow::Result<ExitCode> {
    let author = author(Some(&study.root), coder)?;
    let guard = match session_lock::open_session(&study.root, &author.coder)? {
        SessionLock::Writer(guard) => guard,
        SessionLock::ReadOnly { holder } => {
            let lock = session_lock::session_lock_path(&study.root, &author.coder)?;
            let fetched = sync::fetch_only(&study.root)?;
            errln!(
                "{}",
                SessionLock::read_only_message(&author.coder, &holder, &lock)
            );
            match format {
                Format::Json => print_json(&fetched)?,
                Format::Table => {
                    for line in summary::fetch_lines(&fetched) {
                        outln!("{line}");
                    }
                }
            }
            return Ok(super::exit::code(super::exit::ATTENTION));
        }
    };
    if let Some(dead) = &guard.took_over {
        errln!(
            "note: took over a lock left by a session that ended without closing ({})",
            dead.describe()
        );
    }
    let mut on_step = |step: &Step| {
        if let Step::RemoteMoved { .. } = step {
            errln!("Someone pushed at the same moment; bringing their work in and trying again.");
        }
    };
    let report = sync::sync(
        &study.root,
        &author,
        &guard,
        SyncOptions {
            merge_codebook: Some(&crate::study::code_file_merge::FieldMerge),
            progress: Some(&mut on_step),
        },
    )?;
    match format {
        Format::Json => print_json(&report)?,
        Format::Table => {
            for line in summary::report_lines(&report) {
                outln!("{line}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, clap::Subcommand)]
pub enum CodersCommand {
    /// Add coders (ids such as `carol`) to the list.
    Add {
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Remove coders from the list (their codings stay).
    Remove {
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum CodebookCommand {
    /// Fill an empty codebook, in one commit (`--reference`: cbr's bundled reference codebook). Code by code, use `cbr suggest new add`.
    Init {
        #[arg(long, required = true)]
        reference: bool,
    },
}

fn slugs(ids: &[String]) -> anyhow::Result<Vec<crate::model::Slug>> {
    ids.iter()
        .map(|id| crate::model::Slug::new(id).map_err(|e| anyhow::anyhow!("{id:?}: {e}")))
        .collect()
}

pub fn coders(
    study: &Study,
    coder: Option<&str>,
    command: Option<CodersCommand>,
) -> anyhow::Result<ExitCode> {
    let list = match command {
        None => study.config.coders.clone(),
        Some(command) => {
            let author = author(Some(&study.root), coder)?;
            let (add, remove) = match command {
                CodersCommand::Add { ids } => (slugs(&ids)?, Vec::new()),
                CodersCommand::Remove { ids } => (Vec::new(), slugs(&ids)?),
            };
            let (list, commit) =
                crate::study::settings::change_coders(&study.root, &author, &add, &remove)?;
            match commit {
                Some(commit) => errln!(
                    "study.toml changed in commit {}; `cbr sync` shares it with the team.",
                    &commit[..7.min(commit.len())]
                ),
                None => errln!("Nothing to change."),
            }
            list
        }
    };
    if list.is_empty() {
        errln!("No coders listed: blind coding waits for whoever has started a transcript.");
    }
    for id in list {
        outln!("{id}");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn codebook(
    study: &Study,
    coder: Option<&str>,
    command: CodebookCommand,
) -> anyhow::Result<ExitCode> {
    let CodebookCommand::Init { reference: _ } = command;
    let author = author(Some(&study.root), coder)?;
    let n = crate::study::codebook_start::from_reference(study, &author)?;
    outln!("Started the codebook with {n} codes from cbr's reference codebook (one commit).");
    outln!("See them with `cbr codes`; change them through suggestions (`cbr suggest new …`).");
    Ok(ExitCode::SUCCESS)
}
