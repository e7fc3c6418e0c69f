//! Reviewing suggestions: approvals gate the merge (never the author's
//! own), rejections stay in the history, only the author amends, and a
//! draft that cannot be read is refused and kept.

use crate::common;
use crate::suggest_common;

use common::{Sandbox, stderr, stdout};
use suggest_common::{code, fails, message, ok, with_editor};

const BRANCH: &str = "suggest/bob/clarify-violence-from-public";

#[test]
fn approvals_required_by_the_study_gate_the_merge() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let toml = std::fs::read_to_string(dir.join("study.toml")).unwrap();
    std::fs::write(
        dir.join("study.toml"),
        toml.replace("approvals_required = 1", "approvals_required = 2"),
    )
    .unwrap();
    sb.git(
        &dir,
        &["commit", "-qam", "claire: two approvals per suggestion"],
    );

    let err = fails(&sb, &dir, "alice", &["suggest", "merge", BRANCH], 2);
    assert!(
        err.contains("needs 2 approval(s) and has 0 (none)"),
        "{err}"
    );
    let err = fails(&sb, &dir, "bob", &["suggest", "approve", BRANCH], 2);
    assert!(
        err.contains(
            "you made `suggest/bob/clarify-violence-from-public`; someone else has to approve it"
        ),
        "{err}"
    );
    ok(
        &sb,
        &dir,
        "alice",
        &["suggest", "approve", BRANCH, "-m", "Yes."],
    );
    // A second bare approval is refused; approving twice would count once anyway.
    let again = fails(&sb, &dir, "alice", &["suggest", "approve", BRANCH], 2);
    assert!(again.contains("already approved"), "{again}");
    let err = fails(&sb, &dir, "claire", &["suggest", "merge", BRANCH], 2);
    assert!(err.contains("has 1 (alice)"), "{err}");
    assert!(ok(&sb, &dir, "claire", &["suggest", "list"]).contains("approvals 1/2"));
    ok(&sb, &dir, "claire", &["suggest", "approve", BRANCH]);
    let list = ok(&sb, &dir, "claire", &["suggest", "list"]);
    assert!(
        list.contains("approvals 2/2  comments 0  merges cleanly"),
        "{list}"
    );
    ok(&sb, &dir, "claire", &["suggest", "merge", BRANCH]);

    let merge = message(&sb, &dir, "main");
    assert!(
        merge.contains("Approved-by: alice\nApproved-by: claire\n"),
        "{merge}"
    );
    // The reviews are ordinary commits, reachable from main through the merge's second parent.
    let reviews = sb.git(
        &dir,
        &[
            "log",
            "--format=%an|%s|%(trailers:key=Approved-by,valueonly)",
            "main^2",
            "-3",
        ],
    );
    assert!(
        reviews.contains("claire|Approve suggestion: Clarify when not to use"),
        "{reviews}"
    );
    assert!(reviews.contains("alice|Approve suggestion: Clarify when not to use Violence from residents and the public|alice"), "{reviews}");
}

#[test]
fn a_rejection_is_kept_and_blocks_the_merge_until_lifted() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    ok(
        &sb,
        &dir,
        "alice",
        &[
            "suggest",
            "comment",
            BRANCH,
            "-m",
            "What about shouts from a car?",
        ],
    );
    ok(
        &sb,
        &dir,
        "claire",
        &[
            "suggest",
            "reject",
            BRANCH,
            "-m",
            "Too long for an exclusion criterion.",
        ],
    );
    ok(&sb, &dir, "alice", &["suggest", "approve", BRANCH]);
    let list = ok(&sb, &dir, "alice", &["suggest", "list"]);
    assert!(
        list.contains("approvals 1/1  comments 1  rejected by claire"),
        "{list}"
    );
    let err = fails(&sb, &dir, "alice", &["suggest", "merge", BRANCH], 2);
    assert!(err.contains("was rejected by claire"), "{err}");
    // The same refusal, as the study layer gives it to a front end.
    let repo = git2::Repository::open(&dir).unwrap();
    let alice = codebook_review::study::git::Author::new(
        codebook_review::model::Slug::new("alice").unwrap(),
        "alice@example.org",
    );
    let refused = codebook_review::study::suggest::merge(&repo, BRANCH, &alice, 1, &[]);
    assert!(
        matches!(
            refused,
            Err(codebook_review::study::StudyError::NotApproved(_))
        ),
        "{refused:?}"
    );
    // Still an ordinary branch, the rejection a commit with a trailer.
    assert_eq!(sb.git(&dir, &["branch", "--list", BRANCH]).trim(), BRANCH);
    let reject = message(&sb, &dir, &format!("{BRANCH}~1"));
    assert_eq!(
        reject,
        "Reject suggestion: Clarify when not to use Violence from residents and the public\n\nToo long for an exclusion criterion.\n\nRejected-by: claire\n\n"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(
        &sb,
        &dir,
        "alice",
        &["suggest", "show", BRANCH, "--format", "json"],
    ))
    .unwrap();
    assert_eq!(json["rejected_by"], serde_json::json!(["claire"]));
    assert_eq!(json["timeline"][2]["verdict"], "reject");
    assert_eq!(json["timeline"][1]["text"], "What about shouts from a car?");
    // Claire changes her mind: her latest verdict counts.
    ok(&sb, &dir, "claire", &["suggest", "approve", BRANCH]);
    ok(&sb, &dir, "alice", &["suggest", "merge", BRANCH]);
    assert!(message(&sb, &dir, "main").contains("Approved-by: alice\nApproved-by: claire\n"));
}

