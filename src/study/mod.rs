//! The study on disk and in git: loading, validation, atomic writes, commits.

pub mod agreement;
pub mod atomic;
pub mod blind;
pub mod bundled;
pub mod changelog;
pub mod check;
pub mod code_file_merge;
pub mod codings_csv;
pub mod demo;
pub mod diagnostic;
pub mod error;
pub mod generate;
pub mod git;
pub mod health;
pub mod history;
pub mod identity;
pub mod impact;
pub mod import;
pub mod init;
pub mod layout;
pub mod load;
pub mod lockfile;
pub mod outdated;
pub mod reconcile;
pub mod release_agreement;
pub mod remote;
pub mod session;
pub mod session_lock;
pub mod shared;
pub mod suggest;
pub mod sync;
pub mod ui_state;
pub mod versions;

pub use diagnostic::Diagnostic;
pub use error::{Result, StudyError};
pub use load::Study;
