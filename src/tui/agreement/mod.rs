//! The Agreement tab: the pair of coders shown and its figures (`tab`),
//! its keys (`actions`),
//! their background computation (`job`), the table (`view`) and the
//! per-release chart (`chart`) with why its figures moved (`release_note`).

pub mod actions;
pub mod chart;
pub mod hunks_view;
pub mod job;
pub mod release_note;
pub mod tab;
pub mod view;
