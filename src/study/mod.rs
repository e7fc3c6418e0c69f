//! The study on disk and in git: loading, validation, atomic writes, commits.

pub mod agreement;
pub mod atomic;
pub mod blind;
pub mod bundled;
pub mod check;
pub mod codings_csv;
pub mod demo;
pub mod diagnostic;
pub mod error;
pub mod git;
pub mod health;
pub mod identity;
pub mod import;
pub mod init;
pub mod layout;
pub mod load;
pub mod lockfile;
pub mod reconcile;
pub mod release_agreement;
pub mod remote;
pub mod session;
pub mod session_lock;
pub mod shared;
pub mod suggest;
pub mod sync;
pub mod ui_state;

pub use diagnostic::Diagnostic;
pub use error::{Result, StudyError};
pub use load::Study;
