//! Suggestion drafts on disk: the TOML file an author edits in `$EDITOR`,
//! kept under `.git/cbr/drafts/` (local, like git's `COMMIT_EDITMSG`) until
//! the suggestion is made, so a draft that does not parse is never lost and
//! the same command — on the command line or in the TUI — reopens it.
//!
//! The workflow both front ends share: [`start_new`] or [`start_amend`]
//! writes (or finds) the draft, the front end runs the editor on it, and
//! [`finish`] turns it into the suggestion or the amendment, deleting the
//! draft once that is made and keeping it on any error.

use std::path::{Path, PathBuf};

use git2::Repository;

use crate::model::draft::{AMEND_HELP, Draft, DraftError, help};
use crate::model::proposal::{Kind, Proposal};
use crate::model::{Code, Slug};

use super::atomic::write_atomic;
use super::context::Repo;
use super::diagnostic::Diagnostic;
use super::error::{Result, StudyError};
use super::git::Author;
use super::suggest;

/// What an edited draft becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftFor {
    /// A new suggestion: `proposal` with its code (and, for a split, the
    /// new code) replaced by the draft's tables; on branch `slug` if given.
    New {
        proposal: Proposal,
        slug: Option<Slug>,
    },
    /// An amendment of one's own suggestion on `branch`.
    Amend { branch: String },
}

/// A draft in its file, waiting for the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub path: PathBuf,
    /// An unfinished draft of the same change was found and kept.
    pub reopened: bool,
    pub purpose: DraftFor,
}

/// What [`finish`] made of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Made {
    Suggested(String),
    Amended(String),
}

/// Starts the draft of a new suggestion of `proposal` against the codebook
/// on `main`: title and rationale as given (the title made from the change
/// otherwise). An unfinished draft of the same change is reopened instead.
pub fn start_new(
    repo: &Repo,
    proposal: Proposal,
    title: Option<String>,
    rationale: Option<String>,
    slug: Option<Slug>,
) -> Result<Pending> {
    let title = match title {
        Some(title) => title,
        None => proposal.default_title(&repo.main_codebook()?),
    };
    let initial = Draft {
        title,
        rationale: rationale.unwrap_or_default(),
        code: match &proposal {
            Proposal::Add(c) | Proposal::Edit(c) => Some((**c).clone()),
            Proposal::Split { narrowed, .. } => Some((**narrowed).clone()),
            _ => None,
        },
        new_code: match &proposal {
            Proposal::Split { new, .. } => Some((**new).clone()),
            _ => None,
        },
    };
    let name = format!(
        "{}-{}",
        proposal.kind(),
        initial
            .code
            .as_ref()
            .map_or("change".to_string(), |c| c.id.to_string())
    );
    let (path, reopened) = prepare(repo.git()?, &name, &initial, &help(proposal.kind()))?;
    Ok(Pending {
        path,
        reopened,
        purpose: DraftFor::New { proposal, slug },
    })
}

/// Starts the draft of an amendment to `code` in one's own suggestion on
/// `branch`, with `note` as the amendment's message.
pub fn start_amend(repo: &Repo, branch: &str, code: Code, note: String) -> Result<Pending> {
    let git = repo.git()?;
    let name = format!("amend-{}", code.id);
    let initial = Draft {
        title: suggest::suggestion_title(git, branch)?,
        rationale: note,
        code: Some(code),
        new_code: None,
    };
    let (path, reopened) = prepare(git, &name, &initial, AMEND_HELP)?;
    Ok(Pending {
        path,
        reopened,
        purpose: DraftFor::Amend {
            branch: branch.to_string(),
        },
    })
}

/// Reads the edited draft and makes what it is for. The draft is deleted
/// once the suggestion or amendment is made; on any error it stays where
/// it is, so the same change reopens it.
pub fn finish(repo: &Repo, author: &Author, pending: &Pending) -> Result<Made> {
    let path = &pending.path;
    let draft = read(path)?;
    let table = |code: &Option<Code>, name: &str| {
        code.clone().map(Box::new).ok_or_else(|| {
            StudyError::Invalid(Diagnostic::new(
                path,
                1,
                1,
                format!("the draft has no [{name}] table"),
            ))
        })
    };
    let git = repo.git()?;
    let made = match &pending.purpose {
        DraftFor::Amend { branch } => {
            let proposal = Proposal::Edit(table(&draft.code, "code")?);
            suggest::amend(git, branch, author, &proposal, &draft.rationale)?;
            Made::Amended(branch.clone())
        }
        DraftFor::New { proposal, slug } => {
            let proposal = match proposal.kind() {
                Kind::Add => Proposal::Add(table(&draft.code, "code")?),
                Kind::Edit => Proposal::Edit(table(&draft.code, "code")?),
                Kind::Split => Proposal::Split {
                    narrowed: table(&draft.code, "code")?,
                    new: table(&draft.new_code, "new_code")?,
                },
                _ => proposal.clone(),
            };
            let branch = suggest::propose(
                git,
                author,
                &proposal,
                Some(&draft.title),
                &draft.rationale,
                slug.as_ref(),
            )?;
            Made::Suggested(branch)
        }
    };
    discard(path);
    Ok(made)
}

