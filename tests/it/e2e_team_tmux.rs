//! End to end, as a team: two `cbr` TUIs in tmux, alice's and bob's, on two
//! working copies of one shared repository holding the demo study. Each
//! codes, each syncs with the key, alice syncs again, and each sees the
//! other's work on screen (Codebook counts and coded retrieval) and in
//! files. A second session of alice is read-only.

use crate::common;

use std::path::{Path, PathBuf};

use codebook_review::model::Slug;
use codebook_review::study::Study;
use codebook_review::tui::codebook::CodebookScreen;

use common::tmux::{Tmux, wait_until};
use common::{Sandbox, assert_success};

/// The demo study pushed to a bare repository, as an administrator would
/// set it up, and a working copy for alice and for bob via `cbr join`.
fn shared_demo(sb: &Sandbox) -> (PathBuf, PathBuf, PathBuf) {
    let demo = sb.demo();
    // This test is about exchanging work; blind coding, which would hide the
    // other's fresh segments until both complete, has tests of its own.
    let config = demo.join("study.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("blind = true", "blind = false")).unwrap();
    sb.git(&demo, &["commit", "-qam", "Open coding for this round"]);
    let bare = sb.path().join("srv/demo.git");
    std::fs::create_dir_all(&bare).unwrap();
    sb.git(&bare, &["init", "--bare", "--shared=group"]);
    sb.git(&demo, &["remote", "add", "origin", bare.to_str().unwrap()]);
    sb.git(&demo, &["push", "origin", "--all"]);
    sb.git(&demo, &["push", "origin", "--tags"]);
    let mut copies = Vec::new();
    for coder in ["alice", "bob"] {
        let dir = sb.path().join(coder);
        assert_success(&sb.cbr(
            sb.path(),
            coder,
            &["join", bare.to_str().unwrap(), dir.to_str().unwrap()],
        ));
        copies.push(dir);
    }
    let bob = copies.pop().unwrap();
    (bare, copies.pop().unwrap(), bob)
}

/// Moves the Codebook tab's cursor from the top down to `code`.
fn go_to_code(tmux: &Tmux, dir: &Path, code: &str) {
    let study = Study::open(dir).unwrap();
    let rows = CodebookScreen::default().rows(&study.codebook);
    let at = rows
        .iter()
        .position(|(_, c)| c.id.as_str() == code)
        .unwrap();
    tmux.keys(&["2"]);
    tmux.wait_for("Space fold");
    let downs = vec!["j"; at];
    tmux.keys(&downs);
    let name = &rows[at].1.name;
    tmux.wait_for(&format!("│{name} ({code})"));
}

/// "applied: alice 3 · bob 3" as the Codebook tab words it, from the files.
fn applied(dir: &Path, code: &str) -> String {
    let study = Study::open(dir).unwrap();
    let (codings, _) = study.all_codings();
    let mut parts = Vec::new();
    for coder in ["alice", "bob"] {
        let n = codings
            .iter()
            .filter(|(c, _)| *c == Slug::new(coder).unwrap())
            .flat_map(|(_, k)| &k.segments)
            .filter(|s| s.code.as_str() == code)
            .count();
        if n > 0 {
            parts.push(format!("{coder} {n}"));
        }
    }
    format!("applied: {}", parts.join(" · "))
}

/// Presses the sync key, waits for the summary showing `expect`, closes it.
fn sync(tmux: &Tmux, expect: &str) -> String {
    tmux.keys(&["S"]);
    let screen = tmux.wait_for(expect);
    assert!(screen.contains("Sync (Esc to close)"), "{screen}");
    tmux.keys(&["Enter"]);
    wait_until("the sync popup to close", || {
        !tmux.screen().contains("Sync (Esc to close)")
    });
    screen
}

#[test]
fn two_coders_code_sync_and_see_each_others_work() {
    let sb = Sandbox::new();
    let (bare, alice_dir, bob_dir) = shared_demo(&sb);
    let alice = Tmux::start(&sb, &alice_dir, "team-alice", "alice");
    let bob = Tmux::start(&sb, &bob_dir, "team-bob", "bob");
    alice.wait_for("your progress as alice");
    // Ahead/behind is read behind the first frame: wait for it, not race it.
    alice.wait_for("│ alice │ ↑0 ↓0");
    bob.wait_for("your progress as bob");

    // A second session of alice in her copy only reads.
    {
        let again = Tmux::start(&sb, &alice_dir, "team-alice-2", "alice");
        again.wait_for("read-only: alice is already coding in another session (pid");
        again.wait_for("You can read and move around here; S fetches the team's work.");
    }

    // alice codes lines 3–4 of fieldnotes-01 as humour and syncs.
    alice.keys(&["Enter"]);
    alice.wait_for("fieldnotes-01 L1/");
    alice.keys(&["j", "j", "v", "j", "c"]);
    alice.wait_for("Apply a code");
    alice.keys(&["-l", "humour"]);
    alice.wait_for("Use of humour");
    alice.keys(&["Enter"]);
    alice.wait_for("Applied Humour to lines 3–4");
    let screen = sync(&alice, "Sent: main");
    assert!(
        screen.contains("Committed your coding of fieldnotes-01."),
        "{screen}"
    );

    // bob codes line 1 of fieldnotes-02 as debriefing, syncs, gets alice's.
    bob.keys(&["j", "Enter"]);
    bob.wait_for("fieldnotes-02 L1/");
    bob.keys(&["c"]);
    bob.wait_for("Apply a code");
    bob.keys(&["-l", "debriefing"]);
    bob.wait_for("Collective discussion");
    bob.keys(&["Enter"]);
    bob.wait_for("Applied Debriefing to line 1");
    let screen = sync(&bob, "Received 1 commit(s) from the team");
    assert!(screen.contains("Sent: main"), "{screen}");
    bob.wait_for("│ bob │ ↑0 ↓0 │ fieldnotes-02 L1/");

    // alice syncs again and receives bob's work.
    sync(&alice, "from the team");
    assert_eq!(
        sb.git(&alice_dir, &["rev-parse", "main"]),
        sb.git(&bob_dir, &["rev-parse", "main"])
    );
    assert_eq!(
        sb.git(&alice_dir, &["rev-parse", "main"]),
        sb.git(&bare, &["rev-parse", "main"])
    );

    // Each sees the other's segment in the Codebook tab...
    bob.keys(&["Escape"]);
    bob.wait_for("your progress as bob");
    go_to_code(&bob, &bob_dir, "humour");
    bob.wait_for(&applied(&bob_dir, "humour"));
    bob.keys(&["r"]);
    bob.wait_for("alice    fieldnotes-01:3-4");

    alice.keys(&["Escape"]);
    alice.wait_for("your progress as alice");
    go_to_code(&alice, &alice_dir, "debriefing");
    let counts = applied(&alice_dir, "debriefing");
    assert!(counts.contains("bob "), "{counts}");
    alice.wait_for(&counts);
    alice.keys(&["r"]);
    alice.wait_for("bob      fieldnotes-02:1-1");

    // ...and in the files of their own working copy.
    let bobs = std::fs::read_to_string(alice_dir.join("codings/bob/fieldnotes-02.toml")).unwrap();
    assert!(
        bobs.contains("code = \"debriefing\"\nstart_line = 1\nend_line = 1"),
        "{bobs}"
    );
    let alices = std::fs::read_to_string(bob_dir.join("codings/alice/fieldnotes-01.toml")).unwrap();
    assert!(
        alices.contains("code = \"humour\"\nstart_line = 3\nend_line = 4"),
        "{alices}"
    );

    // Quitting releases each session's lock.
    for (tmux, dir, coder) in [(&alice, &alice_dir, "alice"), (&bob, &bob_dir, "bob")] {
        tmux.keys(&["q"]);
        wait_until("cbr to quit", || !tmux.running());
        assert!(!dir.join(format!(".git/cbr-{coder}.lock")).exists());
        assert!(sb.git(dir, &["status", "--porcelain"]).is_empty());
    }
}
