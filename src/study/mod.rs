//! The study on disk and in git: loading, validation, atomic writes, commits.

pub mod atomic;
pub mod bundled;
pub mod check;
pub mod demo;
pub mod diagnostic;
pub mod error;
pub mod generate;
pub mod git;
pub mod identity;
pub mod import;
pub mod init;
pub mod layout;
pub mod load;
pub mod session;
pub mod suggest;
pub mod ui_state;

pub use diagnostic::Diagnostic;
pub use error::{Result, StudyError};
pub use load::Study;
