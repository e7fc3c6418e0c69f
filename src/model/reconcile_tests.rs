//! Tests of seeding a consensus coding and applying decisions to it.

use super::*;
use crate::model::disagreement::{DEFAULT_CONTEXT, Hunk, hunks, passages};
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
        present: Vec::new(),
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
        apply(&mut c, &cb, &t, h, decision(choice), &[]).unwrap();
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
    apply(&mut c, &cb, &t, h, decision(Choice::KeepBoth), &[]).unwrap();
    apply(&mut c, &cb, &t, h, decision(Choice::KeepSecond), &[]).unwrap();
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
    apply(&mut c, &cb, &t, h, decision(Choice::Edited), &edit).unwrap();
    assert_eq!(spans(&c), [row("x", 1, 8, false), row("z", 5, 6, true)]);
    let outside = [Segment::new(s("y"), 2, 3)];
    let err = apply(&mut c, &cb, &t, h, decision(Choice::Edited), &outside).unwrap_err();
    assert!(
        matches!(err, DecisionError::OutsideHunk { start: 2, .. }),
        "{err}"
    );
    let err = apply(&mut c, &cb, &t, h, decision(Choice::KeepFirst), &edit).unwrap_err();
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
    apply(&mut c, &cb, &t, h, decision(Choice::Neither), &[]).unwrap();
    assert_eq!(
        spans(&c),
        [
            row("x", 1, 8, false),
            row("y", 2, 3, false),
            row("y", 7, 9, false)
        ]
    );
    let mut other = Coding::new(s("other"), "h");
    let err = apply(&mut other, &cb, &t, h, decision(Choice::Neither), &[]).unwrap_err();
    assert_eq!(err, DecisionError::WrongTranscript(s("other")));
}

#[test]
fn decisions_round_trip_through_toml() {
    let (t, cb, a, b) = setup();
    let h = &hunks(&t, &cb, Some(&a), Some(&b), DEFAULT_CONTEXT)[0];
    let mut c = seed(&t, &cb, &a, &b);
    apply(&mut c, &cb, &t, h, decision(Choice::KeepFirst), &[]).unwrap();
    let text = c.to_toml();
    assert!(text.contains("[[decisions]]"), "{text}");
    assert!(text.contains("choice = \"keep-first\""), "{text}");
    assert!(text.contains("decided_by = \"alice, bob\""), "{text}");
    assert_eq!(toml::from_str::<Coding>(&text).unwrap(), c);
}

/// The case: alice drew x over 2–4 and y over 6–8, bob x on 2
/// and y on 6; line 5 is blank. The passage is 3–4 (x) and 7–8 (y).
fn drawn_setup() -> (Transcript, Codebook, Coding, Coding) {
    let text: String = (1..=10)
        .map(|i| {
            if i == 5 {
                "\n".to_string()
            } else {
                format!("line {i}\n")
            }
        })
        .collect();
    let t = Transcript::from_bytes(s("t"), text.as_bytes()).unwrap();
    let cb = Codebook::from_codes(["x", "y"].map(|c| Code::new(s(c), c, "d")));
    let a = coding(&t, &[("x", 2, 4), ("y", 6, 8)]);
    let b = coding(&t, &[("x", 2, 2), ("y", 6, 6)]);
    (t, cb, a, b)
}

#[test]
fn a_kept_segment_is_whole_as_the_coder_drew_it() {
    let (t, cb, a, b) = drawn_setup();
    let hs = passages(&t, &cb, Some(&a), Some(&b));
    assert_eq!(hs.len(), 2);
    let h = &hs[0];
    assert_eq!((h.changed.start, h.changed.end), (3, 4));
    assert_eq!(h.drawn[0], [Segment::new(s("x"), 2, 4)]);
    assert!(h.drawn[1].is_empty(), "bob's x on 2 does not reach 3-4");
    let mut c = seed(&t, &cb, &a, &b);
    assert_eq!(spans(&c), [row("x", 2, 2, false), row("y", 6, 6, false)]);
    apply(
        &mut c,
        &cb,
        &t,
        h,
        decision_on(3, 4, Choice::KeepFirst),
        &[],
    )
    .unwrap();
    assert_eq!(spans(&c), [row("x", 2, 4, true), row("y", 6, 6, false)]);
    // Revisited: bob's reading leaves x on 2 alone, without the old rationale.
    apply(
        &mut c,
        &cb,
        &t,
        h,
        decision_on(3, 4, Choice::KeepSecond),
        &[],
    )
    .unwrap();
    assert_eq!(spans(&c), [row("x", 2, 2, false), row("y", 6, 6, false)]);
    // An edited decision given the whole range writes it whole, once.
    let h = &hs[1];
    let edit = [Segment::new(s("y"), 6, 8)];
    apply(&mut c, &cb, &t, h, decision_on(7, 8, Choice::Edited), &edit).unwrap();
    assert_eq!(spans(&c), [row("x", 2, 2, false), row("y", 6, 8, true)]);
}

