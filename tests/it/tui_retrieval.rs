//! The Codebook tab's retrieval filtered by transcript metadata and
//! written to a file (issue 16): the same passages, messages and Markdown
//! as `cbr quotes CODE --where ... --format md`, for the same coder.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use codebook_review::tui::app::App;
use codebook_review::tui::keymap::Context;
use codebook_review::tui::popups::help;
use codebook_review::tui::popups::overlay::Overlay;
use codebook_review::tui::team::visible;
use common::tui::{app_as, keys, render, text};
use common::{Sandbox, assert_success, stderr, stdout};

/// The demo study open on the Codebook tab as alice, the cursor on
/// verbal-violence, with the codings alice may see (blind coding applied).
fn on_verbal_violence(dir: &Path) -> App {
    let mut app = app_as(dir, "alice", false);
    app.load_progress();
    let loaded = visible::load(&app.study, &app.author.coder);
    app.set_loaded(loaded);
    keys(&mut app, "2");
    let rows = app.codebook_screen.rows(&app.study.codebook);
    let at = rows
        .iter()
        .position(|(_, c)| c.id.as_str() == "verbal-violence")
        .unwrap();
    keys(&mut app, &"j".repeat(at));
    app
}

/// Types `text` into the prompt open over the app, replacing what it holds.
fn answer(app: &mut App, text: &str) {
    keys(app, &"\x08".repeat(80));
    keys(app, text);
    keys(app, "\n");
}

#[test]
fn the_filtered_retrieval_lists_what_cbr_quotes_lists() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let out = sb.cbr(
        &dir,
        "alice",
        &["quotes", "verbal-violence", "--where", "city=Marseille"],
    );
    assert_success(&out);
    let passages = stdout(&out).lines().filter(|l| l.starts_with("— ")).count();
    assert_eq!(passages, 2);

    let mut app = on_verbal_violence(&dir);
    keys(&mut app, "r");
    let all = app.codebook_screen.retrieval.clone().unwrap().0.len();
    keys(&mut app, "f");
    answer(&mut app, "city=Marseille");
    let (items, _) = app.codebook_screen.retrieval.clone().unwrap();
    assert_eq!(items.len(), passages);
    assert!(all > passages, "the filter leaves some out ({all})");
    assert!(
        items
            .iter()
            .all(|r| r.transcript.as_str() == "interview-01")
    );
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains("where city=Marseille · F clears · w writes to a file"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);

    // The filter stays for the next code, and F clears it.
    keys(&mut app, "F");
    assert_eq!(app.codebook_screen.retrieval.clone().unwrap().0.len(), all);
    assert_eq!(
        app.flash.clone().unwrap().0,
        "Filter cleared: every transcript."
    );
}

#[test]
fn the_retrieval_view_has_its_own_keys_in_the_hint_bar_and_help() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let mut app = on_verbal_violence(&dir);
    let hint_bar = |app: &mut App| {
        text(&render(app, 80, 24))
            .lines()
            .last()
            .unwrap()
            .to_string()
    };
    let tree = hint_bar(&mut app);
    keys(&mut app, "r");
    assert_eq!(app.context(), Context::Retrieval);
    let listed = hint_bar(&mut app);
    insta::assert_snapshot!(listed, @"Enter jump  f filter  F unfilter  w write  Esc tree  ? help  q quit  S sync");
    let help = help::lines(Context::Retrieval);
    for (key, what) in [
        ("f", "filter segments by metadata"),
        ("F", "clear the filter"),
        ("w", "write the segments"),
    ] {
        assert!(
            help.iter().any(|(k, d)| k == key && d.starts_with(what)),
            "{key} {what} in {help:?}"
        );
    }
    // Esc leaves the list, and the tree's keys are back in the bar.
    keys(&mut app, "\x1b");
    assert_eq!(app.context(), Context::Codebook);
    assert_eq!(hint_bar(&mut app), tree);
    assert!(tree.starts_with("Space fold  r segments"), "{tree}");
}

#[test]
fn a_bad_filter_gets_the_messages_of_cbr_quotes_and_changes_nothing() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let mut app = on_verbal_violence(&dir);
    keys(&mut app, "r");
    keys(&mut app, "f");
    answer(&mut app, "city=Marseille");
    for (typed, arg) in [("town=Lyon", "town=Lyon"), ("city=Lyon", "city=Lyon")] {
        let out = sb.cbr(
            &dir,
            "alice",
            &["quotes", "verbal-violence", "--where", arg],
        );
        let cli = stderr(&out);
        let cli = cli.lines().last().unwrap().trim_start_matches("cbr: ");
        keys(&mut app, "f");
        answer(&mut app, typed);
        let screen = text(&render(&app, 80, 24));
        match &app.overlay {
            Some(Overlay::Error(said)) => assert_eq!(said, cli, "{screen}"),
            _ => panic!("no error popup: {screen}"),
        }
        keys(&mut app, "\x1b");
        assert_eq!(app.codebook_screen.filter.text, "city=Marseille");
        assert_eq!(app.codebook_screen.retrieval.clone().unwrap().0.len(), 2);
    }
}

#[test]
fn w_writes_what_cbr_quotes_prints_readable_by_the_owner_only() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let out = sb.cbr(
        &dir,
        "alice",
        &[
            "quotes",
            "verbal-violence",
            "--where",
            "city=Marseille",
            "--format",
            "md",
        ],
    );
    assert_success(&out);
    let mut app = on_verbal_violence(&dir);
    keys(&mut app, "f");
    answer(&mut app, "city=Marseille");
    keys(&mut app, "w");
    let prompt = text(&render(&app, 80, 24));
    assert!(prompt.contains("quotes-verbal-violence.md"), "{prompt}");
    let target = sb.path().join("notes").join("marseille.md");
    std::fs::create_dir(target.parent().unwrap()).unwrap();
    answer(&mut app, target.to_str().unwrap());
    let written = std::fs::read_to_string(&target).unwrap();
    assert_eq!(written, stdout(&out));
    let mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(
        app.flash.clone().unwrap().0,
        format!(
            "Wrote 2 passages coded verbal-violence where city=Marseille to {} (readable by you only).",
            target.display()
        )
    );
}
