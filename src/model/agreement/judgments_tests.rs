//! Tests of turning codings into judgments: hand-computed cases for each
//! rule, and a property test against a unit-by-unit reference.

use proptest::prelude::*;

use super::*;
use crate::model::agreement::bootstrap::alpha_of;
use crate::model::agreement::metrics::{
    cohen_kappa, fleiss_kappa, krippendorff_alpha_nominal, percent_agreement,
};
use crate::model::agreement::report::{Report, worst_first};
use crate::model::{Code, Segment};

fn s(id: &str) -> Slug {
    Slug::new(id).unwrap()
}

fn transcript(id: &str, text: &str) -> Transcript {
    Transcript::from_bytes(s(id), text.as_bytes()).unwrap()
}

fn coding(t: &Transcript, complete: bool, segs: &[(&str, usize, usize)]) -> Coding {
    let mut c = Coding::new(t.id.clone(), t.hash());
    c.complete = complete;
    c.segments = segs
        .iter()
        .map(|&(code, a, b)| Segment::new(s(code), a, b))
        .collect();
    c
}

fn codebook() -> Codebook {
    let mut child = Code::new(s("threats"), "Threats", "d");
    child.parent = Some(s("violence"));
    child.aliases = vec![s("menaces")];
    Codebook::from_codes([
        Code::new(s("violence"), "Violence", "d"),
        child,
        Code::new(s("x"), "X", "d"),
        Code::new(s("y"), "Y", "d"),
    ])
}

fn close(actual: Option<f64>, expected: f64) {
    let a = actual.expect("defined");
    assert!((a - expected).abs() < 1e-12, "got {a}, expected {expected}");
}

/// Five non-blank lines (line 3 is blank):
///   unit   1 2 4 5 6
///   A x    1 1 0 0 0     A y  0 0 1 0 0
///   B x    0 1 1 0 0     B y  0 0 0 1 0
const TEXT: &str = "l1\nl2\n\nl4\nl5\nl6\n";

fn two_coders(options: Options) -> Judgments {
    let t = transcript("t1", TEXT);
    let a = coding(&t, true, &[("x", 1, 2), ("y", 4, 4)]);
    let b = coding(&t, true, &[("x", 2, 4), ("y", 5, 5)]);
    let src = [Source {
        transcript: &t,
        codings: vec![Some(&a), Some(&b)],
    }];
    judge(&codebook(), &[s("a"), s("b")], &src, options).unwrap()
}

#[test]
fn present_units_and_codes_nobody_applied() {
    let j = two_coders(Options::default());
    // x present for someone on units 1, 2, 4; y on 4 and 5; some code on
    // 1, 2, 4, 5.
    assert_eq!((j.present_units(0), j.present_units(1)), (3, 2));
    assert_eq!(j.coded_units(), 4);
    assert_eq!(j.unused, [s("threats"), s("violence")]);
    let r = Report::new(&j);
    assert!(r.codes[0].metrics.too_rare && !r.overall.metrics.too_rare);
    assert_eq!(r.overall.metrics.alpha_ci, None);
}

#[test]
fn hand_computed_two_coders() {
    let j = two_coders(Options::default());
    assert_eq!(j.units, 5);
    assert_eq!(j.codes, [s("x"), s("y")]);
    let x = j.code(0);
    assert_eq!(x.len(), 5);
    // x: agree on units 2, 5, 6 → 3/5; marginals (2, 3) each:
    // κ = (5·3 − 13) / (25 − 13) = 1/6.
    close(percent_agreement(&x), 0.6);
    close(cohen_kappa(&x, 0, 1), 1.0 / 6.0);
    // α: n = 10, four 1s, six 0s, Σ o_cc = 2 + 2 + 2 = 6:
    // (9·6 − (12 + 30)) / (90 − 42) = 12/48.
    close(krippendorff_alpha_nominal(&x), 0.25);
    let y = j.code(1);
    // y: agree on 1, 2, 6 → 3/5; marginals (1, 4): chance 17, κ = (15 − 17)/(25 − 17).
    close(cohen_kappa(&y, 0, 1), -0.25);
    // Pooled: 10 pairs, agree on 6; A (3 present, 7 absent), B the same:
    // κ = (10·6 − 58) / (100 − 58) = 2/42.
    let pooled = j.pooled();
    assert_eq!(pooled.len(), 10);
    close(percent_agreement(&pooled), 0.6);
    close(cohen_kappa(&pooled, 0, 1), 2.0 / 42.0);
}