/// Where the draft called `name` (e.g. `edit-threats`) is kept.
pub fn path(repo: &Repository, name: &str) -> PathBuf {
    repo.path()
        .join("cbr")
        .join("drafts")
        .join(format!("{name}.toml"))
}

/// Writes `initial` (with `help` as comments) unless an unfinished draft of
/// that name is already there. Returns the path and whether it was reopened.
pub fn prepare(
    repo: &Repository,
    name: &str,
    initial: &Draft,
    help: &str,
) -> Result<(PathBuf, bool)> {
    let path = path(repo, name);
    if path.is_file() {
        return Ok((path, true));
    }
    write_atomic(&path, initial.render(help).as_bytes()).map_err(|e| StudyError::io(&path, e))?;
    Ok((path, false))
}

/// The editor to run: `$VISUAL`, else `$EDITOR`.
pub fn editor() -> Option<String> {
    ["VISUAL", "EDITOR"]
        .into_iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|e| !e.trim().is_empty())
}

/// Runs the editor on `path` and waits for it. Through the shell, like
/// git: `$EDITOR` may carry arguments ("code --wait").
pub fn run_editor(path: &Path) -> Result<()> {
    let editor = editor().ok_or_else(|| {
        StudyError::Refused(format!(
            "no editor: set $EDITOR (e.g. EDITOR=nano); the draft is in {}",
            path.display()
        ))
    })?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("cbr-editor")
        .arg(path)
        .status()
        .map_err(|e| StudyError::Refused(format!("cannot run the editor `{editor}`: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(StudyError::Refused(format!(
            "the editor `{editor}` failed ({status}); your draft is kept in {}",
            path.display()
        )))
    }
}

/// Reads an edited draft; what does not parse is reported as
/// `path:line:col: message` and the file is left in place.
pub fn read(path: &Path) -> Result<Draft> {
    let text = std::fs::read_to_string(path).map_err(|e| StudyError::io(path, e))?;
    Draft::parse(&text).map_err(|e| {
        StudyError::Invalid(match e {
            DraftError::Toml(e) => Diagnostic::from_toml(path, &text, &e),
            e @ DraftError::Empty(_) => Diagnostic::new(path, 1, 1, e.to_string()),
        })
    })
}

/// Deletes a draft once its suggestion is made.
pub fn discard(path: &Path) {
    // A leftover draft is only reopened next time; nothing to report.
    let _ = std::fs::remove_file(path);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Code, Slug};

    #[test]
    fn bad_drafts_are_located_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let draft = Draft {
            title: "Clarify".into(),
            rationale: "Why".into(),
            code: Some(Code::new(Slug::new("a").unwrap(), "A", "Def.")),
            new_code: None,
        };
        let (path, reopened) = prepare(&repo, "edit-a", &draft, "help").unwrap();
        assert!(!reopened);
        assert_eq!(read(&path).unwrap(), draft);
        std::fs::write(&path, "title = 'x'\nrationale = \n").unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.starts_with(&format!("{}:2:", path.display())), "{err}");
        assert!(path.is_file());
        let (again, reopened) = prepare(&repo, "edit-a", &draft, "help").unwrap();
        assert_eq!((again.clone(), reopened), (path, true));
        discard(&again);
        assert!(!again.exists());
    }

    #[test]
    fn a_draft_without_its_table_is_refused_located_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let code = Code::new(Slug::new("a").unwrap(), "A", "Def.");
        let draft = Draft {
            title: "Clarify".into(),
            rationale: "Why".into(),
            code: None,
            new_code: None,
        };
        let (path, _) = prepare(&repo, "edit-a", &draft, "help").unwrap();
        let pending = Pending {
            path: path.clone(),
            reopened: false,
            purpose: DraftFor::New {
                proposal: Proposal::Edit(Box::new(code)),
                slug: None,
            },
        };
        let author = Author::new(Slug::new("alice").unwrap(), "alice@example.org");
        let err = finish(&Repo::open(dir.path()), &author, &pending).unwrap_err();
        assert!(matches!(err, StudyError::Invalid(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!("{}:1:1: the draft has no [code] table", path.display())
        );
        assert!(path.is_file(), "the draft is kept");
    }
}
