//! Who is coding: `--coder`/`CBR_CODER` (handled by the CLI), then git's
//! `user.name`, then the Unix user, each turned into a slug.

use git2::Config;

use crate::model::Slug;

use super::error::{Result, StudyError};
use super::git::Author;

/// Resolves the coder id from an explicit value or the environment.
/// `consensus` is refused: it is the team's reconciled coding, written only
/// by reconciliation, never a person acting.
pub fn resolve(explicit: Option<&str>, repo: Option<&git2::Repository>) -> Result<Slug> {
    let id = find(explicit, repo)?;
    if id.as_str() == crate::model::CONSENSUS {
        return Err(StudyError::InvalidInput(
            "`consensus` is reserved for the team's reconciled coding, which reconciliation writes; act as yourself (--coder ID)".into(),
        ));
    }
    Ok(id)
}

fn find(explicit: Option<&str>, repo: Option<&git2::Repository>) -> Result<Slug> {
    if let Some(id) = explicit {
        return Ok(Slug::new(id)?);
    }
    let config = match repo {
        Some(repo) => repo.config().ok(),
        None => Config::open_default().ok(),
    };
    if let Some(name) = config.as_ref().and_then(|c| c.get_string("user.name").ok())
        && let Ok(slug) = Slug::slugify(&name)
    {
        return Ok(slug);
    }
    for var in ["USER", "LOGNAME", "USERNAME"] {
        if let Ok(name) = std::env::var(var)
            && let Ok(slug) = Slug::slugify(&name)
        {
            return Ok(slug);
        }
    }
    Err(StudyError::Refused(
        "cannot tell who you are: pass --coder ID or set CBR_CODER".into(),
    ))
}

/// The git author for a coder: their configured email if git knows it.
pub fn author(coder: Slug, repo: Option<&git2::Repository>) -> Author {
    let config = match repo {
        Some(repo) => repo.config().ok(),
        None => Config::open_default().ok(),
    };
    let email = config
        .and_then(|c| c.get_string("user.email").ok())
        .unwrap_or_else(|| format!("{coder}@localhost"));
    Author::new(coder, email)
}
