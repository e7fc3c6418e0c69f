//! Working as a team on one server: `cbr init --shared` creates a study and
//! the bare repository the team shares; `cbr join` gives another researcher
//! their own working copy of it. See `docs/team.md` for the server set-up.

use std::fs;
use std::path::{Path, PathBuf};

use git2::build::{CheckoutBuilder, RepoBuilder};
use git2::{BranchType, Repository, RepositoryInitMode, RepositoryInitOptions};

use super::error::{Result, StudyError};
use super::git::Author;
use super::layout;
use super::remote::{self, ORIGIN, RefUpdate};

/// A folder we may create a repository in: missing, or empty.
pub(crate) fn is_free(path: &Path) -> Result<bool> {
    match fs::read_dir(path) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(StudyError::io(path, e)),
    }
}

/// Absolute form of a path that may not exist yet (its parent must).
pub(crate) fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(|e| StudyError::io(path, e))
}

/// Creates (or adopts, if an administrator already made it empty) the
/// bare repository at `path`, set up for the owning Unix group.
pub(crate) fn create_bare(path: &Path) -> Result<Repository> {
    if !is_free(path)? {
        // An empty bare repository prepared by an administrator is welcome.
        if let Ok(repo) = Repository::open_bare(path)
            && repo.is_bare()
            && repo.references()?.next().is_none()
        {
            configure_shared(&repo)?;
            return Ok(repo);
        }
        return Err(StudyError::Conflict(format!(
            "{}: already exists and is not an empty shared repository; give `--shared` a new path",
            path.display()
        )));
    }
    let mut opts = RepositoryInitOptions::new();
    opts.bare(true)
        .mkpath(true)
        .initial_head("main")
        .mode(RepositoryInitMode::SHARED_GROUP);
    let repo = Repository::init_opts(path, &opts)?;
    configure_shared(&repo)?;
    Ok(repo)
}

/// What `git init --bare --shared=group` would set: the group may write,
/// and nobody may rewrite history that others have already fetched.
fn configure_shared(repo: &Repository) -> Result<()> {
    let mut config = repo.config()?.open_level(git2::ConfigLevel::Local)?;
    // 0660 rather than `group`: plain git (a teammate's, or the server's
    // behind ssh) then closes files to others whatever its umask.
    config.set_str("core.sharedRepository", "0660")?;
    config.set_bool("receive.denyNonFastForwards", true)?;
    // `git clone` checks out what HEAD names: the study lives on `main`.
    repo.set_head("refs/heads/main")?;
    remote::share_with_group(repo.path()).map_err(|e| StudyError::io(repo.path(), e))?;
    Ok(())
}

/// `cbr init --shared BARE DIR`: a new study in `dir`, a bare repository at
/// `bare` for the team, `main` pushed there and `origin` pointing at it.
/// Returns the absolute path of the shared repository.
pub fn init_shared(bare: &Path, dir: &Path, title: &str, author: &Author) -> Result<PathBuf> {
    if let remote::Shared::Url(url) = remote::parse(&bare.to_string_lossy(), Path::new(".")) {
        super::init::init(dir, title, author)?;
        super::share::share(dir, &url, author)?;
        return Ok(PathBuf::from(url));
    }
    let bare = absolute(bare)?;
    let dir_abs = absolute(dir)?;
    if bare.starts_with(&dir_abs) {
        return Err(StudyError::InvalidInput(format!(
            "{}: the shared repository cannot live inside the study's own folder; put it beside, e.g. /srv/studies/NAME.git",
            bare.display()
        )));
    }
    // Check both places before creating anything.
    if dir.join(layout::STUDY_FILE).exists() {
        return Err(StudyError::Conflict(format!(
            "{}: already a study (study.toml exists); nothing changed",
            dir.display()
        )));
    }
    let created = is_free(&bare)?;
    drop(create_bare(&bare)?);
    if let Err(e) = super::init::init(dir, title, author) {
        if created {
            let _ = fs::remove_dir_all(&bare);
        }
        return Err(e);
    }
    let repo = super::git::open(dir)?;
    repo.remote(ORIGIN, &bare.to_string_lossy())?;
    let main = repo.refname_to_id("refs/heads/main")?;
    let outcome = remote::push(
        &repo,
        &remote::Shared::Folder(bare.clone()),
        &[RefUpdate {
            name: "refs/heads/main".into(),
            expected: None,
            new: Some(main),
        }],
    )?;
    if !outcome.moved.is_empty() {
        return Err(StudyError::Conflict(format!(
            "{}: someone pushed to this shared repository while it was being created; \
             use `cbr join {}` to get a working copy of it instead",
            bare.display(),
            bare.display()
        )));
    }
    repo.find_branch("main", BranchType::Local)?
        .set_upstream(Some(&format!("{ORIGIN}/main")))?;
    Ok(bare)
}

/// `cbr join BARE DIR`: a working copy of the team's study in `dir`, with
/// every open suggestion as a local branch. Nothing is left behind if the
/// shared repository holds no study.
pub fn join(bare: &Path, dir: &Path) -> Result<PathBuf> {
    if let remote::Shared::Url(url) = remote::parse(&bare.to_string_lossy(), Path::new(".")) {
        return super::share::join_url(&url, dir).map(|()| PathBuf::from(url));
    }
    let bare = absolute(bare)?;
    if !is_free(dir)? {
        return Err(StudyError::InvalidInput(format!(
            "{}: folder exists and is not empty; give `cbr join` a new folder",
            dir.display()
        )));
    }
    let shared = remote::open(&bare)?;
    if shared.find_reference("refs/heads/main").is_err() {
        return Err(StudyError::NotFound(format!(
            "{}: this shared repository has no `main` branch yet; whoever created it should run `cbr sync` in their working copy",
            bare.display()
        )));
    }
    drop(shared);
    let existed = dir.exists();
    // Clone without writing files, turn symbolic links off, then check
    // out: a link a teammate committed arrives as a plain file naming its
    // target, as it does on every later sync (`safe_fs`; `cbr check`).
    let mut nothing = CheckoutBuilder::new();
    nothing.dry_run();
    let result = RepoBuilder::new()
        .branch("main")
        .clone_local(git2::build::CloneLocal::None)
        .with_checkout(nothing)
        .clone(&bare.to_string_lossy(), dir)
        .map_err(|e| remote::explain(&bare, e))
        .and_then(|repo| {
            repo.config()?.set_bool("core.symlinks", false)?;
            let repo = git2::Repository::open(repo.path())?;
            repo.checkout_head(Some(CheckoutBuilder::new().force()))?;
            Ok(repo)
        })
        .and_then(|repo| {
            if !dir.join(layout::STUDY_FILE).is_file() {
                return Err(StudyError::NotFound(format!(
                    "{}: the shared repository holds no study (no study.toml on main)",
                    bare.display()
                )));
            }
            super::sync::branches::adopt_remote_suggestions(&repo)?;
            Ok(())
        });
    if let Err(e) = result {
        restore_folder(dir, existed);
        return Err(e);
    }
    Ok(bare)
}

/// Leaves the folder of a failed join as it was found: gone, or empty.
pub(crate) fn restore_folder(dir: &Path, existed: bool) {
    if existed {
        if let Ok(entries) = fs::read_dir(dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                let _ = match fs::symlink_metadata(&path) {
                    Ok(m) if m.is_dir() => fs::remove_dir_all(&path),
                    _ => fs::remove_file(&path),
                };
            }
        }
    } else {
        let _ = fs::remove_dir_all(dir);
    }
}
