//! Codings turned into reliability data.
//!
//! For every code, each coder's *judgment* on each unit: present (one of the
//! coder's segments with that code covers the unit), absent (none does), or
//! missing (the coder has not marked that transcript complete). See
//! `docs/agreement.md` for the definitions users read.
//!
//! A corpus of 500 transcripts × 1,000 lines × 300 codes × 6 coders is 900
//! million judgments, far too many to store. They are never stored: a
//! unit's judgments on a code are one *pattern* — which coders judged it
//! (those who completed its transcript) and which of them applied the code —
//! and only the number of units showing each pattern is kept. The patterns
//! where someone applied the code come from a sweep over the segments' unit
//! intervals (sorted once per transcript); every other unit is "all absent"
//! and is counted by subtraction. Work is proportional to the number of
//! segments, not to units × codes.
//!
//! The pooled bootstrap resamples whole units with all their codes, so each
//! unit's sums over the codes are kept too, again as counts of distinct
//! sums ([`Judgments::pooled_cells`]).

use std::collections::HashMap;

use crate::model::codebook::Status;
use crate::model::{Codebook, Coding, LineRange, Slug, Transcript, UnitKind};

use super::bootstrap::Cell;
use super::metrics::{Category, Reliability};
use super::sweep::{sweep, union_len};

/// How judgments are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub unit: UnitKind,
    /// A segment of a code also counts for every ancestor of the code.
    pub rollup: bool,
    /// Count only units that at least one coder coded with some code.
    pub coded_only: bool,
}

/// One transcript and every coder's coding of it (in the order of the
/// coder list; `None` where a coder has no coding file).
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub transcript: &'a Transcript,
    pub codings: Vec<Option<&'a Coding>>,
}

/// Why agreement cannot be computed at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JudgmentError {
    #[error("agreement needs at least two coders (got {0}); name them with --coders a,b")]
    TooFewCoders(usize),
    #[error("agreement is limited to 64 coders at once (got {0}); pick fewer with --coders")]
    TooManyCoders(usize),
    #[error("coder `{0}` is listed twice")]
    DuplicateCoder(Slug),
}

/// A unit's judgments on one code, as two bit sets over the coders:
/// `judged` (coders who completed the transcript) and `present` (those of
/// them who applied the code; always a subset of `judged`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pattern {
    pub judged: u64,
    pub present: u64,
}

/// Every coder's judgments on every counted unit, per code, as pattern counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgments {
    pub options: Options,
    pub coders: Vec<Slug>,
    /// Codes someone applied in the counted data (after resolving aliases
    /// and merges, and with their ancestors under roll-up), sorted by id.
    pub codes: Vec<Slug>,
    /// Transcripts counted: completed by at least two of the coders.
    pub transcripts: Vec<Slug>,
    /// Transcripts left out because fewer than two coders completed them.
    pub skipped: Vec<Slug>,
    /// (coder, transcript): counted transcripts this coder has not
    /// completed, so the coder's judgments there are missing.
    pub missing: Vec<(Slug, Slug)>,
    /// (coder, transcript): complete codings made against a different
    /// version of the transcript text (they still count; `cbr check` says more).
    pub stale: Vec<(Slug, Slug)>,
    /// Number of units counted (lines or turns), the same for every code.
    pub units: usize,
    /// Codes of the codebook nobody applied in the counted data (merged
    /// codes, which count as another, left out), sorted by id.
    pub unused: Vec<Slug>,
    /// Per code (same index as `codes`): pattern counts, sorted, no zeros.
    patterns: Vec<Vec<(Pattern, u64)>>,
    /// Per counted unit, summed over the codes: (judging coders m, coders
    /// present Σk, Σ k(m − k)), with how many units have those sums.
    unit_sums: Vec<(UnitSums, u64)>,
}

/// A unit's judgments summed over the codes; see [`Judgments::pooled_cells`].
type UnitSums = (u32, u64, u64);

impl Judgments {
    /// The reliability data of code `index` (into [`codes`](Self::codes)):
    /// one value per coder per unit, 1 present, 0 absent, `None` missing.
    pub fn code(&self, index: usize) -> Reliability {
        self.to_reliability(&self.patterns[index])
    }

