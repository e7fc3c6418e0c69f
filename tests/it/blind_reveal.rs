//! Blind coding and the commands that compare coders: `cbr agree`, `cbr diff`
//! and `cbr reconcile` refuse to show anyone's work on a transcript an
//! assigned coder is still coding, say who they wait for, and show it only
//! with an explicit `--unblind`.

use crate::common;

use std::path::Path;

use common::{Sandbox, assert_success, stderr, stdout};

/// Assigns `coders` to the (already blind) demo study, and commits it.
fn assign_coders(sb: &Sandbox, dir: &Path, coders: &[&str]) {
    let path = dir.join("study.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("blind = true"),
        "the demo codes blind: {text}"
    );
    let list: Vec<String> = coders.iter().map(|c| format!("\"{c}\"")).collect();
    let start = text.find("coders = [").unwrap();
    let text = format!("{}coders = [{}]\n", &text[..start], list.join(", "));
    std::fs::write(&path, text).unwrap();
    sb.git(dir, &["commit", "-qam", "blind coding"]);
}

fn refused(out: &std::process::Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected a refusal; stdout:\n{}",
        stdout(out)
    );
    assert!(stdout(out).is_empty(), "nothing is shown: {}", stdout(out));
    stderr(out)
}

#[test]
fn a_third_assigned_coder_still_coding_hides_the_comparisons() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    assign_coders(&sb, &dir, &["alice", "bob", "carol"]);

    let err = refused(&sb.cbr(&dir, "claire", &["agree"]));
    assert!(err.contains("blind coding"), "{err}");
    for t in ["focus-group-01", "interview-01", "interview-02"] {
        assert!(err.contains(&format!("  {t}: waiting for carol")), "{err}");
    }
    assert!(err.contains("--unblind"), "{err}");

    let err = refused(&sb.cbr(&dir, "claire", &["diff", "alice", "bob"]));
    assert!(err.contains("interview-01: waiting for carol"), "{err}");
    let err = refused(&sb.cbr(&dir, "claire", &["reconcile", "alice", "bob"]));
    assert!(err.contains("interview-02: waiting for carol"), "{err}");
    let err = refused(&sb.cbr(
        &dir,
        "claire",
        &[
            "reconcile",
            "alice",
            "bob",
            "--decide",
            "interview-01:6-6",
            "--choose",
            "first",
        ],
    ));
    assert!(err.contains("waiting for carol"), "{err}");
    assert!(
        !dir.join("codings/consensus").exists(),
        "a refused decision writes nothing"
    );

    // The explicit override shows exactly what a study that is not blind shows.
    let out = sb.cbr(&dir, "claire", &["agree", "--unblind", "--format", "json"]);
    assert_success(&out);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["transcripts"].as_array().unwrap().len(), 3);
    assert_eq!(report["overall"]["units"], 154);
    let out = sb.cbr(&dir, "claire", &["diff", "alice", "bob", "--unblind"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("@@ interview-01:3-29 @@"),
        "{}",
        stdout(&out)
    );
    let out = sb.cbr(&dir, "claire", &["reconcile", "alice", "bob", "--unblind"]);
    assert_success(&out);
    assert!(stdout(&out).contains("0/27 disagreements resolved"));
}

#[test]
fn finished_transcripts_show_and_unfinished_ones_do_not() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    assign_coders(&sb, &dir, &["alice", "bob"]);

    // Both assigned coders completed the three transcripts they are compared on.
    let out = sb.cbr(&dir, "claire", &["agree"]);
    assert_success(&out);
    assert!(stdout(&out).contains("on 3 transcript(s)"));
    assert_success(&sb.cbr(&dir, "claire", &["diff", "alice", "bob"]));
    assert_success(&sb.cbr(&dir, "claire", &["reconcile", "alice", "bob"]));

    // Bob reopens interview-01: `cbr diff` shows the other two and says
    // which it left out, as `cbr agree` does.
    let path = dir.join("codings/bob/interview-01.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("complete = true", "complete = false")).unwrap();
    let out = sb.cbr(&dir, "claire", &["diff", "alice", "bob"]);
    assert_success(&out);
    assert_eq!(
        stderr(&out),
        "Not compared (blind coding hides them until every coder has finished; --unblind shows them): interview-01 (waiting for bob)\n"
    );
    let shown = stdout(&out);
    let headers: Vec<&str> = shown
        .lines()
        .filter(|l| l.starts_with("@@"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert!(!headers.contains(&"@@ interview-01"), "{headers:?}");
    assert!(headers.contains(&"@@ interview-02"), "{headers:?}");
    let out = sb.cbr(
        &dir,
        "claire",
        &["diff", "alice", "bob", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["not_compared"], serde_json::json!(["interview-01"]));
    std::fs::write(&path, text).unwrap();

    // Alice is midway through interview-03 and bob has not started it.
    let err = refused(&sb.cbr(&dir, "bob", &["diff", "alice", "bob", "interview-03"]));
    assert!(
        err.contains("interview-03: waiting for alice and bob"),
        "{err}"
    );
    let out = sb.cbr(
        &dir,
        "bob",
        &["diff", "alice", "bob", "interview-03", "--unblind"],
    );
    assert_success(&out);
    assert!(
        stdout(&out).contains("@@ interview-03:"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_coder_outside_the_list_who_never_coded_a_transcript_is_not_waited_for() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    assign_coders(&sb, &dir, &["alice", "bob"]);
    // carol is not in `coders` and has coded only interview-03 (not
    // finished): on the other transcripts she has nothing to hide, so
    // comparing her with the others waits for nobody there.
    std::fs::create_dir_all(dir.join("codings/carol")).unwrap();
    std::fs::copy(
        dir.join("codings/alice/interview-03.toml"),
        dir.join("codings/carol/interview-03.toml"),
    )
    .unwrap();
    sb.git(&dir, &["add", "codings"]);
    sb.git(&dir, &["commit", "-qm", "carol starts interview-03"]);
    let out = sb.cbr(
        &dir,
        "claire",
        &["agree", "--coders", "alice,bob,carol", "--format", "json"],
    );
    assert_success(&out);
    assert!(
        !stderr(&out).contains("waiting for carol"),
        "{}",
        stderr(&out)
    );
    // A refusal names who is waited for and both ways out.
    let err = refused(&sb.cbr(&dir, "bob", &["diff", "alice", "bob", "interview-03"]));
    assert!(
        err.contains("interview-03: waiting for alice and bob"),
        "{err}"
    );
    assert!(!err.contains("carol"), "{err}");
    assert!(
        err.contains("--coders") && err.contains("--unblind"),
        "{err}"
    );
}
