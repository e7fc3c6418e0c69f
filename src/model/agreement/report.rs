//! The agreement report: every statistic per code and over all codes
//! pooled, in the shape `cbr agree --format json` prints and the TUI's
//! Agreement tab shows.

use std::cmp::Ordering;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::model::{Slug, UnitKind};

use super::judgments::Judgments;
use super::metrics::{
    Reliability, cohen_kappa, fleiss_kappa, krippendorff_alpha_nominal, percent_agreement,
};

/// Cohen's kappa per coder pair, named `first/second` in coder order.
/// Serialised as a JSON object that keeps that order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PairValues(pub Vec<(String, Option<f64>)>);

impl PairValues {
    pub fn get(&self, pair: &str) -> Option<Option<f64>> {
        self.0.iter().find(|(p, _)| p == pair).map(|(_, v)| *v)
    }
}

impl Serialize for PairValues {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (pair, value) in &self.0 {
            map.serialize_entry(pair, value)?;
        }
        map.end()
    }
}

/// The statistics of one set of binary judgments. `None` is undefined
/// (`null` in JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// Units counted (lines or turns).
    pub units: usize,
    pub percent_agreement: Option<f64>,
    pub cohen_kappa: PairValues,
    pub fleiss_kappa: Option<f64>,
    pub krippendorff_alpha: Option<f64>,
}

impl Metrics {
    fn of(data: &Reliability, coders: &[Slug], units: usize) -> Metrics {
        let mut pairs = Vec::new();
        for (i, a) in coders.iter().enumerate() {
            for (j, b) in coders.iter().enumerate().skip(i + 1) {
                pairs.push((format!("{a}/{b}"), cohen_kappa(data, i, j)));
            }
        }
        Metrics {
            units,
            percent_agreement: percent_agreement(data),
            cohen_kappa: PairValues(pairs),
            fleiss_kappa: fleiss_kappa(data),
            krippendorff_alpha: krippendorff_alpha_nominal(data),
        }
    }
}

/// The statistics over all codes pooled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overall {
    #[serde(flatten)]
    pub metrics: Metrics,
    /// Codes pooled.
    pub codes: usize,
    /// (unit, code) pairs pooled: units × codes.
    pub unit_code_pairs: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeMetrics {
    pub code: Slug,
    #[serde(flatten)]
    pub metrics: Metrics,
}

/// A coder and a transcript, for the lists of missing and stale codings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoderTranscript {
    pub coder: Slug,
    pub transcript: Slug,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub unit: UnitKind,
    pub coders: Vec<Slug>,
    /// Transcripts counted.
    pub transcripts: Vec<Slug>,
    pub rollup: bool,
    pub coded_only: bool,
    pub overall: Overall,
    /// In code id order; [`worst_first`] sorts them for display.
    pub codes: Vec<CodeMetrics>,
    /// Transcripts not counted: fewer than two of the coders completed them.
    pub skipped: Vec<Slug>,
    /// Counted transcripts a coder has not completed (missing, not absent).
    pub missing: Vec<CoderTranscript>,
    /// Complete codings made against an older text of their transcript.
    pub stale: Vec<CoderTranscript>,
}

impl Report {
    pub fn new(j: &Judgments) -> Report {
        let pair = |(coder, transcript): &(Slug, Slug)| CoderTranscript {
            coder: coder.clone(),
            transcript: transcript.clone(),
        };
        Report {
            unit: j.options.unit,
            coders: j.coders.clone(),
            transcripts: j.transcripts.clone(),
            rollup: j.options.rollup,
            coded_only: j.options.coded_only,
            overall: Overall {
                metrics: Metrics::of(&j.pooled(), &j.coders, j.units),
                codes: j.codes.len(),
                unit_code_pairs: j.units * j.codes.len(),
            },
            codes: j
                .codes
                .iter()
                .enumerate()
                .map(|(i, code)| CodeMetrics {
                    code: code.clone(),
                    metrics: Metrics::of(&j.code(i), &j.coders, j.units),
                })
                .collect(),
            skipped: j.skipped.clone(),
            missing: j.missing.iter().map(pair).collect(),
            stale: j.stale.iter().map(pair).collect(),
        }
    }
}

/// Sorts codes worst first: lowest alpha first, codes whose alpha is
/// undefined after every defined one (there is nothing to judge), then by
/// lower percent agreement, then by id.
pub fn worst_first(codes: &mut [CodeMetrics]) {
    fn defined_first(a: Option<f64>, b: Option<f64>) -> Ordering {
        match (a, b) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    codes.sort_by(|a, b| {
        defined_first(a.metrics.krippendorff_alpha, b.metrics.krippendorff_alpha)
            .then_with(|| defined_first(a.metrics.percent_agreement, b.metrics.percent_agreement))
            .then_with(|| a.code.cmp(&b.code))
    });
}
