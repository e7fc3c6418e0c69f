//! `cbr quotes`, `cbr matrix`, `cbr cooccur` on the demo study, with exact
//! counts (the demo's codings are fixed material in `demo/`), blind coding
//! as each viewer sees it, and the messages for bad input.

use crate::common;

use std::path::Path;

use common::{Sandbox, assert_success, stderr, stdout};
use serde_json::Value;

fn json(sb: &Sandbox, dir: &Path, coder: &str, args: &[&str]) -> Value {
    let out = sb.cbr(dir, coder, args);
    assert_success(&out);
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// The count in row `code`, column `column` of a matrix's JSON.
fn cell(m: &Value, code: &str, column: &str) -> u64 {
    let r = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r == code)
        .unwrap();
    let c = m["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c == column)
        .unwrap();
    m["cells"][r][c].as_u64().unwrap()
}

fn total(m: &Value, code: &str) -> u64 {
    let r = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r == code)
        .unwrap();
    m["totals"][r].as_u64().unwrap()
}

#[test]
fn quotes_by_code_and_city_ready_to_paste() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let out = sb.cbr(
        &dir,
        "claire",
        &["quotes", "verbal-violence", "--where", "city=marseille"],
    );
    assert_success(&out);
    let md = stdout(&out);
    assert!(
        md.starts_with(
            "## Verbal violence and threats (`verbal-violence`): 2 passage(s)\n\n> P: La porte."
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "\n— interview-01:6–8, speaker P, coded by alice (interview, Marseille, peer worker)\n"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "\n— interview-01:7–8, speaker P, coded by bob (interview, Marseille, peer worker)\n"
        ),
        "{md}"
    );
    assert!(md.contains("Memo: Threat is explicit and personal"), "{md}");

    // Every city: focus-group-01 (bob), interview-01 (alice, bob), interview-02 (bob).
    let all = json(
        &sb,
        &dir,
        "claire",
        &["quotes", "verbal-violence", "--format", "json"],
    );
    let sources: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            format!(
                "{}:{}-{} {}",
                q["transcript"].as_str().unwrap(),
                q["start_line"],
                q["end_line"],
                q["coder"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            "focus-group-01:12-13 bob",
            "interview-01:6-8 alice",
            "interview-01:7-8 bob",
            "interview-02:11-12 bob"
        ]
    );
    assert_eq!(all[0]["speaker"], "KARIM");
    assert_eq!(all[0]["meta"]["city"], "Toulouse");

    // Roll-up: the parent finds its children's passages and says which.
    let rolled = json(
        &sb,
        &dir,
        "claire",
        &[
            "quotes",
            "interpersonal-violence",
            "--rollup",
            "--format",
            "json",
        ],
    );
    assert_eq!(rolled.as_array().unwrap().len(), 12);
    assert_eq!(rolled[0]["code"], "interpersonal-violence");
    let out = sb.cbr(
        &dir,
        "claire",
        &["quotes", "interpersonal-violence", "--rollup"],
    );
    assert!(stdout(&out).contains("\n— interview-01:6–8, speaker P, coded verbal-violence by alice (interview, Marseille, peer worker)\n"), "{}", stdout(&out));

    let only_bob = json(
        &sb,
        &dir,
        "claire",
        &[
            "quotes",
            "verbal-violence",
            "--coders",
            "bob",
            "--where",
            "kind=interview",
            "--format",
            "json",
        ],
    );
    assert_eq!(only_bob.as_array().unwrap().len(), 2);

    let csv = stdout(&sb.cbr(
        &dir,
        "claire",
        &["quotes", "verbal-violence", "--format", "csv"],
    ));
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "code,coded_as,transcript,start_line,end_line,speaker,coder,text,memo,city,date,fictional,kind,language,participant_role,site"
    );
}

#[test]
fn matrix_counts_codes_by_city_coder_and_transcript() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let m = json(
        &sb,
        &dir,
        "claire",
        &["matrix", "--by", "city", "--format", "json"],
    );
    assert_eq!(
        m["columns"],
        serde_json::json!([
            "Clermont-Ferrand",
            "Lille",
            "Marseille",
            "Paris",
            "Toulouse"
        ])
    );
    assert_eq!(cell(&m, "lack-of-political-support", "Paris"), 4);
    assert_eq!(cell(&m, "debriefing", "Toulouse"), 4);
    assert_eq!(cell(&m, "physical-violence", "Marseille"), 2);
    assert_eq!(total(&m, "physical-violence"), 7);
    assert_eq!(total(&m, "debriefing"), 8);

    let t = json(
        &sb,
        &dir,
        "claire",
        &[
            "matrix",
            "--by",
            "city",
            "--count",
            "transcripts",
            "--format",
            "json",
        ],
    );
    assert_eq!(total(&t, "debriefing"), 3);
    assert_eq!(cell(&t, "debriefing", "Toulouse"), 1);
    let l = json(
        &sb,
        &dir,
        "claire",
        &[
            "matrix", "--by", "city", "--count", "lines", "--format", "json",
        ],
    );
    assert_eq!(total(&l, "lack-of-political-support"), 11);
    assert_eq!(cell(&l, "lack-of-political-support", "Paris"), 5);

    let c = json(
        &sb,
        &dir,
        "claire",
        &[
            "matrix",
            "--by",
            "coder",
            "--codes",
            "debriefing,lack-of-political-support",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        c["rows"],
        serde_json::json!(["debriefing", "lack-of-political-support"])
    );
    assert_eq!(c["cells"], serde_json::json!([[4, 4], [4, 4]]));

    // The heat map: letters for columns, a legend, shades that need no colour.
    let out = sb.cbr(&dir, "claire", &["matrix", "--by", "city"]);
    assert_success(&out);
    let table = stdout(&out);
    assert!(
        table.contains("lack-of-political-support  ·  · 2▒ 4█ 2▒     8\n"),
        "{table}"
    );
    assert!(
        table.contains("A Clermont-Ferrand   B Lille   C Marseille   D Paris   E Toulouse\n"),
        "{table}"
    );
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    assert!(!table.contains('\x1b'));
}