#[test]
fn coded_only_drops_units_nobody_coded() {
    let j = two_coders(Options {
        coded_only: true,
        ..Options::default()
    });
    assert_eq!(j.units, 4);
    let x = j.code(0);
    // x over units 1, 2, 4, 5: agree on 2 and 5 → 1/2; κ = (4·2 − 8)/(16 − 8) = 0.
    close(percent_agreement(&x), 0.5);
    close(cohen_kappa(&x, 0, 1), 0.0);
    // α: n = 8, four each; Σ o_cc = 4 → (7·4 − 24)/(56 − 24) = 1/8.
    close(krippendorff_alpha_nominal(&x), 0.125);
    close(fleiss_kappa(&x), 0.0);
}

#[test]
fn incomplete_coding_is_missing_not_absent() {
    let t = transcript("t1", TEXT);
    let a = coding(&t, true, &[("x", 1, 2), ("y", 4, 4)]);
    let b = coding(&t, true, &[("x", 2, 4), ("y", 5, 5)]);
    let c_partial = coding(&t, false, &[("x", 6, 6)]);
    let c_empty = coding(&t, true, &[]);
    let run = |c: &Coding| {
        let src = [Source {
            transcript: &t,
            codings: vec![Some(&a), Some(&b), Some(c)],
        }];
        judge(
            &codebook(),
            &[s("a"), s("b"), s("c")],
            &src,
            Options::default(),
        )
        .unwrap()
    };
    let two = two_coders(Options::default());
    let missing = run(&c_partial);
    assert_eq!(missing.missing, [(s("c"), s("t1"))]);
    assert_eq!(
        missing.codes, two.codes,
        "c's unfinished x on line 6 is ignored"
    );
    for i in 0..2 {
        assert_eq!(
            krippendorff_alpha_nominal(&missing.code(i)),
            krippendorff_alpha_nominal(&two.code(i))
        );
        assert_eq!(
            fleiss_kappa(&missing.code(i)),
            None,
            "no unit has all three"
        );
    }
    let absent = run(&c_empty);
    assert!(absent.missing.is_empty());
    // With c absent everywhere, x gets 15 values: more zeros, α changes.
    assert_ne!(
        krippendorff_alpha_nominal(&absent.code(0)),
        krippendorff_alpha_nominal(&two.code(0))
    );
    assert!(fleiss_kappa(&absent.code(0)).is_some());
}

#[test]
fn transcripts_fewer_than_two_completed_are_skipped() {
    let t1 = transcript("t1", TEXT);
    let t2 = transcript("t2", "only\n");
    let a1 = coding(&t1, true, &[("x", 1, 1)]);
    let b1 = coding(&t1, true, &[("x", 1, 1)]);
    let a2 = coding(&t2, true, &[("y", 1, 1)]);
    let b2 = coding(&t2, false, &[("y", 1, 1)]);
    let src = [
        Source {
            transcript: &t1,
            codings: vec![Some(&a1), Some(&b1)],
        },
        Source {
            transcript: &t2,
            codings: vec![Some(&a2), Some(&b2)],
        },
    ];
    let j = judge(&codebook(), &[s("a"), s("b")], &src, Options::default()).unwrap();
    assert_eq!(j.transcripts, [s("t1")]);
    assert_eq!(j.skipped, [s("t2")]);
    assert_eq!(
        j.codes,
        [s("x")],
        "y was applied only where it is not counted"
    );
    assert_eq!(j.units, 5);
}

