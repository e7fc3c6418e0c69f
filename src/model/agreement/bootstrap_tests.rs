//! Tests of the bootstrap: alpha from cells equals the statistic, and the
//! interval behaves as an interval should.

use super::*;
use crate::model::agreement::metrics::{Reliability, krippendorff_alpha_nominal};

/// Two coders: units both 1, only the first 1, only the second 1, both 0.
fn two(both: u64, first: u64, second: u64, neither: u64) -> Vec<(Cell, u64)> {
    vec![
        (Cell::binary(2, 2), both),
        (Cell::binary(2, 1), first + second),
        (Cell::binary(2, 0), neither),
    ]
}

fn width(i: &Interval) -> f64 {
    i.high - i.low
}

#[test]
fn alpha_of_cells_is_krippendorffs_alpha() {
    // Three coders with a missing value: (1,1,0) ×3, (0,0,.) ×4, (1,.,.) ×2,
    // (0,0,0) ×5, (1,1,1) ×1.
    let m = None;
    let rows: [([Option<u32>; 3], u64); 5] = [
        ([Some(1), Some(1), Some(0)], 3),
        ([Some(0), Some(0), m], 4),
        ([Some(1), m, m], 2),
        ([Some(0), Some(0), Some(0)], 5),
        ([Some(1), Some(1), Some(1)], 1),
    ];
    let mut data = Reliability::new(3);
    let mut cells = Vec::new();
    for (unit, n) in rows {
        data.push_units(&unit, n as usize);
        let size = unit.iter().flatten().count() as u32;
        let ones = unit.iter().flatten().filter(|&&v| v == 1).count() as u32;
        cells.push((Cell::binary(size, ones), n));
    }
    let expected = krippendorff_alpha_nominal(&data).unwrap();
    let got = alpha_of(cells.iter().copied()).unwrap();
    assert!((got - expected).abs() < 1e-12, "{got} vs {expected}");
    // Pooled cells (values and agreeing pairs summed over codes) count
    // as the (unit, code) pairs they stand for.
    let pooled = Cell {
        size: 2,
        values: 4,
        ones: 3,
        agreeing: 2,
    };
    let split = [(Cell::binary(2, 2), 1), (Cell::binary(2, 1), 1)];
    assert_eq!(
        alpha_of([(pooled, 7)]),
        alpha_of(split.map(|(c, _)| (c, 7)))
    );
}

#[test]
fn interval_contains_the_estimate_and_narrows_with_more_units() {
    let settings = Settings::default();
    let small = two(8, 3, 2, 40);
    let point = alpha_of(small.iter().copied()).unwrap();
    let a = alpha_interval(&small, &settings, 1).unwrap();
    assert!(a.low <= point && point <= a.high, "{a:?} vs {point}");
    assert_eq!(a.defined, 1000);
    // Ten times the units, same proportions: same alpha, narrower interval.
    let large: Vec<(Cell, u64)> = small.iter().map(|&(c, n)| (c, n * 10)).collect();
    let b = alpha_interval(&large, &settings, 1).unwrap();
    assert!(b.low <= point && point <= b.high, "{b:?} vs {point}");
    assert!(
        width(&b) < width(&a) / 2.0,
        "{} not narrower than {}",
        width(&b),
        width(&a)
    );
}

#[test]
fn same_seed_same_interval() {
    let data = two(20, 5, 6, 300);
    let s = Settings::default();
    assert_eq!(alpha_interval(&data, &s, 9), alpha_interval(&data, &s, 9));
    let other = Settings { seed: 2, ..s };
    assert_ne!(
        alpha_interval(&data, &s, 9),
        alpha_interval(&data, &other, 9)
    );
    assert_ne!(alpha_interval(&data, &s, 9), alpha_interval(&data, &s, 10));
}

#[test]
fn perfect_agreement_is_a_single_point_never_below_the_minimum() {
    let data = two(30, 0, 0, 500);
    let i = alpha_interval(&data, &Settings::default(), 1).unwrap();
    assert_eq!((i.low, i.high, i.p_below_min), (1.0, 1.0, 0.0));
}

#[test]
fn agreement_at_chance_is_almost_surely_below_the_minimum() {
    // Each coder applies the code to half the units, independently:
    // expected counts ¼ each, alpha ≈ 0.
    let data = two(100, 100, 100, 100);
    let i = alpha_interval(&data, &Settings::default(), 1).unwrap();
    assert!(i.p_below_min > 0.99, "{i:?}");
    assert!(i.low < 0.0 && i.high > 0.0, "{i:?}");
}

#[test]
fn level_widens_the_interval() {
    let data = two(8, 3, 2, 40);
    let narrow = Settings {
        level: 0.5,
        ..Settings::default()
    };
    let a = alpha_interval(&data, &narrow, 1).unwrap();
    let b = alpha_interval(&data, &Settings::default(), 1).unwrap();
    assert!(width(&a) < width(&b));
}

#[test]
fn off_or_undefined_gives_nothing() {
    assert_eq!(alpha_interval(&two(1, 0, 0, 5), &Settings::off(), 1), None);
    // Nobody ever applied it: every resample lacks variation.
    assert_eq!(
        alpha_interval(&two(0, 0, 0, 50), &Settings::default(), 1),
        None
    );
    // Rare: a resample of 31 units misses the one present unit with
    // probability (30/31)³¹ ≈ 0.36; those resamples are left out.
    let rare = alpha_interval(&two(1, 0, 0, 30), &Settings::default(), 1).unwrap();
    assert!(rare.defined > 550 && rare.defined < 700, "{rare:?}");
}
