//! Pure domain types and logic: no terminal, no git, no file system.

pub mod agreement;
pub mod analysis;
pub mod blind;
pub mod codebook;
pub mod coding;
pub mod coding_index;
pub mod coding_parse;
pub mod date;
pub mod diff;
pub mod disagreement;
pub mod draft;
pub mod field;
pub mod interned;
pub mod merge;
pub mod metadata;
pub mod proposal;
pub mod pseudonym;
pub mod reanchor;
pub mod reconcile;
pub mod slug;
pub mod study_config;
pub mod text;
pub mod transcript;

pub use codebook::{Code, Codebook, Status};
pub use coding::{CONSENSUS, Coding, Segment};
pub use field::Field;
pub use slug::Slug;
pub use study_config::StudyConfig;
pub use transcript::{LineRange, Transcript, UnitKind};
