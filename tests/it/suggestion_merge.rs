//! Merging suggestions that touch the same code: different fields merge on
//! their own, the same field is a conflict settled by choosing or editing
//! (never conflict markers), and a merge with `main` checked out updates
//! `codebook/` without touching anything else in the working tree.

use crate::common;
use crate::suggest_common;

use common::Sandbox;
use suggest_common::{approve_and_merge, check_clean, code, fails, message, ok};

/// The demo's open suggestion: bob rewrites violence-from-public's exclude.
const BOB: &str = "suggest/bob/clarify-violence-from-public";

#[test]
fn two_suggestions_on_different_fields_of_one_code_both_merge() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    ok(
        &sb,
        &dir,
        "claire",
        &[
            "suggest",
            "new",
            "edit",
            "violence-from-public",
            "--definition",
            "Threats or aggression by residents or passers-by, not by service users.",
            "--rationale",
            "Say who, up front.",
            "--slug",
            "who-up-front",
        ],
    );
    approve_and_merge(&sb, &dir, "who-up-front", "alice", "claire");
    // Bob's branch was made before claire's change; it still merges cleanly, field by field.
    assert!(ok(&sb, &dir, "alice", &["suggest", "list"]).contains("merges cleanly"));
    approve_and_merge(&sb, &dir, BOB, "alice", "alice");
    let c = code(&dir, "violence-from-public");
    assert_eq!(
        c.definition,
        "Threats or aggression by residents or passers-by, not by service users."
    );
    assert!(
        c.exclude
            .contains("leave a memo rather than guessing who spoke")
    );
    let merges = sb.git(&dir, &["log", "--merges", "--format=%s", "-2", "main"]);
    assert_eq!(
        merges,
        "Merge suggestion: Clarify when not to use Violence from residents and the public\nMerge suggestion: Revise Violence from residents and the public: definition\n"
    );
    check_clean(&sb, &dir);
}

#[test]
fn a_conflicting_pair_is_resolved_field_by_field() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    // Alice changes the same exclude text, and the definition, in her own way; merged first.
    ok(
        &sb,
        &dir,
        "alice",
        &[
            "suggest",
            "new",
            "edit",
            "violence-from-public",
            "--exclude",
            "Anything said by service users is verbal-violence.",
            "--definition",
            "Aggression by people who are not service users.",
            "--rationale",
            "Shorter.",
            "--slug",
            "shorter",
        ],
    );
    approve_and_merge(&sb, &dir, "shorter", "claire", "alice");
    // Bob amends his suggestion to reword the definition too.
    ok(
        &sb,
        &dir,
        "bob",
        &[
            "suggest",
            "amend",
            BOB,
            "violence-from-public",
            "--definition",
            "Aggression by residents, neighbours or passers-by.",
        ],
    );
    ok(&sb, &dir, "claire", &["suggest", "approve", BOB]);
    assert!(ok(&sb, &dir, "claire", &["suggest", "list"]).contains("2 conflict(s) with main"));

    let out = fails(&sb, &dir, "claire", &["suggest", "merge", BOB], 1);
    assert!(
        out.contains("2 conflict(s) between main and suggest/bob/clarify-violence-from-public"),
        "{out}"
    );
    assert!(
        out.contains("  violence-from-public.definition\n    base:       "),
        "{out}"
    );
    assert!(out.contains("    main:       [-"), "{out}");
    assert!(out.contains("    suggestion: [-Threats, intimidation or aggression towards workers coming from neighbours,-]{+Aggression by+} residents, [-shopkeepers-]{+neighbours+} or "), "{out}");
    assert!(out.contains("settle with: cbr suggest resolve suggest/bob/clarify-violence-from-public --field violence-from-public.exclude --take ours|theirs"), "{out}");
    let before = sb.git(&dir, &["rev-parse", "main"]);

    let err = fails(
        &sb,
        &dir,
        "claire",
        &[
            "suggest",
            "resolve",
            BOB,
            "--field",
            "violence-from-public.name",
            "--take",
            "ours",
        ],
        2,
    );
    assert!(
        err.contains(
            "open conflicts: violence-from-public.definition, violence-from-public.exclude"
        ),
        "{err}"
    );
    let out = ok(
        &sb,
        &dir,
        "claire",
        &[
            "suggest",
            "resolve",
            BOB,
            "--field",
            "violence-from-public.definition",
            "--take",
            "theirs",
        ],
    );
    assert!(out.contains("1 conflict(s) between main"), "{out}");
    // Still one open: merging writes nothing.
    fails(&sb, &dir, "claire", &["suggest", "merge", BOB], 1);
    assert_eq!(sb.git(&dir, &["rev-parse", "main"]), before);
    let out = ok(
        &sb,
        &dir,
        "claire",
        &[
            "suggest",
            "resolve",
            BOB,
            "--field",
            "violence-from-public.exclude",
            "--text",
            "Anything said by service users is verbal-violence; petitions are service-stigma.",
        ],
    );
    assert!(out.contains("No conflict left"), "{out}");
    ok(&sb, &dir, "claire", &["suggest", "merge", BOB]);

    let c = code(&dir, "violence-from-public");
    assert_eq!(
        c.definition,
        "Aggression by residents, neighbours or passers-by."
    );
    assert_eq!(
        c.exclude,
        "Anything said by service users is verbal-violence; petitions are service-stigma."
    );
    let file = sb.git(
        &dir,
        &["show", "main:codebook/codes/violence-from-public.toml"],
    );
    assert!(
        !file.contains("<<<<<<<") && !file.contains(">>>>>>>"),
        "{file}"
    );
    let merge = message(&sb, &dir, "main");
    assert!(merge.contains("Resolved: violence-from-public.definition = suggestion\nResolved: violence-from-public.exclude = edited\n"), "{merge}");
    assert_eq!(
        sb.git(&dir, &["log", "-1", "--format=%an", "main"]).trim(),
        "claire"
    );
    assert!(
        !dir.join(".git/cbr/resolutions/bob/clarify-violence-from-public.toml")
            .exists()
    );
    check_clean(&sb, &dir);
}

