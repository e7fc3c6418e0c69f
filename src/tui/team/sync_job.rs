//! Sync on a key: the coding sessions commit first (with their usual
//! messages), then `study::sync` runs on a background thread while the
//! screen keeps answering, reporting each step in the status bar. When it
//! is done the study is read again (the codebook, new transcripts and
//! other coders' codings may have changed) without losing the coder's
//! place, and a popup says what happened. A read-only session only fetches.

use std::path::{Path, PathBuf};

use crate::model::Slug;
use crate::study::Study;
use crate::study::code_file_merge::FieldMerge;
use crate::study::git::Author;
use crate::study::session_lock::SessionGuard;
use crate::study::sync::{self, AheadBehind, Step, SyncOptions, summary};

use crate::tui::team::visible::{self, Loaded};

/// A finished sync (or fetch), with the study as it is now.
pub struct Synced {
    /// What it did, as lines to show, or why it stopped.
    pub outcome: Result<Vec<String>, String>,
    pub status: Option<AheadBehind>,
    /// The study read again, with the codings this coder may see.
    pub study: Result<(Study, Loaded), String>,
}

/// Reads back what a sync changed, on the sync's thread.
fn finish(root: &Path, viewer: &Slug, outcome: Result<Vec<String>, String>) -> Synced {
    Synced {
        outcome,
        status: sync::ahead_behind(root).ok().flatten(),
        study: Study::open(root)
            .map(|study| {
                let loaded = visible::load(&study, viewer);
                (study, loaded)
            })
            .map_err(|e| e.to_string()),
    }
}

/// A read-only session's `S`: fetch only. Blocking: run it as `Job::Sync`.
pub fn fetch(root: PathBuf, viewer: Slug) -> Synced {
    let outcome = sync::fetch_only(&root)
        .map(|report| summary::fetch_lines(&report))
        .map_err(|e| e.to_string());
    finish(&root, &viewer, outcome)
}

/// A writer's `S`, after its sessions committed `committed`; `progress`
/// hears each step's label. Blocking: run it as `Job::Sync`.
pub fn run(
    root: PathBuf,
    author: Author,
    guard: &SessionGuard,
    committed: Vec<Slug>,
    mut progress: impl FnMut(String),
) -> Synced {
    let mut on_step = move |step: &Step| progress(step_label(step));
    let outcome = sync::sync(
        &root,
        &author,
        guard,
        SyncOptions {
            // As `cbr sync`: codebook files changed on both sides
            // are merged field by field where they can be.
            merge_codebook: Some(&FieldMerge),
            progress: Some(&mut on_step),
        },
    )
    .map(|report| {
        let mut lines: Vec<String> = committed
            .iter()
            .map(|id| format!("Committed your coding of {id}."))
            .collect();
        lines.extend(summary::report_lines(&report));
        lines
    })
    .map_err(|e| e.to_string());
    finish(&root, &author.coder, outcome)
}

/// What a running sync is doing, for the status bar.
pub fn step_label(step: &Step) -> String {
    match step {
        Step::SavingOwnWork => "syncing: saving your coding…".into(),
        Step::Fetching { round: 1 } => "syncing: fetching…".into(),
        Step::Fetching { .. } => "syncing: fetching again…".into(),
        Step::Integrating { .. } => "syncing: bringing in the team's work…".into(),
        Step::Pushing { .. } => "syncing: sending yours…".into(),
        Step::RemoteMoved { .. } => "syncing: someone pushed first; again…".into(),
    }
}
