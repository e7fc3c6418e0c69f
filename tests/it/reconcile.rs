//! Reconciliation driven through the library API (as the TUI drives it)
//! and the command line: decisions land in the consensus files and in
//! commits, and progress is read back on resume.

use crate::common;

use std::path::Path;

use codebook_review::model::coding::Choice;
use codebook_review::model::{Coding, Slug};
use codebook_review::study::Study;
use codebook_review::study::git::Author;
use codebook_review::study::reconcile::Session;
use common::{Sandbox, assert_success, stdout};
use serde_json::Value;

fn s(id: &str) -> Slug {
    Slug::new(id).unwrap()
}

fn author(id: &str) -> Author {
    Author::new(s(id), format!("{id}@example.invalid"))
}

fn consensus(dir: &Path, transcript: &str) -> Coding {
    let text =
        std::fs::read_to_string(dir.join(format!("codings/consensus/{transcript}.toml"))).unwrap();
    toml::from_str(&text).unwrap()
}

#[test]
fn reconciliation_writes_consensus_commits_and_resumes() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let study = Study::open(&dir).unwrap();
    let (alice, bob) = (s("alice"), s("bob"));
    let mut session = Session::open(&study, &alice, &bob).unwrap();
    assert_eq!(session.transcripts.len(), 3);
    assert_eq!(session.progress(), (0, 27));
    let spans: Vec<(String, usize, usize)> = session
        .items
        .iter()
        .filter(|i| i.hunk.transcript.as_str() == "interview-01")
        .map(|i| {
            (
                i.hunk.transcript.to_string(),
                i.hunk.changed.start,
                i.hunk.changed.end,
            )
        })
        .collect();
    let spans: Vec<(usize, usize)> = spans.into_iter().map(|(_, a, b)| (a, b)).collect();
    assert_eq!(
        spans,
        [
            (6, 6),
            (11, 12),
            (16, 19),
            (21, 21),
            (25, 26),
            (34, 38),
            (46, 48),
            (53, 53),
            (57, 57)
        ]
    );

    // First decision: alice was right to start the threat on line 6.
    let i = session.find("interview-01", 6, 6).unwrap();
    assert_eq!(
        session.items[i].hunk.codes_at_stake(),
        [s("verbal-violence")]
    );
    let commit = session
        .decide(
            &study,
            i,
            Choice::KeepFirst,
            &[],
            "The threat opens on line 6.",
            &author("claire"),
        )
        .unwrap();
    assert!(commit.is_some());
    let c = consensus(&dir, "interview-01");
    assert!(!c.complete);
    let vv: Vec<_> = c
        .segments
        .iter()
        .filter(|s| s.code.as_str() == "verbal-violence")
        .map(|s| {
            (
                s.start_line,
                s.end_line,
                s.rationale.clone(),
                s.decided_by.clone(),
            )
        })
        .collect();
    // One segment, whole as alice drew it (both coded 7–8).
    assert_eq!(
        vv,
        [(
            6,
            8,
            Some("The threat opens on line 6.".into()),
            Some("claire".into())
        )]
    );
    assert_eq!(c.decisions.len(), 1);
    assert_eq!(c.decisions[0].coders, [s("alice"), s("bob")]);
    let log = sb.git(&dir, &["log", "-1", "--format=%an%n%B"]);
    assert!(
        log.starts_with("claire\nclaire: reconcile interview-01:6-6 (alice/bob), keep alice's codes\n\nThe threat opens on line 6.\n"),
        "{log}"
    );
    assert_eq!(sb.git(&dir, &["status", "--porcelain"]), "");

    // Leave and come back: progress is read from the consensus file.
    drop(session);
    let study = Study::open(&dir).unwrap();
    let mut session = Session::open(&study, &alice, &bob).unwrap();
    assert_eq!(session.progress(), (1, 27));
    assert_eq!(session.next_unresolved(i), Some(i + 1));
    assert_eq!(session.next_unresolved(0), Some(0));

    // Settle the rest of interview-01; the transcript is then reconciled.
    let rest: Vec<usize> = (0..session.items.len())
        .filter(|&k| {
            session.items[k].hunk.transcript.as_str() == "interview-01"
                && session.items[k].decision.is_none()
        })
        .collect();
    assert_eq!(rest.len(), 8);
    for (n, &k) in rest.iter().enumerate() {
        let choice = [Choice::KeepSecond, Choice::KeepBoth, Choice::Neither][n % 3];
        session
            .decide(
                &study,
                k,
                choice,
                &[],
                "settled in the meeting",
                &author("bob"),
            )
            .unwrap();
    }
    assert_eq!(session.progress(), (9, 27));
    // Without a reason, or keeping a code the codebook does not have, nothing is recorded.
    let open = session.next_unresolved(0).unwrap();
    let err = session.decide(&study, open, Choice::Neither, &[], " ", &author("bob"));
    let err = err.unwrap_err();
    assert!(
        matches!(err, codebook_review::study::StudyError::InvalidInput(_)),
        "{err:?}"
    );
    assert!(err.to_string().contains("needs a rationale"));
    let bogus = [codebook_review::model::Segment::new(
        codebook_review::model::Slug::new("nope").unwrap(),
        1,
        1,
    )];
    let err = session.decide(&study, open, Choice::Edited, &bogus, "why", &author("bob"));
    assert!(err.unwrap_err().to_string().contains("no code `nope`"));
    assert_eq!(session.progress(), (9, 27));
    assert!(consensus(&dir, "interview-01").complete);

    // Revisit the first decision: replaced, not added.
    session
        .decide(
            &study,
            i,
            Choice::KeepSecond,
            &[],
            "On reflection, line 7.",
            &author("alice"),
        )
        .unwrap();
    let c = consensus(&dir, "interview-01");
    assert_eq!(c.decisions.len(), 9);
    assert!(
        c.segments
            .iter()
            .all(|s| !(s.code.as_str() == "verbal-violence" && s.start_line == 6))
    );
    // What is left of the whole segment no longer claims the old rationale.
    let left = c
        .segments
        .iter()
        .find(|s| s.code.as_str() == "verbal-violence" && s.start_line == 7)
        .unwrap();
    assert_eq!((left.end_line, left.rationale.as_deref()), (8, None));
    let reconciled = sb.git(&dir, &["log", "--format=%s", "--grep=reconcile"]);
    assert_eq!(reconciled.lines().count(), 10);

    // The files stay valid, and the CLI reads the same progress.
    assert_success(&sb.cbr(&dir, "alice", &["check"]));
    let out = sb.cbr(
        &dir,
        "alice",
        &["reconcile", "alice", "bob", "--list", "--format", "json"],
    );
    assert_success(&out);
    let list: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (list["resolved"].as_u64(), list["total"].as_u64()),
        (Some(9), Some(27))
    );
    assert_eq!(list["next"], 1);
    let decided = &list["hunks"][i]["decision"];
    assert_eq!(decided["choice"], "keep-second");
    assert_eq!(decided["decided_by"], "alice");

    // Consensus now counts in agreement where it is complete.
    let out = sb.cbr(
        &dir,
        "alice",
        &["agree", "--coders", "bob,consensus", "--format", "json"],
    );
    assert_success(&out);
    let agree: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(agree["transcripts"], serde_json::json!(["interview-01"]));
}

