//! Agreement between coders: codings turned into judgments per unit and
//! code ([`judgments`]), the statistics over them ([`metrics`]), and the
//! report that puts both together ([`report`]), with bootstrap intervals
//! for alpha ([`bootstrap`]).

mod binomial;
pub mod bootstrap;
pub mod judgments;
pub mod metrics;
pub mod releases;
pub mod report;
mod sweep;

pub use judgments::{Judge, JudgmentError, Judgments, Options, Source, judge};
pub use report::{Report, worst_first};
