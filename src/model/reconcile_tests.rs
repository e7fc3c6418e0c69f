//! Tests of seeding a consensus coding and applying decisions to it.

use super::*;
use crate::model::disagreement::{DEFAULT_CONTEXT, hunks};
use crate::model::{Code, Segment};

fn s(id: &str) -> Slug {
    Slug::new(id).unwrap()
}

fn coding(t: &Transcript, segs: &[(&str, usize, usize)]) -> Coding {
    let mut c = Coding::new(t.id.clone(), t.hash());
    c.complete = true;
    c.segments = segs
        .iter()
        .map(|&(code, a, b)| Segment::new(s(code), a, b))
        .collect();
    c
}

fn spans(c: &Coding) -> Vec<(String, usize, usize, bool)> {
    c.segments
        .iter()
        .map(|x| {
            (
                x.code.to_string(),
                x.start_line,
                x.end_line,
                x.rationale.is_some(),
            )
        })
        .collect()
}

fn decision(choice: Choice) -> Decision {
    Decision {
        coders: [s("alice"), s("bob")],
        start_line: 4,
        end_line: 6,
        choice,
        rationale: "the definition says so".into(),
        decided_by: "alice, bob".into(),
    }
}

/// Lines 1–12; alice and bob agree on x over 1–8 and disagree on 4–6:
/// alice applied y on 4–5, bob z on 6.
fn setup() -> (Transcript, Codebook, Coding, Coding) {
    let text: String = (1..=12).map(|i| format!("line {i}\n")).collect();
    let t = Transcript::from_bytes(s("t"), text.as_bytes()).unwrap();
    let cb = Codebook::from_codes(["x", "y", "z"].map(|c| Code::new(s(c), c, "d")));
    let a = coding(&t, &[("x", 1, 8), ("y", 4, 5)]);
    let b = coding(&t, &[("x", 1, 8), ("z", 6, 6)]);
    (t, cb, a, b)
}

fn row(code: &str, a: usize, b: usize, decided: bool) -> (String, usize, usize, bool) {
    (code.to_string(), a, b, decided)
}

#[test]
fn seed_keeps_what_both_applied() {
    let (t, cb, _, _) = setup();
    let a = coding(&t, &[("x", 1, 3), ("y", 5, 5)]);
    let b = coding(&t, &[("x", 2, 4), ("y", 5, 5)]);
    let c = seed(&t, &cb, &a, &b);
    assert_eq!(spans(&c), [row("x", 2, 3, false), row("y", 5, 5, false)]);
    assert!(!c.complete);
    assert_eq!(c.transcript_hash, t.hash());
}

#[test]
fn each_choice_rewrites_only_the_codes_at_stake() {
    let (t, cb, a, b) = setup();
    let h = &hunks(&t, &cb, Some(&a), Some(&b), DEFAULT_CONTEXT)[0];
    assert_eq!((h.changed.start, h.changed.end), (4, 6));
    let cases = [
        (Choice::KeepFirst, vec![row("y", 4, 5, true)]),
        (Choice::KeepSecond, vec![row("z", 6, 6, true)]),
        (
            Choice::KeepBoth,
            vec![row("y", 4, 5, true), row("z", 6, 6, true)],
        ),
        (Choice::Neither, vec![]),
    ];
    for (choice, extra) in cases {
        let mut c = seed(&t, &cb, &a, &b);
        apply(&mut c, &cb, h, decision(choice), &[]).unwrap();
        let mut expected = vec![row("x", 1, 8, false)];
        expected.extend(extra);
        expected.sort_by_key(|r| (r.1, r.2, r.0.clone()));
        assert_eq!(spans(&c), expected, "{choice:?}");
        assert_eq!(c.decisions.len(), 1);
        assert!(c.decision(&s("bob"), &s("alice"), 4, 6).is_some());
        assert!(c.decision(&s("alice"), &s("bob"), 4, 5).is_none());
    }
}

#[test]
fn deciding_again_replaces_the_decision_and_its_segments() {
    let (t, cb, a, b) = setup();
    let h = &hunks(&t, &cb, Some(&a), Some(&b), DEFAULT_CONTEXT)[0];
    let mut c = seed(&t, &cb, &a, &b);
    apply(&mut c, &cb, h, decision(Choice::KeepBoth), &[]).unwrap();
    apply(&mut c, &cb, h, decision(Choice::KeepSecond), &[]).unwrap();
    assert_eq!(spans(&c), [row("x", 1, 8, false), row("z", 6, 6, true)]);
    assert_eq!(c.decisions.len(), 1);
    assert_eq!(c.decisions[0].choice, Choice::KeepSecond);
    let z = &c.segments[1];
    assert_eq!(z.rationale.as_deref(), Some("the definition says so"));
    assert_eq!(z.decided_by.as_deref(), Some("alice, bob"));
}

#[test]
fn edited_segments_replace_the_codes_at_stake_and_are_bounded() {
    let (t, cb, a, b) = setup();
    let h = &hunks(&t, &cb, Some(&a), Some(&b), DEFAULT_CONTEXT)[0];
    let mut c = seed(&t, &cb, &a, &b);
    let edit = [Segment::new(s("z"), 5, 6)];
    apply(&mut c, &cb, h, decision(Choice::Edited), &edit).unwrap();
    assert_eq!(spans(&c), [row("x", 1, 8, false), row("z", 5, 6, true)]);
    let outside = [Segment::new(s("y"), 3, 4)];
    let err = apply(&mut c, &cb, h, decision(Choice::Edited), &outside).unwrap_err();
    assert!(
        matches!(err, DecisionError::OutsideHunk { start: 3, .. }),
        "{err}"
    );
    let err = apply(&mut c, &cb, h, decision(Choice::KeepFirst), &edit).unwrap_err();
    assert_eq!(err, DecisionError::SegmentsWithoutEdit);
}

#[test]
fn segments_of_a_code_at_stake_are_cut_around_the_hunk() {
    // Consensus already holds y over 2–9 (an earlier decision or a hand
    // edit); deciding "neither" for 4–6 leaves y on 2–3 and 7–9.
    let (t, cb, a, b) = setup();
    let h = &hunks(&t, &cb, Some(&a), Some(&b), DEFAULT_CONTEXT)[0];
    let mut c = seed(&t, &cb, &a, &b);
    c.segments.push(Segment::new(s("y"), 2, 9));
    apply(&mut c, &cb, h, decision(Choice::Neither), &[]).unwrap();
    assert_eq!(
        spans(&c),
        [
            row("x", 1, 8, false),
            row("y", 2, 3, false),
            row("y", 7, 9, false)
        ]
    );
    let mut other = Coding::new(s("other"), "h");
    let err = apply(&mut other, &cb, h, decision(Choice::Neither), &[]).unwrap_err();
    assert_eq!(err, DecisionError::WrongTranscript(s("other")));
}

#[test]
fn decisions_round_trip_through_toml() {
    let (t, cb, a, b) = setup();
    let h = &hunks(&t, &cb, Some(&a), Some(&b), DEFAULT_CONTEXT)[0];
    let mut c = seed(&t, &cb, &a, &b);
    apply(&mut c, &cb, h, decision(Choice::KeepFirst), &[]).unwrap();
    let text = c.to_toml();
    assert!(text.contains("[[decisions]]"), "{text}");
    assert!(text.contains("choice = \"keep-first\""), "{text}");
    assert!(text.contains("decided_by = \"alice, bob\""), "{text}");
    assert_eq!(toml::from_str::<Coding>(&text).unwrap(), c);
}