#[test]
fn only_the_author_amends() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let err = fails(
        &sb,
        &dir,
        "alice",
        &[
            "suggest",
            "amend",
            BRANCH,
            "violence-from-public",
            "--name",
            "Public violence",
        ],
        2,
    );
    assert!(err.contains("only bob, who made"), "{err}");
    ok(
        &sb,
        &dir,
        "bob",
        &[
            "suggest",
            "amend",
            BRANCH,
            "violence-from-public",
            "--name",
            "Violence from the public",
            "-m",
            "Shorter name, as Alice asked.",
        ],
    );
    let amend = message(&sb, &dir, BRANCH);
    assert!(
        amend.starts_with("Amend suggestion: Clarify when not to use"),
        "{amend}"
    );
    assert_eq!(
        sb.git(&dir, &["log", "-1", "--format=%an", BRANCH]).trim(),
        "bob"
    );
    let show = ok(&sb, &dir, "alice", &["suggest", "show", BRANCH]);
    assert!(
        show.contains("name: Violence from [-residents and -]the public"),
        "{show}"
    );
    assert!(
        show.contains("bob amended: Shorter name, as Alice asked."),
        "{show}"
    );
    ok(&sb, &dir, "alice", &["suggest", "approve", BRANCH]);
    ok(
        &sb,
        &dir,
        "alice",
        &["suggest", "merge", "clarify-violence-from-public"],
    );
    let c = code(&dir, "violence-from-public");
    assert_eq!(c.name, "Violence from the public");
    assert!(
        c.exclude
            .contains("leave a memo rather than guessing who spoke"),
        "both commits landed"
    );
}

#[test]
fn an_unreadable_draft_is_refused_and_kept() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let args = [
        "suggest",
        "new",
        "add",
        "peer-solidarity",
        "--parent",
        "peer-position",
        "--edit",
    ];
    // The author leaves a string unterminated.
    let out = with_editor(
        &sb,
        &dir,
        "bob",
        "sed -i 's/^title = .*/title = \"Add peer solidarity/' \"$1\"\n",
        &args,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let draft = dir.join(".git/cbr/drafts/add-peer-solidarity.toml");
    let err = stderr(&out);
    let title_line = std::fs::read_to_string(&draft)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("title = "))
        .unwrap()
        + 1;
    assert!(
        err.starts_with(&format!("cbr: {}:{title_line}:", draft.display())),
        "path:line:col first: {err}"
    );
    assert!(
        err.contains(&format!("your draft is kept in {}", draft.display())),
        "{err}"
    );
    assert_eq!(
        sb.git(&dir, &["branch", "--list", "suggest/bob/add*"]),
        "",
        "no suggestion made"
    );

    // Running the command again reopens the same draft; the author fixes it.
    let fix = r#"sed -i -e 's/^title = .*/title = "Add peer solidarity"/' \
        -e 's/^rationale = .*/rationale = "Peer workers describe a network of their own."/' \
        -e 's/^definition = .*/definition = "Support that peer workers give one another."/' "$1"
"#;
    let out = with_editor(&sb, &dir, "bob", fix, &args);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("Reopening your unfinished draft"),
        "{}",
        stderr(&out)
    );
    assert!(!draft.exists());
    let shown = sb.git(
        &dir,
        &[
            "show",
            "suggest/bob/add-peer-solidarity:codebook/codes/peer-solidarity.toml",
        ],
    );
    assert!(
        shown.contains("definition = \"Support that peer workers give one another.\""),
        "{shown}"
    );
    assert!(shown.contains("parent = \"peer-position\""), "{shown}");
}

#[test]
fn a_draft_the_codebook_refuses_is_kept_too() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let script = "sed -i -e 's/^rationale = .*/rationale = \"Why not.\"/' -e 's/^parent = .*/parent = \"nowhere\"/' \"$1\"\n";
    let out = with_editor(
        &sb,
        &dir,
        "alice",
        script,
        &["suggest", "new", "edit", "humour", "--edit"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has parent `nowhere`, which is not in the codebook"),
        "{}",
        stderr(&out)
    );
    assert!(dir.join(".git/cbr/drafts/edit-humour.toml").is_file());
    // Without a rationale or an editor, cbr says what is missing.
    let err = fails(
        &sb,
        &dir,
        "alice",
        &["suggest", "new", "deprecate", "humour"],
        2,
    );
    assert!(err.contains("give --rationale TEXT, or --edit"), "{err}");
}
