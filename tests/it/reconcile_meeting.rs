//! A reconciliation meeting on the demo study, from the command line:
//! decisions write whole segments (no split pieces of one code in the
//! consensus file) and record who was present.

use crate::common;

use std::path::Path;

use codebook_review::model::{Coding, Segment, Slug};
use codebook_review::study::Study;
use codebook_review::study::reconcile::Session;
use common::{Sandbox, assert_success, stderr, stdout};

fn consensus(dir: &Path) -> Coding {
    let text = std::fs::read_to_string(dir.join("codings/consensus/focus-group-01.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

fn spans(c: &Coding, code: &str) -> Vec<(usize, usize)> {
    c.segments
        .iter()
        .filter(|s| s.code.as_str() == code)
        .map(|s| (s.start_line, s.end_line))
        .collect()
}

#[test]
fn a_decision_keeps_whole_segments_and_who_was_present() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let s = |id: &str| Slug::new(id).unwrap();
    // alice drew physical-violence over 20–22, bob over 20–21: the
    // disagreement is on 21–22, and the edit dialog is given the whole
    // segments as each coder drew them.
    let study = Study::open(&dir).unwrap();
    let session = Session::open(&study, &s("alice"), &s("bob")).unwrap();
    let i = session.find("focus-group-01", 21, 22).unwrap();
    let pv = |k: usize| -> Vec<Segment> {
        session.items[i].hunk.drawn[k]
            .iter()
            .filter(|x| x.code.as_str() == "physical-violence")
            .cloned()
            .collect()
    };
    assert_eq!(pv(0), [Segment::new(s("physical-violence"), 20, 22)]);
    assert_eq!(pv(1), [Segment::new(s("physical-violence"), 20, 21)]);

    let decide = |hunk: &str, present: &str| {
        sb.cbr(
            &dir,
            "claire",
            &[
                "reconcile",
                "alice",
                "bob",
                "--decide",
                hunk,
                "--choose",
                "first",
                "--rationale",
                "As alice drew it",
                "--present",
                present,
            ],
        )
    };
    let out = decide("focus-group-01:21-22", "alice,dave");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "cbr: `dave` is not a coder of this study (coders: alice, bob): name who was present by their coder ids\n"
    );
    assert!(!dir.join("codings/consensus").exists(), "nothing written");

    let out = decide("focus-group-01:21-22", "alice,bob");
    assert_success(&out);
    assert_eq!(
        stdout(&out),
        "decided focus-group-01:21-22: keep-first (1/27 resolved)\n"
    );
    let out = decide("focus-group-01:25-26", "bob, alice");
    assert_success(&out);
    let c = consensus(&dir);
    assert_eq!(spans(&c, "physical-violence"), [(20, 22)]);
    assert_eq!(spans(&c, "legal-action"), [(24, 26)]);
    assert_eq!(spans(&c, "procedures"), [(23, 23)]);
    let whole = c
        .segments
        .iter()
        .find(|x| x.code.as_str() == "physical-violence")
        .unwrap();
    assert_eq!(whole.rationale.as_deref(), Some("As alice drew it"));
    assert_eq!(c.decisions[0].present, [s("alice"), s("bob")]);
    assert_eq!(c.decisions[1].present, [s("bob"), s("alice")]);
    assert_eq!(c.decisions[0].decided_by, "claire");
    let log = sb.git(&dir, &["log", "-1", "--format=%B"]);
    assert!(log.contains("\nPresent: bob, alice\n"), "{log}");

    let list = stdout(&sb.cbr(&dir, "alice", &["reconcile", "alice", "bob", "--list"]));
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(
        lines[2],
        "   2 [x] focus-group-01:21-22     keep-first by claire (present: alice, bob) — As alice drew it"
    );
    assert_success(&sb.cbr(&dir, "alice", &["check"]));

    // The methods report counts who was present beside who decided.
    let md = stdout(&sb.cbr(&dir, "alice", &["report"]));
    assert!(
        md.contains("| Decided by | hunks |\n|---|---|\n| claire | 2 |\n\n| Present | hunks |\n|---|---|\n| alice | 2 |\n| bob | 2 |\n"),
        "{md}"
    );
}
