//! The study's git repository as a front end holds it: opened once per
//! session ([`Repo`]), plus the reads the terminal UI runs in the
//! background by path (history, suggestions, re-check queue, codebook
//! diffs). With these, `git2` stays under `src/study/`: a front end passes
//! a [`Repo`] to the study operations and never opens or names a
//! repository itself.

use std::collections::BTreeSet;
use std::path::Path;

use git2::{Oid, Repository};

use crate::model::diff::{CodeChange, diff_codebooks};
use crate::model::merge::Conflict;
use crate::model::{Codebook, Slug};

use super::error::{Result, StudyError};
use super::git::Author;
use super::history::{self, LogEntry};
use super::outdated::{self, Queue};
use super::suggest::{self, Detail, Suggestion, resolutions};
use super::versions::{codebook_at, main_tip};
use super::{Study, git, identity};

/// The repository of an open study, or why there is none.
pub struct Repo {
    repo: Option<Repository>,
}

impl Repo {
    /// Opens the repository at `root`; a study that is not one still
    /// opens (coding works without git) and says so when git is needed.
    pub fn open(root: &Path) -> Repo {
        Repo {
            repo: Repository::open(root).ok(),
        }
    }

    /// The repository, or a refusal saying what needs git.
    pub fn git(&self) -> Result<&Repository> {
        self.repo.as_ref().ok_or_else(|| {
            StudyError::Refused("this study is not a git repository; suggestions need git".into())
        })
    }

    /// No repository: for a study not created yet.
    pub fn none() -> Repo {
        Repo { repo: None }
    }

    /// Opens the repository at `root` for a command that needs git,
    /// refusing a study that is not one.
    pub fn require(root: &Path) -> Result<Repo> {
        Ok(Repo {
            repo: Some(git::open(root)?),
        })
    }

    /// Who is acting: `coder` if given, else git's `user.name` (this
    /// repository's configuration when there is one), else the Unix user;
    /// with their configured email.
    pub fn author(&self, coder: Option<&str>) -> Result<Author> {
        let id = identity::resolve(coder, self.repo.as_ref())?;
        Ok(identity::author(id, self.repo.as_ref()))
    }

    /// The open suggestions' branch names, sorted; none without git.
    pub fn suggestion_branches(&self) -> Result<Vec<String>> {
        match &self.repo {
            Some(repo) => suggest::branches(repo),
            None => Ok(Vec::new()),
        }
    }

    pub fn is_git(&self) -> bool {
        self.repo.is_some()
    }

    /// The codebook version (`codebook/` tree id) at `HEAD`, if any.
    pub fn codebook_version(&self) -> Option<String> {
        let repo = self.repo.as_ref()?;
        git::codebook_version(repo, "HEAD").ok().flatten()
    }

    /// The codebook on `main` as committed.
    pub fn main_codebook(&self) -> Result<Codebook> {
        let repo = self.git()?;
        Ok(codebook_at(repo, main_tip(repo)?)?.codebook)
    }

    /// The codebook as a local branch has it.
    pub fn branch_codebook(&self, branch: &str) -> Result<Codebook> {
        let repo = self.git()?;
        let tip = repo.refname_to_id(&format!("refs/heads/{branch}"))?;
        Ok(codebook_at(repo, tip)?.codebook)
    }
}

/// The codebook's timeline on `main`, or one code's (following renames).
pub fn main_log(root: &Path, code: Option<&Slug>) -> Result<Vec<LogEntry>> {
    let repo = git::open(root)?;
    let main = main_tip(&repo)?;
    match code {
        Some(id) => history::code_log(&repo, id.as_str(), main),
        None => history::log(&repo, None, main),
    }
}

/// One coder's segments coded under an older definition of their code.
pub fn recheck_queue(study: &Study, coder: &Slug) -> Result<Queue> {
    outdated::queue_for(study, &git::open(&study.root)?, Some(coder))
}

/// The codebook diff between two commits, kept to `only` ids when given.
pub fn codebook_diff(
    root: &Path,
    from: &str,
    to: &str,
    only: Option<&BTreeSet<Slug>>,
) -> Result<Vec<CodeChange>> {
    let repo = git::open(root)?;
    let old = codebook_at(&repo, Oid::from_str(from)?)?.codebook;
    let new = codebook_at(&repo, Oid::from_str(to)?)?.codebook;
    let mut changes = diff_codebooks(&old, &new);
    if let Some(ids) = only {
        changes.retain(|c| c.ids().into_iter().any(|id| ids.contains(id)));
    }
    Ok(changes)
}

/// Every open suggestion, oldest first.
pub fn suggestions(root: &Path) -> Result<Vec<Suggestion>> {
    suggest::list(&git::open(root)?)
}

/// One suggestion in full, with the conflicts with `main` that no saved
/// resolution settles and how many saved resolutions do.
pub struct SuggestionInFull {
    pub detail: Detail,
    pub open_conflicts: Vec<Conflict>,
    pub settled: usize,
}

pub fn suggestion_in_full(root: &Path, branch: &str) -> Result<SuggestionInFull> {
    let repo = git::open(root)?;
    let detail = suggest::show(&repo, branch)?;
    let (open_conflicts, settled) = match suggest::plan(&repo, branch) {
        Ok(plan) => {
            let mut merge = plan.merge;
            let saved = resolutions::applicable(&repo, branch, &merge)?;
            for (key, resolution) in &saved {
                // A saved choice that no longer fits stays an open conflict.
                let _ = merge.resolve(key, resolution);
            }
            let open: Vec<Conflict> = merge.conflicts().into_iter().cloned().collect();
            (open, saved.len())
        }
        Err(_) => (Vec::new(), 0),
    };
    Ok(SuggestionInFull {
        detail,
        open_conflicts,
        settled,
    })
}
