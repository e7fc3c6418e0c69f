//! Transcript corrections and pseudonymisation: codings follow the text.

use std::path::Path;

use crate::common::{Sandbox, assert_success, stderr, stdout};

fn agree_json(sb: &Sandbox, dir: &Path, transcripts: &str) -> String {
    let out = sb.cbr(
        dir,
        "alice",
        &[
            "agree",
            "--unblind",
            "--transcripts",
            transcripts,
            "--format",
            "json",
        ],
    );
    assert_success(&out);
    stdout(&out)
}

fn head(sb: &Sandbox, dir: &Path) -> String {
    sb.git(dir, &["rev-parse", "HEAD"])
}

#[test]
fn pseudonymising_the_demo_leaves_no_original_and_one_commit_per_transcript() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let untouched = agree_json(&sb, &dir, "interview-02");
    let map = sb.path().join("names.csv");
    std::fs::write(
        &map,
        "original,pseudonym\nKarim,Samir\nMarseille,Portville\nFanal,Balise\n",
    )
    .unwrap();
    let map = map.to_str().unwrap();

    let dry = sb.cbr(&dir, "alice", &["pseudonymise", "--map", map, "--dry-run"]);
    assert_success(&dry);
    assert!(stdout(&dry).contains("[Karim → Samir]"), "{}", stdout(&dry));
    let before = head(&sb, &dir);
    assert_eq!(head(&sb, &dir), before, "a dry run changes nothing");

    let run = sb.cbr(&dir, "carol", &["pseudonymise", "--map", map]);
    assert_success(&run);
    let check = sb.cbr(&dir, "alice", &["check", "--pseudonyms", map]);
    assert_success(&check);
    assert!(stderr(&check).contains("Git history still holds the original text"));
    for name in ["Karim", "Marseille", "Fanal"] {
        let grep = sb
            .command("git")
            .current_dir(&dir)
            .args(["grep", "-i", "-w", name])
            .output()
            .unwrap();
        assert!(!grep.status.success(), "{name} left: {}", stdout(&grep));
    }
    assert_eq!(agree_json(&sb, &dir, "interview-02"), untouched);
    // Every coding records the new text's hash: nothing is stale.
    assert_success(&sb.cbr(&dir, "alice", &["check"]));

    let log = sb.git(
        &dir,
        &["log", "--format=%an|%s", &format!("{}..", before.trim())],
    );
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(
        lines,
        [
            "carol|carol: pseudonymise codebook examples: 1 replacement(s) in 1 code(s)",
            "carol|carol: pseudonymise interview-01: 0 moved, 0 changed, 0 need re-check",
            "carol|carol: pseudonymise focus-group-01: 0 moved, 10 changed, 0 need re-check",
            "carol|carol: pseudonymise fieldnotes-02: 0 moved, 0 changed, 0 need re-check",
        ]
    );
    let show = sb.git(&dir, &["show", "--stat", "--format=", "HEAD~2"]);
    assert!(show.contains("codings/alice/focus-group-01.toml"), "{show}");
    assert!(show.contains("codings/bob/focus-group-01.toml"), "{show}");
}

#[test]
fn a_hand_edit_is_stale_until_reanchored_and_agreement_then_is_unchanged() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let before = agree_json(&sb, &dir, "interview-01");
    let path = dir.join("transcripts/interview-01.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    // A blank line at the top (not a unit) and a typo fixed on line 2.
    let edited = format!(
        "\n{}",
        text.replacen("Ça fait six ans", "Ça fait six ans,", 1)
    );
    std::fs::write(&path, edited).unwrap();
    let stale = agree_json(&sb, &dir, "interview-01");
    assert!(stale.contains("\"stale\": [\n"), "{stale}");

    let out = sb.cbr(&dir, "alice", &["reanchor"]);
    assert_success(&out);
    assert!(
        stdout(&out).starts_with("interview-01: "),
        "{}",
        stdout(&out)
    );
    assert_eq!(agree_json(&sb, &dir, "interview-01"), before);
    // Codebook examples citing the transcript follow their lines.
    let example = std::fs::read_to_string(dir.join("codebook/codes/team-support.toml")).unwrap();
    assert!(
        example.contains("source = \"interview-01:53\""),
        "{example}"
    );
    let msg = sb.git(&dir, &["log", "-1", "--format=%an|%s"]);
    assert!(
        msg.starts_with("alice|alice: re-anchor codings of interview-01: "),
        "{msg}"
    );
    let again = sb.cbr(&dir, "alice", &["reanchor", "interview-01"]);
    assert!(stdout(&again).contains("nothing to do"));
}