    /// The pooled data: every (unit, code) pair as one unit.
    pub fn pooled(&self) -> Reliability {
        let mut sum: HashMap<Pattern, u64> = HashMap::new();
        for per_code in &self.patterns {
            for &(p, n) in per_code {
                *sum.entry(p).or_insert(0) += n;
            }
        }
        let mut rows: Vec<(Pattern, u64)> = sum.into_iter().collect();
        rows.sort_unstable();
        self.to_reliability(&rows)
    }

    /// Code `index`'s units as bootstrap cells (judging coders, coders
    /// present), with their counts.
    pub fn code_cells(&self, index: usize) -> Vec<(Cell, u64)> {
        let mut cells: HashMap<Cell, u64> = HashMap::new();
        for &(p, n) in &self.patterns[index] {
            let cell = Cell::binary(p.judged.count_ones(), p.present.count_ones());
            *cells.entry(cell).or_insert(0) += n;
        }
        let mut out: Vec<(Cell, u64)> = cells.into_iter().collect();
        out.sort_unstable();
        out
    }

    /// Units that anyone judged present on code `index`.
    pub fn present_units(&self, index: usize) -> u64 {
        let rows = &self.patterns[index];
        rows.iter()
            .filter(|(p, _)| p.present != 0)
            .map(|r| r.1)
            .sum()
    }

    /// Units on which anyone applied any of the codes.
    pub fn coded_units(&self) -> u64 {
        let rows = &self.unit_sums;
        rows.iter()
            .filter(|((_, ones, _), _)| *ones > 0)
            .map(|r| r.1)
            .sum()
    }

    /// The pooled data's units as bootstrap cells: each text unit with all
    /// its (unit, code) pairs, so a resample keeps a unit's codes together.
    /// For a unit judged by m coders, k_c of them present on code c, over
    /// K codes: K·m values, Σk_c ones, and Σ_c k_c(k_c − 1) + (m − k_c)(m −
    /// k_c − 1) = K·m(m − 1) − 2Σ_c k_c(m − k_c) agreeing ordered pairs.
    pub fn pooled_cells(&self) -> Vec<(Cell, u64)> {
        let codes = self.codes.len() as u64;
        self.unit_sums
            .iter()
            .map(|&((m, ones, mixed), n)| {
                let m64 = u64::from(m);
                let cell = Cell {
                    size: m,
                    values: codes * m64,
                    ones,
                    agreeing: codes * m64 * m64.saturating_sub(1) - 2 * mixed,
                };
                (cell, n)
            })
            .collect()
    }

    /// The pattern counts of code `index`, for callers that want the raw tally.
    pub fn patterns(&self, index: usize) -> &[(Pattern, u64)] {
        &self.patterns[index]
    }

    fn to_reliability(&self, rows: &[(Pattern, u64)]) -> Reliability {
        let c = self.coders.len();
        let mut data = Reliability::with_capacity(c, rows.len());
        let mut unit: Vec<Option<Category>> = vec![None; c];
        for &(p, n) in rows {
            for (i, value) in unit.iter_mut().enumerate() {
                *value = ((p.judged >> i) & 1 == 1).then_some(((p.present >> i) & 1) as Category);
            }
            data.push_units(&unit, n as usize);
        }
        data
    }
}

/// Resolves raw code ids to the indices of the codes they count for, once
/// per distinct id.
struct CodeIndex<'a> {
    codebook: &'a Codebook,
    rollup: bool,
    ids: Vec<Slug>,
    by_id: HashMap<Slug, u32>,
    cache: HashMap<Slug, Vec<u32>>,
}

impl<'a> CodeIndex<'a> {
    fn targets(&mut self, raw: &Slug) -> &[u32] {
        if !self.cache.contains_key(raw) {
            let mut out = Vec::new();
            // Unknown codes count for nothing; `cbr check` reports them.
            if let Some(code) = self.codebook.resolve(raw.as_str()) {
                out.push(self.index_of(&code.id));
                if self.rollup {
                    for ancestor in self.codebook.ancestors(code.id.as_str()) {
                        out.push(self.index_of(&ancestor.id));
                    }
                }
            }
            self.cache.insert(raw.clone(), out);
        }
        &self.cache[raw]
    }

