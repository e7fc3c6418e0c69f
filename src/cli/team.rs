//! Commands for working as a team: `init --shared`, `join`, `sync`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::study::session_lock::{self, SessionLock};
use crate::study::sync::{self, Integration, Step, SyncOptions, SyncReport};
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
    println!("Created study \"{title}\" in {}", dir.display());
    println!(
        "Shared repository: {} (the team's copy; `origin` here)",
        bare.display()
    );
    println!(
        "Teammates get their own working copy with: cbr join {}",
        bare.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The folder `cbr join` picks: the repository's name without `.git`.
fn default_join_dir(bare: &Path) -> anyhow::Result<PathBuf> {
    let name = bare
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name.strip_suffix(".git").unwrap_or(&name);
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
    println!(
        "Your working copy of \"{}\" is in {}",
        study.config.title,
        dir.display()
    );
    println!("Shared repository: {}", bare.display());
    println!("Run `cbr sync` there to exchange work with the team.");
    Ok(ExitCode::SUCCESS)
}

pub fn sync(study: &Study, coder: Option<&str>, format: Format) -> anyhow::Result<ExitCode> {
    let author = author(Some(&study.root), coder)?;
    let guard = match session_lock::open_session(&study.root, &author.coder)? {
        SessionLock::Writer(guard) => guard,
        SessionLock::ReadOnly { holder } => {
            let lock = session_lock::session_lock_path(&study.root, &author.coder)?;
            let fetched = sync::fetch_only(&study.root)?;
            eprintln!(
                "{}",
                SessionLock::read_only_message(&author.coder, &holder, &lock)
            );
            match format {
                Format::Json => print_json(&fetched)?,
                Format::Table => {
                    let status = fetched.status.unwrap_or_default();
                    println!(
                        "Fetched only: the team has {} commit(s) not here yet; {} commit(s) here are not shared yet.",
                        status.behind, status.ahead
                    );
                    println!("Sync from the other session to bring them in and send yours.");
                }
            }
            return Ok(ExitCode::from(1));
        }
    };
    if let Some(dead) = &guard.took_over {
        eprintln!(
            "note: took over a lock left by a session that ended without closing ({})",
            dead.describe()
        );
    }
    let mut on_step = |step: &Step| {
        if let Step::RemoteMoved { .. } = step {
            eprintln!(
                "Someone pushed at the same moment; bringing their work in and trying again."
            );
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
        Format::Table => print_report(&report),
    }
    Ok(ExitCode::SUCCESS)
}

fn short(oid: &str) -> &str {
    &oid[..oid.len().min(7)]
}

fn list(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

fn print_report(report: &SyncReport) {
    if let Some(saved) = &report.saved {
        println!(
            "Saved your coding as commit {}: {}",
            short(&saved.commit),
            list(&saved.files)
        );
    }
    for integration in &report.integrated {
        match integration {
            Integration::UpToDate => {}
            Integration::FastForward { commits } => {
                println!("Received {commits} commit(s) from the team.")
            }
            Integration::Merged { commit, commits } => println!(
                "Received {commits} commit(s) from the team, joined with yours in merge commit {}.",
                short(commit)
            ),
        }
    }
    if report.received() == 0 {
        println!("Nothing new from the team.");
    }
    let sent: Vec<String> = report
        .pushed
        .iter()
        .map(|r| {
            let (deleted, name) = r
                .strip_prefix('-')
                .map_or((false, r.as_str()), |n| (true, n));
            let name = name
                .strip_prefix("refs/heads/")
                .or_else(|| name.strip_prefix("refs/tags/"))
                .unwrap_or(name);
            if deleted {
                format!("{name} (removed: merged)")
            } else {
                name.to_string()
            }
        })
        .collect();
    if sent.is_empty() {
        println!("Nothing to send.");
    } else {
        println!("Sent: {}", sent.join(", "));
    }
    let s = &report.suggestions;
    for (label, list) in [
        ("New suggestions from the team", &s.received),
        ("Suggestions with news from the team", &s.updated),
        ("Merged suggestions removed", &s.removed),
    ] {
        if !list.is_empty() {
            println!("{label}: {}", list.join(", "));
        }
    }
    for left in s.skipped.iter().chain(&report.tags_not_sent) {
        println!("Left alone: {}: {}", left.name, left.why);
    }
    if report.retries > 0 {
        println!(
            "Someone pushed first {} time(s); their work was brought in before sending yours.",
            report.retries
        );
    }
    if !report.uncommitted.is_empty() {
        println!(
            "Not shared (uncommitted changes, left as they are): {}",
            list(&report.uncommitted)
        );
    }
    if report.status.ahead == 0 && report.status.behind == 0 {
        println!("In step with {}.", report.remote.display());
    } else {
        println!(
            "{} commit(s) not sent, {} not received: run `cbr sync` again.",
            report.status.ahead, report.status.behind
        );
    }
}
