//! Suggestion drafts on disk: the TOML file an author edits in `$EDITOR`,
//! kept under `.git/cbr/drafts/` (local, like git's `COMMIT_EDITMSG`) until
//! the suggestion is made, so a draft that does not parse is never lost and
//! the same command — on the command line or in the TUI — reopens it.

use std::path::{Path, PathBuf};

use git2::Repository;

use crate::model::draft::{Draft, DraftError};

use super::atomic::write_atomic;
use super::diagnostic::Diagnostic;
use super::error::{Result, StudyError};

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
}