#[test]
fn a_rewritten_passage_goes_to_the_coders_recheck_queue_until_cleared() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let text = std::fs::read_to_string(dir.join("transcripts/interview-02.txt")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[6] = "P: [passage removed at the participant's request]";
    let fixed = sb.path().join("fixed.txt");
    std::fs::write(&fixed, lines.join("\n") + "\n").unwrap();
    let out = sb.cbr(
        &dir,
        "alice",
        &[
            "transcript",
            "replace",
            "interview-02",
            fixed.to_str().unwrap(),
        ],
    );
    assert_success(&out);
    assert!(
        stdout(&out).contains("needs re-check: alice interview-02:7-8:police-pressure"),
        "{}",
        stdout(&out)
    );
    let list = sb.cbr(&dir, "alice", &["recheck", "list"]);
    assert!(stdout(&list).contains("interview-02:7-8:police-pressure  text changed"));
    assert!(
        stdout(&list).contains("    + P: [passage removed"),
        "{}",
        stdout(&list)
    );
    assert!(dir.join("recheck/alice.toml").is_file());
    // The passage as coded is quoted there, so pseudonymisation covers it too.
    let map = sb.path().join("map.toml");
    std::fs::write(&map, "van = \"car\"\n").unwrap();
    let run = sb.cbr(
        &dir,
        "alice",
        &["pseudonymise", "--map", map.to_str().unwrap()],
    );
    assert_success(&run);
    let queue = std::fs::read_to_string(dir.join("recheck/alice.toml")).unwrap();
    assert!(queue.contains("a police car parked"), "{queue}");
    let log = sb.git(&dir, &["log", "-1", "--format=%s"]);
    assert!(log.contains("re-check items: 2 replacement(s)"), "{log}");
    let clear = sb.cbr(
        &dir,
        "alice",
        &["recheck", "clear", "interview-02:7-8:police-pressure"],
    );
    assert_success(&clear);
    let list = sb.cbr(&dir, "alice", &["recheck", "list"]);
    assert!(!stdout(&list).contains("text changed"), "{}", stdout(&list));
}

#[test]
fn editing_in_the_editor_reanchors() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let script = sb.path().join("editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nsed -i '1i Transcribed by the team.' \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = sb
        .command(env!("CARGO_BIN_EXE_cbr"))
        .current_dir(&dir)
        .env("CBR_CODER", "bob")
        .env("EDITOR", &script)
        .args(["transcript", "edit", "interview-03"])
        .output()
        .unwrap();
    assert_success(&out);
    assert!(stdout(&out).contains("interview-03: "), "{}", stdout(&out));
    let first = std::fs::read_to_string(dir.join("transcripts/interview-03.txt")).unwrap();
    assert!(first.starts_with("Transcribed by the team.\n"));
    let msg = sb.git(&dir, &["log", "-1", "--format=%an|%s"]);
    assert!(msg.starts_with("bob|bob: correct interview-03: "), "{msg}");
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let before = head(&sb, &dir);
    let file = |name: &str, bytes: &[u8]| {
        let p = sb.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_string()
    };
    let latin1 = file("latin1.txt", b"P: caf\xe9\n");
    let empty = file("empty.txt", b"\n\n");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "transcript".into(),
                "replace".into(),
                "interview-01".into(),
                latin1,
            ],
            "not valid UTF-8",
        ),
        (
            vec![
                "transcript".into(),
                "replace".into(),
                "interview-01".into(),
                empty,
            ],
            "the file is empty",
        ),
        (
            vec![
                "transcript".into(),
                "replace".into(),
                "nobody".into(),
                file("x.txt", b"text\n"),
            ],
            "no transcript `nobody`",
        ),
        (
            vec![
                "pseudonymise".into(),
                "--map".into(),
                file("dup.csv", b"Karim,Samir\nkarim,Yanis\n"),
            ],
            "dup.csv:2: `karim` is listed twice",
        ),
        (
            vec![
                "pseudonymise".into(),
                "--map".into(),
                file("over.csv", b"Le Fanal,La Balise\nFanal,Balise\n"),
            ],
            "must not overlap",
        ),
        (
            vec![
                "pseudonymise".into(),
                "--map".into(),
                file("chain.csv", b"Karim,Samir\nSamir,Yanis\n"),
            ],
            "contains the original `Samir`",
        ),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = sb.cbr(&dir, "alice", &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    std::fs::write(dir.join("names.csv"), "Karim,Samir\n").unwrap();
    let inside = sb.cbr(&dir, "alice", &["pseudonymise", "--map", "names.csv"]);
    assert_eq!(inside.status.code(), Some(2));
    assert!(
        stderr(&inside).contains("is inside the study folder"),
        "{}",
        stderr(&inside)
    );
    assert!(stderr(&inside).contains("~/private"));
    assert_eq!(head(&sb, &dir), before);
    let status = sb.git(&dir, &["status", "--porcelain"]);
    assert_eq!(status, "?? names.csv\n");
}