    fn index_of(&mut self, id: &Slug) -> u32 {
        if let Some(&i) = self.by_id.get(id) {
            return i;
        }
        let i = self.ids.len() as u32;
        self.ids.push(id.clone());
        self.by_id.insert(id.clone(), i);
        i
    }
}

/// The units a line span touches, as a half-open range of unit indices
/// (units are sorted and disjoint).
pub fn unit_span(units: &[LineRange], lines: LineRange) -> (usize, usize) {
    let lo = units.partition_point(|u| u.end < lines.start);
    let hi = units.partition_point(|u| u.start <= lines.end);
    (lo, hi.max(lo))
}

/// Builds the judgments of `coders` over `sources`.
pub fn judge(
    codebook: &Codebook,
    coders: &[Slug],
    sources: &[Source<'_>],
    options: Options,
) -> Result<Judgments, JudgmentError> {
    let mut judge = Judge::new(codebook, coders, options)?;
    for source in sources {
        judge.add(source);
    }
    Ok(judge.finish())
}

/// Judgments built one transcript at a time ([`Judge::add`]), so that a
/// caller can read a corpus transcript by transcript and hold only the
/// counts: memory does not grow with the number of transcripts.
pub struct Judge<'a> {
    index: CodeIndex<'a>,
    out: Judgments,
    /// (code, pattern) → units, for patterns where someone applied the code.
    tally: HashMap<(u32, Pattern), u64>,
    /// Units counted per set of judging coders.
    units_by_judged: HashMap<u64, u64>,
    /// Reused buffers: (code, first unit, end unit, coder).
    spans: Vec<(u32, u32, u32, u8)>,
    any: Vec<(u32, u32)>,
    edges: Vec<(u32, u8, bool)>,
    /// Per unit of the transcript: Σk and Σk(m − k) over codes, and whether
    /// the unit counts; and the distinct sums over the corpus.
    sums: Vec<(u64, u64, bool)>,
    unit_sums: HashMap<UnitSums, u64>,
}

