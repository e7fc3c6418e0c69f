//! The reconciliation view on ratatui's TestBackend, driven by key events
//! on real demo studies: a hunk at 80 columns, a meeting that resolves
//! hunks, quits and resumes (consensus files and commits asserted with
//! git), and a codebook suggestion made from a hunk.

use crate::common;

use std::path::Path;

use codebook_review::model::Slug;
use codebook_review::tui::keymap::Context;
use common::Sandbox;
use common::tui::{app_for, demo_app, keys, render, screen, settle, text};

fn s(id: &str) -> Slug {
    Slug::new(id).unwrap()
}

#[test]
fn a_hunk_in_the_reconciliation_view_at_80_columns() {
    let mut f = demo_app(true);
    keys(&mut f.app, "3");
    settle(&mut f.app);
    // Enter accepts who is present as proposed.
    keys(&mut f.app, "r\n");
    let view = screen(&mut f.app);
    insta::assert_snapshot!(view);
    assert!(view.contains("hunk 1/27 · 0/27 resolved"), "{view}");
    assert!(view.contains("@@ focus-group-01:12-15 @@"), "{view}");
    assert!(view.contains("- violence-from-public"), "{view}");
    assert!(view.contains("+ verbal-violence"), "{view}");
    // The definitions are below the diff: scroll to them.
    keys(&mut f.app, &"j".repeat(20));
    let below = screen(&mut f.app);
    assert!(
        below.contains("Definitions of the codes at stake"),
        "{below}"
    );
    assert!(below.contains("Use when:"), "{below}");
    assert!(below.contains("Do not use when:"), "{below}");
    // Wide terminals show the definitions beside the diff.
    let wide = text(&render(&f.app, 130, 30));
    assert!(
        wide.lines()
            .any(|l| l.contains("+ verbal-violence") && l.contains('│')),
        "{wide}"
    );
}

