//! The Transcripts tab: the list with the coder's progress, a transcript
//! open for coding (`doc`), and drawing it (`doc_view`).

pub mod doc;
pub mod doc_view;
pub mod tab;
