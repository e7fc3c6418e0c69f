//! The Suggestions tab on the demo study: the list, one suggestion's
//! semantic diff (with and without colour), reviewing and merging it by
//! keys, conflicts shown side by side and settled, and suggesting changes
//! from the Codebook tab (prompts and `$EDITOR` drafts). Each write is
//! checked with the `git` command.

use crate::common;

use codebook_review::model::Slug;
use codebook_review::model::proposal::Proposal;
use codebook_review::study::Study;
use codebook_review::study::git::Author;
use codebook_review::study::suggest::{self, MergeOutcome, Verdict};
use codebook_review::tui::app::App;
use codebook_review::tui::popups::overlay::Overlay;
use common::tui::{app_as, demo_app, demo_dir, git, keys, render, screen, text};
use ratatui::style::{Color, Modifier};

/// 2024-02-01: ages on screen are counted from this day.
const CLOCK: i64 = 1_706_745_600;
const BRANCH: &str = "suggest/bob/clarify-violence-from-public";

/// Reads everything the review tabs show, then opens the Suggestions tab.
fn to_suggestions(app: &mut App) {
    app.suggestions.clock = Some(CLOCK);
    app.warm_up();
    keys(app, "4");
    app.wait_background();
}

fn open_first(app: &mut App) {
    keys(app, "\n");
    app.wait_background();
}

fn error_text(app: &App) -> Option<String> {
    match &app.overlay {
        Some(Overlay::Error(msg)) => Some(msg.clone()),
        _ => None,
    }
}

#[test]
fn suggestions_list() {
    let mut f = demo_app(true);
    to_suggestions(&mut f.app);
    let s = screen(&mut f.app);
    insta::assert_snapshot!(s);
    assert!(
        s.contains("bob · edit · 7 days ago · approvals 0/1 · 0 comments\n   merges cleanly"),
        "{s}"
    );
}

#[test]
fn suggestion_diff_view_styles_removed_and_added_words() {
    let mut f = demo_app(true);
    to_suggestions(&mut f.app);
    open_first(&mut f.app);
    let buf = render(&f.app, 80, 24);
    let s = text(&buf);
    insta::assert_snapshot!(s);
    // "physical-violence." is removed, "physical-violence, even in the street." added.
    let (row, line) = s
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("physical-violence.physical-violence,"))
        .expect("the changed words are on screen");
    let col = line.find("physical-violence.").unwrap() as u16;
    let removed = &buf[(col, row as u16)];
    assert_eq!(removed.fg, Color::Red);
    assert!(removed.modifier.contains(Modifier::CROSSED_OUT));
    let added = &buf[(col + 18, row as u16)];
    assert_eq!(added.fg, Color::Green);
    assert!(added.modifier.contains(Modifier::UNDERLINED));
    let same = &buf[(col - 3, row as u16)];
    assert_eq!(same.fg, Color::Reset, "unchanged words are plain");
}

