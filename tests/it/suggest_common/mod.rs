//! Helpers for the suggestion and history tests: run cbr as a given coder,
//! read code files and codings back, approve and merge in one go.

#![allow(dead_code)]

use std::path::Path;
use std::process::Output;

use codebook_review::model::Code;
use codebook_review::study::Study;

use crate::common::{Sandbox, assert_success, stderr, stdout};

/// Runs cbr, asserts success, returns stdout.
pub fn ok(sb: &Sandbox, dir: &Path, coder: &str, args: &[&str]) -> String {
    let out = sb.cbr(dir, coder, args);
    assert_success(&out);
    stdout(&out)
}

/// Runs cbr, asserts the exit code, returns stdout and stderr together.
pub fn fails(sb: &Sandbox, dir: &Path, coder: &str, args: &[&str], code: i32) -> String {
    let out = sb.cbr(dir, coder, args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "cbr {args:?}\nstdout:\n{}\nstderr:\n{}",
        stdout(&out),
        stderr(&out)
    );
    format!("{}{}", stdout(&out), stderr(&out))
}

/// Runs cbr with `$EDITOR` set to a shell script with the given body
/// (`$1` is the draft file).
pub fn with_editor(sb: &Sandbox, dir: &Path, coder: &str, script: &str, args: &[&str]) -> Output {
    let path = sb.path().join("editor.sh");
    std::fs::write(&path, script).unwrap();
    sb.command(env!("CARGO_BIN_EXE_cbr"))
        .current_dir(dir)
        .env("CBR_CODER", coder)
        .env_remove("VISUAL")
        .env("EDITOR", format!("sh {}", path.display()))
        .args(args)
        .output()
        .unwrap()
}

/// The code file `codebook/codes/<id>.toml` in the working tree.
pub fn code(dir: &Path, id: &str) -> Code {
    let text = std::fs::read_to_string(dir.join(format!("codebook/codes/{id}.toml"))).unwrap();
    toml::from_str(&text).unwrap()
}

/// The code file at a git revision, read with the `git` command.
pub fn code_at(sb: &Sandbox, dir: &Path, rev: &str, id: &str) -> Code {
    toml::from_str(&sb.git(dir, &["show", &format!("{rev}:codebook/codes/{id}.toml")])).unwrap()
}

/// Approves `branch` as `approver` and merges it as `merger`.
pub fn approve_and_merge(sb: &Sandbox, dir: &Path, branch: &str, approver: &str, merger: &str) {
    ok(sb, dir, approver, &["suggest", "approve", branch]);
    let out = ok(sb, dir, merger, &["suggest", "merge", branch]);
    assert!(
        out.starts_with("Merged suggest/") && out.contains(" into main ("),
        "{out}"
    );
}

/// Every segment of every coding resolves to a code of the working tree's codebook;
/// returns how many segments there are.
pub fn all_segments_resolve(dir: &Path) -> usize {
    let study = Study::open(dir).unwrap();
    let (codings, problems) = study.all_codings();
    assert!(problems.is_empty(), "{problems:?}");
    let mut n = 0;
    for (coder, coding) in codings {
        for seg in coding.segments {
            assert!(
                study.codebook.resolve(seg.code.as_str()).is_some(),
                "{coder}/{}: `{}` no longer resolves",
                coding.transcript,
                seg.code
            );
            n += 1;
        }
    }
    n
}

/// `cbr check` passes with nothing to report.
pub fn check_clean(sb: &Sandbox, dir: &Path) {
    let out = sb.cbr(dir, "alice", &["check"]);
    assert_success(&out);
    assert_eq!(stdout(&out), "");
}

/// The full message of a commit, with the `git` command.
pub fn message(sb: &Sandbox, dir: &Path, rev: &str) -> String {
    sb.git(dir, &["log", "-1", "--format=%B", rev])
}

/// Bob renames verbal-violence to hostile-words (branch slug `plainer`);
/// alice approves, bob merges.
pub fn rename_verbal_violence(sb: &Sandbox, dir: &Path) {
    ok(
        sb,
        dir,
        "bob",
        &[
            "suggest",
            "new",
            "rename",
            "verbal-violence",
            "hostile-words",
            "--rationale",
            "Plainer.",
            "--slug",
            "plainer",
        ],
    );
    approve_and_merge(sb, dir, "plainer", "alice", "bob");
}

/// Alice folds debriefing into team-support; claire approves, alice merges.
pub fn merge_debriefing(sb: &Sandbox, dir: &Path) {
    ok(
        sb,
        dir,
        "alice",
        &[
            "suggest",
            "new",
            "merge",
            "debriefing",
            "team-support",
            "--rationale",
            "Indistinct in practice.",
        ],
    );
    approve_and_merge(
        sb,
        dir,
        "merge-debriefing-into-team-support",
        "claire",
        "alice",
    );
}
