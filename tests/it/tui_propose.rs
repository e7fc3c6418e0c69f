//! Suggesting changes from the Codebook tab: rename and merge through
//! prompts and the picker, an edit through a `$EDITOR` draft that is first
//! refused (and kept) and then accepted. The branches are read back with git.

use crate::common;

use codebook_review::tui::app::App;
use codebook_review::tui::popups::overlay::Overlay;
use common::tui::{demo_app, git, keys, screen};

/// Selects `id` in the Codebook tab.
fn select(app: &mut App, id: &str) {
    keys(app, "2");
    let rows = app.codebook_screen.rows(&app.study.codebook);
    let at = rows.iter().position(|(_, c)| c.id.as_str() == id).unwrap();
    keys(app, &"j".repeat(at));
}

#[test]
fn a_rename_is_suggested_through_prompts() {
    let mut f = demo_app(true);
    let root = f.app.study.root.clone();
    select(&mut f.app, "humour");
    keys(&mut f.app, "s");
    let menu = screen(&mut f.app);
    assert!(menu.contains("Suggest a change to Humour"), "{menu}");
    keys(&mut f.app, "r");
    let Some(Overlay::Ask(ask)) = &f.app.overlay else {
        panic!("asks for the new id");
    };
    assert_eq!(ask.input.text, "humour");
    keys(&mut f.app, "\x08\x08\x08\x08\x08\x08dark-humour\n");
    let Some(Overlay::Ask(ask)) = &f.app.overlay else {
        panic!("asks for the title");
    };
    assert_eq!(ask.input.text, "Rename humour to dark-humour");
    keys(&mut f.app, "\nMost of the humour we code is dark.\n");
    f.app.wait_background();
    let branch = "suggest/alice/rename-humour-to-dark-humour";
    let message = git(&root, &["log", "-1", "--format=%B", branch]);
    assert!(
        message.starts_with("Rename humour to dark-humour\n\nMost of the humour"),
        "{message}"
    );
    assert!(message.contains("Suggestion-kind: rename"), "{message}");
    let files = git(&root, &["show", "--name-status", "--format=", branch]);
    assert!(files.contains("codebook/codes/dark-humour.toml"), "{files}");
    let s = screen(&mut f.app);
    assert!(
        s.contains("~ dark-humour (was humour)"),
        "the new suggestion is shown:\n{s}"
    );
}

#[test]
fn a_merge_into_another_code_is_picked() {
    let mut f = demo_app(true);
    let root = f.app.study.root.clone();
    select(&mut f.app, "humour");
    keys(&mut f.app, "sm");
    assert!(matches!(f.app.overlay, Some(Overlay::Picker(_))));
    keys(&mut f.app, "finding meaning\n");
    let Some(Overlay::Ask(ask)) = &f.app.overlay else {
        panic!("asks for the title");
    };
    assert!(
        ask.input.text.contains("Finding meaning"),
        "{}",
        ask.input.text
    );
    keys(
        &mut f.app,
        "\nBoth are ways of coping with what was heard.\n",
    );
    let branches = git(&root, &["branch", "--list", "suggest/alice/*"]);
    let branch = branches.trim().trim_start_matches("* ").to_string();
    assert!(branch.starts_with("suggest/alice/merge-"), "{branches}");
    let code = git(
        &root,
        &["show", &format!("{branch}:codebook/codes/humour.toml")],
    );
    assert!(code.contains("status = \"merged\""), "{code}");
    assert!(code.contains("merged_into = \"meaning-making\""), "{code}");
}

#[test]
fn an_invalid_draft_is_refused_and_kept_then_accepted() {
    let mut f = demo_app(true);
    let root = f.app.study.root.clone();
    select(&mut f.app, "humour");
    keys(&mut f.app, "se");
    let request = f.app.editor.take().expect("the draft goes to the editor");
    assert!(request.path.ends_with(".git/cbr/drafts/edit-humour.toml"));
    let draft = std::fs::read_to_string(&request.path).unwrap();
    assert!(draft.contains("[code]") && draft.contains("title = \"Revise Humour\""));
    let broken = draft.replace("rationale = \"\"", "rationale = ");
    std::fs::write(&request.path, &broken).unwrap();
    f.app.draft_edited(request.clone(), Ok(()));
    let Some(Overlay::Error(msg)) = &f.app.overlay else {
        panic!("the parse error is shown");
    };
    let line = broken.lines().position(|l| l == "rationale = ").unwrap() + 1;
    let at = format!("{}:{line}:", request.path.display());
    assert!(msg.starts_with(&at), "{msg}");
    assert!(msg.contains("Your draft is kept"), "{msg}");
    assert_eq!(std::fs::read_to_string(&request.path).unwrap(), broken);
    assert_eq!(git(&root, &["branch", "--list", "suggest/alice/*"]), "");

    keys(&mut f.app, "\x1bse");
    let again = f
        .app
        .editor
        .take()
        .expect("the same change reopens the draft");
    assert_eq!(again.path, request.path);
    let fixed = broken
        .replace("rationale = \n", "rationale = \"Most of it is dark.\"\n")
        .replace("Use of humour, often dark,", "Use of dark humour");
    std::fs::write(&again.path, fixed).unwrap();
    f.app.draft_edited(again.clone(), Ok(()));
    assert!(f.app.overlay.is_none());
    assert!(!again.path.exists(), "a used draft is removed");
    let branch = "suggest/alice/revise-humour";
    let code = git(
        &root,
        &["show", &format!("{branch}:codebook/codes/humour.toml")],
    );
    assert!(code.contains("Use of dark humour"), "{code}");
    let message = git(&root, &["log", "-1", "--format=%B", branch]);
    assert!(
        message.contains("Most of it is dark.\n\nSuggestion-kind: edit"),
        "{message}"
    );
}
