//! Inter-coder agreement statistics for nominal data.
//!
//! When several coders code the same transcripts, cbr reports how far they
//! agree. This module holds the arithmetic only: it knows nothing of
//! transcripts, codes or files. The caller turns its coding into
//! [`Reliability`] data — one *unit* (for instance a transcript, or a
//! transcript × code cell) per row, one value per coder, `None` where a coder
//! did not code that unit — and asks for one of these statistics:
//!
//! * [`percent_agreement`] — raw share of agreeing values, pairwise;
//! * [`cohen_kappa`] — Cohen's κ for one pair of coders (Cohen 1960);
//! * [`fleiss_kappa`] — Fleiss' κ over units every coder coded (Fleiss 1971);
//! * [`krippendorff_alpha_nominal`] — Krippendorff's α, nominal metric, which
//!   uses every unit with at least two values, so missing data is allowed
//!   (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability").
//!
//! * [`gwet_ac1`] — Gwet's AC1, whose chance agreement does not approach 1
//!   when one category dominates (Gwet 2014), missing values allowed.
//!
//! [`kappa_band`] and [`alpha_band`] give the customary verbal reading of a
//! value.
//!
//! Every statistic returns `Option<f64>`: `None` means the statistic is
//! undefined for the data (no units to compare, or no variation at all, so
//! chance agreement is already perfect). A defined result is never NaN and is
//! never a placeholder 0 or 1.
//!
//! Cost: each statistic makes one pass over the stored rows without
//! allocating per unit; identical units may share one row with a count.
//! Kappa and alpha are `O(rows × coders)` (with a sort of a row's values
//! when it has more than a handful of coders); percent agreement is
//! `O(rows × coders²)` since it counts every coder pair. Counts are kept
//! as integers and the final ratio is formed once, so e.g. perfect agreement
//! gives exactly `1.0`.

use std::collections::HashMap;

mod gwet;
pub use gwet::gwet_ac1;

/// A nominal category. Only equality matters; the numbers carry no order.
pub type Category = u32;

/// Reliability data: `coders` values per unit, `None` where a coder gave no
/// value for that unit. Coder `i` is the `i`-th value of every unit.
///
/// Stored as one flat buffer of rows (one row after the other), so building
/// and scanning large data sets costs no allocation per unit. A row may
/// stand for several identical units ([`push_units`](Self::push_units)):
/// binary judgments over a whole corpus take only a few distinct rows, so
/// agreement over hundreds of thousands of units costs a few dozen rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reliability {
    coders: usize,
    /// Total number of units, repeats included.
    units: usize,
    values: Vec<Option<Category>>,
    /// How many identical units each stored row stands for.
    counts: Vec<u64>,
}

impl Reliability {
    /// Empty data for `coders` coders.
    pub fn new(coders: usize) -> Self {
        Self::with_capacity(coders, 0)
    }

    /// Empty data for `coders` coders, with room for `units` distinct rows.
    pub fn with_capacity(coders: usize, units: usize) -> Self {
        Self {
            coders,
            units: 0,
            values: Vec::with_capacity(coders.saturating_mul(units)),
            counts: Vec::with_capacity(units),
        }
    }

    /// Builds data from a list of units, each holding one value per coder.
    ///
    /// # Panics
    /// If a unit does not hold exactly `coders` values.
    pub fn from_units<I, U>(coders: usize, units: I) -> Self
    where
        I: IntoIterator<Item = U>,
        U: AsRef<[Option<Category>]>,
    {
        let units = units.into_iter();
        let mut data = Self::with_capacity(coders, units.size_hint().0);
        for unit in units {
            data.push_unit(unit.as_ref());
        }
        data
    }

    /// Appends one unit: its values in coder order.
    ///
    /// # Panics
    /// If `unit.len()` differs from [`coders`](Self::coders).
    pub fn push_unit(&mut self, unit: &[Option<Category>]) {
        self.push_units(unit, 1);
    }

    /// Appends `count` identical units at once; every statistic treats them
    /// exactly as `count` calls of [`push_unit`](Self::push_unit) would.
    ///
    /// # Panics
    /// If `unit.len()` differs from [`coders`](Self::coders).
    pub fn push_units(&mut self, unit: &[Option<Category>], count: usize) {
        assert_eq!(
            unit.len(),
            self.coders,
            "a unit must hold one value per coder"
        );
        if count == 0 {
            return;
        }
        self.values.extend_from_slice(unit);
        self.counts.push(count as u64);
        self.units += count;
    }

    /// Number of coders (values per unit).
    pub fn coders(&self) -> usize {
        self.coders
    }

