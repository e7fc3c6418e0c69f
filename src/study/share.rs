//! `cbr share PATH|URL` turns a study into a team study, and `cbr join URL`
//! gets a working copy of one on another machine. A folder on this server
//! gets a group-shared bare repository (made here, or an empty one an
//! administrator prepared); a URL must name an empty repository on the
//! team's git host (GitLab, Gitea/Forgejo, a bare repository over SSH).

use std::path::Path;

use git2::BranchType;

use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::layout;
use super::remote::{self, ORIGIN, RefUpdate, Shared};
use super::shared::{absolute, create_bare, is_free, restore_folder};

/// Makes `target` the study's shared repository (`origin`) and sends
/// `main` there. Suggestions and releases follow with the next sync.
/// On failure the study is left without `origin`, as it was.
pub fn share(root: &Path, target: &str, author: &Author) -> Result<Shared> {
    let repo = git::open(root)?;
    if let Ok(existing) = repo.find_remote(ORIGIN) {
        return Err(StudyError::Conflict(format!(
            "this study is already shared with `{}`: run `cbr sync` to exchange work",
            crate::model::text::inert(existing.url().unwrap_or("?"))
        )));
    }
    let mut shared = remote::parse(target, Path::new("."));
    let mut created = None;
    if let Shared::Folder(path) = &shared {
        let path = absolute(path)?;
        let root_abs = absolute(root)?;
        if path.starts_with(&root_abs) {
            return Err(StudyError::InvalidInput(format!(
                "{}: the shared repository cannot live inside the study's own folder; put it beside, e.g. /srv/studies/NAME.git",
                path.display()
            )));
        }
        if is_free(&path)? {
            created = Some(path.clone());
        }
        drop(create_bare(&path)?);
        shared = Shared::Folder(path);
    }
    let url = match &shared {
        Shared::Folder(path) => path.to_string_lossy().into_owned(),
        Shared::Url(url) => url.clone(),
    };
    repo.remote(ORIGIN, &url)?;
    let result = send_main(&repo, &shared, author);
    if result.is_err() {
        let _ = repo.remote_delete(ORIGIN);
        if let Some(path) = created {
            let _ = std::fs::remove_dir_all(path);
        }
    }
    result.map(|()| shared)
}

fn send_main(repo: &git2::Repository, shared: &Shared, _author: &Author) -> Result<()> {
    let theirs = remote::list_refs(repo, shared)?;
    if theirs.contains_key("refs/heads/main") {
        return Err(StudyError::Conflict(format!(
            "`{}` already holds a study (it has a `main` branch): get a working copy of it with `cbr join`, \
             or share into a new, empty repository",
            shared.shown().display()
        )));
    }
    let main = repo.refname_to_id("refs/heads/main")?;
    let outcome = remote::push(
        repo,
        shared,
        &[RefUpdate {
            name: "refs/heads/main".into(),
            expected: None,
            new: Some(main),
        }],
    )?;
    if !outcome.moved.is_empty() || outcome.applied.is_empty() {
        return Err(StudyError::Conflict(format!(
            "`{}`: someone pushed to it while it was being shared; use `cbr join` instead",
            shared.shown().display()
        )));
    }
    repo.find_branch("main", BranchType::Local)?
        .set_upstream(Some(&format!("{ORIGIN}/main")))?;
    Ok(())
}

/// `cbr join URL DIR` through the system git (the user's keys and
/// credentials). Nothing is left behind on failure.
pub fn join_url(url: &str, dir: &Path) -> Result<()> {
    if !is_free(dir)? {
        return Err(StudyError::InvalidInput(format!(
            "{}: folder exists and is not empty; give `cbr join` a new folder",
            dir.display()
        )));
    }
    let existed = dir.exists();
    let dir_abs = absolute(dir)?;
    let here = std::env::current_dir().map_err(|e| StudyError::io(".", e))?;
    let mut clone = super::transport::git(&here, None);
    clone
        .args([
            "clone",
            "--quiet",
            "--origin",
            ORIGIN,
            "--branch",
            "main",
            // A committed symbolic link arrives as a plain file (safe_fs).
            "--config",
            "core.symlinks=false",
            url,
        ])
        .arg(&dir_abs);
    let result = clone
        .output()
        .map_err(|e| StudyError::Refused(format!("cannot run `git` ({e}) to reach `{url}`")))
        .and_then(|out| {
            if out.status.success() {
                Ok(())
            } else {
                Err(super::transport::explain(
                    url,
                    &String::from_utf8_lossy(&out.stderr),
                ))
            }
        })
        .and_then(|()| {
            if !dir_abs.join(layout::STUDY_FILE).is_file() {
                return Err(StudyError::NotFound(format!(
                    "`{url}` holds no study (no study.toml on main)"
                )));
            }
            let repo = git::open(&dir_abs)?;
            super::sync::branches::adopt_remote_suggestions(&repo).map(drop)
        });
    if result.is_err() {
        restore_folder(dir, existed);
    }
    result
}
