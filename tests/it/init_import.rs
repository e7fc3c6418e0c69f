//! `cbr init` and `cbr import` on real temporary repositories.

use crate::common;

use common::{Sandbox, assert_success, stderr, stdout};

#[test]
fn init_creates_a_committed_study() {
    let sb = Sandbox::new();
    let dir = sb.path().join("study");
    let out = sb.cbr(
        sb.path(),
        "alice",
        &[
            "init",
            dir.to_str().unwrap(),
            "--title",
            "Violence au travail",
        ],
    );
    assert_success(&out);
    assert!(dir.join("study.toml").is_file());
    let log = sb.git(&dir, &["log", "--format=%an|%s"]);
    assert_eq!(
        log.trim(),
        "alice|alice: start study \"Violence au travail\""
    );
    assert_eq!(sb.git(&dir, &["branch", "--show-current"]).trim(), "main");

    let again = sb.cbr(sb.path(), "alice", &["init", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already a study"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn import_commits_verbatim_text_under_a_slug_id() {
    let sb = Sandbox::new();
    let dir = sb.path().join("study");
    assert_success(&sb.cbr(sb.path(), "alice", &["init", dir.to_str().unwrap()]));
    let src = sb.path().join("Entretien Élodie 03.txt");
    let text = "INT: Bonjour.\r\nP: Ça va.\n";
    std::fs::write(&src, text).unwrap();
    let notes = sb.path().join("notes.md");
    std::fs::write(&notes, "# Field notes\n").unwrap();
    let out = sb.cbr(
        &dir,
        "bob",
        &["import", src.to_str().unwrap(), notes.to_str().unwrap()],
    );
    assert_success(&out);
    assert!(stdout(&out).contains("transcripts/entretien-elodie-03.txt"));
    assert_eq!(
        std::fs::read_to_string(dir.join("transcripts/entretien-elodie-03.txt")).unwrap(),
        text,
        "text is stored verbatim"
    );
    let log = sb.git(&dir, &["log", "-1", "--format=%an|%s", "--name-only"]);
    assert!(log.starts_with("bob|bob: import 2 transcripts"), "{log}");
    assert!(log.contains("transcripts/notes.txt"));

    // A duplicate is refused and nothing is written or committed.
    let out = sb.cbr(&dir, "bob", &["import", src.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(sb.git(&dir, &["rev-list", "--count", "HEAD"]).trim(), "2");
}

#[test]
fn import_refuses_non_utf8_naming_file_and_offset() {
    let sb = Sandbox::new();
    let dir = sb.path().join("study");
    assert_success(&sb.cbr(sb.path(), "alice", &["init", dir.to_str().unwrap()]));
    let good = sb.path().join("good.txt");
    std::fs::write(&good, "fine\n").unwrap();
    let bad = sb.path().join("latin1.txt");
    std::fs::write(&bad, b"ligne un\nd\xe9j\xe0 vu\n").unwrap();
    let out = sb.cbr(
        &dir,
        "alice",
        &["import", good.to_str().unwrap(), bad.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("latin1.txt:2: not valid UTF-8 at byte 10"),
        "{err}"
    );
    assert!(err.contains("iconv"), "{err}");
    assert!(!dir.join("transcripts/good.txt").exists(), "all or nothing");
}

#[test]
fn bad_coder_ids_are_refused() {
    let sb = Sandbox::new();
    let dir = sb.path().join("study");
    let out = sb.cbr(sb.path(), "../../etc", &["init", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`../../etc` is not a valid id"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.exists());
}

#[test]
fn commands_outside_a_study_say_what_to_do() {
    let sb = Sandbox::new();
    let out = sb.cbr(sb.path(), "alice", &["codes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("run `cbr init`"), "{}", stderr(&out));
}

#[test]
fn nobody_acts_as_consensus() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let notes = sb.path().join("notes.txt");
    std::fs::write(&notes, "P: bonjour\n").unwrap();
    let out = sb.cbr(&dir, "consensus", &["import", notes.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`consensus` is reserved"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("transcripts/notes.txt").exists());
}

#[test]
fn approving_twice_is_refused() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let approve = || {
        sb.cbr(
            &dir,
            "alice",
            &["suggest", "approve", "clarify-violence-from-public"],
        )
    };
    assert_success(&approve());
    let before = sb.git(
        &dir,
        &["rev-parse", "suggest/bob/clarify-violence-from-public"],
    );
    let again = approve();
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already approved"),
        "{}",
        stderr(&again)
    );
    let after = sb.git(
        &dir,
        &["rev-parse", "suggest/bob/clarify-violence-from-public"],
    );
    assert_eq!(before, after, "no second approval commit");
}

#[test]
fn no_study_inside_a_study() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let out = sb.cbr(&dir.join("codebook"), "alice", &["init", "nested"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("inside the study at"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("codebook/nested").exists());
}

#[test]
fn an_error_names_its_cause_once() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let out = sb.cbr(&dir, "alice", &["import", "/nonexistent/notes.txt"]);
    let err = stderr(&out);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
}
