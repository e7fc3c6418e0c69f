//! The team's shared repository, reached as a folder on this server.
//!
//! Fetching uses git2's local transport. Pushing writes the new objects as
//! one pack straight into the shared repository and then moves each branch
//! with a compare-and-swap (`reference_matching`): a branch only moves if it
//! still points where this working copy last saw it, so two people pushing
//! at the same moment can never overwrite each other's work; the loser is
//! told the remote moved, fetches, integrates and tries again.
//!
//! A shared repository on another machine (`ssh://…`, `user@host:path`,
//! `https://…`) is reached through the system `git` instead: see
//! [`super::transport`] and docs/team.md for why.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use git2::{AutotagOption, ErrorCode, FetchOptions, FetchPrune, Oid, Repository};

use super::error::{Result, StudyError};
pub use super::upkeep::{is_group_shared, share_with_group};

pub const ORIGIN: &str = "origin";
/// Fetch every branch as `origin/<branch>`; tags come along (releases).
pub const FETCH_SPEC: &str = "+refs/heads/*:refs/remotes/origin/*";

/// Explains a git2 error met while opening someone else's repository.
pub fn explain(path: &Path, err: git2::Error) -> StudyError {
    let not_owned = err.message().contains("not owned by current user");
    match err.code() {
        _ if err.code() == ErrorCode::Owner || not_owned => StudyError::Refused(format!(
            "{}: git refuses to use a repository that belongs to another user until you say you trust it; \
             run once: git config --global --add safe.directory {}",
            path.display(),
            super::privacy::shell_quote(path)
        )),
        _ if is_permission(&err) => super::upkeep::permission_problem(path),
        ErrorCode::NotFound => StudyError::NotFound(format!(
            "{}: no shared repository here (or you cannot read it); check the path, and that you are in the study's Unix group (`id`)",
            path.display()
        )),
        _ => StudyError::Refused(format!(
            "{}: cannot use the shared repository: {}",
            path.display(),
            err.message()
        )),
    }
}

/// libgit2 says "permission denied" only in its message.
fn is_permission(err: &git2::Error) -> bool {
    let message = err.message().to_ascii_lowercase();
    message.contains("permission denied") || message.contains("access denied")
}

/// Where the team's shared repository is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shared {
    /// A folder on this server (a path or a `file://` URL): git2 directly.
    Folder(PathBuf),
    /// Anything else git can reach (`ssh://`, `user@host:path`,
    /// `https://`): through the system `git`.
    Url(String),
}

impl Shared {
    /// How reports name it (a path, or the URL as written).
    pub fn shown(&self) -> PathBuf {
        match self {
            Shared::Folder(path) => path.clone(),
            Shared::Url(url) => PathBuf::from(url),
        }
    }
}

/// The shared repository a remote URL names; relative paths are taken
/// from `workdir`.
pub fn parse(url: &str, workdir: &Path) -> Shared {
    if let Some(rest) = url.strip_prefix("file://") {
        Shared::Folder(PathBuf::from(rest))
    } else if url.contains("://") || looks_like_scp(url) {
        Shared::Url(url.to_string())
    } else {
        Shared::Folder(workdir.join(url))
    }
}

/// The folder of a shared repository given as a path or `file://` URL.
pub fn url_to_path(url: &str, workdir: &Path) -> Result<PathBuf> {
    match parse(url, workdir) {
        Shared::Folder(path) => Ok(path),
        Shared::Url(url) => Err(StudyError::Refused(format!(
            "`{url}` is a repository on another machine, not a folder here"
        ))),
    }
}

/// `host:path` (scp-like ssh syntax), but not a plain path with a colon.
pub fn looks_like_scp(url: &str) -> bool {
    match url.split_once(':') {
        Some((host, _)) => !host.is_empty() && !host.contains('/'),
        None => false,
    }
}

/// Where `origin` is, or why cbr cannot sync with it.
pub fn origin(repo: &Repository) -> Result<Shared> {
    let remote = repo.find_remote(ORIGIN).map_err(|_| {
        StudyError::NotFound(
            "this working copy has no shared repository (no `origin`): create one with \
             `cbr init --shared PATH`, or get a working copy of the team's with `cbr join PATH`"
                .into(),
        )
    })?;
    let url = remote.url()?.to_string();
    let workdir = repo.workdir().unwrap_or(repo.path());
    Ok(parse(&url, workdir))
}

