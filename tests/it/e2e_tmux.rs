//! End to end: the real `cbr` binary in tmux on a demo study, driven with
//! keystrokes the way a person types, with files and commits asserted.

use crate::common;

use std::path::{Path, PathBuf};

use common::Sandbox;
use common::tmux::{Tmux, wait_until};

fn coding_file(dir: &Path, transcript: &str) -> PathBuf {
    dir.join(format!("codings/alice/{transcript}.toml"))
}

#[test]
fn code_a_passage_with_keystrokes_then_quit() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let tmux = Tmux::start(&sb, &dir, "quit", "alice");
    tmux.wait_for("your progress as alice");

    // fieldnotes-01 is first in the list and not started.
    tmux.keys(&["Enter"]);
    tmux.wait_for("fieldnotes-01 L1/");
    tmux.keys(&["j", "j", "v", "j", "c"]);
    tmux.wait_for("Apply a code");
    tmux.keys(&["-l", "humour"]);
    tmux.wait_for("Use of humour");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Applied Humour to lines 3–4");
    assert!(
        screen.contains("a Humour"),
        "margin names the code:\n{screen}"
    );

    // Saved at once, before any commit.
    let saved = std::fs::read_to_string(coding_file(&dir, "fieldnotes-01")).unwrap();
    assert!(
        saved.contains("code = \"humour\"\nstart_line = 3\nend_line = 4"),
        "{saved}"
    );

    tmux.keys(&["q"]);
    wait_until("cbr to quit", || !tmux.running());
    let log = sb.git(
        &dir,
        &[
            "log",
            "-1",
            "--format=%an|%s",
            "--",
            "codings/alice/fieldnotes-01.toml",
        ],
    );
    assert_eq!(log.trim(), "alice|alice: code fieldnotes-01, 1 segment");
    assert!(
        sb.git(&dir, &["status", "--porcelain", "codings"])
            .is_empty(),
        "all committed"
    );

    // Re-opening restores the transcript and the line.
    let tmux = Tmux::start(&sb, &dir, "reopen", "alice");
    tmux.wait_for("fieldnotes-01 L4/");
}

#[test]
fn work_survives_the_terminal_being_killed() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let tmux = Tmux::start(&sb, &dir, "kill", "alice");
    tmux.wait_for("your progress as alice");
    tmux.keys(&["j", "Enter"]);
    tmux.wait_for("fieldnotes-02 L1/");
    tmux.keys(&["c"]);
    tmux.wait_for("Apply a code");
    tmux.keys(&["-l", "debriefing"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Applied Debriefing to line 1");
    let lock = dir.join(".git/cbr-alice.lock");
    assert!(lock.exists(), "the session holds its lock");
    // The SSH link drops: tmux goes away and cbr gets SIGHUP mid-session.
    tmux.kill();

    let saved = std::fs::read_to_string(coding_file(&dir, "fieldnotes-02")).unwrap();
    assert!(
        saved.contains("code = \"debriefing\"\nstart_line = 1\nend_line = 1"),
        "{saved}"
    );
    // On SIGHUP cbr also commits what it had saved.
    wait_until("the commit made on SIGHUP", || {
        sb.git(&dir, &["log", "-1", "--format=%s"]).trim() == "alice: code fieldnotes-02, 1 segment"
    });
    // ...and then lets go of its session lock: the next session writes.
    wait_until("the lock released on SIGHUP", || !lock.exists());
}

#[test]
fn a_reconciliation_meeting_in_the_terminal_resumes_where_it_stopped() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let tmux = Tmux::start_args(&sb, &dir, "meeting", "claire", "reconcile alice bob");
    tmux.wait_for("Who is present?");
    tmux.keys(&["Enter"]);
    tmux.wait_for("present: alice, bob");
    tmux.keys(&["a"]);
    tmux.wait_for("Rationale for keep A's");
    tmux.keys(&["-l", "Neighbours are the public"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("hunk 2/27 · 1/27 resolved");
    tmux.keys(&["x"]);
    tmux.wait_for("Rationale for neither");
    // A decision without a reason is refused; the team gives one.
    tmux.keys(&["Enter"]);
    tmux.wait_for("a decision needs a rationale");
    // Esc and x apart: sent together, a terminal reads them as Alt-x.
    tmux.keys(&["Escape"]);
    std::thread::sleep(std::time::Duration::from_millis(150));
    tmux.keys(&["x"]);
    tmux.wait_for("Rationale for neither");
    tmux.keys(&["-l", "Neither code fits a joke"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("hunk 3/27 · 2/27 resolved");
    tmux.keys(&["q"]);
    wait_until("cbr to quit", || !tmux.running());
    let log = sb.git(&dir, &["log", "-2", "--format=%an|%s"]);
    assert_eq!(
        log,
        "claire|claire: reconcile focus-group-01:21-22 (alice/bob), keep neither coder's extra codes\n\
         claire|claire: reconcile focus-group-01:12-15 (alice/bob), keep alice's codes\n"
    );

    // The meeting goes on another day, from the first unresolved hunk.
    let tmux = Tmux::start_args(&sb, &dir, "meeting2", "claire", "reconcile alice bob");
    let screen = tmux.wait_for("hunk 3/27 · 2/27 resolved");
    assert!(screen.contains("@@ focus-group-01:25-26 @@"), "{screen}");
}

#[test]
fn a_suggestion_is_written_in_the_editor_and_the_tui_comes_back() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    // A stand-in for a person in $EDITOR: fills in the rationale, edits the definition.
    let editor = sb.path().join("edit-draft.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/^rationale = \"\"/rationale = \"Mostly dark.\"/; s/often dark, //' \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let env = format!("EDITOR={}", editor.display());
    let tmux = Tmux::start_env(&sb, &dir, "editor", "alice", &env);
    tmux.wait_for("your progress as alice");
    tmux.keys(&["2"]);
    tmux.wait_for("Coping strategies");
    tmux.keys(&["j", "j", "s"]);
    tmux.wait_for("Suggest a change to Humour");
    tmux.keys(&["e"]);
    tmux.wait_for("Suggested suggest/alice/revise-humour.");
    tmux.wait_for("Mostly dark.");
    // Keys reach the TUI again once the editor is done.
    tmux.keys(&["Escape"]);
    tmux.wait_for("2 open suggestion(s)");
    let code = sb.git(
        &dir,
        &[
            "show",
            "suggest/alice/revise-humour:codebook/codes/humour.toml",
        ],
    );
    assert!(code.contains("Use of humour, to release tension"), "{code}");
    tmux.keys(&["q"]);
    wait_until("cbr to quit", || !tmux.running());
}

#[test]
fn leaving_the_demo_says_where_its_folder_stays() {
    let sb = Sandbox::new();
    let dir = sb.path().join("my-demo");
    // The shell keeps the pane open after cbr exits, so its last words show.
    let args = format!("demo {}; sleep 60", dir.display());
    let tmux = Tmux::start_args(&sb, sb.path(), "demo-exit", "alice", &args);
    tmux.wait_for("your progress as alice");
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("The demo study stays in");
    let flat = screen.replace('\n', "");
    assert!(
        flat.contains(&format!("rm -rf {}", dir.display())),
        "{screen}"
    );
    tmux.kill();
}
