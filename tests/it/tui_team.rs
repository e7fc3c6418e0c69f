//! The TUI working as a team, on TestBackend screens: the session lock
//! (a second session is read-only and refuses changes), ahead/behind in the
//! status bar, half-finished git work reported at start, blind coding in
//! the Codebook tab, and sync on a key between two working copies.

use crate::common;
use crate::team_support;

use std::path::Path;

use codebook_review::model::Slug;
use codebook_review::study::Study;
use codebook_review::study::lockfile::LockInfo;
use codebook_review::tui::action::Action;
use codebook_review::tui::app::App;
use codebook_review::tui::popups::overlay::Overlay;

use common::Sandbox;
use common::tui::{app_for, keys, pump, render, settle, start_team, status_bar, text};

fn slug(s: &str) -> Slug {
    Slug::new(s).unwrap()
}

/// `n` commits by `who` on top of `parent` that change nothing, by
/// plumbing (no checkout): returns the last one.
fn empty_commits(sb: &Sandbox, dir: &Path, who: &str, parent: &str, n: usize) -> String {
    let mut tip = sb.git(dir, &["rev-parse", parent]).trim().to_string();
    for i in 0..n {
        tip = sb
            .git(
                dir,
                &[
                    "commit-tree",
                    &format!("{tip}^{{tree}}"),
                    "-p",
                    &tip,
                    "-m",
                    &format!("{who}: commit {i}"),
                ],
            )
            .trim()
            .to_string();
    }
    tip
}

/// Selects `code` in the Codebook tab (from the top of the tree).
fn select_code(app: &mut App, code: &str) {
    keys(app, "2");
    let rows = app.codebook_screen.rows(&app.study.codebook);
    let at = rows
        .iter()
        .position(|(_, c)| c.id.as_str() == code)
        .unwrap_or_else(|| panic!("{code} in the tree"));
    app.codebook_screen.selected = 0;
    keys(app, &"j".repeat(at));
}

#[test]
fn status_bar_shows_ahead_and_behind_the_team_and_nothing_without_one() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    {
        let mut app = app_for(&dir, "alice");
        start_team(&mut app);
        settle(&mut app);
        assert_eq!(app.team.status, None, "the demo has no shared repository");
        assert_eq!(
            status_bar(&mut app),
            " Violence au travail en rédu… │ alice"
        );
    }
    // The team's main moved on by five commits, ours by two.
    let team = empty_commits(&sb, &dir, "team", "HEAD", 5);
    sb.git(&dir, &["update-ref", "refs/remotes/origin/main", &team]);
    let ours = empty_commits(&sb, &dir, "alice", "HEAD", 2);
    sb.git(&dir, &["update-ref", "refs/heads/main", &ours]);

    let mut app = app_for(&dir, "alice");
    start_team(&mut app);
    settle(&mut app);
    let screen = text(&render(&app, 80, 24));
    insta::assert_snapshot!(screen);
    assert_eq!(
        status_bar(&mut app),
        " Violence au travail en rédu… │ alice │ ↑2 ↓5"
    );
}

/// A lock held by a live process that is not this one (pid 1 always runs).
fn lock_held_elsewhere(dir: &Path, coder: &str) {
    let mut holder = LockInfo::current();
    holder.pid = 1;
    std::fs::write(
        dir.join(format!(".git/cbr-{coder}.lock")),
        toml::to_string(&holder).unwrap(),
    )
    .unwrap();
}

#[test]
fn a_second_session_is_read_only_says_why_and_refuses_every_change() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    lock_held_elsewhere(&dir, "alice");
    let mut app = app_for(&dir, "alice");
    start_team(&mut app);
    settle(&mut app);
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains("alice already has a cbr session open in this working copy (pid 1 on"),
        "{screen}"
    );
    assert!(screen.contains("S fetches the team's work"), "{screen}");
    keys(&mut app, "\x1b");
    let screen = text(&render(&app, 80, 24));
    insta::assert_snapshot!(screen);
    assert!(
        screen.contains("read-only: alice is already coding in another session (pid 1, just now)"),
        "{screen}"
    );

    // interview-03 is alice's, in progress: open it and try to change it.
    let file = dir.join("codings/alice/interview-03.toml");
    let before = std::fs::read_to_string(&file).unwrap();
    keys(&mut app, "jjjjj\n");
    assert_eq!(
        app.transcripts.doc.as_ref().unwrap().id().as_str(),
        "interview-03"
    );
    for key in ["c", "x", "m", "C", "u"] {
        keys(&mut app, key);
        assert!(app.overlay.is_none(), "{key} opened nothing");
        let flash = app.flash.as_ref().map(|(m, _)| m.as_str());
        assert_eq!(
            flash,
            Some("Read-only session: alice is coding in another session; close it to code here."),
            "{key}"
        );
    }
    // Actions that reach the dispatcher any other way are refused too.
    app.update(Action::Apply(slug("humour")));
    app.update(Action::SetMemo(slug("humour"), "memo".into()));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    assert!(status_bar(&mut app).contains("Read-only session"));

    // Leaving writes nothing and leaves the other session's lock alone.
    keys(&mut app, "q");
    assert!(app.quit);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    assert!(dir.join(".git/cbr-alice.lock").exists());
    assert!(sb.git(&dir, &["status", "--porcelain"]).is_empty());
}