impl<'a> Judge<'a> {
    pub fn new(
        codebook: &'a Codebook,
        coders: &[Slug],
        options: Options,
    ) -> Result<Judge<'a>, JudgmentError> {
        if coders.len() < 2 {
            return Err(JudgmentError::TooFewCoders(coders.len()));
        }
        if coders.len() > 64 {
            return Err(JudgmentError::TooManyCoders(coders.len()));
        }
        for (i, c) in coders.iter().enumerate() {
            if coders[..i].contains(c) {
                return Err(JudgmentError::DuplicateCoder(c.clone()));
            }
        }
        Ok(Judge {
            index: CodeIndex {
                codebook,
                rollup: options.rollup,
                ids: Vec::new(),
                by_id: HashMap::new(),
                cache: HashMap::new(),
            },
            out: Judgments {
                options,
                coders: coders.to_vec(),
                codes: Vec::new(),
                transcripts: Vec::new(),
                skipped: Vec::new(),
                missing: Vec::new(),
                stale: Vec::new(),
                units: 0,
                unused: Vec::new(),
                patterns: Vec::new(),
                unit_sums: Vec::new(),
            },
            tally: HashMap::new(),
            units_by_judged: HashMap::new(),
            spans: Vec::new(),
            any: Vec::new(),
            edges: Vec::new(),
            sums: Vec::new(),
            unit_sums: HashMap::new(),
        })
    }

    /// Counts one transcript; `source.codings` follow the coder list.
    pub fn add(&mut self, source: &Source<'_>) {
        let Judge {
            index,
            out,
            tally,
            units_by_judged,
            spans,
            any,
            edges,
            sums,
            unit_sums,
        } = self;
        let options = out.options;
        let coders = &out.coders;
        let transcript = source.transcript;
        let id = &transcript.id;
        let mut judged = 0u64;
        for (i, coding) in source.codings.iter().enumerate().take(coders.len()) {
            if let Some(coding) = coding.filter(|c| c.complete) {
                judged |= 1u64 << i;
                if coding.transcript_hash != transcript.hash() {
                    out.stale.push((coders[i].clone(), id.clone()));
                }
            }
        }
        if judged.count_ones() < 2 {
            out.skipped.push(id.clone());
            return;
        }
        out.transcripts.push(id.clone());
        for (i, coder) in coders.iter().enumerate() {
            if (judged >> i) & 1 == 0 {
                out.missing.push((coder.clone(), id.clone()));
            }
        }
        let units = transcript.units(options.unit);
        spans.clear();
        any.clear();
        for (i, coding) in source.codings.iter().enumerate().take(coders.len()) {
            let Some(coding) = coding.filter(|_| (judged >> i) & 1 == 1) else {
                continue;
            };
            for seg in &coding.segments {
                let (lo, hi) = unit_span(&units, seg.lines());
                let targets = index.targets(&seg.code);
                if lo == hi || targets.is_empty() {
                    continue;
                }
                any.push((lo as u32, hi as u32));
                for &t in targets {
                    spans.push((t, lo as u32, hi as u32, i as u8));
                }
            }
        }
        sums.clear();
        sums.resize(units.len(), (0, 0, !options.coded_only));
        let counted = if options.coded_only {
            for &(lo, hi) in any.iter() {
                for unit in &mut sums[lo as usize..hi as usize] {
                    unit.2 = true;
                }
            }
            union_len(any)
        } else {
            units.len()
        };
        out.units += counted;
        *units_by_judged.entry(judged).or_insert(0) += counted as u64;

        spans.sort_unstable();
        for group in spans.chunk_by(|a, b| a.0 == b.0) {
            let code = group[0].0;
            edges.clear();
            for &(_, lo, hi, coder) in group {
                edges.push((lo, coder, true));
                edges.push((hi, coder, false));
            }
            sweep(edges, |at, present, len| {
                let p = Pattern { judged, present };
                *tally.entry((code, p)).or_insert(0) += len;
                let k = u64::from(present.count_ones());
                let mixed = k * (u64::from(judged.count_ones()) - k);
                for unit in &mut sums[at as usize..(at as u64 + len) as usize] {
                    unit.0 += k;
                    unit.1 += mixed;
                }
            });
        }
        let m = judged.count_ones();
        for &(ones, mixed, counts) in sums.iter() {
            if counts {
                *unit_sums.entry((m, ones, mixed)).or_insert(0) += 1;
            }
        }
    }

    /// The judgments of every transcript added.
    pub fn finish(self) -> Judgments {
        let Judge {
            index,
            mut out,
            tally,
            units_by_judged,
            unit_sums,
            ..
        } = self;
        let codebook = index.codebook;
        // Codes sorted by id; remap the tally to that order.
        let mut order: Vec<u32> = (0..index.ids.len() as u32).collect();
        order.sort_by(|&a, &b| index.ids[a as usize].cmp(&index.ids[b as usize]));
        let mut rank = vec![0usize; order.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i as usize] = r;
        }
        let mut patterns: Vec<Vec<(Pattern, u64)>> = vec![Vec::new(); order.len()];
        for ((code, p), n) in tally {
            patterns[rank[code as usize]].push((p, n));
        }
        let mut used = vec![false; order.len()];
        for (r, rows) in patterns.iter_mut().enumerate() {
            used[r] = !rows.is_empty();
            // Every unit not in a row with someone present is all-absent.
            for (&judged, &total) in &units_by_judged {
                let covered: u64 = rows
                    .iter()
                    .filter(|(p, _)| p.judged == judged)
                    .map(|(_, n)| n)
                    .sum();
                if total > covered {
                    rows.push((Pattern { judged, present: 0 }, total - covered));
                }
            }
            rows.sort_unstable();
        }
        // Codes present only in transcripts that were not counted leave no row
        // with anyone present: they are not listed.
        for (r, &i) in order.iter().enumerate() {
            if used[r] {
                out.codes.push(index.ids[i as usize].clone());
                out.patterns.push(std::mem::take(&mut patterns[r]));
            }
        }
        out.unit_sums = unit_sums.into_iter().collect();
        out.unit_sums.sort_unstable();
        out.unused = codebook
            .codes
            .values()
            .filter(|c| c.status != Status::Merged && out.codes.binary_search(&c.id).is_err())
            .map(|c| c.id.clone())
            .collect();
        out
    }
}

#[cfg(test)]
#[path = "judgments_tests.rs"]
mod tests;
