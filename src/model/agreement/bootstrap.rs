//! Bootstrap confidence intervals for Krippendorff's alpha, reported as
//! Hayes & Krippendorff (2007) recommend: an interval and the probability
//! that alpha falls below the smallest acceptable value.
//!
//! Units are resampled with replacement, each keeping all its values. Units
//! are never handled one by one: what alpha needs from a unit is a few
//! counts (a [`Cell`]), a corpus has few distinct cells, and a resample of
//! N units is a multinomial draw of how many of each cell it holds — one
//! binomial variate per cell. A draw costs the same for 300 units or 300,000.

use fastrand::Rng;

use super::binomial::binomial;

/// How the bootstrap is run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Resamples drawn; 0 turns the bootstrap off.
    pub draws: usize,
    /// Seed of the random numbers: the same data and seed give the same
    /// interval.
    pub seed: u64,
    /// Confidence level of the interval, in (0, 1).
    pub level: f64,
    /// Smallest acceptable alpha, for [`Interval::p_below_min`].
    pub alpha_min: f64,
    /// An interval for every code too, not only for the pooled figures.
    pub per_code: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            draws: 1000,
            seed: 1,
            level: 0.95,
            alpha_min: 0.667,
            per_code: true,
        }
    }
}

impl Settings {
    /// No bootstrap.
    pub fn off() -> Self {
        Settings {
            draws: 0,
            ..Settings::default()
        }
    }
}

/// What alpha needs to know of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    /// Values per judgment of the unit (coders who judged it, m); units
    /// with fewer than two are not pairable and add nothing.
    pub size: u32,
    /// Values in all: m for one code, m × codes when pooled.
    pub values: u64,
    /// Values 1 (present).
    pub ones: u64,
    /// Ordered pairs of agreeing values, summed over the unit's codes.
    pub agreeing: u64,
}

impl Cell {
    /// A unit judged by `size` coders, `ones` of whom applied the code.
    pub fn binary(size: u32, ones: u32) -> Cell {
        let (m, k) = (u64::from(size), u64::from(ones));
        Cell {
            size,
            values: m,
            ones: k,
            agreeing: k * k.saturating_sub(1) + (m - k) * (m - k).saturating_sub(1),
        }
    }
}

/// Krippendorff's nominal alpha of units given as cells and their counts
/// (the formula of `metrics::krippendorff_alpha_nominal`, on binary values).
pub fn alpha_of(cells: impl IntoIterator<Item = (Cell, u64)>) -> Option<f64> {
    let mut n = 0u128;
    let mut ones = 0u128;
    let mut diagonal = 0.0f64;
    for (cell, count) in cells {
        if cell.size < 2 || count == 0 {
            continue;
        }
        let w = u128::from(count);
        n += w * u128::from(cell.values);
        ones += w * u128::from(cell.ones);
        diagonal += (count as f64) * (cell.agreeing as f64) / f64::from(cell.size - 1);
    }
    if n < 2 {
        return None;
    }
    let zeros = n - ones;
    let chance = ones * ones.saturating_sub(1) + zeros * zeros.saturating_sub(1);
    let denominator = n * (n - 1) - chance;
    if denominator == 0 {
        return None;
    }
    let numerator = (n - 1) as f64 * diagonal - chance as f64;
    Some((numerator / denominator as f64).clamp(-1.0, 1.0))
}

/// The bootstrap distribution of alpha, summarised.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Percentile interval at the settings' level.
    pub low: f64,
    pub high: f64,
    /// Share of the resamples whose alpha is below the settings' minimum.
    pub p_below_min: f64,
    /// Resamples with a defined alpha (the others had no variation left
    /// and are left out).
    pub defined: usize,
}

/// Resamples the units `settings.draws` times and summarises alpha over
/// them. `stream` picks the random numbers (with the seed), so different
/// codes get independent draws. `None` when the bootstrap is off or no
/// resample has a defined alpha.
pub fn alpha_interval(cells: &[(Cell, u64)], settings: &Settings, stream: u64) -> Option<Interval> {
    if settings.draws == 0 {
        return None;
    }
    let mut cells: Vec<(Cell, u64)> = cells.iter().copied().filter(|c| c.1 > 0).collect();
    // The largest count takes what the others leave: no binomial for it.
    cells.sort_by_key(|&(cell, count)| (count, cell));
    let total: u64 = cells.iter().map(|c| c.1).sum();
    let mut rng = Rng::with_seed(mix(settings.seed, stream));
    let mut alphas = Vec::with_capacity(settings.draws);
    let mut drawn = vec![0u64; cells.len()];
    for _ in 0..settings.draws {
        let mut left = total;
        let mut rest = total;
        for (i, &(_, count)) in cells.iter().enumerate() {
            let k = if rest == count {
                left
            } else {
                binomial(&mut rng, left, count as f64 / rest as f64)
            };
            drawn[i] = k;
            left -= k;
            rest -= count;
        }
        let resample = cells.iter().zip(&drawn).map(|(&(cell, _), &k)| (cell, k));
        if let Some(alpha) = alpha_of(resample) {
            alphas.push(alpha);
        }
    }
    summarise(alphas, settings)
}

/// Percentile interval and share below the minimum of bootstrap values.
fn summarise(mut alphas: Vec<f64>, settings: &Settings) -> Option<Interval> {
    if alphas.is_empty() {
        return None;
    }
    alphas.sort_by(f64::total_cmp);
    let b = alphas.len();
    let tail = (1.0 - settings.level) / 2.0;
    let low = ((b as f64 * tail).floor() as usize).min(b - 1);
    let high = ((b as f64 * (1.0 - tail)).ceil() as usize).clamp(1, b) - 1;
    let below = alphas.partition_point(|&a| a < settings.alpha_min);
    Some(Interval {
        low: alphas[low],
        high: alphas[high.max(low)],
        p_below_min: below as f64 / b as f64,
        defined: b,
    })
}

/// A stream key for a name (FNV-1a), so a code's interval does not change
/// when other codes are added or removed.
pub fn stream_of(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SplitMix64's finaliser over seed and stream.
fn mix(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.rotate_left(29);
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
#[path = "bootstrap_tests.rs"]
mod tests;
