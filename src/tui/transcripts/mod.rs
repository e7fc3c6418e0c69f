//! The Transcripts tab: the list with the coder's progress, a transcript
//! open for coding (`doc`), and drawing them (`list_view`, `doc_view`).

pub mod doc;
pub mod doc_view;
pub mod edit_words;
pub mod info_pane;
pub mod list_view;
pub mod tab;
