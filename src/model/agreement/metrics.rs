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
//! [`kappa_band`] and [`alpha_band`] give the customary verbal reading of a
//! value.
//!
//! Every statistic returns `Option<f64>`: `None` means the statistic is
//! undefined for the data (no units to compare, or no variation at all, so
//! chance agreement is already perfect). A defined result is never NaN and is
//! never a placeholder 0 or 1.
//!
//! Cost: each statistic makes one pass over the data without allocating per
//! unit. Kappa and alpha are `O(units × coders)` (with a sort of a unit's
//! values when a unit has more than a handful of coders); percent agreement
//! is `O(units × coders²)` since it counts every coder pair. Counts are kept
//! as integers and the final ratio is formed once, so e.g. perfect agreement
//! gives exactly `1.0`.

use std::collections::HashMap;

/// A nominal category. Only equality matters; the numbers carry no order.
pub type Category = u32;

/// Reliability data: `coders` values per unit, `None` where a coder gave no
/// value for that unit. Coder `i` is the `i`-th value of every unit.
///
/// Stored as one flat buffer (units one after the other), so building and
/// scanning large data sets costs no allocation per unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reliability {
    coders: usize,
    units: usize,
    values: Vec<Option<Category>>,
}

impl Reliability {
    /// Empty data for `coders` coders.
    pub fn new(coders: usize) -> Self {
        Self::with_capacity(coders, 0)
    }

    /// Empty data for `coders` coders, with room for `units` units.
    pub fn with_capacity(coders: usize, units: usize) -> Self {
        Self {
            coders,
            units: 0,
            values: Vec::with_capacity(coders.saturating_mul(units)),
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
        assert_eq!(
            unit.len(),
            self.coders,
            "a unit must hold one value per coder"
        );
        self.values.extend_from_slice(unit);
        self.units += 1;
    }

    /// Number of coders (values per unit).
    pub fn coders(&self) -> usize {
        self.coders
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.units
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.units == 0
    }

    /// The values of unit `index`, in coder order.
    ///
    /// # Panics
    /// If `index >= self.len()`.
    pub fn unit(&self, index: usize) -> &[Option<Category>] {
        assert!(index < self.units, "unit index out of range");
        &self.values[index * self.coders..(index + 1) * self.coders]
    }

    /// All units in order, each as its values in coder order.
    pub fn units(&self) -> impl ExactSizeIterator<Item = &[Option<Category>]> + '_ {
        (0..self.units).map(move |i| self.unit(i))
    }

