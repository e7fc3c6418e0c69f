//! The History tab on the demo study: the codebook timeline, one change in
//! full, the diff between two marked versions, one code's history opened
//! from the Codebook tab, and the re-check queue after a merge.

use std::path::Path;

use crate::common;

use codebook_review::model::Slug;
use codebook_review::study::Study;
use codebook_review::study::correct;
use codebook_review::study::git::Author;
use codebook_review::study::suggest::{self, Verdict};
use codebook_review::tui::app::App;
use codebook_review::tui::background::Loadable;
use codebook_review::tui::history::recheck::RecheckItem;
use common::tui::{demo_app, git, keys, screen};

fn to_history(app: &mut App) {
    app.warm_up();
    keys(app, "5");
    app.wait_background();
}

#[test]
fn history_timeline() {
    let mut f = demo_app(true);
    to_history(&mut f.app);
    let s = screen(&mut f.app);
    insta::assert_snapshot!(s);
    assert!(
        s.contains("suggestion (add) by bob · approved by claire · released as codebook-v1"),
        "{s}"
    );
}

#[test]
fn an_entry_shows_its_rationale_and_field_diff() {
    let mut f = demo_app(false);
    to_history(&mut f.app);
    keys(&mut f.app, "j\n");
    let s = screen(&mut f.app);
    assert!(
        s.contains("Sharpen the definition of Verbal violence and threats"),
        "{s}"
    );
    assert!(
        s.contains("suggestion (edit) by alice · approved by bob"),
        "{s}"
    );
    assert!(s.contains("~ verbal-violence"), "{s}");
    assert!(
        s.contains("definition: [-Hostile words-]{+Insults, threats or intimidation+} addressed"),
        "{s}"
    );
    keys(&mut f.app, "\x1b");
    assert!(screen(&mut f.app).contains("Codebook history"));
}

#[test]
fn two_marked_versions_are_diffed() {
    let mut f = demo_app(true);
    to_history(&mut f.app);
    let first = git(
        &f.app.study.root.clone(),
        &["rev-list", "--max-parents=0", "main"],
    );
    // Mark the first codebook (the last entry), then diff it with the newest.
    keys(&mut f.app, "Gmgd");
    f.app.wait_background();
    let s = screen(&mut f.app);
    let head = git(
        &f.app.study.root.clone(),
        &[
            "log",
            "-1",
            "--first-parent",
            "--format=%H",
            "main",
            "--",
            "codebook",
        ],
    );
    let title = format!("Codebook {} → {}", &first[..7], &head[..7]);
    assert!(s.contains(&title), "{title} in\n{s}");
    assert!(s.contains("2 code(s) differ"), "{s}");
    assert!(
        s.contains("+ vicarious-impact (Carrying users' stories)"),
        "{s}"
    );
    assert!(s.contains("~ verbal-violence"), "{s}");
}

#[test]
fn a_codes_history_opens_from_the_codebook_tab() {
    let mut f = demo_app(true);
    f.app.warm_up();
    f.app.wait_background();
    keys(&mut f.app, "2");
    let rows = f.app.codebook_screen.rows(&f.app.study.codebook);
    let at = rows
        .iter()
        .position(|(_, c)| c.id.as_str() == "verbal-violence")
        .unwrap();
    keys(&mut f.app, &"j".repeat(at));
    keys(&mut f.app, "H");
    f.app.wait_background();
    let s = screen(&mut f.app);
    assert!(
        s.contains("History of verbal-violence (following renames)"),
        "{s}"
    );
    assert!(
        s.contains("Sharpen the definition of Verbal violence and threats"),
        "{s}"
    );
    assert!(s.contains("claire: first codebook"), "{s}");
    assert!(
        !s.contains("Carrying users' stories"),
        "other codes' changes are left out:\n{s}"
    );
    keys(&mut f.app, "\x1b");
    assert!(screen(&mut f.app).contains("Carrying users' stories"));
}