/// Opens the shared repository (a bare one).
pub fn open(path: &Path) -> Result<Repository> {
    if let Some(blocked) = super::upkeep::blocked(path) {
        return Err(super::upkeep::permission_problem(&blocked));
    }
    let repo = Repository::open_bare(path).map_err(|e| explain(path, e))?;
    if !repo.is_bare() {
        return Err(StudyError::Refused(format!(
            "{}: this is someone's working copy, not a shared (bare) repository; \
             the team shares a bare repository made by `cbr init --shared`",
            path.display()
        )));
    }
    Ok(repo)
}

/// Fetches every branch (as `origin/*`, pruning deleted ones) and tag.
pub fn fetch(repo: &Repository, shared: &Shared) -> Result<()> {
    match shared {
        Shared::Folder(path) => fetch_folder(repo, path),
        Shared::Url(url) => super::transport::fetch(repo, url),
    }
}

fn fetch_folder(repo: &Repository, path: &Path) -> Result<()> {
    // Open it ourselves first: a clear message beats libgit2's.
    open(path)?;
    super::upkeep::before_fetch(path)?;
    let mut remote = repo.find_remote(ORIGIN)?;
    let mut options = FetchOptions::new();
    options
        .prune(FetchPrune::On)
        .download_tags(AutotagOption::All);
    remote
        .fetch(&[FETCH_SPEC], Some(&mut options), Some("cbr sync: fetch"))
        .map_err(|e| explain(path, e))
}

/// Every reference of the shared repository and where it points.
pub fn list_refs(repo: &Repository, shared: &Shared) -> Result<BTreeMap<String, Oid>> {
    match shared {
        Shared::Folder(path) => list_folder_refs(path),
        Shared::Url(url) => super::transport::list_refs(repo, url),
    }
}

fn list_folder_refs(path: &Path) -> Result<BTreeMap<String, Oid>> {
    let remote = open(path)?;
    let mut out = BTreeMap::new();
    for reference in remote.references()? {
        let reference = reference?;
        if let (Ok(name), Some(oid)) = (reference.name(), reference.target()) {
            out.insert(name.to_string(), oid);
        }
    }
    Ok(out)
}

/// Move one reference of the shared repository, if it is still at `expected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefUpdate {
    /// Full name, e.g. `refs/heads/main`.
    pub name: String,
    /// Where we last saw it; `None`: it must not exist yet.
    pub expected: Option<Oid>,
    /// Where it goes; `None`: delete it.
    pub new: Option<Oid>,
}

/// What a push did: updates applied, and those refused because the
/// shared repository moved since we fetched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushOutcome {
    pub applied: Vec<String>,
    pub moved: Vec<String>,
}

/// Sends the objects `updates` need and applies each update as a
/// compare-and-swap. Remote-tracking refs follow what was applied.
pub fn push(repo: &Repository, shared: &Shared, updates: &[RefUpdate]) -> Result<PushOutcome> {
    if updates.is_empty() {
        return Ok(PushOutcome::default());
    }
    let outcome = match shared {
        Shared::Folder(path) => push_folder(repo, path, updates)?,
        Shared::Url(url) => super::transport::push(repo, url, updates)?,
    };
    for update in updates {
        if outcome.applied.contains(&update.name) {
            track(repo, update)?;
        }
    }
    Ok(outcome)
}

fn push_folder(repo: &Repository, path: &Path, updates: &[RefUpdate]) -> Result<PushOutcome> {
    let mut outcome = PushOutcome::default();
    let remote = open(path)?;
    let current = |name: &str| remote.refname_to_id(name).ok();
    // Refuse early what already moved: no need to send objects for it.
    let (ready, moved): (Vec<&RefUpdate>, Vec<&RefUpdate>) =
        updates.iter().partition(|u| current(&u.name) == u.expected);
    outcome.moved = moved.iter().map(|u| u.name.clone()).collect();
    send_objects(repo, &remote, &ready)?;
    // Open the new pack to the group before any branch points into it, so
    // a sync killed from here on leaves nothing teammates cannot read.
    if is_group_shared(&remote) {
        let objects = remote.path().join("objects");
        share_with_group(&objects).map_err(|e| StudyError::io(&objects, e))?;
    }
    drop(remote);
    // Reopen so the new pack is seen when checking that targets exist.
    let remote = open(path)?;
    for update in ready {
        let mut applied = apply(&remote, update);
        if applied
            .as_ref()
            .is_err_and(|e| e.code() == ErrorCode::Locked)
            && super::recovery::clear_dead_lock(
                &remote.path().join(format!("{}.lock", update.name)),
            )
        {
            // A push killed while holding the ref's lock: it is gone now.
            applied = apply(&remote, update);
        }
        match applied {
            Ok(()) => outcome.applied.push(update.name.clone()),
            Err(e) if matches!(e.code(), ErrorCode::Modified | ErrorCode::Exists) => {
                outcome.moved.push(update.name.clone())
            }
            Err(e) => return Err(explain(path, e)),
        }
    }
    super::upkeep::after_push(&remote)?;
    Ok(outcome)
}