#[test]
fn the_writer_holds_the_lock_until_it_quits() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let lock = dir.join(".git/cbr-alice.lock");
    let mut first = app_for(&dir, "alice");
    start_team(&mut first);
    assert!(first.team.read_only.is_none());
    assert!(lock.exists());
    let mut second = app_for(&dir, "alice");
    start_team(&mut second);
    assert!(second.team.read_only.is_some());
    // Another coder in the same working copy is not blocked.
    let mut bob = app_for(&dir, "bob");
    start_team(&mut bob);
    assert!(bob.team.read_only.is_none());

    keys(&mut first, "q");
    assert!(!lock.exists(), "quitting released the lock");
    let mut third = app_for(&dir, "alice");
    start_team(&mut third);
    assert!(third.team.read_only.is_none());
}

#[test]
fn a_half_finished_git_command_is_reported_at_start() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    std::fs::write(dir.join(".git/index.lock"), "").unwrap();
    let mut app = app_for(&dir, "alice");
    start_team(&mut app);
    settle(&mut app);
    let Some(Overlay::Error(msg)) = &app.overlay else {
        panic!("a problems popup");
    };
    assert!(
        msg.starts_with(
            "Something was left half-done in this working copy:\n  .git/index.lock:1:1: a git command is running in this working copy, or one was interrupted"
        ),
        "{msg}"
    );
    assert!(msg.contains("delete this file"), "{msg}");
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains(".git/index.lock:1:1:"), "{screen}");
}

#[test]
fn blind_coding_hides_others_counts_until_the_transcript_is_revealed() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let mut study = Study::open(&dir).unwrap();
    study.config.blind = true;
    std::fs::write(dir.join("study.toml"), study.config.to_toml()).unwrap();
    // alice is midway through interview-03; bob has not started it.
    let alice = slug("alice");
    let interview_03 = slug("interview-03");
    let in_03 = study.coding(&alice, &interview_03).unwrap().unwrap();
    let code = in_03.segments[0].code.clone();
    let (all, _) = study.all_codings();
    let count = |skip_03: bool| {
        all.iter()
            .filter(|(c, k)| *c == alice && !(skip_03 && k.transcript == interview_03))
            .flat_map(|(_, k)| &k.segments)
            .filter(|s| s.code == code)
            .count()
    };
    let (shown, everything) = (count(true), count(false));
    assert!(everything > shown, "alice applied {code} in interview-03");

    let mut app = app_for(&dir, "bob");
    start_team(&mut app);
    settle(&mut app);
    select_code(&mut app, code.as_str());
    let screen = text(&render(&app, 80, 24));
    insta::assert_snapshot!(screen);
    assert!(
        screen.contains(&format!("applied: alice {shown} ")),
        "{screen}"
    );
    assert_eq!(
        app.codebook_screen.blind_note.as_deref(),
        Some(
            "Blind coding: others' segments on interview-03 (waiting for alice and bob) are hidden until all assigned coders complete it."
        )
    );
    assert!(
        screen.contains("Blind coding: others' segments on"),
        "{screen}"
    );
    keys(&mut app, "r");
    let (items, _) = app.codebook_screen.retrieval.as_ref().unwrap();
    assert!(!items.iter().any(|i| i.transcript == interview_03));
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains("Blind coding: others' segments on"),
        "{screen}"
    );
    keys(&mut app, "\x1b");

    // alice completes it (her copy, synced here); then bob completes it too.
    let mut done = in_03.clone();
    done.complete = true;
    study.save_coding(&alice, &done).unwrap();
    keys(&mut app, "1jjjjj\n");
    assert_eq!(app.transcripts.doc.as_ref().unwrap().id(), &interview_03);
    keys(&mut app, "C");
    pump(&mut app, |a| a.codebook_screen.hidden.is_empty());
    keys(&mut app, "\x1b2");
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains(&format!("applied: alice {everything} ")),
        "{screen}"
    );
    assert!(!screen.contains("Blind coding"), "{screen}");
    assert_eq!(app.codebook_screen.blind_note, None);
}