    /// Number of units, repeats included.
    pub fn len(&self) -> usize {
        self.units
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.units == 0
    }

    /// The values of unit `index`, in coder order (repeats counted, so
    /// this walks the stored rows).
    ///
    /// # Panics
    /// If `index >= self.len()`.
    pub fn unit(&self, index: usize) -> &[Option<Category>] {
        assert!(index < self.units, "unit index out of range");
        let mut first = 0u64;
        let width = self.coders;
        for (row, &count) in self.counts.iter().enumerate() {
            if (index as u64) < first + count {
                return &self.values[row * width..(row + 1) * width];
            }
            first += count;
        }
        unreachable!("counts add up to the number of units")
    }

    /// All units in order, each as its values in coder order; a row pushed
    /// with a count appears that many times.
    pub fn units(&self) -> impl Iterator<Item = &[Option<Category>]> + '_ {
        let width = self.coders;
        self.counts
            .iter()
            .enumerate()
            .flat_map(move |(row, &count)| {
                std::iter::repeat_n(&self.values[row * width..(row + 1) * width], count as usize)
            })
    }

    /// The same units with only the values of the given coders (indices,
    /// in the order given): the data of a pair of coders, for instance.
    ///
    /// # Panics
    /// If an index is not below [`coders`](Self::coders).
    pub fn select(&self, coders: &[usize]) -> Reliability {
        let mut out = Reliability::with_capacity(coders.len(), self.counts.len());
        let mut unit = vec![None; coders.len()];
        for (row, count) in self.rows() {
            for (value, &i) in unit.iter_mut().zip(coders) {
                *value = row[i];
            }
            out.push_units(&unit, count as usize);
        }
        out
    }

    /// Fast row iterator for the statistics: each distinct row with the
    /// number of units it stands for. With zero coders it yields nothing,
    /// which is harmless: every statistic is undefined then.
    fn rows(&self) -> impl Iterator<Item = (&[Option<Category>], u64)> + '_ {
        self.values
            .chunks_exact(self.coders.max(1))
            .zip(self.counts.iter().copied())
    }
}

/// Share of agreeing values, averaged over coder pairs.
///
/// For each pair of coders, the share of the units both coded on which they
/// gave the same value; the result is the plain mean of these shares over
/// the pairs that have at least one unit in common (pairs without a common
/// unit are skipped). With two coders this is simply their share of
/// agreement. `None` when no pair of coders has a unit in common.
pub fn percent_agreement(data: &Reliability) -> Option<f64> {
    let c = data.coders;
    if c < 2 {
        return None;
    }
    // Indexed by i * c + j for coder pair i < j.
    let mut both = vec![0u64; c * c];
    let mut same = vec![0u64; c * c];
    for (unit, w) in data.rows() {
        for (i, x) in unit.iter().enumerate() {
            let Some(x) = x else { continue };
            let row = i * c;
            for (j, y) in unit.iter().enumerate().skip(i + 1) {
                if let Some(y) = y {
                    both[row + j] += w;
                    same[row + j] += w * u64::from(x == y);
                }
            }
        }
    }
    let mut pairs = 0u64;
    let mut sum = 0.0;
    for (&n, &s) in both.iter().zip(&same) {
        if n > 0 {
            pairs += 1;
            sum += s as f64 / n as f64;
        }
    }
    (pairs > 0).then(|| sum / pairs as f64)
}

/// Cohen's kappa for coders `a` and `b` (indices into each unit).
///
/// Uses the units both coders coded: κ = (pₒ − pₑ) / (1 − pₑ), where pₒ is
/// their share of agreement and pₑ = Σ_c p_a(c)·p_b(c) the chance agreement
/// from each coder's own category distribution.
///
/// `None` when the two have no unit in common, when pₑ = 1 (both used one and
/// the same category throughout, so there is no variation to judge), or when
/// `a` or `b` is not a coder index.
pub fn cohen_kappa(data: &Reliability, a: usize, b: usize) -> Option<f64> {
    if a >= data.coders || b >= data.coders {
        return None;
    }
    let mut tally_a = Tally::default();
    let mut tally_b = Tally::default();
    let mut n = 0u64;
    let mut agree = 0u64;
    for (unit, w) in data.rows() {
        if let (Some(x), Some(y)) = (unit[a], unit[b]) {
            n += w;
            agree += w * u64::from(x == y);
            tally_a.add(x, w);
            tally_b.add(y, w);
        }
    }
    if n == 0 {
        return None;
    }
    // Scaled by n²: pₒ·n² = n·agree, pₑ·n² = Σ_c n_a(c)·n_b(c).
    let chance: u128 = tally_a
        .entries()
        .map(|(category, k)| u128::from(k) * u128::from(tally_b.get(category)))
        .sum();
    let n = u128::from(n);
    let denominator = n * n - chance;
    if denominator == 0 {
        return None;
    }
    let numerator = (n * u128::from(agree)) as i128 - chance as i128;
    Some(bounded(numerator as f64 / denominator as f64))
}

