//! Exchange with other tools: files that come from, or go to, software other
//! than cbr. Everything read here is untrusted input from outside the study;
//! these modules are pure over bytes and model values, and the study layer
//! does the I/O and the commits.

pub mod refi;
pub mod transcript_formats;
