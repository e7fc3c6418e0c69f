//! Errors of the study layer; each message says what to do about it.

use std::path::PathBuf;

use crate::model::slug::SlugError;
use crate::model::transcript::NotUtf8;

use super::diagnostic::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum StudyError {
    #[error(
        "{0}: no study.toml here or in any folder above; run `cbr init` to create a study or `cbr demo` to try one"
    )]
    NotAStudy(PathBuf),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(Diagnostic),
    #[error("{}:{}: {source}", path.display(), source.line)]
    NotUtf8 { path: PathBuf, source: NotUtf8 },
    #[error(transparent)]
    Id(#[from] SlugError),
    #[error("no transcript `{0}` in this study (`cbr import FILE` adds one)")]
    UnknownTranscript(String),
    #[error("no code `{0}` in the codebook (`cbr codes` lists them)")]
    UnknownCode(String),
    /// Blind coding: this would show coders each other's work before they
    /// have all finished. The message names who is still coding.
    #[error("{0}")]
    BlindPending(String),
    /// A suggestion that cannot be merged as it stands: rejected, or short
    /// of the approvals the study requires.
    #[error("{0}")]
    NotApproved(String),
    /// Two changes collide: a merge or sync conflict, a name already taken
    /// (suggestion, release, transcript), a repository that moved meanwhile.
    #[error("{0}")]
    Conflict(String),
    /// Another process holds a lock this needs; `holder` describes it (pid,
    /// host, since when) when it could be read.
    #[error("{message}")]
    Locked {
        holder: Option<String>,
        message: String,
    },
    /// Something named that is not there: a suggestion, a coder, a
    /// release, a version, a re-check item.
    #[error("{0}")]
    NotFound(String),
    /// Input that cannot be used as given: an option's value, an empty
    /// rationale or file, a name that is not allowed.
    #[error("{0}")]
    InvalidInput(String),
    /// Any other refusal; the message says what to do.
    #[error("{0}")]
    Refused(String),
    /// Said in git's own words, without libgit2's class and code numbers.
    #[error("git: {}", .0.message())]
    Git(#[from] git2::Error),
}

impl StudyError {
    /// Whether `cause` is the system failing underneath (disk, permissions,
    /// git) rather than cbr refusing what was asked; `cbr`'s exit status
    /// tells the two apart. A file that is simply not there is a refusal:
    /// usually a path typed wrong.
    pub fn is_system_failure(cause: &(dyn std::error::Error + 'static)) -> bool {
        use std::io::ErrorKind::{InvalidData, InvalidInput, NotFound};
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return !matches!(io.kind(), NotFound | InvalidInput | InvalidData);
        }
        cause.is::<git2::Error>()
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StudyError::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = StudyError> = std::result::Result<T, E>;
