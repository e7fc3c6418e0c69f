//! Coding left uncommitted by a killed session is committed when the next
//! session quits, with a line saying so.

use std::time::Duration;

use crate::common::Sandbox;
use crate::common::tmux::{Tmux, wait_until};

#[test]
fn the_next_session_commits_what_a_killed_one_left() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    // What a session killed between its save and its commit leaves behind.
    let file = dir.join("codings/alice/interview-03.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen(
        "Interpreting in the first person",
        "Speaking in the first person",
        1,
    );
    assert_ne!(text, edited);
    std::fs::write(&file, edited).unwrap();
    assert!(!sb.git(&dir, &["status", "--porcelain"]).is_empty());

    let log = sb.path().join("stderr.txt");
    let tui = Tmux::start_args(
        &sb,
        &dir,
        "leftover",
        "alice",
        &format!("2>{}", log.display()),
    );
    tui.wait_for("your progress as alice");
    tui.keys(&["q"]);
    wait_until("the session to quit and say what it committed", || {
        std::fs::read_to_string(&log)
            .is_ok_and(|t| t.contains("Committed coding an earlier session left uncommitted"))
    });
    std::thread::sleep(Duration::from_millis(100));
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(said.contains("codings/alice/interview-03.toml"), "{said}");
    assert_eq!(sb.git(&dir, &["status", "--porcelain"]), "");
    let subject = sb.git(&dir, &["log", "-1", "--format=%an: %s"]);
    assert!(
        subject.starts_with("alice: alice: code interview-03"),
        "{subject}"
    );
}
