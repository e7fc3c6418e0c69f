//! The History tab: the codebook's timeline, one change, a diff of two
//! versions and the re-check queue (`tab`, `view`), and its keys (`keys`).

pub mod keys;
pub mod recheck;
pub mod recheck_view;
pub mod tab;
pub mod view;