fn apply(remote: &Repository, update: &RefUpdate) -> Result<(), git2::Error> {
    let message = "cbr sync: push";
    match (update.expected, update.new) {
        (Some(old), Some(new)) => remote
            .reference_matching(&update.name, new, true, old, message)
            .map(drop),
        (None, Some(new)) => remote
            .reference(&update.name, new, false, message)
            .map(drop),
        (Some(old), None) => {
            let mut reference = remote.find_reference(&update.name)?;
            if reference.target() != Some(old) {
                return Err(git2::Error::new(
                    ErrorCode::Modified,
                    git2::ErrorClass::Reference,
                    "moved",
                ));
            }
            // libgit2 deletes only if the ref still holds what we looked up.
            reference.delete()
        }
        (None, None) => Ok(()),
    }
}

/// Packs every object reachable from the new tips that the shared
/// repository does not have, and writes the pack into it.
fn send_objects(repo: &Repository, remote: &Repository, updates: &[&RefUpdate]) -> Result<()> {
    let mut walk = repo.revwalk()?;
    let mut builder = repo.packbuilder()?;
    let mut any = false;
    for oid in updates.iter().filter_map(|u| u.new) {
        let object = repo.find_object(oid, None)?;
        if object.kind() == Some(git2::ObjectType::Tag) {
            builder.insert_object(oid, None)?;
        }
        walk.push(object.peel_to_commit()?.id())?;
        any = true;
    }
    if !any {
        return Ok(());
    }
    for reference in remote.references()? {
        let Some(oid) = reference?.target() else {
            continue;
        };
        if let Ok(commit) = repo.find_object(oid, None).and_then(|o| o.peel_to_commit()) {
            walk.hide(commit.id())?;
        }
    }
    builder.insert_walk(&mut walk)?;
    if builder.object_count() > 0 {
        builder.write(&remote.path().join("objects").join("pack"), 0)?;
    }
    Ok(())
}

/// Keeps `refs/remotes/origin/<branch>` in step with a branch we moved.
fn track(repo: &Repository, update: &RefUpdate) -> Result<()> {
    let Some(branch) = update.name.strip_prefix("refs/heads/") else {
        return Ok(());
    };
    let tracking = format!("refs/remotes/{ORIGIN}/{branch}");
    match update.new {
        Some(new) => {
            repo.reference(&tracking, new, true, "cbr sync: push")?;
        }
        None => {
            if let Ok(mut r) = repo.find_reference(&tracking) {
                r.delete()?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_file_urls_are_local_the_rest_is_for_git() {
        let wd = Path::new("/home/alice/study");
        assert_eq!(
            url_to_path("/srv/studies/v.git", wd).unwrap(),
            PathBuf::from("/srv/studies/v.git")
        );
        assert_eq!(
            url_to_path("file:///srv/v.git", wd).unwrap(),
            PathBuf::from("/srv/v.git")
        );
        assert_eq!(
            url_to_path("../shared.git", wd).unwrap(),
            PathBuf::from("/home/alice/study/../shared.git")
        );
        for url in [
            "ssh://srv/v.git",
            "https://example.org/v.git",
            "srv:v.git",
            "alice@srv:v.git",
        ] {
            assert_eq!(parse(url, wd), Shared::Url(url.into()));
        }
    }

    #[test]
    fn someone_elses_repository_gets_the_safe_directory_advice() {
        let err = explain(
            Path::new("/srv/v.git"),
            git2::Error::new(ErrorCode::Owner, git2::ErrorClass::Config, "not owned"),
        )
        .to_string();
        assert!(
            err.contains("git config --global --add safe.directory /srv/v.git"),
            "{err}"
        );
    }
}
