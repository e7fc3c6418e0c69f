//! Reconciliation inside the Agreement tab: walking the disagreement
//! hunks of two coders and deciding them (`tab`), the hunk on screen
//! (`view`, `hunk`) and the decision popups (`popup`).

pub mod hunk;
pub mod popup;
pub mod tab;
pub mod view;
