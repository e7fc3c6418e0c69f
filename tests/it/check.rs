//! `cbr check`: one test per class of problem, each asserting the
//! `path:line:col` it prints, on a real temporary study.

use crate::common;

use std::path::{Path, PathBuf};

use codebook_review::model::transcript::content_hash;
use common::{Sandbox, assert_success, stdout};

const TRANSCRIPT: &str = "INT: Comment ça se passe à l'accueil ?\nP: Il m'a menacé.\n\nP: Et personne ne nous soutient.\n";

/// A small valid study: two codes, one transcript, one coding.
fn fixture(sb: &Sandbox) -> PathBuf {
    let dir = sb.path().join("study");
    assert_success(&sb.cbr(sb.path(), "alice", &["init", dir.to_str().unwrap()]));
    write(
        &dir,
        "codebook/codes/violence.toml",
        "id = \"violence\"\nname = \"Violence\"\ndefinition = \"Any violence.\"\n",
    );
    write(
        &dir,
        "codebook/codes/threats.toml",
        "id = \"threats\"\nname = \"Threats\"\nparent = \"violence\"\ndefinition = \"Threats.\"\naliases = [\"menaces\"]\n",
    );
    write(&dir, "transcripts/interview-01.txt", TRANSCRIPT);
    write(
        &dir,
        "codings/alice/interview-01.toml",
        &coding("threats", 2, 2),
    );
    let out = sb.cbr(&dir, "alice", &["check"]);
    assert_success(&out);
    assert_eq!(stdout(&out), "");
    dir
}

fn coding(code: &str, start: usize, end: usize) -> String {
    format!(
        "transcript = \"interview-01\"\ntranscript_hash = \"{}\"\ncomplete = true\n\n[[segments]]\ncode = \"menaces\"\nstart_line = 1\nend_line = 1\n\n[[segments]]\ncode = \"{code}\"\nstart_line = {start}\nend_line = {end}\n",
        content_hash(TRANSCRIPT.as_bytes())
    )
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs `cbr check`, asserts it failed, and returns its report lines.
fn problems(sb: &Sandbox, dir: &Path) -> Vec<String> {
    let out = sb.cbr(dir, "alice", &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    stdout(&out).lines().map(str::to_string).collect()
}

#[test]
fn malformed_toml_is_located() {
    let sb = Sandbox::new();
    let dir = fixture(&sb);
    write(
        &dir,
        "codebook/codes/violence.toml",
        "id = \"violence\"\nname = \"Violence\ndefinition = \"x\"\n",
    );
    let p = problems(&sb, &dir);
    assert!(
        p.contains(
            &"codebook/codes/violence.toml:2:17: invalid basic string, expected `\"`".to_string()
        ),
        "{p:?}"
    );
    // The unreadable code is missing from the codebook, and the one that names it as parent says so.
    assert!(
        p[0].starts_with("codebook/codes/threats.toml:3:1: code `threats` has parent `violence`"),
        "{p:?}"
    );
}

#[test]
fn unknown_code_in_a_coding_is_located() {
    let sb = Sandbox::new();
    let dir = fixture(&sb);
    write(
        &dir,
        "codings/alice/interview-01.toml",
        &coding("threat", 2, 2),
    );
    let p = problems(&sb, &dir);
    assert_eq!(
        p,
        [
            "codings/alice/interview-01.toml:11:8: unknown code `threat`: not in the codebook nor an alias (`cbr codes` lists them)"
        ]
    );
}

#[test]
fn line_range_past_the_end_is_located() {
    let sb = Sandbox::new();
    let dir = fixture(&sb);
    write(
        &dir,
        "codings/alice/interview-01.toml",
        &coding("threats", 3, 9),
    );
    let p = problems(&sb, &dir);
    assert_eq!(
        p,
        [
            "codings/alice/interview-01.toml:13:12: line range 3-9 runs past the end of `interview-01`, which has 4 lines"
        ]
    );
}

#[test]
fn reversed_line_range_is_located() {
    let sb = Sandbox::new();
    let dir = fixture(&sb);
    write(
        &dir,
        "codings/alice/interview-01.toml",
        &coding("threats", 3, 2),
    );
    let p = problems(&sb, &dir);
    assert_eq!(p.len(), 1);
    assert!(
        p[0].starts_with("codings/alice/interview-01.toml:12:14: bad line range 3-2"),
        "{p:?}"
    );
}

#[test]
fn transcript_changed_since_coding_is_located() {
    let sb = Sandbox::new();
    let dir = fixture(&sb);
    write(
        &dir,
        "transcripts/interview-01.txt",
        &TRANSCRIPT.replace("menacé", "insulté"),
    );
    let p = problems(&sb, &dir);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("codings/alice/interview-01.toml:2:19: transcript `interview-01` changed since it was coded"),
        "{p:?}"
    );
}

#[test]
fn duplicate_code_id_is_located() {
    let sb = Sandbox::new();
    let dir = fixture(&sb);
    // A copied file that still says the old id: two files claim `violence`.
    let copy = std::fs::read_to_string(dir.join("codebook/codes/violence.toml")).unwrap();
    write(&dir, "codebook/codes/violence-copy.toml", &copy);
    let p = problems(&sb, &dir);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("codebook/codes/violence-copy.toml:1:1: duplicate or mismatched id"),
        "{p:?}"
    );
}

