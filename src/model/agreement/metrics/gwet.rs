//! Gwet's AC1 for nominal data with any number of coders and missing
//! values, as Gwet (2014, *Handbook of Inter-Rater Reliability*, 4th ed.,
//! ch. 5) gives it for multiple raters.
//!
//! Kappa and alpha take chance agreement from how often each category is
//! used, so when one category dominates (a code applied on 2 % of the lines)
//! chance agreement is nearly perfect and a handful of disagreements drag
//! them down — the "prevalence paradox". AC1 takes chance agreement as the
//! probability that two coders agree when at least one of them codes at
//! random, which stays small when a category dominates.

use super::{Category, Reliability, Tally, bounded, ordered_equal_pairs};

/// Gwet's AC1 over `categories` possible categories (q; 2 for presence and
/// absence).
///
/// With r_u values on unit u, r_uk of them in category k:
///
/// * observed agreement pₐ = mean over the n′ units with r_u ≥ 2 of
///   Σ_k r_uk(r_uk − 1) / (r_u(r_u − 1));
/// * category shares π_k = mean over the n units with r_u ≥ 1 of r_uk / r_u;
/// * chance agreement pₑ = Σ_k π_k(1 − π_k) / (q − 1);
/// * AC1 = (pₐ − pₑ) / (1 − pₑ).
///
/// `None` with fewer than two coders or categories, when no unit has two
/// values, or when pₑ = 1 (only possible when the data use more categories
/// than `categories` says). Unlike kappa and alpha, AC1 is defined when
/// every value falls in one category: it is then 1.
pub fn gwet_ac1(data: &Reliability, categories: usize) -> Option<f64> {
    let c = data.coders;
    if c < 2 || categories < 2 {
        return None;
    }
    let mut scratch = Vec::with_capacity(c);
    // Per unit size m (index m): agreeing ordered pairs, units, and values
    // per category. Each is an integer sum, divided by m or m(m − 1) once.
    let mut pairs_by_size = vec![0u64; c + 1];
    let mut units_by_size = vec![0u64; c + 1];
    let mut shares_by_size: Vec<Tally> = (0..=c).map(|_| Tally::default()).collect();
    for (unit, w) in data.rows() {
        let (m, pairs) = ordered_equal_pairs(unit, &mut scratch);
        if m == 0 {
            continue;
        }
        units_by_size[m] += w;
        pairs_by_size[m] += w * pairs;
        for &value in &scratch {
            shares_by_size[m].add(value, w);
        }
    }
    let pairable: u64 = units_by_size.iter().skip(2).sum();
    if pairable == 0 {
        return None;
    }
    let observed = pairs_by_size
        .iter()
        .enumerate()
        .skip(2)
        .map(|(m, &pairs)| pairs as f64 / (m * (m - 1)) as f64)
        .sum::<f64>()
        / pairable as f64;
    let judged: u64 = units_by_size.iter().sum();
    // n·π_k, summed over the unit sizes; categories absent from the data
    // have π_k = 0 and add nothing.
    let mut pi: Vec<(Category, f64)> = Vec::new();
    for (m, tally) in shares_by_size.iter().enumerate().skip(1) {
        for (category, k) in tally.entries() {
            let share = k as f64 / m as f64;
            match pi.iter_mut().find(|(c, _)| *c == category) {
                Some((_, sum)) => *sum += share,
                None => pi.push((category, share)),
            }
        }
    }
    let spread: f64 = pi
        .iter()
        .map(|&(_, sum)| {
            let p = sum / judged as f64;
            p * (1.0 - p)
        })
        .sum();
    let chance = spread / (categories - 1) as f64;
    if chance >= 1.0 {
        return None;
    }
    Some(bounded((observed - chance) / (1.0 - chance)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: Option<Category> = None;

    fn data(coders: usize, units: &[(&[Option<Category>], usize)]) -> Reliability {
        let mut d = Reliability::new(coders);
        for &(u, n) in units {
            d.push_units(u, n);
        }
        d
    }

    fn close(actual: Option<f64>, expected: f64) {
        let actual = actual.expect("AC1 should be defined");
        assert!(
            (actual - expected).abs() < 1e-12,
            "got {actual}, expected {expected}"
        );
    }

    #[test]
    fn two_coders_hand_computed() {
        // 10 units: both 1 on two, A 1 and B 0 on one, both 0 on seven.
        // pₐ = 9/10. π_1 = (2·1 + 1·½)/10 = 0.25, π_0 = 0.75;
        // pₑ = (0.25·0.75 + 0.75·0.25)/(2 − 1) = 0.375;
        // AC1 = (0.9 − 0.375)/(1 − 0.375) = 0.84. (Cohen's κ on the same
        // data is (0.9 − 0.62)/0.38 ≈ 0.74: the rare category costs it.)
        let d = data(
            2,
            &[
                (&[Some(1), Some(1)], 2),
                (&[Some(1), Some(0)], 1),
                (&[Some(0), Some(0)], 7),
            ],
        );
        close(gwet_ac1(&d, 2), 0.84);
    }

    #[test]
    fn missing_values_as_gwet_for_multiple_raters() {
        // Three coders, `.` missing:
        //   u1 1 1 .   m = 2: agreeing pairs 2/(2·1) = 1
        //   u2 1 0 0   m = 3: 2/(3·2) = 1/3
        //   u3 0 . .   m = 1: not pairable, but counts for π
        //   u4 0 0 0   m = 3: 6/6 = 1
        //   u5 . . .   no value: left out of everything
        // pₐ = (1 + 1/3 + 1)/3 = 7/9 over the three pairable units.
        // π_1 = (2/2 + 1/3 + 0 + 0)/4 = 1/3 over the four units with a
        // value; π_0 = 2/3. pₑ = 2·(1/3)(2/3) = 4/9.
        // AC1 = (7/9 − 4/9)/(5/9) = 3/5.
        let d = data(
            3,
            &[
                (&[Some(1), Some(1), M], 1),
                (&[Some(1), Some(0), Some(0)], 1),
                (&[Some(0), M, M], 1),
                (&[Some(0), Some(0), Some(0)], 1),
                (&[M, M, M], 1),
            ],
        );
        close(gwet_ac1(&d, 2), 0.6);
    }

    #[test]
    fn one_category_everywhere_is_perfect_not_undefined() {
        let d = data(2, &[(&[Some(0), Some(0)], 50)]);
        assert_eq!(gwet_ac1(&d, 2), Some(1.0));
        // A code applied on one unit by both coders, absent elsewhere:
        // kappa and alpha are perfect too, AC1 exactly 1.
        let d = data(2, &[(&[Some(0), Some(0)], 99), (&[Some(1), Some(1)], 1)]);
        assert_eq!(gwet_ac1(&d, 2), Some(1.0));
    }

    #[test]
    fn undefined_without_a_pairable_unit() {
        assert_eq!(gwet_ac1(&data(2, &[]), 2), None);
        assert_eq!(gwet_ac1(&data(2, &[(&[Some(1), M], 5)]), 2), None);
        assert_eq!(gwet_ac1(&data(1, &[(&[Some(1)], 5)]), 2), None);
        assert_eq!(gwet_ac1(&data(2, &[(&[Some(1), Some(1)], 5)]), 1), None);
    }

    #[test]
    fn many_coders_count_like_few() {
        // Twelve coders (sorted counting path) on units that repeat the
        // two-coder case's proportions: each unit's shares are the same, so
        // AC1 is the same as with two coders of those values.
        let one = [Some(1); 12];
        let zero = [Some(0); 12];
        let mut split = [Some(0); 12];
        split[..6].fill(Some(1));
        let d = data(12, &[(&one, 2), (&split, 1), (&zero, 7)]);
        // pₐ = (2 + 60/132 + 7)/10, π_1 = (2 + ½)/10 = 0.25, pₑ = 0.375.
        let observed = (9.0 + 60.0 / 132.0) / 10.0;
        close(gwet_ac1(&d, 2), (observed - 0.375) / 0.625);
    }
}
