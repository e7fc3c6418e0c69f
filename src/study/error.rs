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
