//! `cbr sync`: exchange work with the team's shared repository.
//!
//! One sync saves the coder's own coding as a commit, fetches, brings the
//! team's `main` in (fast-forward or merge commit, see [`integrate`]),
//! brings suggestion branches and releases into step (see [`branches`]),
//! and pushes what the team lacks. A push refused because someone pushed
//! in between (the shared repository moved) starts the round again, a few
//! times at most.
//!
//! These are plain blocking functions that need no terminal, so the
//! terminal UI can run them on a background thread; they report progress
//! through a callback and return what they did as data.

pub mod branches;
pub mod integrate;
pub mod summary;

use std::path::{Path, PathBuf};

use git2::Repository;
use serde::Serialize;

use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::health;
use super::remote::{self, RefUpdate};
use super::session_lock::{self, SessionGuard};

pub use branches::{LeftAlone, SuggestionChanges};
pub use integrate::{FileMerge, FileVersions, Integration, SavedWork};

/// Rounds of fetch-integrate-push before giving up on a busy remote.
pub const MAX_ROUNDS: usize = 5;

/// How `main` here compares with the team's, as last fetched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AheadBehind {
    /// Commits here that the team does not have yet.
    pub ahead: usize,
    /// Commits of the team not here yet.
    pub behind: usize,
}

/// Ahead/behind against `origin/main` as last fetched (no network, fast
/// enough for a status bar); `None` without a shared repository.
pub fn ahead_behind(root: &Path) -> Result<Option<AheadBehind>> {
    let repo = git::open(root)?;
    compare(&repo)
}

fn compare(repo: &Repository) -> Result<Option<AheadBehind>> {
    let (Ok(local), Ok(theirs)) = (
        repo.refname_to_id("refs/heads/main"),
        repo.refname_to_id("refs/remotes/origin/main"),
    ) else {
        return Ok(None);
    };
    let (ahead, behind) = repo.graph_ahead_behind(local, theirs)?;
    Ok(Some(AheadBehind { ahead, behind }))
}

/// Where a sync is, for a progress display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    SavingOwnWork,
    Fetching {
        round: usize,
    },
    Integrating {
        round: usize,
    },
    Pushing {
        round: usize,
    },
    /// Someone pushed first: these refs moved; fetching again.
    RemoteMoved {
        round: usize,
        refs: Vec<String>,
    },
}

/// What a sync may use besides the study: a field-level merge for
/// codebook files, and a progress callback.
#[derive(Default)]
pub struct SyncOptions<'a> {
    pub merge_codebook: Option<&'a dyn FileMerge>,
    pub progress: Option<&'a mut dyn FnMut(&Step)>,
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// The shared repository.
    pub remote: PathBuf,
    /// The coder's own coding committed before syncing.
    pub saved: Option<SavedWork>,
    /// A change to study.toml committed before syncing (the commit).
    pub settings: Option<String>,
    /// How the team's work arrived, per round that brought something.
    pub integrated: Vec<Integration>,
    /// References changed in the shared repository (`refs/heads/main`, ...);
    /// a deleted one is prefixed with `-`.
    pub pushed: Vec<String>,
    pub suggestions: SuggestionChanges,
    /// Release tags that differ from the team's, left alone.
    pub tags_not_sent: Vec<LeftAlone>,
    /// Rounds restarted because someone else pushed first.
    pub retries: usize,
    /// After the sync (0/0 when everything was exchanged).
    pub status: AheadBehind,
    /// Uncommitted changes left as they were (not the coder's own coding,
    /// which is committed): they are not shared until committed.
    pub uncommitted: Vec<PathBuf>,
}

impl SyncReport {
    /// Commits of the team that arrived.
    pub fn received(&self) -> usize {
        self.integrated.iter().map(Integration::commits).sum()
    }
}

/// Refuses to start on a half-finished git operation or off `main`.
fn ready(root: &Path) -> Result<()> {
    let blocking = health::git_state(root);
    if blocking.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = blocking.iter().map(|d| format!("  {d}")).collect();
    Err(StudyError::Refused(format!(
        "cbr sync cannot start here yet:\n{}",
        list.join("\n")
    )))
}

