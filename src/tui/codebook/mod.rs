//! The Codebook tab: the code tree, a code's record and coded retrieval
//! (`view`), its actions (`tab`), and suggesting a change to the selected code (`propose`).

pub mod propose;
pub mod tab;
pub mod view;