#[test]
fn aliases_resolve_and_rollup_counts_ancestors() {
    let t = transcript("t1", "one\ntwo\n");
    let a = coding(&t, true, &[("menaces", 1, 1)]);
    let b = coding(&t, true, &[("violence", 1, 1), ("nope", 2, 2)]);
    let src = [Source {
        transcript: &t,
        codings: vec![Some(&a), Some(&b)],
    }];
    let coders = [s("a"), s("b")];
    let flat = judge(&codebook(), &coders, &src, Options::default()).unwrap();
    assert_eq!(flat.codes, [s("threats"), s("violence")]);
    close(percent_agreement(&flat.code(1)), 0.5);
    let up = judge(
        &codebook(),
        &coders,
        &src,
        Options {
            rollup: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(up.codes, [s("threats"), s("violence")]);
    // a's threats on line 1 now also counts as violence: full agreement.
    close(percent_agreement(&up.code(1)), 1.0);
    close(krippendorff_alpha_nominal(&up.code(1)), 1.0);
    // The unknown code `nope` counts for nothing, not even coded-only units.
    let coded = judge(
        &codebook(),
        &coders,
        &src,
        Options {
            coded_only: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(coded.units, 1);
}

#[test]
fn turns_are_present_when_any_of_their_lines_is_coded() {
    let t = transcript("t1", "INT: q\nP: a1\nsuite\nINT: q2\n");
    assert_eq!(t.units(UnitKind::Turn).len(), 3);
    let a = coding(&t, true, &[("x", 3, 3)]);
    let b = coding(&t, true, &[("x", 2, 2)]);
    let src = [Source {
        transcript: &t,
        codings: vec![Some(&a), Some(&b)],
    }];
    let opts = Options {
        unit: UnitKind::Turn,
        ..Options::default()
    };
    let j = judge(&codebook(), &[s("a"), s("b")], &src, opts).unwrap();
    assert_eq!(j.units, 3);
    close(percent_agreement(&j.code(0)), 1.0);
    let lines = judge(&codebook(), &[s("a"), s("b")], &src, Options::default()).unwrap();
    close(percent_agreement(&lines.code(0)), 0.5);
}

#[test]
fn stale_codings_and_coder_errors() {
    let t = transcript("t1", TEXT);
    let mut a = coding(&t, true, &[("x", 1, 1)]);
    a.transcript_hash = "sha256:old".into();
    let b = coding(&t, true, &[]);
    let src = [Source {
        transcript: &t,
        codings: vec![Some(&a), Some(&b)],
    }];
    let j = judge(&codebook(), &[s("a"), s("b")], &src, Options::default()).unwrap();
    assert_eq!(j.stale, [(s("a"), s("t1"))]);
    let cb = codebook();
    assert_eq!(
        judge(&cb, &[s("a")], &src, Options::default()).unwrap_err(),
        JudgmentError::TooFewCoders(1)
    );
    assert_eq!(
        judge(&cb, &[s("a"), s("a")], &src, Options::default()).unwrap_err(),
        JudgmentError::DuplicateCoder(s("a"))
    );
}

#[test]
fn report_names_pairs_in_coder_order_and_sorts_worst_first() {
    let j = two_coders(Options::default());
    let mut report = Report::new(&j);
    assert_eq!(report.codes[0].metrics.cohen_kappa.0[0].0, "a/b");
    assert_eq!(report.overall.unit_code_pairs, 10);
    worst_first(&mut report.codes);
    assert_eq!(report.codes[0].code, s("y"), "y has the lower alpha");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["unit"], "line");
    assert_eq!(json["overall"]["units"], 5);
    assert!(json["codes"][0]["cohen_kappa"]["a/b"].is_number());
}

// ---- property test against a unit-by-unit reference ----

/// Judgments built the obvious way: every unit, every coder, every segment.
fn reference(
    cb: &Codebook,
    coders: usize,
    sources: &[Source<'_>],
    options: Options,
    code: &Slug,
) -> Reliability {
    let counts_for = |raw: &Slug| -> bool {
        let Some(c) = cb.resolve(raw.as_str()) else {
            return false;
        };
        &c.id == code
            || (options.rollup && cb.ancestors(c.id.as_str()).iter().any(|a| &a.id == code))
    };
    let mut data = Reliability::new(coders);
    for src in sources {
        let done: Vec<Option<&Coding>> = src
            .codings
            .iter()
            .map(|c| c.filter(|c| c.complete))
            .collect();
        if done.iter().flatten().count() < 2 {
            continue;
        }
        for unit in src.transcript.units(options.unit) {
            let coded = done.iter().flatten().any(|c| {
                c.segments
                    .iter()
                    .any(|s| s.covers(&unit) && cb.resolve(s.code.as_str()).is_some())
            });
            if options.coded_only && !coded {
                continue;
            }
            let values: Vec<Option<u32>> = done
                .iter()
                .map(|c| {
                    c.map(|c| {
                        u32::from(
                            c.segments
                                .iter()
                                .any(|s| s.covers(&unit) && counts_for(&s.code)),
                        )
                    })
                })
                .collect();
            data.push_unit(&values);
        }
    }
    data
}

fn arb_coding() -> impl Strategy<Value = (bool, Vec<(usize, usize, usize)>)> {
    (
        prop::bool::weighted(0.8),
        prop::collection::vec((0usize..4, 1usize..14, 0usize..4), 0..6),
    )
}

proptest! {
    #[test]
    fn matches_unit_by_unit_reference(
        texts in prop::collection::vec(prop::collection::vec(prop::bool::weighted(0.8), 1..12), 1..4),
        codings in prop::collection::vec(arb_coding(), 12),
        rollup: bool,
        coded_only: bool,
        turns: bool,
    ) {
        let names = ["x", "threats", "violence", "menaces"];
        let ts: Vec<Transcript> = texts
            .iter()
            .enumerate()
            .map(|(i, lines)| {
                let text: String = lines
                    .iter()
                    .enumerate()
                    .map(|(k, &full)| match (full, k % 3) {
                        (false, _) => "\n".to_string(),
                        (true, 0) => format!("P{k}: turn\n"),
                        (true, _) => "text\n".to_string(),
                    })
                    .collect();
                transcript(&format!("t{i}"), &text)
            })
            .collect();
        let coders = 3;
        let mut store = Vec::new();
        for (i, t) in ts.iter().enumerate() {
            for c in 0..coders {
                let (complete, segs) = &codings[(i * coders + c) % codings.len()];
                let segs: Vec<(&str, usize, usize)> = segs
                    .iter()
                    .map(|&(code, start, len)| (names[code], start, start + len))
                    .collect();
                store.push(coding(t, *complete, &segs));
            }
        }
        let sources: Vec<Source> = ts
            .iter()
            .enumerate()
            .map(|(i, t)| Source {
                transcript: t,
                codings: (0..coders).map(|c| Some(&store[i * coders + c])).collect(),
            })
            .collect();
        let options = Options {
            unit: if turns { UnitKind::Turn } else { UnitKind::Line },
            rollup,
            coded_only,
        };
        let cb = codebook();
        let ids = [s("a"), s("b"), s("c")];
        let j = judge(&cb, &ids, &sources, options).unwrap();
        for (i, code) in j.codes.iter().enumerate() {
            let fast = j.code(i);
            let slow = reference(&cb, coders, &sources, options, code);
            prop_assert_eq!(fast.len(), slow.len());
            prop_assert_eq!(fast.len(), j.units);
            prop_assert_eq!(krippendorff_alpha_nominal(&fast), krippendorff_alpha_nominal(&slow));
            prop_assert_eq!(fleiss_kappa(&fast), fleiss_kappa(&slow));
            prop_assert_eq!(cohen_kappa(&fast, 0, 2), cohen_kappa(&slow, 0, 2));
            let (p, q) = (percent_agreement(&fast), percent_agreement(&slow));
            prop_assert!(p == q || (p.unwrap() - q.unwrap()).abs() < 1e-12);
            // Identical multisets of units, in whatever order.
            let mut a: Vec<_> = fast.units().collect();
            let mut b: Vec<_> = slow.units().collect();
            a.sort();
            b.sort();
            prop_assert_eq!(a, b);
        }
        // The bootstrap's cells give the same alpha, and the pooled ones
        // stand for every unit once.
        let near = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            (a, b) => a == b,
        };
        for i in 0..j.codes.len() {
            let cells = alpha_of(j.code_cells(i));
            prop_assert!(near(cells, krippendorff_alpha_nominal(&j.code(i))));
        }
        let pooled = j.pooled_cells();
        prop_assert_eq!(pooled.iter().map(|c| c.1).sum::<u64>(), j.units as u64);
        if !j.codes.is_empty() {
            prop_assert!(near(alpha_of(pooled), krippendorff_alpha_nominal(&j.pooled())));
        }
        // Every code someone applied where counted is listed.
        for code in ["x", "threats"] {
            let slow = reference(&cb, coders, &sources, options, &s(code));
            let used = slow.units().any(|u| u.contains(&Some(1)));
            prop_assert_eq!(used, j.codes.contains(&s(code)));
        }
    }
}