    /// Fast row iterator for the statistics. With zero coders it yields
    /// nothing, which is harmless: every statistic is undefined then.
    fn rows(&self) -> std::slice::ChunksExact<'_, Option<Category>> {
        self.values.chunks_exact(self.coders.max(1))
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
    for unit in data.rows() {
        for (i, x) in unit.iter().enumerate() {
            let Some(x) = x else { continue };
            let row = i * c;
            for (j, y) in unit.iter().enumerate().skip(i + 1) {
                if let Some(y) = y {
                    both[row + j] += 1;
                    same[row + j] += u64::from(x == y);
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
    for unit in data.rows() {
        if let (Some(x), Some(y)) = (unit[a], unit[b]) {
            n += 1;
            agree += u64::from(x == y);
            tally_a.add(x);
            tally_b.add(y);
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
    for unit in data.rows() {
        if unit.iter().any(Option::is_none) {
            continue;
        }
        let (_, pairs) = ordered_equal_pairs(unit, &mut scratch);
        units += 1;
        agreeing_pairs += pairs;
        for &value in &scratch {
            tally.add(value);
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
    for unit in data.rows() {
        let (m, pairs) = ordered_equal_pairs(unit, &mut scratch);
        if m < 2 {
            continue;
        }
        n += m as u64;
        pairs_by_size[m] += pairs;
        for &value in &scratch {
            tally.add(value);
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
    fn add(&mut self, category: Category) {
        let index = category as usize;
        if index < DENSE_LIMIT {
            if index >= self.dense.len() {
                self.dense.resize(index + 1, 0);
            }
            self.dense[index] += 1;
        } else {
            *self.sparse.entry(category).or_insert(0) += 1;
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
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    const M: Option<Category> = None;

    fn close(actual: Option<f64>, expected: f64, tolerance: f64) {
        let actual = actual.expect("statistic should be defined");
        assert!(
            (actual - expected).abs() <= tolerance,
            "got {actual}, expected {expected} ± {tolerance}"
        );
    }

    /// Data given coder by coder, one row per coder as in Krippendorff's
    /// tables: values separated by spaces, `.` for a missing value.
    fn from_coder_rows(rows: &[&str]) -> Reliability {
        let rows: Vec<Vec<Option<Category>>> = rows
            .iter()
            .map(|row| {
                row.split_whitespace()
                    .map(|v| (v != ".").then(|| v.parse().expect("a category")))
                    .collect()
            })
            .collect();
        let units = rows[0].len();
        assert!(rows.iter().all(|row| row.len() == units));
        let mut data = Reliability::with_capacity(rows.len(), units);
        let mut unit = Vec::with_capacity(rows.len());
        for u in 0..units {
            unit.clear();
            unit.extend(rows.iter().map(|row| row[u]));
            data.push_unit(&unit);
        }
        data
    }

    /// Data from a subjects × categories count table (Fleiss' layout): a row
    /// `[2, 0, 1]` is one unit whose coders chose category 0 twice and
    /// category 2 once. Every row must sum to the number of coders.
    fn from_counts(rows: &[&[u32]]) -> Reliability {
        let coders = rows[0].iter().sum::<u32>() as usize;
        let mut data = Reliability::new(coders);
        for row in rows {
            let unit: Vec<Option<Category>> = row
                .iter()
                .enumerate()
                .flat_map(|(category, &k)| {
                    std::iter::repeat_n(Some(category as Category), k as usize)
                })
                .collect();
            data.push_unit(&unit);
        }
        data
    }

    fn all_metrics(data: &Reliability) -> Vec<Option<f64>> {
        let mut out = vec![
            percent_agreement(data),
            fleiss_kappa(data),
            krippendorff_alpha_nominal(data),
        ];
        for a in 0..data.coders() {
            for b in 0..data.coders() {
                out.push(cohen_kappa(data, a, b));
            }
        }
        out
    }

    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
    // nominal example: coders A–D, units 1–12, with missing values.
    fn krippendorff_2011_nominal() -> Reliability {
        from_coder_rows(&[
            "1 2 3 3 2 1 4 1 2 . . .", // A
            "1 2 3 3 2 2 4 1 2 5 . 3", // B
            ". 3 3 3 2 3 4 2 2 5 1 .", // C
            "1 2 3 3 2 4 4 1 2 5 1 .", // D
        ])
    }

    #[test]
    fn krippendorff_2011_nominal_example() {
        close(
            krippendorff_alpha_nominal(&krippendorff_2011_nominal()),
            0.743,
            0.0005,
        );
    }

    #[test]
    fn krippendorff_2011_binary_example() {
        // n = 20 values: fourteen 0s, six 1s; agreeing units 2 (1,1) and
        // 4, 5, 7, 8, 10 (0,0), so Σ o_cc = 12.
        // α = (19·12 − (14·13 + 6·5)) / (20·19 − 212) = 16/168 ≈ 0.095.
        let data = from_coder_rows(&["0 1 0 0 0 0 0 0 1 0", "1 1 1 0 0 1 0 0 0 0"]);
        close(krippendorff_alpha_nominal(&data), 0.095, 0.001);
        close(krippendorff_alpha_nominal(&data), 16.0 / 168.0, 1e-12);
    }

    #[test]
    fn alpha_ignores_units_with_a_single_value() {
        let data = krippendorff_2011_nominal();
        let expected = krippendorff_alpha_nominal(&data);
        let mut padded = data.clone();
        padded.push_unit(&[Some(9), M, M, M]);
        padded.push_unit(&[M, M, M, Some(1)]);
        padded.push_unit(&[M, M, M, M]);
        assert_eq!(krippendorff_alpha_nominal(&padded), expected);
        // Unit 12 holds only B's value: dropping it changes nothing either.
        let trimmed = Reliability::from_units(4, data.units().take(11));
        assert_eq!(krippendorff_alpha_nominal(&trimmed), expected);
    }

    #[test]
    fn cohen_kappa_hand_computed() {
        // Ten units both coded (plus two with one value missing, which are
        // left out, and a third coder who coded nothing):
        //   A: 1 1 1 1 2 2 2 3 3 3
        //   B: 1 1 1 2 2 2 3 3 3 1
        // Agreements on units 1–3, 5–6, 8–9: pₒ = 7/10.
        // Marginals A: (4, 3, 3), B: (4, 3, 3) → pₑ = (16 + 9 + 9)/100 = 0.34.
        // κ = (0.70 − 0.34) / (1 − 0.34) = 0.36/0.66 = 6/11 ≈ 0.5455.
        let data = from_coder_rows(&[
            "1 1 1 1 2 2 2 3 3 3 1 .",
            "1 1 1 2 2 2 3 3 3 1 . 3",
            ". . . . . . . . . . . .",
        ]);
        close(cohen_kappa(&data, 0, 1), 6.0 / 11.0, 1e-12);
        close(cohen_kappa(&data, 1, 0), 6.0 / 11.0, 1e-12);
        assert_eq!(cohen_kappa(&data, 0, 2), None);
        assert_eq!(cohen_kappa(&data, 0, 3), None);
        assert_eq!(cohen_kappa(&data, 7, 0), None);
    }

    #[test]
    fn cohen_kappa_textbook_two_by_two() {
        // 50 units: both yes 20, A yes B no 5, A no B yes 10, both no 15.
        // pₒ = 35/50 = 0.70; A yes 25/50, B yes 30/50;
        // pₑ = 0.5·0.6 + 0.5·0.4 = 0.50; κ = 0.20/0.50 = 0.40.
        let mut data = Reliability::with_capacity(2, 50);
        for (a, b, times) in [(1, 1, 20), (1, 0, 5), (0, 1, 10), (0, 0, 15)] {
            for _ in 0..times {
                data.push_unit(&[Some(a), Some(b)]);
            }
        }
        close(cohen_kappa(&data, 0, 1), 0.40, 1e-12);
        close(percent_agreement(&data), 0.70, 1e-12);
    }

    #[test]
    fn fleiss_wikipedia_example() {
        // 10 subjects, 14 raters, 5 categories (Wikipedia, "Fleiss' kappa"):
        // P̄ ≈ 0.378, Pₑ ≈ 0.213, κ ≈ 0.210.
        let data = from_counts(&[
            &[0, 0, 0, 0, 14],
            &[0, 2, 6, 4, 2],
            &[0, 0, 3, 5, 6],
            &[0, 3, 9, 2, 0],
            &[2, 2, 8, 1, 1],
            &[7, 7, 0, 0, 0],
            &[3, 2, 6, 3, 0],
            &[2, 5, 3, 2, 2],
            &[6, 5, 2, 1, 0],
            &[0, 2, 2, 3, 7],
        ]);
        assert_eq!(data.coders(), 14);
        assert_eq!(data.len(), 10);
        close(fleiss_kappa(&data), 0.210, 0.001);
    }

    #[test]
    fn fleiss_uses_only_units_all_coders_coded() {
        let s = Some;
        let complete = Reliability::from_units(
            3,
            [[s(1), s(1), s(1)], [s(1), s(2), s(2)], [s(2), s(2), s(2)]],
        );
        let expected = fleiss_kappa(&complete);
        assert!(expected.is_some());
        let mut partial = complete.clone();
        partial.push_unit(&[s(1), M, s(2)]);
        partial.push_unit(&[M, M, s(3)]);
        assert_eq!(fleiss_kappa(&partial), expected);
        let none_complete = Reliability::from_units(3, [[s(1), M, s(1)], [M, s(2), s(2)]]);
        assert_eq!(fleiss_kappa(&none_complete), None);
        assert_eq!(
            fleiss_kappa(&Reliability::from_units(1, [[s(1)], [s(2)]])),
            None
        );
    }

    #[test]
    fn percent_agreement_is_the_mean_over_coder_pairs() {
        // A–B share units 1–3: agree on 1, 2 → 2/3.
        // A–C share units 1–2: agree on 1    → 1/2.
        // B–C share units 1, 2, 4: agree on 1, 4 → 2/3.
        // Mean (2/3 + 1/2 + 2/3) / 3 = 11/18.
        let s = Some;
        let data = Reliability::from_units(
            3,
            [
                [s(1), s(1), s(1)],
                [s(1), s(1), s(2)],
                [s(1), s(2), M],
                [M, s(2), s(2)],
            ],
        );
        close(percent_agreement(&data), 11.0 / 18.0, 1e-12);
    }

    #[test]
    fn percent_agreement_skips_pairs_without_common_units() {
        // A–B: units 1, 3 → 1/2; B–C: unit 2 → 1; A–C never overlap.
        let s = Some;
        let data = Reliability::from_units(3, [[s(1), s(1), M], [M, s(2), s(2)], [s(1), s(2), M]]);
        close(percent_agreement(&data), 0.75, 1e-12);
        assert_eq!(cohen_kappa(&data, 0, 2), None);

        let disjoint = Reliability::from_units(2, [[s(1), M], [M, s(1)], [M, M]]);
        assert_eq!(percent_agreement(&disjoint), None);
        assert_eq!(cohen_kappa(&disjoint, 0, 1), None);
        assert_eq!(fleiss_kappa(&disjoint), None);
        assert_eq!(krippendorff_alpha_nominal(&disjoint), None);
    }

    #[test]
    fn one_category_everywhere_is_undefined_but_fully_agreed() {
        let data = Reliability::from_units(3, vec![vec![Some(4); 3]; 5]);
        assert_eq!(percent_agreement(&data), Some(1.0));
        assert_eq!(cohen_kappa(&data, 0, 1), None);
        assert_eq!(fleiss_kappa(&data), None);
        assert_eq!(krippendorff_alpha_nominal(&data), None);
    }

    #[test]
    fn empty_data_is_undefined() {
        for coders in [0, 1, 2, 5] {
            let data = Reliability::new(coders);
            assert!(data.is_empty());
            assert!(all_metrics(&data).iter().all(Option::is_none));
            assert_eq!(cohen_kappa(&data, 0, 1), None);
        }
        let all_missing = Reliability::from_units(3, vec![vec![M; 3]; 4]);
        assert!(all_metrics(&all_missing).iter().all(Option::is_none));
    }

    #[test]
    fn zero_coders_keep_count_of_units() {
        let mut data = Reliability::new(0);
        data.push_unit(&[]);
        data.push_unit(&[]);
        assert_eq!(data.len(), 2);
        assert_eq!(data.units().count(), 2);
        assert!(all_metrics(&data).iter().all(Option::is_none));
    }

    #[test]
    #[should_panic(expected = "one value per coder")]
    fn a_unit_of_the_wrong_size_is_refused() {
        Reliability::new(3).push_unit(&[Some(1), Some(2)]);
    }

    #[test]
    fn unit_access() {
        let data = krippendorff_2011_nominal();
        assert_eq!(data.coders(), 4);
        assert_eq!(data.len(), 12);
        assert_eq!(data.unit(9), &[M, Some(5), Some(5), Some(5)]);
        assert_eq!(data.units().len(), 12);
    }

    #[test]
    fn large_and_sparse_categories_count_like_small_ones() {
        let s = Some;
        let small = Reliability::from_units(
            2,
            [
                [s(0), s(0)],
                [s(1), s(0)],
                [s(1), s(1)],
                [s(2), s(1)],
                [s(2), s(2)],
            ],
        );
        let map = |v: Option<Category>| v.map(|c| [7, u32::MAX, 70_000][c as usize]);
        let large = Reliability::from_units(2, small.units().map(|u| [map(u[0]), map(u[1])]));
        assert_eq!(all_metrics(&small), all_metrics(&large));
        assert!(all_metrics(&small).iter().all(Option::is_some));
    }

    #[test]
    fn pairwise_and_sorted_counting_agree() {
        let mut scratch = Vec::new();
        let unit: Vec<Option<Category>> = [3, 1, 3, 3, 2, 1, 9, 3, 1, 2, 2, 3]
            .into_iter()
            .map(Some)
            .chain([None, None])
            .collect();
        // 3 ×5, 1 ×3, 2 ×3, 9 ×1 → 20 + 6 + 6 = 32 ordered pairs.
        assert_eq!(ordered_equal_pairs(&unit, &mut scratch), (12, 32));
        assert_eq!(ordered_equal_pairs(&unit[..6], &mut scratch), (6, 8));
    }

    #[test]
    fn bands() {
        assert_eq!(kappa_band(-0.1), "poor");
        assert_eq!(kappa_band(0.0), "slight");
        assert_eq!(kappa_band(0.20), "slight");
        assert_eq!(kappa_band(0.205), "fair");
        assert_eq!(kappa_band(0.40), "fair");
        assert_eq!(kappa_band(0.41), "moderate");
        assert_eq!(kappa_band(0.61), "substantial");
        assert_eq!(kappa_band(0.80), "substantial");
        assert_eq!(kappa_band(0.81), "almost perfect");
        assert_eq!(kappa_band(1.0), "almost perfect");
        assert_eq!(kappa_band(f64::NAN), "undefined");
        assert_eq!(alpha_band(0.800), "reliable");
        assert_eq!(alpha_band(1.0), "reliable");
        assert_eq!(alpha_band(0.7999), "tentative");
        assert_eq!(alpha_band(0.667), "tentative");
        assert_eq!(alpha_band(0.6669), "unreliable");
        assert_eq!(alpha_band(-0.5), "unreliable");
        assert_eq!(alpha_band(f64::NAN), "undefined");
    }

    // ---- straightforward textbook versions, for cross-checks ----

    fn reference_alpha(data: &Reliability) -> Option<f64> {
        let mut o: BTreeMap<(Category, Category), f64> = BTreeMap::new();
        for unit in data.units() {
            let present: Vec<Category> = unit.iter().flatten().copied().collect();
            let m = present.len();
            if m < 2 {
                continue;
            }
            for (i, &c) in present.iter().enumerate() {
                for (j, &k) in present.iter().enumerate() {
                    if i != j {
                        *o.entry((c, k)).or_insert(0.0) += 1.0 / (m - 1) as f64;
                    }
                }
            }
        }
        let mut n_c: BTreeMap<Category, f64> = BTreeMap::new();
        for (&(c, _), &v) in &o {
            *n_c.entry(c).or_insert(0.0) += v;
        }
        let n: f64 = n_c.values().sum();
        if n < 2.0 {
            return None;
        }
        let observed: f64 = o.iter().filter(|((c, k), _)| c != k).map(|(_, v)| v).sum();
        let mut expected = 0.0;
        for (c, a) in &n_c {
            for (k, b) in &n_c {
                if c != k {
                    expected += a * b;
                }
            }
        }
        expected /= n - 1.0;
        (expected > 1e-9).then(|| 1.0 - observed / expected)
    }

    fn reference_fleiss(data: &Reliability) -> Option<f64> {
        let r = data.coders();
        if r < 2 {
            return None;
        }
        let complete: Vec<&[Option<Category>]> = data
            .units()
            .filter(|u| u.iter().all(Option::is_some))
            .collect();
        if complete.is_empty() {
            return None;
        }
        let mut totals: BTreeMap<Category, f64> = BTreeMap::new();
        let mut p_bar = 0.0;
        for unit in &complete {
            let mut counts: BTreeMap<Category, f64> = BTreeMap::new();
            for v in unit.iter().flatten() {
                *counts.entry(*v).or_insert(0.0) += 1.0;
                *totals.entry(*v).or_insert(0.0) += 1.0;
            }
            let r = r as f64;
            p_bar += (counts.values().map(|k| k * k).sum::<f64>() - r) / (r * (r - 1.0));
        }
        p_bar /= complete.len() as f64;
        let all = (complete.len() * r) as f64;
        let p_e: f64 = totals.values().map(|t| (t / all).powi(2)).sum();
        ((1.0 - p_e).abs() > 1e-9).then(|| (p_bar - p_e) / (1.0 - p_e))
    }

    fn reference_cohen(data: &Reliability, a: usize, b: usize) -> Option<f64> {
        let pairs: Vec<(Category, Category)> =
            data.units().filter_map(|u| Some((u[a]?, u[b]?))).collect();
        if pairs.is_empty() {
            return None;
        }
        let n = pairs.len() as f64;
        let p_o = pairs.iter().filter(|(x, y)| x == y).count() as f64 / n;
        let mut ma: BTreeMap<Category, f64> = BTreeMap::new();
        let mut mb: BTreeMap<Category, f64> = BTreeMap::new();
        for (x, y) in &pairs {
            *ma.entry(*x).or_insert(0.0) += 1.0 / n;
            *mb.entry(*y).or_insert(0.0) += 1.0 / n;
        }
        let p_e: f64 = ma.iter().map(|(c, p)| p * mb.get(c).unwrap_or(&0.0)).sum();
        ((1.0 - p_e).abs() > 1e-9).then(|| (p_o - p_e) / (1.0 - p_e))
    }

    fn same(actual: Option<f64>, expected: Option<f64>) -> bool {
        match (actual, expected) {
            (None, None) => true,
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9,
            _ => false,
        }
    }

    fn category() -> impl Strategy<Value = Category> {
        prop_oneof![
            8 => 0u32..4,
            1 => Just(u32::MAX),
            1 => 70_000u32..70_002,
        ]
    }

    /// Random data: 1–10 coders (above 8 the sorting path is used),
    /// up to 40 units, about one value in five missing.
    fn reliability() -> impl Strategy<Value = Reliability> {
        (1usize..=10).prop_flat_map(|coders| {
            prop::collection::vec(
                prop::collection::vec(prop::option::weighted(0.8, category()), coders),
                0..40,
            )
            .prop_map(move |units| Reliability::from_units(coders, units))
        })
    }

    fn permuted(data: &Reliability, order: &[usize]) -> Reliability {
        Reliability::from_units(
            data.coders(),
            data.units()
                .map(|u| order.iter().map(|&i| u[i]).collect::<Vec<_>>()),
        )
    }

    fn well_formed(value: Option<f64>) -> bool {
        value.is_none_or(|v| !v.is_nan() && (-1.0..=1.0).contains(&v))
    }

    proptest::proptest! {
        #[test]
        fn identical_coders_agree_fully(
            coders in 1usize..=10,
            units in prop::collection::vec(
                (category(), prop::collection::vec(prop::bool::weighted(0.8), 10)),
                0..40,
            ),
        ) {
            let data = Reliability::from_units(
                coders,
                units.iter().map(|(value, present)| {
                    present[..coders]
                        .iter()
                        .map(|&p| p.then_some(*value))
                        .collect::<Vec<_>>()
                }),
            );
            let overlap = data.units().any(|u| u.iter().flatten().count() >= 2);
            let percent = percent_agreement(&data);
            prop_assert_eq!(percent.is_some(), overlap);
            prop_assert!(percent.is_none_or(|p| p == 1.0));
            prop_assert!(fleiss_kappa(&data).is_none_or(|k| k == 1.0));
            prop_assert!(krippendorff_alpha_nominal(&data).is_none_or(|a| a == 1.0));
            for a in 0..coders {
                for b in 0..coders {
                    prop_assert!(cohen_kappa(&data, a, b).is_none_or(|k| k == 1.0));
                }
            }
        }

        #[test]
        fn coder_order_does_not_matter(
            (data, order) in reliability().prop_flat_map(|data| {
                let order = Just((0..data.coders()).collect::<Vec<_>>()).prop_shuffle();
                (Just(data), order)
            }),
        ) {
            let other = permuted(&data, &order);
            prop_assert!(same(percent_agreement(&other), percent_agreement(&data)));
            prop_assert_eq!(fleiss_kappa(&other), fleiss_kappa(&data));
            prop_assert_eq!(
                krippendorff_alpha_nominal(&other),
                krippendorff_alpha_nominal(&data)
            );
            // Coder order[i] of `data` is coder i of `other`.
            for a in 0..data.coders() {
                for b in 0..data.coders() {
                    prop_assert_eq!(
                        cohen_kappa(&other, a, b),
                        cohen_kappa(&data, order[a], order[b])
                    );
                    prop_assert_eq!(cohen_kappa(&data, a, b), cohen_kappa(&data, b, a));
                }
            }
        }

        #[test]
        fn results_are_bounded_and_never_nan(data in reliability()) {
            for value in all_metrics(&data) {
                prop_assert!(well_formed(value), "{:?}", value);
            }
            prop_assert!(percent_agreement(&data).is_none_or(|p| (0.0..=1.0).contains(&p)));
        }

        #[test]
        fn matches_textbook_formulas(data in reliability()) {
            prop_assert!(same(krippendorff_alpha_nominal(&data), reference_alpha(&data)));
            prop_assert!(same(fleiss_kappa(&data), reference_fleiss(&data)));
            for a in 0..data.coders() {
                for b in 0..data.coders() {
                    prop_assert!(same(cohen_kappa(&data, a, b), reference_cohen(&data, a, b)));
                }
            }
        }

        #[test]
        fn alpha_corrects_scotts_pi_for_small_samples(
            units in prop::collection::vec((0u32..3, 0u32..3), 1..40),
        ) {
            // Complete two-coder data: Fleiss' κ is Scott's π, and
            // α = π + (1 − pₒ) / (2N(1 − Pₑ)).
            let data = Reliability::from_units(
                2,
                units.iter().map(|&(a, b)| [Some(a), Some(b)]),
            );
            let n = units.len() as f64;
            let p_o = units.iter().filter(|(a, b)| a == b).count() as f64 / n;
            let mut totals = [0.0f64; 3];
            for &(a, b) in &units {
                totals[a as usize] += 1.0;
                totals[b as usize] += 1.0;
            }
            let p_e: f64 = totals.iter().map(|t| (t / (2.0 * n)).powi(2)).sum();
            let alpha = krippendorff_alpha_nominal(&data);
            match fleiss_kappa(&data) {
                None => prop_assert_eq!(alpha, None),
                Some(pi) => {
                    let expected = pi + (1.0 - p_o) / (2.0 * n * (1.0 - p_e));
                    prop_assert!(same(alpha, Some(expected)));
                }
            }
        }
    }
}
