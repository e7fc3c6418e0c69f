//! Each kind of codebook suggestion end to end on the demo study: proposed
//! with `cbr suggest new`, approved by someone else, merged, then read back
//! with the `git` command, with every coding still resolving and
//! `cbr check` clean.

use crate::common;
use crate::suggest_common;

use codebook_review::model::Status;
use common::{Sandbox, stderr, stdout};
use suggest_common::{
    all_segments_resolve, approve_and_merge, check_clean, code, code_at, fails, message, ok,
    with_editor,
};

#[test]
fn add_a_code() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let out = ok(
        &sb,
        &dir,
        "bob",
        &[
            "suggest",
            "new",
            "add",
            "peer-solidarity",
            "--name",
            "Peer solidarity",
            "--parent",
            "peer-position",
            "--definition",
            "Support that peer workers give one another.",
            "--rationale",
            "Peer workers describe a network of their own.",
        ],
    );
    assert!(
        out.contains("Suggested suggest/bob/add-the-code-peer-solidarity."),
        "{out}"
    );
    let branch = "suggest/bob/add-the-code-peer-solidarity";
    // The branch is plain git: one commit adding one file, title and kind in the message.
    let stat = sb.git(&dir, &["show", "--stat", "--format=%an %s", branch]);
    assert!(
        stat.starts_with("bob Add the code Peer solidarity"),
        "{stat}"
    );
    assert!(
        stat.contains("codebook/codes/peer-solidarity.toml | "),
        "{stat}"
    );
    assert!(message(&sb, &dir, branch).contains("Suggestion-kind: add"));
    assert!(
        !dir.join("codebook/codes/peer-solidarity.toml").exists(),
        "working tree untouched before merge"
    );

    approve_and_merge(&sb, &dir, "add-the-code-peer-solidarity", "claire", "alice");
    let added = code(&dir, "peer-solidarity");
    assert_eq!(added.parent.as_ref().unwrap().as_str(), "peer-position");
    assert_eq!(added, code_at(&sb, &dir, "main", "peer-solidarity"));
    let merge = message(&sb, &dir, "main");
    assert!(
        merge
            .starts_with("Merge suggestion: Add the code Peer solidarity\n\nPeer workers describe"),
        "{merge}"
    );
    for trailer in [
        "Suggestion-kind: add",
        "Suggested-by: bob",
        "Approved-by: claire",
        &format!("Suggestion-branch: {branch}"),
    ] {
        assert!(merge.contains(trailer), "missing {trailer} in\n{merge}");
    }
    assert_eq!(
        sb.git(&dir, &["log", "-1", "--format=%an %P", "main"])
            .split(' ')
            .count(),
        3,
        "a merge commit by alice"
    );
    assert!(
        sb.git(&dir, &["branch", "--list", branch]).is_empty(),
        "merged branch deleted"
    );
    assert!(sb.git(&dir, &["status", "--porcelain"]).is_empty());
    check_clean(&sb, &dir);
}

#[test]
fn edit_fields_in_the_editor() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    // The "editor" rewrites the include text and fills in the rationale.
    let script = r#"sed -i -e 's/^rationale = .*/rationale = "Supervision also happens in pairs."/' \
        -e '/^include = """/,/^"""$/c include = "Group or paired sessions with an outside professional."' "$1"
"#;
    let out = with_editor(
        &sb,
        &dir,
        "alice",
        script,
        &["suggest", "new", "edit", "supervision", "--edit"],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let branch = "suggest/alice/revise-supervision-and-analysis-of-practice";
    assert!(stdout(&out).contains(branch), "{}", stdout(&out));
    let show = ok(&sb, &dir, "bob", &["suggest", "show", branch]);
    assert!(show.contains("~ supervision\n      include: [-"), "{show}");
    assert!(
        show.contains("{+Group or paired sessions with an outside professional.+}"),
        "{show}"
    );
    assert!(
        show.contains("Impact on coded segments (working tree)\n  supervision: alice "),
        "{show}"
    );
    let passages = ok(&sb, &dir, "bob", &["suggest", "show", branch, "--passages"]);
    assert!(passages.contains("    alice interview-"), "{passages}");

    approve_and_merge(&sb, &dir, branch, "bob", "bob");
    let c = code(&dir, "supervision");
    assert_eq!(
        c.include,
        "Group or paired sessions with an outside professional."
    );
    let diff = sb.git(
        &dir,
        &[
            "diff",
            "main^1",
            "main",
            "--",
            "codebook/codes/supervision.toml",
        ],
    );
    assert!(
        diff.contains("+include = \"Group or paired sessions"),
        "{diff}"
    );
    assert!(
        !dir.join(".git/cbr/drafts/edit-supervision.toml").exists(),
        "draft removed after success"
    );
    check_clean(&sb, &dir);
}