#[test]
fn suggestion_diff_view_without_colour_brackets_the_words() {
    let mut f = demo_app(false);
    to_suggestions(&mut f.app);
    open_first(&mut f.app);
    let buf = render(&f.app, 80, 24);
    let s = text(&buf);
    insta::assert_snapshot!(s);
    assert!(
        s.contains("[-physical-violence.-]{+physical-violence, even in"),
        "{s}"
    );
    assert!(s.contains("spoke.+}"), "{s}");
    assert!(
        buf.content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
    keys(&mut f.app, "G");
    let s = screen(&mut f.app);
    assert!(
        s.contains("violence-from-public: alice 1"),
        "impact per coder:\n{s}"
    );
    assert!(s.contains("2024-01-24  bob proposed"), "timeline:\n{s}");
    keys(&mut f.app, "p");
    let s = screen(&mut f.app);
    assert!(s.contains("1 coded passage(s) affected"), "{s}");
    assert!(
        s.contains(" violence-from-public   alice    focus-group-01:12-13"),
        "{s}"
    );
    keys(&mut f.app, "\n");
    let doc = f
        .app
        .transcripts
        .doc
        .as_ref()
        .expect("the passage opens in its transcript");
    assert_eq!((doc.id().as_str(), doc.cursor), ("focus-group-01", 12));
}

#[test]
fn approving_and_merging_by_keys_makes_a_merge_commit() {
    let mut f = demo_app(true);
    assert_eq!(f.app.study.config.approvals_required, 1);
    let root = f.app.study.root.clone();
    to_suggestions(&mut f.app);
    open_first(&mut f.app);
    keys(&mut f.app, "m");
    let why = error_text(&f.app).expect("merge is refused before approval");
    assert!(
        why.contains("needs 1 approval(s) by someone other than bob and has 0"),
        "{why}"
    );
    keys(&mut f.app, "\x1b");
    // Approving asks for an optional comment first, then confirms.
    keys(&mut f.app, "a");
    assert!(matches!(f.app.overlay, Some(Overlay::Ask(_))));
    keys(&mut f.app, "Clear enough\n");
    let Some(Overlay::Confirm { question, .. }) = &f.app.overlay else {
        panic!("approval is confirmed after the comment")
    };
    assert!(
        question.contains("With the comment: Clear enough"),
        "{question}"
    );
    keys(&mut f.app, "y");
    f.app.wait_background();
    assert!(screen(&mut f.app).contains("approvals 1/1 (alice)"));
    let message = git(&root, &["log", "-1", "--format=%B", BRANCH]);
    assert!(message.contains("Approved-by: alice"), "{message}");
    assert!(message.contains("Clear enough"), "{message}");
    keys(&mut f.app, "my");
    f.app.wait_background();
    assert_eq!(error_text(&f.app), None);

    let message = git(&root, &["log", "-1", "--format=%B", "main"]);
    assert!(message.starts_with(
        "Merge suggestion: Clarify when not to use Violence from residents and the public"
    ));
    for trailer in [
        "Suggested-by: bob",
        "Approved-by: alice",
        &format!("Suggestion-branch: {BRANCH}"),
    ] {
        assert!(message.contains(trailer), "{trailer} in\n{message}");
    }
    let parents = git(&root, &["log", "-1", "--format=%P", "main"]);
    assert_eq!(parents.split_whitespace().count(), 2, "a merge commit");
    assert_eq!(git(&root, &["branch", "--list", "suggest/*"]), "");
    let file =
        std::fs::read_to_string(root.join("codebook/codes/violence-from-public.toml")).unwrap();
    assert!(file.contains("even in the street"), "working tree updated");
    assert!(
        f.app
            .study
            .codebook
            .get("violence-from-public")
            .unwrap()
            .exclude
            .contains("even in the street")
    );
    assert!(screen(&mut f.app).contains("0 open suggestion(s)"));
}

#[test]
fn the_author_cannot_approve_and_only_the_author_amends() {
    let dir = demo_dir();
    let root = dir.path().join("demo");
    let mut bob = app_as(&root, "bob", true);
    to_suggestions(&mut bob);
    open_first(&mut bob);
    keys(&mut bob, "a");
    assert!(bob.overlay.is_none());
    assert!(
        bob.flash
            .as_ref()
            .unwrap()
            .0
            .contains("someone else has to approve it")
    );
    keys(&mut bob, "e");
    let request = bob.editor.take().expect("bob amends in his editor");
    let draft = std::fs::read_to_string(&request.path).unwrap();
    let edited = draft
        .replace(
            "rationale = \"\"",
            "rationale = \"Name the neighbours too.\"",
        )
        .replace(
            "even in the street.",
            "even in the street or from neighbours.",
        );
    std::fs::write(&request.path, edited).unwrap();
    bob.draft_edited(request.clone(), Ok(()));
    assert_eq!(error_text(&bob), None);
    assert!(!request.path.exists(), "a used draft is removed");
    bob.wait_background();
    let s = screen(&mut bob);
    assert!(s.contains("in the street or from"), "{s}");
    let log = git(&root, &["log", "-1", "--format=%an %s", BRANCH]);
    assert!(log.starts_with("bob Amend suggestion: Clarify"), "{log}");

    let mut alice = app_as(&root, "alice", true);
    to_suggestions(&mut alice);
    open_first(&mut alice);
    keys(&mut alice, "e");
    assert!(alice.editor.is_none());
    assert!(
        alice
            .flash
            .as_ref()
            .unwrap()
            .0
            .contains("Only bob can amend it")
    );
}

#[test]
fn comments_and_rejections_are_kept_on_the_branch() {
    let mut f = demo_app(true);
    let root = f.app.study.root.clone();
    to_suggestions(&mut f.app);
    open_first(&mut f.app);
    keys(&mut f.app, "cWhat about shouts from a crowd?\n");
    let Some(Overlay::Confirm { question, .. }) = &f.app.overlay else {
        panic!("a comment is confirmed before it is recorded")
    };
    assert!(
        question.contains("What about shouts from a crowd?"),
        "{question}"
    );
    keys(&mut f.app, "y");
    keys(&mut f.app, "x\n");
    assert!(f.app.overlay.is_none(), "an empty reason is refused");
    keys(&mut f.app, "xToo broad for now\n");
    assert!(matches!(f.app.overlay, Some(Overlay::Confirm { .. })));
    keys(&mut f.app, "y");
    f.app.wait_background();
    let s = screen(&mut f.app);
    assert!(s.contains("rejected by alice"), "{s}");
    let log = git(&root, &["log", "-2", "--format=%B", BRANCH]);
    assert!(
        log.contains("Too broad for now\n\nRejected-by: alice"),
        "{log}"
    );
    assert!(
        log.contains("What about shouts from a crowd?\n\nComment-by: alice"),
        "{log}"
    );
    keys(&mut f.app, "m");
    assert!(error_text(&f.app).unwrap().contains("rejected by alice"));
}

/// The demo with a merged suggestion of alice's that rewrote the same
/// exclusion bob's open suggestion changes.
fn conflicting_demo() -> tempfile::TempDir {
    let dir = demo_dir();
    let root = dir.path().join("demo");
    let repo = git2::Repository::open(&root).unwrap();
    let study = Study::open(&root).unwrap();
    let person =
        |id: &str| Author::new(Slug::new(id).unwrap(), format!("{id}@demo.invalid")).at(CLOCK);
    let mut code = study.codebook.get("violence-from-public").unwrap().clone();
    code.exclude = "Petitions and banners are service-stigma.\nThreats from service users are verbal-violence.\n".into();
    let branch = suggest::propose(
        &repo,
        &person("alice"),
        &Proposal::Edit(Box::new(code)),
        Some("Shorten the exclusion"),
        "Shorter is clearer.",
        None,
    )
    .unwrap();
    suggest::review(&repo, &branch, &person("bob"), Verdict::Approve, "").unwrap();
    let outcome = suggest::merge(&repo, &branch, &person("bob"), 1, &[]).unwrap();
    assert!(matches!(outcome, MergeOutcome::Merged { .. }));
    dir
}

#[test]
fn conflicts_show_side_by_side_and_are_settled_in_the_tui() {
    let dir = conflicting_demo();
    let root = dir.path().join("demo");
    let mut app = app_as(&root, "alice", false);
    to_suggestions(&mut app);
    assert!(screen(&mut app).contains("1 conflict(s) with main"));
    open_first(&mut app);
    keys(&mut app, "a\ny");
    app.wait_background();
    keys(&mut app, "m");
    let why = error_text(&app).expect("merge waits for the conflict");
    assert!(
        why.contains("1 conflict(s) with main to settle first"),
        "{why}"
    );
    keys(&mut app, "\x1b");
    let s = screen(&mut app);
    insta::assert_snapshot!(s);
    assert!(
        s.contains("Conflict 1 of 1: violence-from-public.exclude"),
        "{s}"
    );
    assert!(
        s.contains("main (o keeps it)") && s.contains("suggestion (t takes it)"),
        "{s}"
    );
    assert!(s.contains("[-physical-violence.-]{+physical-viol"), "{s}");
    assert!(s.contains("physical-violence.-]{+verbal-violenc"), "{s}");

    keys(&mut app, "t");
    let saved = std::fs::read_to_string(
        root.join(".git/cbr/resolutions/bob/clarify-violence-from-public.toml"),
    )
    .unwrap();
    assert!(saved.contains("take = \"theirs\""), "{saved}");
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .0
            .contains("No conflict left: m merges")
    );
    keys(&mut app, "my");
    app.wait_background();
    assert_eq!(error_text(&app), None);
    let message = git(&root, &["log", "-1", "--format=%B", "main"]);
    assert!(
        message.contains("Resolved: violence-from-public.exclude = suggestion"),
        "{message}"
    );
    let merged = git(
        &root,
        &["show", "main:codebook/codes/violence-from-public.toml"],
    );
    assert!(merged.contains("even in the street"), "{merged}");
    assert!(!merged.contains("<<<<"), "never conflict markers");
}

