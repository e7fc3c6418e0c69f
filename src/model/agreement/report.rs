//! The agreement report: every statistic per code and over all codes
//! pooled, in the shape `cbr agree --format json` prints and the TUI's
//! Agreement tab shows.

use std::cmp::Ordering;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::model::{Slug, UnitKind};

use super::bootstrap::{Cell, Interval, Settings, alpha_interval, stream_of};
use super::judgments::Judgments;
use super::metrics::{
    Reliability, cohen_kappa, fleiss_kappa, gwet_ac1, krippendorff_alpha_nominal, percent_agreement,
};

/// A code that fewer units than this were judged present on (by anyone) is
/// "too rare to judge": one more or one fewer segment swings its kappa and
/// alpha from one reading to another.
pub const RARE_BELOW: u64 = 10;

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
    /// Units anyone judged present (for the pooled figures: units anyone
    /// applied some code to).
    pub present_units: u64,
    /// A code judged present on fewer than [`RARE_BELOW`] units: too rare
    /// to judge. Never set on pooled figures, which are read with their
    /// interval.
    pub too_rare: bool,
    pub percent_agreement: Option<f64>,
    pub cohen_kappa: PairValues,
    pub fleiss_kappa: Option<f64>,
    pub krippendorff_alpha: Option<f64>,
    /// Gwet's AC1 over all the coders.
    pub gwet_ac1: Option<f64>,
    /// Gwet's AC1 per coder pair, named as for Cohen's kappa.
    pub gwet_ac1_pairs: PairValues,
    /// Bootstrap interval of alpha, `[low, high]`; `None` when the
    /// bootstrap is off or alpha is undefined in every resample.
    pub alpha_ci: Option<[f64; 2]>,
    /// Share of the resamples whose alpha is below the minimum.
    pub p_below_min: Option<f64>,
    /// Resamples with a defined alpha (those without are left out).
    pub alpha_ci_draws: Option<usize>,
}

impl Metrics {
    fn of(data: &Reliability, coders: &[Slug], units: usize, present: (u64, bool)) -> Metrics {
        let (present_units, too_rare) = present;
        let mut kappas = Vec::new();
        let mut ac1s = Vec::new();
        for (i, a) in coders.iter().enumerate() {
            for (j, b) in coders.iter().enumerate().skip(i + 1) {
                kappas.push((format!("{a}/{b}"), cohen_kappa(data, i, j)));
                ac1s.push((format!("{a}/{b}"), gwet_ac1(&data.select(&[i, j]), 2)));
            }
        }
        Metrics {
            units,
            present_units,
            too_rare,
            percent_agreement: percent_agreement(data),
            cohen_kappa: PairValues(kappas),
            fleiss_kappa: fleiss_kappa(data),
            krippendorff_alpha: krippendorff_alpha_nominal(data),
            gwet_ac1: gwet_ac1(data, 2),
            gwet_ac1_pairs: PairValues(ac1s),
            alpha_ci: None,
            p_below_min: None,
            alpha_ci_draws: None,
        }
    }

    fn set_interval(&mut self, interval: Option<Interval>) {
        if let Some(i) = interval {
            self.alpha_ci = Some([i.low, i.high]);
            self.p_below_min = Some(i.p_below_min);
            self.alpha_ci_draws = Some(i.defined);
        }
    }
}

/// How the bootstrap intervals were made, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BootstrapInfo {
    /// Resamples drawn (0: no intervals).
    pub draws: usize,
    pub seed: u64,
    pub level: f64,
    pub alpha_min: f64,
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
    /// Codes of the codebook nobody applied in the counted data.
    pub unused: Vec<Slug>,
    /// Codes judged present on fewer units than this are too rare to judge.
    pub rare_below: u64,
    pub bootstrap: BootstrapInfo,
}

impl Report {
    /// The report without bootstrap intervals.
    pub fn new(j: &Judgments) -> Report {
        Report::with_bootstrap(j, &Settings::off())
    }

    /// The report with alpha's bootstrap interval for every code and for
    /// the pooled figures.
    pub fn with_bootstrap(j: &Judgments, settings: &Settings) -> Report {
        let pair = |(coder, transcript): &(Slug, Slug)| CoderTranscript {
            coder: coder.clone(),
            transcript: transcript.clone(),
        };
        let mut report = Report {
            unit: j.options.unit,
            coders: j.coders.clone(),
            transcripts: j.transcripts.clone(),
            rollup: j.options.rollup,
            coded_only: j.options.coded_only,
            overall: Overall {
                metrics: Metrics::of(&j.pooled(), &j.coders, j.units, (j.coded_units(), false)),
                codes: j.codes.len(),
                unit_code_pairs: j.units * j.codes.len(),
            },
            codes: j
                .codes
                .iter()
                .enumerate()
                .map(|(i, code)| CodeMetrics {
                    code: code.clone(),
                    metrics: {
                        let present = j.present_units(i);
                        let rare = present < RARE_BELOW;
                        Metrics::of(&j.code(i), &j.coders, j.units, (present, rare))
                    },
                })
                .collect(),
            skipped: j.skipped.clone(),
            missing: j.missing.iter().map(pair).collect(),
            stale: j.stale.iter().map(pair).collect(),
            unused: j.unused.clone(),
            rare_below: RARE_BELOW,
            bootstrap: BootstrapInfo {
                draws: settings.draws,
                seed: settings.seed,
                level: settings.level,
                alpha_min: settings.alpha_min,
            },
        };
        if settings.draws > 0 {
            // The pooled cells first: they are the most work.
            let mut jobs = vec![(j.pooled_cells(), stream_of("(overall)"))];
            if settings.per_code {
                for (i, code) in j.codes.iter().enumerate() {
                    jobs.push((j.code_cells(i), stream_of(code.as_str())));
                }
            }
            let mut intervals = intervals(&jobs, settings).into_iter();
            report
                .overall
                .metrics
                .set_interval(intervals.next().flatten());
            for (code, interval) in report.codes.iter_mut().zip(intervals) {
                code.metrics.set_interval(interval);
            }
        }
        report
    }
}

/// Bootstrap intervals of many sets of cells, on every core: each set has
/// its own random stream, so the result does not depend on the threads.
fn intervals(jobs: &[(Vec<(Cell, u64)>, u64)], settings: &Settings) -> Vec<Option<Interval>> {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Relaxed);
            let Some((cells, stream)) = jobs.get(i) else {
                return done;
            };
            done.push((i, alpha_interval(cells, settings, *stream)));
        }
    };
    let mut out = vec![None; jobs.len()];
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
        for handle in handles {
            for (i, interval) in handle.join().expect("a bootstrap thread panicked") {
                out[i] = interval;
            }
        }
    });
    out
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