/// Fleiss' kappa over the units that every coder coded.
///
/// With r = number of coders (at least 2), N such units and n_uc the number
/// of coders putting unit u in category c:
/// P_u = Σ_c n_uc(n_uc − 1) / (r(r − 1)), P̄ = mean of P_u,
/// p_c = Σ_u n_uc / (N r), Pₑ = Σ_c p_c², κ = (P̄ − Pₑ) / (1 − Pₑ).
///
/// `None` with fewer than two coders, when no unit was coded by all coders,
/// or when Pₑ = 1 (a single category throughout).
pub fn fleiss_kappa(data: &Reliability) -> Option<f64> {
    let r = data.coders;
    if r < 2 {
        return None;
    }
    let mut scratch = Vec::with_capacity(r);
    let mut tally = Tally::default();
    let mut units = 0u64;
    let mut agreeing_pairs = 0u64;
    for (unit, w) in data.rows() {
        if unit.iter().any(Option::is_none) {
            continue;
        }
        let (_, pairs) = ordered_equal_pairs(unit, &mut scratch);
        units += w;
        agreeing_pairs += w * pairs;
        for &value in &scratch {
            tally.add(value, w);
        }
    }
    if units == 0 {
        return None;
    }
    // Multiplying P̄ and Pₑ by T²(r − 1), with T = N r values in all:
    // κ = (A·T − Q·(r − 1)) / ((r − 1)(T² − Q)), A = Σ_u Σ_c n_uc(n_uc − 1),
    // Q = Σ_c (Σ_u n_uc)².
    let r = r as u128;
    let total = u128::from(units) * r;
    let squares: u128 = tally.counts().map(|k| u128::from(k) * u128::from(k)).sum();
    let spread = total * total - squares;
    if spread == 0 {
        return None;
    }
    let numerator = (u128::from(agreeing_pairs) * total) as i128 - (squares * (r - 1)) as i128;
    let denominator = ((r - 1) * spread) as f64;
    Some(bounded(numerator as f64 / denominator))
}

/// Krippendorff's alpha for nominal data, missing values allowed.
///
/// Built on the coincidence matrix: only units with at least two values are
/// pairable; a unit with m_u values adds 1/(m_u − 1) to o_ck for each ordered
/// pair of its values (c, k). With n the number of pairable values and n_c
/// the number of them in category c,
///
/// α = ((n − 1)·Σ_c o_cc − Σ_c n_c(n_c − 1)) / (n(n − 1) − Σ_c n_c(n_c − 1)),
///
/// which equals 1 − Dₒ/Dₑ.
///
/// `None` when fewer than two pairable values exist or when all pairable
/// values fall in one category (the denominator is 0).
pub fn krippendorff_alpha_nominal(data: &Reliability) -> Option<f64> {
    let c = data.coders;
    if c < 2 {
        return None;
    }
    let mut scratch = Vec::with_capacity(c);
    let mut tally = Tally::default();
    // Ordered agreeing pairs, summed per unit size m (index m): Σ_c o_cc is
    // then Σ_m pairs[m] / (m − 1), with integer sums up to that point.
    let mut pairs_by_size = vec![0u64; c + 1];
    let mut n = 0u64;
    for (unit, w) in data.rows() {
        let (m, pairs) = ordered_equal_pairs(unit, &mut scratch);
        if m < 2 {
            continue;
        }
        n += w * m as u64;
        pairs_by_size[m] += w * pairs;
        for &value in &scratch {
            tally.add(value, w);
        }
    }
    if n < 2 {
        return None;
    }
    let chance_pairs: u128 = tally
        .counts()
        .map(|k| u128::from(k) * u128::from(k.saturating_sub(1)))
        .sum();
    let n = u128::from(n);
    let denominator = n * (n - 1) - chance_pairs;
    if denominator == 0 {
        return None;
    }
    let diagonal: f64 = pairs_by_size
        .iter()
        .enumerate()
        .skip(2)
        .map(|(m, &pairs)| pairs as f64 / (m - 1) as f64)
        .sum();
    let numerator = (n - 1) as f64 * diagonal - chance_pairs as f64;
    Some(bounded(numerator / denominator as f64))
}

