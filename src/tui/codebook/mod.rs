//! The Codebook tab: the code tree, a code's record and coded retrieval
//! (`view`), and suggesting a change to the selected code (`propose`).

pub mod propose;
pub mod view;