/// Syncs the working copy at `root` as `author`. Only the writer session
/// may sync (`session` proves it); a read-only session uses [`fetch_only`].
pub fn sync(
    root: &Path,
    author: &Author,
    session: &SessionGuard,
    options: SyncOptions<'_>,
) -> Result<SyncReport> {
    if session.coder != author.coder {
        return Err(StudyError::Refused(format!(
            "this session belongs to {}, not {}",
            session.coder, author.coder
        )));
    }
    let SyncOptions {
        merge_codebook,
        progress: mut callback,
    } = options;
    let mut progress = |step: Step| {
        if let Some(callback) = callback.as_mut() {
            callback(&step);
        }
    };
    let repo = git::open(root)?;
    let shared = remote::origin(&repo)?;
    // Serialise with any other process moving `main` in this working copy.
    let _worktree = session_lock::lock_worktree(root)?;
    ready(root)?;
    progress(Step::SavingOwnWork);
    let saved = integrate::save_own_work(&repo, author)?;
    let settings = super::settings::commit_if_changed(&repo, author)?;
    let mut report = SyncReport {
        remote: shared.shown(),
        saved,
        settings,
        integrated: Vec::new(),
        pushed: Vec::new(),
        suggestions: SuggestionChanges::default(),
        tags_not_sent: Vec::new(),
        retries: 0,
        status: AheadBehind::default(),
        uncommitted: Vec::new(),
    };
    for round in 1..=MAX_ROUNDS {
        progress(Step::Fetching { round });
        remote::fetch(&repo, &shared)?;
        progress(Step::Integrating { round });
        let integration = integrate::integrate_main(&repo, author, merge_codebook)?;
        if integration != Integration::UpToDate {
            report.integrated.push(integration);
        }
        let (changes, mut updates) = branches::reconcile(&repo, author)?;
        report.suggestions.absorb(changes);
        let main = repo.refname_to_id("refs/heads/main")?;
        let theirs = repo.refname_to_id("refs/remotes/origin/main").ok();
        if theirs != Some(main) {
            // Main first: a teammate fetching in between sees the merge
            // of a suggestion before its branch disappears.
            updates.insert(
                0,
                RefUpdate {
                    name: "refs/heads/main".into(),
                    expected: theirs,
                    new: Some(main),
                },
            );
        }
        let (tags, differ) = branches::tag_updates(&repo, &remote::list_refs(&repo, &shared)?)?;
        updates.extend(tags);
        report.tags_not_sent = differ;
        progress(Step::Pushing { round });
        let outcome = remote::push(&repo, &shared, &updates)?;
        for name in &outcome.applied {
            let deleted = updates.iter().any(|u| &u.name == name && u.new.is_none());
            report
                .pushed
                .push(format!("{}{name}", if deleted { "-" } else { "" }));
        }
        branches::set_upstreams(&repo)?;
        if outcome.moved.is_empty() {
            report.status = compare(&repo)?.unwrap_or_default();
            report.uncommitted = integrate::dirty_paths(&repo, &[])?;
            return Ok(report);
        }
        progress(Step::RemoteMoved {
            round,
            refs: outcome.moved,
        });
        report.retries += 1;
    }
    Err(StudyError::Conflict(format!(
        "the shared repository kept changing while syncing ({MAX_ROUNDS} rounds); \
         your work is safe here and committed; run `cbr sync` again in a moment"
    )))
}

/// What a read-only session (or a background refresh) learns by fetching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FetchReport {
    pub remote: PathBuf,
    pub status: Option<AheadBehind>,
    /// The team's open suggestions not yet a local branch here.
    pub new_suggestions: Vec<String>,
}

/// Fetches without changing `main`, local branches or any file: safe while
/// another session writes.
pub fn fetch_only(root: &Path) -> Result<FetchReport> {
    let repo = git::open(root)?;
    let shared = remote::origin(&repo)?;
    remote::fetch(&repo, &shared)?;
    let prefix = format!("refs/remotes/{}/", remote::ORIGIN);
    let team_main = repo.refname_to_id(&format!("{prefix}main")).ok();
    let mut new_suggestions = Vec::new();
    for reference in repo.references_glob(&format!("{prefix}{}*", super::suggest::PREFIX))? {
        let reference = reference?;
        let (Ok(name), Some(tip)) = (reference.name(), reference.target()) else {
            continue;
        };
        let Some(branch) = name.strip_prefix(&prefix) else {
            continue;
        };
        // Merged by the team already: not an open suggestion.
        let merged = match team_main {
            Some(main) => main == tip || repo.graph_descendant_of(main, tip)?,
            None => false,
        };
        if !merged
            && repo
                .find_reference(&format!("refs/heads/{branch}"))
                .is_err()
        {
            new_suggestions.push(branch.to_string());
        }
    }
    Ok(FetchReport {
        remote: shared.shown(),
        status: compare(&repo)?,
        new_suggestions,
    })
}