#[test]
fn rename_keeps_old_codings_resolving() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let before = all_segments_resolve(&dir);
    ok(
        &sb,
        &dir,
        "bob",
        &[
            "suggest",
            "new",
            "rename",
            "verbal-violence",
            "hostile-words",
            "--rationale",
            "The team says hostile words.",
            "--slug",
            "hostile-words",
        ],
    );
    approve_and_merge(&sb, &dir, "hostile-words", "alice", "bob");
    assert!(!dir.join("codebook/codes/verbal-violence.toml").exists());
    let renamed = code(&dir, "hostile-words");
    assert_eq!(
        renamed
            .aliases
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["verbal-violence"]
    );
    // git itself sees the merge as a rename of the code file.
    let names = sb.git(&dir, &["diff", "--name-status", "-M", "main^1", "main"]);
    assert!(
        names.starts_with('R')
            && names.trim_end().ends_with(
                "\tcodebook/codes/verbal-violence.toml\tcodebook/codes/hostile-words.toml"
            ),
        "{names}"
    );
    // Codings were not rewritten, yet every segment still resolves.
    let still_old = sb.git(
        &dir,
        &["grep", "-l", "code = \"verbal-violence\"", "--", "codings"],
    );
    assert!(still_old.contains("codings/"), "{still_old}");
    assert_eq!(all_segments_resolve(&dir), before);
    let show = ok(&sb, &dir, "alice", &["show", "verbal-violence"]);
    assert!(
        show.starts_with("(`verbal-violence` now resolves to `hostile-words`)"),
        "{show}"
    );
    check_clean(&sb, &dir);
}

#[test]
fn merge_two_codes() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let before = all_segments_resolve(&dir);
    ok(
        &sb,
        &dir,
        "alice",
        &[
            "suggest",
            "new",
            "merge",
            "debriefing",
            "team-support",
            "--rationale",
            "We could never tell them apart in the focus group.",
        ],
    );
    let branch = "suggest/alice/merge-debriefing-into-team-support";
    let list = ok(&sb, &dir, "bob", &["suggest", "list"]);
    assert!(list.contains(branch) && list.contains("merge "), "{list}");
    let show = ok(&sb, &dir, "bob", &["suggest", "show", branch]);
    assert!(show.contains("status: active → merged"), "{show}");
    assert!(
        show.contains("merged_into: (none) → team-support"),
        "{show}"
    );
    assert!(show.contains("  debriefing: alice "), "{show}");
    assert!(show.contains("  team-support: "), "{show}");

    approve_and_merge(&sb, &dir, branch, "bob", "alice");
    let old = code(&dir, "debriefing");
    assert_eq!(old.status, Status::Merged);
    assert_eq!(old.merged_into.unwrap().as_str(), "team-support");
    assert_eq!(all_segments_resolve(&dir), before);
    let show = ok(&sb, &dir, "bob", &["show", "debriefing"]);
    assert!(
        show.starts_with("(`debriefing` now resolves to `team-support`)"),
        "{show}"
    );
    assert!(message(&sb, &dir, "main").contains("Suggestion-kind: merge"));
    check_clean(&sb, &dir);
    // A merged code cannot be merged again.
    let err = fails(
        &sb,
        &dir,
        "alice",
        &[
            "suggest",
            "new",
            "merge",
            "debriefing",
            "supervision",
            "--rationale",
            "x",
        ],
        2,
    );
    assert!(
        err.contains("code `debriefing` is merged; only active codes can be merged"),
        "{err}"
    );
}

#[test]
fn split_a_code() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    ok(
        &sb,
        &dir,
        "claire",
        &[
            "suggest",
            "new",
            "split",
            "procedures",
            "emergency-protocols",
            "--narrowed",
            "Written or rehearsed rules designed to prevent incidents.",
            "--name",
            "Emergency protocols",
            "--definition",
            "What to do while an incident is happening.",
            "--rationale",
            "Prevention and response were coded together.",
        ],
    );
    let branch = "suggest/claire/split-emergency-protocols-out-of-safety-procedures-and-protocols";
    let show = ok(&sb, &dir, "bob", &["suggest", "show", branch]);
    assert!(
        show.contains("+ emergency-protocols (Emergency protocols): What to do"),
        "{show}"
    );
    assert!(show.contains("~ procedures\n      definition: "), "{show}");
    approve_and_merge(&sb, &dir, branch, "bob", "claire");
    let new = code(&dir, "emergency-protocols");
    let old = code(&dir, "procedures");
    assert_eq!(
        new.parent, old.parent,
        "the new code sits beside the old one"
    );
    assert_eq!(
        old.definition,
        "Written or rehearsed rules designed to prevent incidents."
    );
    let stat = sb.git(&dir, &["diff", "--stat", "main^1", "main"]);
    assert!(stat.contains("2 files changed"), "{stat}");
    check_clean(&sb, &dir);
}

#[test]
fn deprecate_a_code() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    ok(
        &sb,
        &dir,
        "bob",
        &[
            "suggest",
            "new",
            "deprecate",
            "humour",
            "--rationale",
            "Never applied consistently.",
        ],
    );
    approve_and_merge(&sb, &dir, "deprecate-humour", "alice", "bob");
    assert_eq!(code(&dir, "humour").status, Status::Deprecated);
    let codes = ok(&sb, &dir, "bob", &["codes"]);
    assert!(
        !codes.contains("humour"),
        "deprecated codes are not offered"
    );
    let all = ok(&sb, &dir, "bob", &["codes", "--all"]);
    assert!(all.contains("Humour [deprecated] — "), "{all}");
    all_segments_resolve(&dir);
    check_clean(&sb, &dir);
    let log = sb.git(&dir, &["log", "--oneline", "-1", "main"]);
    assert!(log.contains("Merge suggestion: Deprecate Humour"), "{log}");
}