#[test]
fn merging_on_main_updates_codebook_files_and_nothing_else() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let coding = dir.join("codings/alice/interview-03.toml");
    let work = format!(
        "{}\n# alice is still coding this one\n",
        std::fs::read_to_string(&coding).unwrap()
    );
    std::fs::write(&coding, &work).unwrap();
    approve_and_merge(&sb, &dir, BOB, "alice", "claire");
    assert_eq!(
        std::fs::read_to_string(&coding).unwrap(),
        work,
        "uncommitted coding work untouched"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("codebook/codes/violence-from-public.toml")).unwrap(),
        sb.git(
            &dir,
            &["show", "main:codebook/codes/violence-from-public.toml"]
        )
    );
    assert_eq!(
        sb.git(&dir, &["status", "--porcelain"]),
        " M codings/alice/interview-03.toml\n"
    );

    // Uncommitted changes in codebook/ would be overwritten: the merge is refused.
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
            "Unused.",
        ],
    );
    ok(
        &sb,
        &dir,
        "alice",
        &["suggest", "approve", "deprecate-humour"],
    );
    let humour = dir.join("codebook/codes/humour.toml");
    std::fs::write(
        &humour,
        format!("{}# note\n", std::fs::read_to_string(&humour).unwrap()),
    )
    .unwrap();
    let main = sb.git(&dir, &["rev-parse", "main"]);
    let err = fails(
        &sb,
        &dir,
        "bob",
        &["suggest", "merge", "deprecate-humour"],
        2,
    );
    assert!(
        err.contains("codebook/ has uncommitted changes (codebook/codes/humour.toml)"),
        "{err}"
    );
    assert_eq!(sb.git(&dir, &["rev-parse", "main"]), main);

    // On another branch, the merge happens in git only.
    sb.git(&dir, &["checkout", "-q", "--", "codebook"]);
    sb.git(&dir, &["stash", "-q"]);
    sb.git(&dir, &["checkout", "-qb", "elsewhere"]);
    let out = ok(&sb, &dir, "bob", &["suggest", "merge", "deprecate-humour"]);
    assert!(out.contains("main is not checked out here"), "{out}");
    assert!(
        !std::fs::read_to_string(&humour)
            .unwrap()
            .contains("deprecated")
    );
    assert!(
        sb.git(&dir, &["show", "main:codebook/codes/humour.toml"])
            .contains("status = \"deprecated\"")
    );
    assert_eq!(sb.git(&dir, &["status", "--porcelain"]), "");
}