#[test]
fn a_merge_fills_the_recheck_queue_which_is_worked_through() {
    let f = demo_app(true);
    let root = f.app.study.root.clone();
    let repo = git2::Repository::open(&root).unwrap();
    let claire = Author::new(Slug::new("claire").unwrap(), "claire@demo.invalid");
    let branch = "suggest/bob/clarify-violence-from-public";
    suggest::review(&repo, branch, &claire, Verdict::Approve, "").unwrap();
    suggest::merge(&repo, branch, &claire, 1, &[]).unwrap();
    let mut app = common::tui::app_as(&root, "alice", true);
    app.warm_up();
    app.wait_background();
    let list = screen(&mut app);
    assert!(list.contains("1 segment(s) to re-check (R)"), "{list}");
    keys(&mut app, "R");
    app.wait_background();
    let s = screen(&mut app);
    assert!(
        s.contains("focus-group-01:12-13  violence-from-public  exclude changed"),
        "{s}"
    );
    keys(&mut app, "\n");
    let doc = app
        .transcripts
        .doc
        .as_ref()
        .expect("Enter opens the segment");
    assert_eq!((doc.id().as_str(), doc.cursor), ("focus-group-01", 12));
    keys(&mut app, "5x");
    let subject = git(&root, &["log", "-1", "--format=%s", "main"]);
    assert!(
        subject.starts_with("alice: re-check 1 segment(s) under codebook"),
        "{subject}"
    );
    assert!(screen(&mut app).contains("Nothing to re-check"));
    let version = git(&root, &["rev-parse", "main:codebook"]);
    let coding = std::fs::read_to_string(root.join("codings/alice/focus-group-01.toml")).unwrap();
    assert!(
        coding.contains(version.trim()),
        "re-saved under the current codebook"
    );
    drop(f);
}

#[test]
fn the_recheck_queue_is_read_only_once_its_count_is_on_screen() {
    let f = demo_app(true);
    let root = f.app.study.root.clone();
    let mut app = common::tui::app_as(&root, "alice", true);
    // A session that starts in a transcript does not read the queue...
    keys(&mut app, "\n");
    assert!(app.transcripts.doc.is_some());
    app.warm_up();
    app.wait_background();
    assert!(
        matches!(app.history.recheck, Loadable::Idle),
        "read behind an open transcript"
    );
    // ...until the list, which shows its count, comes back on screen.
    keys(&mut app, "\x1b");
    app.wait_background();
    assert!(app.history.recheck.ready().is_some());
    drop(f);
}

#[test]
fn a_rewritten_passage_shows_old_and_new_text_in_the_recheck_queue() {
    let f = demo_app(true);
    let root = f.app.study.root.clone();
    let repo = git2::Repository::open(&root).unwrap();
    let study = Study::open(&root).unwrap();
    let text = std::fs::read_to_string(root.join("transcripts/interview-02.txt")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let old = lines[6].to_string();
    lines[6] = "P: [passage removed at the participant's request]";
    let alice = Author::new(Slug::new("alice").unwrap(), "alice@demo.invalid");
    let id = Slug::new("interview-02").unwrap();
    let fixed = lines.join("\n") + "\n";
    correct::replace(
        &study,
        &repo,
        &alice,
        &id,
        Path::new("fixed.txt"),
        fixed.as_bytes(),
    )
    .unwrap()
    .expect("the text changed");
    let mut app = common::tui::app_as(&root, "alice", true);
    keys(&mut app, "5R");
    app.wait_background();
    let s = screen(&mut app);
    assert!(
        s.contains("interview-02:7-8  police-pressure  text changed"),
        "{s}"
    );
    let at = (app.history.recheck.ready().unwrap().iter_from(0))
        .position(|i| matches!(i, RecheckItem::Text(_)))
        .unwrap();
    keys(&mut app, &"j".repeat(at));
    let s = screen(&mut app);
    insta::assert_snapshot!(s);
    assert!(
        s.contains("police-pressure: the passage's words changed"),
        "{s}"
    );
    assert!(s.contains(&format!("- {}", &old[..30])), "old text:\n{s}");
    assert!(
        s.contains("+ P: [passage removed at the participant's request]"),
        "{s}"
    );
    keys(&mut app, "x");
    let subject = git(&root, &["log", "-1", "--format=%s", "main"]);
    assert!(
        subject.starts_with("alice: re-checked 1 segment(s) whose transcript text changed"),
        "{subject}"
    );
    assert!(!root.join("recheck/alice.toml").exists());
    assert!(screen(&mut app).contains("Nothing to re-check"));
    drop(f);
}