#[test]
fn alias_equal_to_a_code_id_is_located() {
    let sb = Sandbox::new();
    let dir = fixture(&sb);
    write(
        &dir,
        "codebook/codes/threats.toml",
        "id = \"threats\"\nname = \"Threats\"\nparent = \"violence\"\ndefinition = \"Threats.\"\naliases = [\"menaces\", \"violence\"]\n",
    );
    let p = problems(&sb, &dir);
    assert_eq!(
        p,
        [
            "codebook/codes/threats.toml:5:1: code `threats` lists alias `violence`, which is also the id of a code"
        ]
    );
}

#[test]
fn alias_cycle_is_located() {
    let sb = Sandbox::new();
    let dir = fixture(&sb);
    write(
        &dir,
        "codebook/codes/violence.toml",
        "id = \"violence\"\nname = \"Violence\"\ndefinition = \"Any violence.\"\nstatus = \"merged\"\nmerged_into = \"menaces\"\n",
    );
    write(
        &dir,
        "codebook/codes/threats.toml",
        "id = \"threats\"\nname = \"Threats\"\ndefinition = \"Threats.\"\nstatus = \"merged\"\nmerged_into = \"violence\"\naliases = [\"menaces\"]\n",
    );
    let p = problems(&sb, &dir);
    assert!(
        p.contains(&"codebook/codes/violence.toml:5:1: alias cycle: resolving `violence` through merges and aliases never ends".to_string()),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.starts_with("codebook/codes/threats.toml:5:1: alias cycle")),
        "{p:?}"
    );
}

#[test]
fn bad_ids_in_file_names_are_refused() {
    let sb = Sandbox::new();
    let dir = fixture(&sb);
    write(
        &dir,
        "codings/Bad Coder/interview-01.toml",
        &coding("threats", 2, 2),
    );
    let p = problems(&sb, &dir);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with(
            "codings/Bad Coder:1:1: coder folder file name: `Bad Coder` is not a valid id"
        ),
        "{p:?}"
    );
}

#[test]
fn coding_of_unknown_transcript_is_located() {
    let sb = Sandbox::new();
    let dir = fixture(&sb);
    write(
        &dir,
        "codings/bob/interview-09.toml",
        &coding("threats", 2, 2).replace("interview-01", "interview-09"),
    );
    let p = problems(&sb, &dir);
    assert_eq!(
        p,
        [
            "codings/bob/interview-09.toml:1:14: unknown transcript `interview-09`: there is no transcripts/interview-09.txt"
        ]
    );
}

#[test]
fn json_output_lists_problems() {
    let sb = Sandbox::new();
    let dir = fixture(&sb);
    write(
        &dir,
        "codings/alice/interview-01.toml",
        &coding("threat", 2, 2),
    );
    let out = sb.cbr(&dir, "alice", &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v[0]["path"], "codings/alice/interview-01.toml");
    assert_eq!(v[0]["line"], 11);
}

#[test]
fn bad_column_span_is_located() {
    let sb = Sandbox::new();
    let dir = fixture(&sb);
    let text = coding("threats", 2, 2).replace(
        "end_line = 2\n",
        "end_line = 2\nstart_col = 9\nend_col = 3\n",
    );
    write(&dir, "codings/alice/interview-01.toml", &text);
    let p = problems(&sb, &dir);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("codings/alice/interview-01.toml:12:14: bad column span"),
        "{p:?}"
    );
}

#[test]
fn consensus_fields_outside_consensus_are_located() {
    let sb = Sandbox::new();
    let dir = fixture(&sb);
    let text = coding("threats", 2, 2).replace(
        "end_line = 2\n",
        "end_line = 2\nrationale = \"we agreed\"\n",
    );
    write(&dir, "codings/alice/interview-01.toml", &text);
    let p = problems(&sb, &dir);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with(
            "codings/alice/interview-01.toml:11:8: `rationale` and `decided_by` belong"
        ),
        "{p:?}"
    );
}
