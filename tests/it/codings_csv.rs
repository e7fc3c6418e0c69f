//! `cbr codings export` and `cbr codings import`: a round trip through CSV
//! on the demo study, and bad rows reported by line with nothing written.

use crate::common;

use std::path::Path;

use common::{Sandbox, assert_success, stderr, stdout};

fn export(sb: &Sandbox, dir: &Path) -> String {
    let out = sb.cbr(dir, "alice", &["codings", "export"]);
    assert_success(&out);
    stdout(&out)
}

#[test]
fn export_then_import_gives_the_same_codings() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let first = export(&sb, &dir);
    let mut lines = first.lines();
    assert_eq!(
        lines.next(),
        Some("coder,transcript,start_line,end_line,code,memo")
    );
    assert_eq!(
        lines.next(),
        Some(
            "alice,focus-group-01,12,13,violence-from-public,\"Threat comes from a neighbour, not a user.\""
        )
    );
    let file = sb.path().join("codings.csv");
    std::fs::write(&file, &first).unwrap();

    // Importing what is already there changes nothing and commits nothing.
    let head = sb.git(&dir, &["rev-parse", "HEAD"]);
    let out = sb.cbr(
        &dir,
        "alice",
        &["codings", "import", file.to_str().unwrap()],
    );
    assert_success(&out);
    assert!(stdout(&out).contains("nothing changed"), "{}", stdout(&out));
    assert_eq!(sb.git(&dir, &["rev-parse", "HEAD"]), head);

    // From scratch: the codings come back row for row, in one commit.
    std::fs::remove_dir_all(dir.join("codings")).unwrap();
    let out = sb.cbr(
        &dir,
        "claire",
        &["codings", "import", file.to_str().unwrap(), "--complete"],
    );
    assert_success(&out);
    assert!(
        stdout(&out).contains("codings/bob/interview-01.toml: 18 segment(s), complete"),
        "{}",
        stdout(&out)
    );
    assert_eq!(export(&sb, &dir), first);
    let log = sb.git(&dir, &["log", "-1", "--format=%an%n%s%n%b"]);
    assert!(
        log.starts_with(
            "claire\nclaire: import codings of alice, bob for focus-group-01, interview-01, interview-02, interview-03 from codings.csv\n"
        ),
        "{log}"
    );
    assert!(
        log.contains("alice interview-03: 3 segments (complete)"),
        "{log}"
    );
    let status = sb.git(&dir, &["status", "--porcelain"]);
    assert_eq!(status, "", "everything imported is committed");
    // Written with the transcript's hash, so `cbr check` is content.
    assert_success(&sb.cbr(&dir, "alice", &["check"]));
}

#[test]
fn bad_rows_are_reported_by_line_and_nothing_is_written() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let csv = "coder,transcript,start_line,end_line,code,memo
carol,interview-01,1,2,humour,fine
carol,interview-99,1,2,humour,
carol,interview-01,5,3,humour,
\"carol\",interview-01,1,2,no-such-code,\"a memo
over two lines\"
carol,interview-01,1,999,humour,
Carol Smith,interview-01,1,1,humour,
carol,interview-01,x,2,humour,
carol,interview-01,1,2
carol,interview-02,3,4,,orphan memo
";
    let file = sb.path().join("bad.csv");
    std::fs::write(&file, csv).unwrap();
    let head = sb.git(&dir, &["rev-parse", "HEAD"]);
    let out = sb.cbr(
        &dir,
        "carol",
        &["codings", "import", file.to_str().unwrap(), "--complete"],
    );
    assert_eq!(out.status.code(), Some(2));
    let f = file.display().to_string();
    let report: Vec<String> = stderr(&out).lines().map(str::to_string).collect();
    let expected_starts = [
        format!("{f}:3: unknown transcript `interview-99`"),
        format!("{f}:4: start_line 5 is after end_line 3"),
        format!("{f}:5: unknown code `no-such-code`"),
        format!("{f}:7: lines 1-999 run past the end of `interview-01`, which has 61 lines"),
        format!("{f}:8: coder `Carol Smith`:"),
        format!("{f}:9: start_line `x` is not a line number"),
        format!("{f}:10: expected 6 fields, found 4"),
        format!("{f}:11: a row without a code only names the coder and transcript"),
        "cbr: 8 bad row(s); nothing was imported".to_string(),
    ];
    assert_eq!(report.len(), expected_starts.len(), "{report:#?}");
    for (line, start) in report.iter().zip(&expected_starts) {
        assert!(
            line.starts_with(start.as_str()),
            "{line:?} should start with {start:?}"
        );
    }
    assert!(!dir.join("codings/carol").exists());
    assert_eq!(sb.git(&dir, &["rev-parse", "HEAD"]), head);
    assert_eq!(sb.git(&dir, &["status", "--porcelain"]), "");

    let out = sb.cbr(&dir, "carol", &["codings", "import", "/nonexistent.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent.csv"),
        "{}",
        stderr(&out)
    );

    std::fs::write(&file, "who,what\nalice,interview-01\n").unwrap();
    let out = sb.cbr(
        &dir,
        "carol",
        &["codings", "import", file.to_str().unwrap()],
    );
    assert!(
        stderr(&out).starts_with(&format!("{f}:1: the first row must be the header")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn importing_over_someone_elses_coding_says_what_it_replaced() {
    let sb = common::Sandbox::new();
    let dir = sb.demo();
    let csv = sb.path().join("one.csv");
    std::fs::write(
        &csv,
        "coder,transcript,start_line,end_line,code,memo\nalice,interview-01,6,8,verbal-violence,\n",
    )
    .unwrap();
    let out = sb.cbr(&dir, "bob", &["codings", "import", csv.to_str().unwrap()]);
    common::assert_success(&out);
    assert!(
        common::stdout(&out).contains(
            "codings/alice/interview-01.toml: 1 segment(s), complete (replacing the 16 it had)"
        ),
        "{}",
        common::stdout(&out)
    );
    assert!(
        common::stderr(&out).contains("you (bob) replaced alice's coding of interview-01"),
        "{}",
        common::stderr(&out)
    );
}
