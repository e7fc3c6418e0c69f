//! Tests of the agreement statistics: published worked examples, hand-computed
//! cases, and property tests against textbook versions of each formula.

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
            .flat_map(|(category, &k)| std::iter::repeat_n(Some(category as Category), k as usize))
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
    assert_eq!(data.units().count(), 12);
}

#[test]
fn repeated_units_are_stored_once_and_read_back_in_order() {
    let s = Some;
    let mut data = Reliability::new(2);
    data.push_units(&[s(1), s(1)], 3);
    data.push_units(&[s(1), M], 0);
    data.push_unit(&[s(2), M]);
    data.push_units(&[M, s(0)], 2);
    assert_eq!(data.len(), 6);
    assert_eq!(data.unit(2), &[s(1), s(1)]);
    assert_eq!(data.unit(3), &[s(2), M]);
    assert_eq!(data.unit(5), &[M, s(0)]);
    let expanded: Vec<_> = data.units().collect();
    assert_eq!(expanded.len(), 6);
    assert_eq!(Reliability::from_units(2, expanded.clone()).len(), 6);
    assert_eq!(expanded[4], &[M, s(0)]);
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
    fn repeated_rows_count_like_repeated_units(
        data in reliability(),
        times in prop::collection::vec(1usize..5, 40),
    ) {
        let mut compact = Reliability::new(data.coders());
        let mut expanded = Reliability::new(data.coders());
        for (unit, &k) in data.units().zip(&times) {
            compact.push_units(unit, k);
            for _ in 0..k {
                expanded.push_unit(unit);
            }
        }
        prop_assert_eq!(compact.len(), expanded.len());
        let (a, b) = (all_metrics(&compact), all_metrics(&expanded));
        for (x, y) in a.iter().zip(&b) {
            prop_assert!(same(*x, *y), "{:?} vs {:?}", x, y);
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
