//! The Suggestions tab: the list and one suggestion (`tab`, `view`,
//! `panes`), reviewing and merging it (`review`), and its keys (`keys`).

pub mod keys;
pub mod panes;
pub mod review;
pub mod tab;
pub mod view;
