//! Correcting the open transcript from the terminal UI (`E`): the text is
//! edited in a private copy, every coding moves with it in one commit, and
//! the transcript shows the new text with the coder's segments on the
//! same words.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use crate::common;

use common::tui::{demo_app, keys};

#[test]
fn a_correction_moves_the_segments_with_the_text() {
    let mut f = demo_app(true);
    // interview-01, fourth in the list, coded by alice.
    keys(&mut f.app, "jjj\n");
    let doc = f.app.transcripts.doc.as_ref().unwrap();
    assert_eq!(doc.id().as_str(), "interview-01");
    let before = doc.session.coding.segments[0].clone();
    let first_words = doc.transcript.line(before.start_line).unwrap().to_string();

    keys(&mut f.app, "E");
    let request = f.app.editor.take().expect("E asks for the editor");
    let mode = std::fs::metadata(&request.path)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the copy is private");
    let text = std::fs::read_to_string(&request.path).unwrap();
    std::fs::write(&request.path, format!("A line added at the top.\n{text}")).unwrap();
    f.app.draft_edited(request.clone(), Ok(()));

    assert!(f.app.overlay.is_none(), "no error");
    let said = f.app.flash.as_ref().map(|(m, _)| m.clone()).unwrap();
    assert!(said.starts_with("Corrected interview-01: "), "{said}");
    assert!(said.contains(" moved"), "{said}");
    assert!(!request.path.exists(), "the private copy is removed");
    let doc = f.app.transcripts.doc.as_ref().unwrap();
    assert_eq!(doc.transcript.line(1), Some("A line added at the top."));
    let after = &doc.session.coding.segments[0];
    assert_eq!(after.start_line, before.start_line + 1);
    assert_eq!(
        doc.transcript.line(after.start_line),
        Some(first_words.as_str())
    );
    let log = Command::new("git")
        .args(["log", "-1", "--format=%an %s"])
        .current_dir(&f.app.study.root)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&log.stdout);
    assert!(log.starts_with("alice "), "{log}");
    assert!(log.contains("interview-01"), "{log}");
}

#[test]
fn an_unchanged_text_changes_nothing() {
    let mut f = demo_app(true);
    keys(&mut f.app, "jjj\nE");
    let request = f.app.editor.take().expect("E asks for the editor");
    f.app.draft_edited(request, Ok(()));
    let said = f.app.flash.as_ref().map(|(m, _)| m.clone()).unwrap();
    assert_eq!(said, "interview-01: the text is unchanged; nothing to do.");
}
