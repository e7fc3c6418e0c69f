//! cbr: collaborative qualitative coding in the terminal.
//!
//! Layers: [`model`] is pure domain logic; [`study`] owns the study on disk
//! and in git; [`cli`] (and the terminal UI) are front ends over the same
//! operations.

pub mod cli;
pub mod interop;
pub mod model;
pub mod study;
pub mod tui;
