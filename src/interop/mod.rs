//! Exchange with other tools: files that come from, or go to, software other
//! than cbr. Everything read here is untrusted input from outside the study.

pub mod transcript_formats;
