//! Agreement between coders: the statistics, and (later) how codings become
//! reliability data.

pub mod metrics;