#[test]
fn a_conflict_can_be_settled_with_typed_text() {
    let dir = conflicting_demo();
    let root = dir.path().join("demo");
    let mut app = app_as(&root, "alice", true);
    to_suggestions(&mut app);
    open_first(&mut app);
    keys(&mut app, "a\ny");
    app.wait_background();
    keys(&mut app, "C");
    assert!(screen(&mut app).contains("Conflict 1 of 1"));
    keys(&mut app, "e");
    let Some(Overlay::Ask(ask)) = &app.overlay else {
        panic!("a prompt for the text");
    };
    assert!(
        ask.input.text.contains("even in the street"),
        "starts from the suggestion's text"
    );
    let clear = "\x08".repeat(ask.input.text.chars().count());
    keys(&mut app, &clear);
    keys(
        &mut app,
        "Petitions are service-stigma; threats from users are verbal-violence.\n",
    );
    keys(&mut app, "my");
    app.wait_background();
    assert_eq!(error_text(&app), None);
    let message = git(&root, &["log", "-1", "--format=%B", "main"]);
    assert!(
        message.contains("Resolved: violence-from-public.exclude = edited"),
        "{message}"
    );
    let merged = git(
        &root,
        &["show", "main:codebook/codes/violence-from-public.toml"],
    );
    assert!(
        merged.contains("Petitions are service-stigma; threats from users"),
        "{merged}"
    );
}