/// Landis & Koch (1977) reading of a kappa value.
///
/// Their table gives whole hundredths (0.00–0.20, 0.21–0.40, …); for
/// continuous values each band's upper bound is inclusive:
///
/// | κ                | reading          |
/// |------------------|------------------|
/// | κ < 0            | "poor"           |
/// | 0 ≤ κ ≤ 0.20     | "slight"         |
/// | 0.20 < κ ≤ 0.40  | "fair"           |
/// | 0.40 < κ ≤ 0.60  | "moderate"       |
/// | 0.60 < κ ≤ 0.80  | "substantial"    |
/// | κ > 0.80         | "almost perfect" |
///
/// NaN reads as "undefined".
pub fn kappa_band(k: f64) -> &'static str {
    if k.is_nan() {
        "undefined"
    } else if k < 0.0 {
        "poor"
    } else if k <= 0.20 {
        "slight"
    } else if k <= 0.40 {
        "fair"
    } else if k <= 0.60 {
        "moderate"
    } else if k <= 0.80 {
        "substantial"
    } else {
        "almost perfect"
    }
}

/// Krippendorff's reading of an alpha value: α ≥ 0.800 "reliable",
/// 0.667 ≤ α < 0.800 "tentative" (fit only for tentative conclusions),
/// below 0.667 "unreliable". NaN reads as "undefined".
pub fn alpha_band(a: f64) -> &'static str {
    if a.is_nan() {
        "undefined"
    } else if a >= 0.800 {
        "reliable"
    } else if a >= 0.667 {
        "tentative"
    } else {
        "unreliable"
    }
}

/// Every statistic here lies in [−1, 1]; this only absorbs rounding.
fn bounded(value: f64) -> f64 {
    value.clamp(-1.0, 1.0)
}

/// Units with up to this many values are compared pair by pair; larger ones
/// are sorted.
const PAIRWISE_MAX: usize = 8;

/// Copies a unit's present values into `scratch` and returns how many there
/// are (m) and the number of ordered pairs of distinct positions holding
/// equal values, i.e. Σ_c n_c(n_c − 1) within the unit.
fn ordered_equal_pairs(unit: &[Option<Category>], scratch: &mut Vec<Category>) -> (usize, u64) {
    scratch.clear();
    scratch.extend(unit.iter().flatten());
    let m = scratch.len();
    let mut pairs = 0u64;
    if m <= PAIRWISE_MAX {
        for (i, x) in scratch.iter().enumerate() {
            for y in &scratch[i + 1..] {
                pairs += u64::from(x == y);
            }
        }
        pairs *= 2;
    } else {
        scratch.sort_unstable();
        let mut start = 0;
        while start < m {
            let value = scratch[start];
            let run = scratch[start..].iter().take_while(|&&v| v == value).count() as u64;
            pairs += run * (run - 1);
            start += run as usize;
        }
    }
    (m, pairs)
}

/// Categories below this index are counted in a growing dense array, others
/// in a hash map (rarely used: categories are usually small numbers).
const DENSE_LIMIT: usize = 1 << 16;

/// Count of values per category.
#[derive(Default)]
struct Tally {
    dense: Vec<u64>,
    sparse: HashMap<Category, u64>,
}

impl Tally {
    /// Counts `times` more values of `category`.
    fn add(&mut self, category: Category, times: u64) {
        let index = category as usize;
        if index < DENSE_LIMIT {
            if index >= self.dense.len() {
                self.dense.resize(index + 1, 0);
            }
            self.dense[index] += times;
        } else {
            *self.sparse.entry(category).or_insert(0) += times;
        }
    }

    fn get(&self, category: Category) -> u64 {
        let index = category as usize;
        if index < DENSE_LIMIT {
            self.dense.get(index).copied().unwrap_or(0)
        } else {
            self.sparse.get(&category).copied().unwrap_or(0)
        }
    }

    /// All counts (zeros included, which add nothing to sums of k² or
    /// k(k − 1)).
    fn counts(&self) -> impl Iterator<Item = u64> + '_ {
        self.dense.iter().chain(self.sparse.values()).copied()
    }

    /// Categories with a non-zero count, and their counts.
    fn entries(&self) -> impl Iterator<Item = (Category, u64)> + '_ {
        let dense = self
            .dense
            .iter()
            .enumerate()
            .filter(|&(_, &k)| k > 0)
            .map(|(index, &k)| (index as Category, k));
        dense.chain(self.sparse.iter().map(|(&category, &k)| (category, k)))
    }
}

#[cfg(test)]
mod tests;