#[test]
fn reconciliation_decisions_move_with_their_hunks() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let decide = sb.cbr(
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
            "--rationale",
            "The complaint; see interview-01:35",
        ],
    );
    assert_success(&decide);
    let path = dir.join("transcripts/interview-01.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let fixed = sb.path().join("fixed.txt");
    std::fs::write(
        &fixed,
        format!("[Recording starts]\n[Consent read aloud]\n{text}"),
    )
    .unwrap();
    let out = sb.cbr(
        &dir,
        "claire",
        &[
            "transcript",
            "replace",
            "interview-01",
            fixed.to_str().unwrap(),
        ],
    );
    assert_success(&out);
    let consensus =
        std::fs::read_to_string(dir.join("codings/consensus/interview-01.toml")).unwrap();
    assert!(
        consensus.contains("start_line = 36\nend_line = 40\nchoice = \"edited\""),
        "{consensus}"
    );
    assert!(consensus.contains("see interview-01:37"), "{consensus}");
    let list = sb.cbr(
        &dir,
        "claire",
        &["reconcile", "alice", "bob", "--list", "--format", "json"],
    );
    assert_success(&list);
    let list: serde_json::Value = serde_json::from_str(&stdout(&list)).unwrap();
    assert_eq!(
        list["resolved"].as_u64(),
        Some(1),
        "the decision still settles its hunk"
    );
}

#[test]
fn a_hand_edit_already_committed_is_reanchored_from_history_and_consensus_items_are_the_teams() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let decide = sb.cbr(
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
            "--rationale",
            "The complaint",
        ],
    );
    assert_success(&decide);
    let path = dir.join("transcripts/interview-01.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[33] = "P: [inaudible]";
    std::fs::write(&path, format!("Header line\n{}\n", lines.join("\n"))).unwrap();
    sb.git(&dir, &["commit", "-qam", "fix transcript by hand"]);

    let out = sb.cbr(&dir, "alice", &["reanchor", "interview-01"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("needs re-check: consensus interview-01:35-36:legal-action"),
        "{}",
        stdout(&out)
    );
    let list = sb.cbr(&dir, "bob", &["recheck", "list"]);
    assert!(
        stdout(&list).contains("consensus interview-01:35-36:legal-action  text changed"),
        "{}",
        stdout(&list)
    );
    let clear = sb.cbr(
        &dir,
        "bob",
        &["recheck", "clear", "interview-01:35-36:legal-action"],
    );
    assert_success(&clear);
    assert!(!dir.join("recheck/consensus.toml").exists());
    let msg = sb.git(&dir, &["log", "-1", "--format=%an|%s"]);
    assert!(msg.starts_with("bob|bob: re-checked 1 segment"), "{msg}");
}