fn consensus_log(sb: &Sandbox, root: &Path) -> Vec<String> {
    sb.git(root, &["log", "--format=%an|%s", "--", "codings/consensus"])
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_reconciliation_meeting_resolves_quits_and_resumes() {
    let sb = Sandbox::new();
    let root = sb.demo();
    let mut app = app_for(&root, "claire");
    // As `cbr reconcile alice bob` opens it.
    app.open_reconciliation(s("alice"), s("bob"), false);
    settle(&mut app);
    assert_eq!(app.context(), Context::Reconcile);
    // First, who is present: the pair (claire, at the keyboard, is no
    // coder of the demo study, so she is not proposed).
    let asked = screen(&mut app);
    assert!(asked.contains("Who is present?"), "{asked}");
    assert!(asked.contains("alice, bob"), "{asked}");
    // A name that is no coder of the study is refused and asked again.
    keys(&mut app, ", zoe\n");
    let refused = screen(&mut app);
    assert!(refused.contains("`zoe` is not a coder"), "{refused}");
    assert!(refused.contains("Who is present?"), "{refused}");
    keys(&mut app, "\x08\x08\x08\x08\x08\n");
    let shown = screen(&mut app);
    assert!(shown.contains("present: alice, bob"), "{shown}");
    assert!(shown.contains("hunk 1/27 · 0/27 resolved"), "{shown}");

    // Hunk 1: keep alice's, with a rationale.
    keys(&mut app, "a");
    assert!(screen(&mut app).contains("Rationale for keep A's"));
    keys(&mut app, "Neighbours are the public\n");
    let after = screen(&mut app);
    assert!(after.contains("hunk 2/27 · 1/27 resolved"), "{after}");
    // Hunk 2: keep bob's. Without a rationale it is refused and stays open.
    keys(&mut app, "b\n");
    let refused = screen(&mut app);
    assert!(
        refused.contains("a decision needs a rationale"),
        "{refused}"
    );
    assert!(refused.contains("hunk 2/27 · 1/27 resolved"), "{refused}");
    keys(&mut app, "\x1bb");
    keys(&mut app, "Julien was hit through the glass\n");
    // Hunk 3 (focus-group-01:25-26): edit, keeping only bob's dual-role.
    keys(&mut app, "e");
    let checklist = screen(&mut app);
    assert!(checklist.contains("Edit: keep which codes?"), "{checklist}");
    assert!(checklist.contains("[ ] dual-role"), "{checklist}");
    keys(&mut app, " \n");
    keys(&mut app, "Both roles at once\n");
    assert!(screen(&mut app).contains("hunk 4/27 · 3/27 resolved"));
    keys(&mut app, "q");
    assert!(app.quit);

    let file = root.join("codings/consensus/focus-group-01.toml");
    let consensus = std::fs::read_to_string(&file).unwrap();
    for expected in [
        "start_line = 12\nend_line = 15\nchoice = \"keep-first\"\nrationale = \"Neighbours are the public\"\ndecided_by = \"claire\"\npresent = [\n    \"alice\",\n    \"bob\",\n]",
        "start_line = 21\nend_line = 22\nchoice = \"keep-second\"\nrationale = \"Julien was hit through the glass\"",
        "start_line = 25\nend_line = 26\nchoice = \"edited\"\nrationale = \"Both roles at once\"",
    ] {
        assert!(
            consensus.contains(expected),
            "{expected}\nnot in\n{consensus}"
        );
    }
    assert_eq!(
        consensus_log(&sb, &root),
        [
            "claire|claire: reconcile focus-group-01:25-26 (alice/bob), edited segments",
            "claire|claire: reconcile focus-group-01:21-22 (alice/bob), keep bob's codes",
            "claire|claire: reconcile focus-group-01:12-15 (alice/bob), keep alice's codes",
        ]
    );
    assert!(sb.git(&root, &["status", "--porcelain"]).is_empty());

    // Coming back: a new session on the same study resumes at the first
    // unresolved hunk.
    let mut app = app_for(&root, "claire");
    keys(&mut app, "3");
    settle(&mut app);
    keys(&mut app, "r\n");
    let resumed = screen(&mut app);
    assert!(resumed.contains("hunk 4/27 · 3/27 resolved"), "{resumed}");
    assert!(resumed.contains("@@ focus-group-01:37-38 @@"), "{resumed}");

    // Revisit hunk 3: its decision shows; replacing it asks first.
    keys(&mut app, "p");
    let revisit = screen(&mut app);
    assert!(
        revisit.contains("Decided: edited by claire — «Both roles at once»"),
        "{revisit}"
    );
    keys(&mut app, "x");
    assert!(screen(&mut app).contains("Replace that decision with neither?"));
    keys(&mut app, "n");
    assert!(consensus_log(&sb, &root).len() == 3, "n changed nothing");
    keys(&mut app, "xy");
    // The rationale prompt starts from the recorded one.
    assert!(screen(&mut app).contains("Both roles at once"));
    keys(&mut app, "\n");
    let consensus = std::fs::read_to_string(&file).unwrap();
    assert!(
        consensus.contains("end_line = 26\nchoice = \"neither\""),
        "{consensus}"
    );
    assert_eq!(
        consensus.matches("start_line = 25\nend_line = 26").count(),
        1
    );
    assert_eq!(consensus_log(&sb, &root).len(), 4);
}

#[test]
fn a_hunk_becomes_a_codebook_suggestion_with_the_passage_as_example() {
    let sb = Sandbox::new();
    let root = sb.demo();
    let mut app = app_for(&root, "claire");
    app.open_reconciliation(s("alice"), s("bob"), false);
    settle(&mut app);
    keys(&mut app, "\n");
    // Before a decision there is nothing for the passage to exemplify.
    keys(&mut app, "s");
    assert_eq!(
        app.flash.as_ref().unwrap().0,
        "Decide this disagreement first (a, b, o, x or e): the suggestion adds the passage as an example of the decision."
    );
    keys(&mut app, "bA threat in words\n");
    keys(&mut app, "p");
    // Three codes are at stake on focus-group-01:12-15: pick one.
    keys(&mut app, "s");
    assert!(screen(&mut app).contains("Suggest a change to which code?"));
    keys(&mut app, "verbal\n");
    // The prompt shows the whole title, the branch it makes and the example.
    let prompt = screen(&mut app);
    for shown in [
        "│Verbal violence and threats: focus-group-01:12-15",
        "branch suggest/claire/verbal-violence-and-threats-focus-group-01-12-15",
        "adds the passage as an example of the decision",
    ] {
        assert!(prompt.contains(shown), "{shown}\n{prompt}");
    }
    keys(&mut app, "\n");
    let branches = sb.git(&root, &["branch", "--list", "suggest/claire/*"]);
    let branch = branches.trim().trim_start_matches("* ").to_string();
    assert!(
        branch == "suggest/claire/verbal-violence-and-threats-focus-group-01-12-15",
        "{branches}"
    );
    let code = sb.git(
        &root,
        &[
            "show",
            &format!("{branch}:codebook/codes/verbal-violence.toml"),
        ],
    );
    assert!(code.contains("source = \"focus-group-01:12-15\""), "{code}");
    assert!(
        code.contains("un jour quelqu'un va vous régler votre compte"),
        "{code}"
    );
    let message = sb.git(&root, &["log", "-1", "--format=%an|%B", &branch]);
    assert!(
        message.starts_with("claire|Verbal violence and threats: focus-group-01:12-15\n"),
        "{message}"
    );
    assert!(
        message.contains(
            "While reconciling alice and bob, the two disagreed on Verbal violence and threats \
             (verbal-violence) in focus-group-01:12-15: alice did not apply it; bob applied it on lines 12-13. \
             The team decided to keep bob's codes (claire): A threat in words"
        ),
        "{message}"
    );
    // The working copy and main are untouched.
    assert!(sb.git(&root, &["status", "--porcelain"]).is_empty());
    let on_main =
        std::fs::read_to_string(root.join("codebook/codes/verbal-violence.toml")).unwrap();
    assert!(!on_main.contains("focus-group-01:12-15"));
}

/// Issue 18: the edit checklist showed alice's physical-violence as 21-22,
/// the part inside the disagreement, when she drew 20-22.
#[test]
fn the_edit_checklist_shows_segments_as_the_coder_drew_them() {
    let mut f = demo_app(true);
    f.app.open_reconciliation(s("alice"), s("bob"), false);
    settle(&mut f.app);
    keys(&mut f.app, "\nn");
    assert!(screen(&mut f.app).contains("@@ focus-group-01:21-22 @@"));
    keys(&mut f.app, "e");
    let checklist = screen(&mut f.app);
    insta::assert_snapshot!(checklist);
    let row = checklist
        .lines()
        .find(|l| l.contains("] physical-violence"))
        .unwrap_or_else(|| panic!("no physical-violence row:\n{checklist}"));
    // Whole, as alice drew it, and what a decision records (not 21-22).
    assert!(row.contains("20-22  alice"), "{checklist}");
}