#[test]
fn cooccurrence_counts_overlaps_by_the_same_coder() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let m = json(
        &sb,
        &dir,
        "claire",
        &[
            "cooccur",
            "--codes",
            "physical-violence,procedures,boundaries,dual-role",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        m["cells"],
        serde_json::json!([[7, 2, 0, 0], [2, 4, 0, 0], [0, 0, 2, 1], [0, 0, 1, 3]])
    );
    let all = json(&sb, &dir, "claire", &["cooccur", "--format", "json"]);
    let n = all["rows"].as_array().unwrap().len();
    let off_diagonal: u64 = (0..n)
        .flat_map(|i| (0..n).filter(move |&j| j > i).map(move |j| (i, j)))
        .map(|(i, j)| all["cells"][i][j].as_u64().unwrap())
        .sum();
    assert_eq!(off_diagonal, 8);
    let out = sb.cbr(
        &dir,
        "claire",
        &["cooccur", "--codes", "boundaries,dual-role"],
    );
    assert_success(&out);
    assert!(
        stdout(&out).contains("A boundaries 2  1█     2\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn blind_coding_hides_others_work_in_progress() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    // interview-03: alice is still coding it, bob has not started.
    let args = [
        "matrix",
        "--by",
        "coder",
        "--codes",
        "vicarious-impact,psycho-trauma",
        "--format",
        "json",
    ];
    let alice = json(&sb, &dir, "alice", &args);
    assert_eq!(alice["cells"], serde_json::json!([[2], [1]]));
    let out = sb.cbr(&dir, "claire", &args);
    assert_success(&out);
    let claire: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(claire["cells"], serde_json::json!([[1], [0]]));
    assert_eq!(
        stderr(&out),
        "Blind coding: other coders' segments on interview-03 (waiting for alice and bob) are left out until every assigned coder completes it; --unblind shows them.\n"
    );
    let mut unblind = args.to_vec();
    unblind.push("--unblind");
    assert_eq!(json(&sb, &dir, "claire", &unblind)["cells"], alice["cells"]);
    let out = sb.cbr(&dir, "claire", &["quotes", "psycho-trauma"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).ends_with("No passage coded psycho-trauma.\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_input_says_what_exists() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let err = |args: &[&str]| {
        let out = sb.cbr(&dir, "claire", args);
        assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
        stderr(&out)
    };
    assert_eq!(
        err(&["quotes", "verbal-violense"]),
        "cbr: no code or alias `verbal-violense` in the codebook; did you mean verbal-violence? (`cbr codes` lists them)\n"
    );
    assert_eq!(
        err(&["matrix", "--where", "town=Paris"]),
        "cbr: --where: no transcript has metadata `town` (keys in this study: city, date, fictional, kind, language, participant_role, site)\n"
    );
    assert_eq!(
        err(&["quotes", "humour", "--where", "city=Marseile"]),
        "cbr: --where: no transcript has city=Marseile (values of city: Clermont-Ferrand, Lille, Marseille, Paris, Toulouse)\n"
    );
    assert_eq!(
        err(&["matrix", "--by", "service"]),
        "cbr: --by service: no transcript has this metadata (keys in this study: city, date, fictional, kind, language, participant_role, site; or transcript, coder)\n"
    );
    assert!(
        err(&["quotes", "humour", "--coders", "consensus"]).contains("no codings by `consensus`")
    );
    // A filter that is valid but finds nothing is said, not printed empty.
    let out = sb.cbr(
        &dir,
        "claire",
        &["quotes", "humour", "--where", "city=Lille"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).ends_with("No passage coded humour where city=Lille.\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_linked_metadata_file_is_not_read() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let meta = dir.join("transcripts/interview-01.toml");
    std::fs::remove_file(&meta).unwrap();
    std::fs::write(sb.path().join("outside.toml"), "city = \"Marseille\"\n").unwrap();
    std::os::unix::fs::symlink(sb.path().join("outside.toml"), &meta).unwrap();
    let out = sb.cbr(
        &dir,
        "claire",
        &["quotes", "verbal-violence", "--where", "city=Marseille"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("transcripts/interview-01.toml:1:1: not a regular file (a link?); replace it with a plain TOML file (left out)\n"),
        "{}",
        stderr(&out)
    );
}