#[test]
fn blind_coding_keeps_others_unrevealed_segments_out_of_the_impact() {
    let dir = demo_dir();
    let root = dir.path().join("demo");
    // bob codes interview-03, which alice has not completed: it stays hidden from her.
    let study = Study::open(&root).unwrap();
    assert!(study.config.blind, "the demo codes blind");
    let transcript = study
        .transcript(&Slug::new("interview-03").unwrap())
        .unwrap();
    let mut coding = codebook_review::model::Coding::new(transcript.id.clone(), transcript.hash());
    coding.segments.push(codebook_review::model::Segment::new(
        Slug::new("violence-from-public").unwrap(),
        3,
        4,
    ));
    study
        .save_coding(&Slug::new("bob").unwrap(), &coding)
        .unwrap();

    let mut alice = app_as(&root, "alice", true);
    to_suggestions(&mut alice);
    open_first(&mut alice);
    screen(&mut alice);
    keys(&mut alice, "G");
    let s = screen(&mut alice);
    assert!(s.contains("violence-from-public: alice 1\n"), "{s}");
    assert!(s.contains("Blind coding"), "says what is held back:\n{s}");

    let mut bob = app_as(&root, "bob", true);
    to_suggestions(&mut bob);
    open_first(&mut bob);
    screen(&mut bob);
    keys(&mut bob, "G");
    let s = screen(&mut bob);
    assert!(
        s.contains("violence-from-public: alice 1 · bob 1"),
        "bob sees his own:\n{s}"
    );
}