#[test]
fn reconcile_decides_from_the_command_line() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let out = sb.cbr(
        &dir,
        "claire",
        &[
            "reconcile",
            "alice",
            "bob",
            "--decide",
            "interview-01:34-38",
            "--choose",
            "edited",
            "--segment",
            "legal-action:34-35",
            "--segment",
            "organisational-gaps:35-38",
            "--rationale",
            "Both: the complaint and the form",
        ],
    );
    assert_success(&out);
    assert_eq!(
        stdout(&out),
        "decided interview-01:34-38: edited (1/27 resolved)\n"
    );
    let c = consensus(&dir, "interview-01");
    let at_stake: Vec<_> = c
        .segments
        .iter()
        .filter(|s| s.rationale.is_some())
        .map(|s| (s.code.to_string(), s.start_line, s.end_line))
        .collect();
    assert_eq!(
        at_stake,
        [
            ("legal-action".to_string(), 34, 35),
            ("organisational-gaps".to_string(), 35, 38)
        ]
    );
    // Deciding it again needs --force; an edit must say what it keeps.
    let decide = |extra: &[&str]| {
        let mut args = vec![
            "reconcile",
            "alice",
            "bob",
            "--decide",
            "interview-01:34-38",
        ];
        args.extend_from_slice(extra);
        sb.cbr(&dir, "alice", &args)
    };
    let out = decide(&["--choose", "first", "--rationale", "changed our minds"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains(
            "was already decided by claire (edited: Both: the complaint and the form); add --force"
        ),
        "{}",
        common::stderr(&out)
    );
    let out = decide(&["--choose", "edited", "--rationale", "r", "--force"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("--choose edited needs the segments to keep"));
    assert_eq!(consensus(&dir, "interview-01"), c, "nothing changed");
    let text = stdout(&sb.cbr(&dir, "alice", &["reconcile", "alice", "bob"]));
    assert!(
        text.starts_with("alice/bob: 1/27 disagreements resolved"),
        "{text}"
    );
    assert!(text.contains("[x] interview-01:34-38"), "{text}");
    assert!(
        text.contains("Next: hunk 1 of 27, focus-group-01:12-15"),
        "{text}"
    );

    let out = sb.cbr(
        &dir,
        "claire",
        &[
            "reconcile",
            "alice",
            "bob",
            "--decide",
            "interview-01:7-7",
            "--choose",
            "first",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out)
            .contains("no disagreement between alice and bob on interview-01 lines 7-7")
    );
}

#[test]
fn check_accepts_decisions_only_in_consensus_files_and_within_the_text() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let path = dir.join("codings/alice/interview-01.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let before = text.lines().count();
    text.push_str(
        "\n[[decisions]]\ncoders = [\"alice\", \"bob\"]\nstart_line = 60\nend_line = 99\nchoice = \"neither\"\n",
    );
    std::fs::write(&path, text).unwrap();
    let out = sb.cbr(&dir, "alice", &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    let coders_line = before + 3;
    assert!(
        report.contains(&format!(
            "codings/alice/interview-01.toml:{coders_line}:10: reconciliation decisions belong in codings/consensus/ files"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "codings/alice/interview-01.toml:{}:14: decision on lines 60-99 does not fit `interview-01`, which has 61 lines",
            coders_line + 1
        )),
        "{report}"
    );
}