#[test]
fn a_whole_segment_stops_at_another_passage_and_joins_once_it_is_decided() {
    // alice drew x over 1–7, bob only on 4: passages 1–3 and 5–7.
    let (t, cb, _, _) = setup();
    let a = coding(&t, &[("x", 1, 7)]);
    let b = coding(&t, &[("x", 4, 4)]);
    let hs = passages(&t, &cb, Some(&a), Some(&b));
    let spans_of = |h: &Hunk| (h.changed.start, h.changed.end);
    assert_eq!(
        hs.iter().map(spans_of).collect::<Vec<_>>(),
        [(1, 3), (5, 7)]
    );
    let mut c = seed(&t, &cb, &a, &b);
    apply(
        &mut c,
        &cb,
        &t,
        &hs[0],
        decision_on(1, 3, Choice::KeepFirst),
        &[],
    )
    .unwrap();
    assert_eq!(spans(&c), [row("x", 1, 4, true)], "5-7 is not decided yet");
    apply(
        &mut c,
        &cb,
        &t,
        &hs[1],
        decision_on(5, 7, Choice::KeepFirst),
        &[],
    )
    .unwrap();
    assert_eq!(spans(&c), [row("x", 1, 7, true)]);
    assert_eq!(c.decisions.len(), 2);
}

#[test]
fn neither_keeps_what_both_drew_and_both_joins_overlaps() {
    // alice x 2–5, bob x 4–7: at stake on 2–3 and 6–7, agreed on 4–5.
    let (t, cb, _, _) = setup();
    let a = coding(&t, &[("x", 2, 5)]);
    let b = coding(&t, &[("x", 4, 7)]);
    let h = &hunks(&t, &cb, Some(&a), Some(&b), DEFAULT_CONTEXT)[0];
    assert_eq!((h.changed.start, h.changed.end), (2, 7));
    let mut c = seed(&t, &cb, &a, &b);
    apply(&mut c, &cb, &t, h, decision_on(2, 7, Choice::Neither), &[]).unwrap();
    assert_eq!(spans(&c), [row("x", 4, 5, true)]);
    apply(&mut c, &cb, &t, h, decision_on(2, 7, Choice::KeepBoth), &[]).unwrap();
    assert_eq!(spans(&c), [row("x", 2, 7, true)]);
}

#[test]
fn present_is_optional_in_the_file() {
    let old = "transcript = \"t\"\n\n[[decisions]]\ncoders = [\"alice\", \"bob\"]\nstart_line = 1\nend_line = 2\nchoice = \"keep-first\"\n";
    let c: Coding = toml::from_str(old).unwrap();
    assert!(c.decisions[0].present.is_empty());
    let mut d = decision(Choice::KeepBoth);
    d.present = vec![s("alice"), s("bob"), s("carol")];
    let mut c = Coding::new(s("t"), "h");
    c.decisions.push(d);
    let text = c.to_toml();
    assert!(text.contains("present = [\n    \"alice\",\n"), "{text}");
    assert_eq!(toml::from_str::<Coding>(&text).unwrap(), c);
    assert!(!Coding::new(s("t"), "h").to_toml().contains("present"));
}

fn decision_on(start: usize, end: usize, choice: Choice) -> Decision {
    Decision {
        start_line: start,
        end_line: end,
        ..decision(choice)
    }
}
