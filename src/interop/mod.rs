//! Exchange with other tools: file formats cbr reads and writes besides its
//! own. Pure over bytes and model values; the study layer does the I/O.

pub mod refi;