#[test]
fn sync_on_a_key_exchanges_work_and_keeps_the_coders_place() {
    let team = team_support::Team::new(|_| {});
    let alice_dir = team.dir("alice");
    let bob_dir = team.dir("bob");

    // alice codes line 2 of interview-01 as a threat and syncs.
    let mut alice = app_for(&alice_dir, "alice");
    start_team(&mut alice);
    settle(&mut alice);
    assert_eq!(status_bar(&mut alice), " Violence │ alice │ ↑0 ↓0");
    keys(&mut alice, "\njcthreat\n");
    keys(&mut alice, "S");
    assert!(alice.team.syncing.is_some());
    pump(&mut alice, |a| a.team.syncing.is_none());
    let Some(Overlay::Info { text: summary, .. }) = &alice.overlay else {
        panic!("a sync summary");
    };
    assert!(
        summary.starts_with(
            "Committed your coding of interview-01.\nNothing new from the team.\nSent: main"
        ),
        "{summary}"
    );
    assert_eq!(
        team.sb
            .git(&alice_dir, &["log", "-1", "--format=%s", "origin/main"])
            .trim(),
        "alice: code interview-01, 1 segment"
    );

    // bob codes interview-02 line 3 as an insult; while his sync runs,
    // nothing can change, but moving around still works.
    let mut bob = app_for(&bob_dir, "bob");
    start_team(&mut bob);
    settle(&mut bob);
    keys(&mut bob, "j\njjcinsult\n");
    keys(&mut bob, "S");
    keys(&mut bob, "c");
    assert!(bob.overlay.is_none());
    assert_eq!(
        bob.flash.as_ref().map(|(m, _)| m.as_str()),
        Some("Syncing: try again in a moment, when it has finished.")
    );
    keys(&mut bob, "j");
    assert!(status_bar(&mut bob).contains("│ bob │ syncing"));
    pump(&mut bob, |a| a.team.syncing.is_none());
    let Some(Overlay::Info { text: summary, .. }) = &bob.overlay else {
        panic!("a sync summary");
    };
    assert!(
        summary.contains("Received 1 commit(s) from the team, joined with yours in merge commit"),
        "{summary}"
    );
    assert!(summary.contains("Sent: main"), "{summary}");
    // Still in interview-02, on the line he moved to.
    let doc = bob.transcripts.doc.as_ref().unwrap();
    assert_eq!((doc.id().as_str(), doc.cursor), ("interview-02", 4));
    keys(&mut bob, "\x1b");
    select_code(&mut bob, "threat");
    let screen = text(&render(&bob, 80, 24));
    assert!(
        screen.contains("applied: alice 1 (r lists them)"),
        "{screen}"
    );
    assert!(status_bar(&mut bob).contains("│ bob │ ↑0 ↓0"));

    // alice syncs again and sees bob's work.
    keys(&mut alice, "\x1bS");
    pump(&mut alice, |a| a.team.syncing.is_none());
    keys(&mut alice, "\x1b");
    select_code(&mut alice, "insult");
    let screen = text(&render(&alice, 80, 24));
    assert!(screen.contains("applied: bob 1 (r lists them)"), "{screen}");
    assert!(alice_dir.join("codings/bob/interview-02.toml").is_file());
}

#[test]
fn a_transcript_corrected_by_a_teammate_shows_its_new_text_after_sync() {
    let team = team_support::Team::new(|_| {});
    let alice_dir = team.dir("alice");
    let bob_dir = team.dir("bob");

    // bob has interview-01 open, with a selection going on.
    let mut bob = app_for(&bob_dir, "bob");
    start_team(&mut bob);
    settle(&mut bob);
    keys(&mut bob, "\nj");
    let before = bob
        .transcripts
        .doc
        .as_ref()
        .unwrap()
        .transcript
        .lines()
        .to_vec();

    // alice fixes the transcript's last line by hand and shares it.
    let path = alice_dir.join("transcripts/interview-01.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let last = text.lines().last().unwrap().to_string();
    let fixed = text.replace(&last, &format!("{last} [corrected]"));
    std::fs::write(&path, &fixed).unwrap();
    team.sb
        .git(&alice_dir, &["commit", "-qam", "Fix a transcription error"]);
    let out = team.sb.cbr(&alice_dir, "alice", &["sync"]);
    common::assert_success(&out);

    keys(&mut bob, "S");
    pump(&mut bob, |a| a.team.syncing.is_none());
    let doc = bob.transcripts.doc.as_ref().unwrap();
    assert_eq!(doc.id().as_str(), "interview-01");
    assert_eq!(doc.cursor, 2, "same place");
    let after = doc.transcript.lines();
    assert_eq!(after.len(), before.len());
    assert!(after.last().unwrap().ends_with("[corrected]"), "{after:?}");
    assert_eq!(
        bob.flash.as_ref().map(|(m, _)| m.as_str()),
        Some("This transcript's text changed in the sync: check your segments against it.")
    );
}
