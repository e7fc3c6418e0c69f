//! The TUI's screens rendered on ratatui's TestBackend at 80×24 from the
//! demo study, driven by the same key events a person types.

use crate::common;

use codebook_review::model::Slug;
use codebook_review::study::Study;
use codebook_review::study::git::Author;
use codebook_review::tui::app::App;
use codebook_review::tui::theme::Theme;
use common::tui::{demo_app, keys, render, text};
use ratatui::style::{Color, Modifier};

/// Opens interview-01 (fourth in the list) and moves to line `line`.
fn open_interview_01(app: &mut App, line: usize) {
    keys(app, "jjj\n");
    keys(app, &"j".repeat(line - 1));
}

#[test]
fn transcript_list_shows_progress() {
    let f = demo_app(true);
    insta::assert_snapshot!(text(&render(&f.app, 80, 24)));
}

#[test]
fn progress_fills_in_after_the_first_frame() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo");
    codebook_review::study::demo::build(&root).unwrap();
    let study = Study::open(&root).unwrap();
    let alice = Slug::new("alice").unwrap();
    let (own, problems) = study.codings_of(&alice);
    assert!(problems.is_empty());
    let author = Author::new(alice, "alice@demo.invalid");
    let mut app = App::new(study, author, Theme { color: true });
    let first = text(&render(&app, 80, 24));
    assert!(first.contains("your progress as alice"), "{first}");
    assert!(!first.contains("complete"), "no coding read yet:\n{first}");
    assert!(first.contains(" · interview-01"), "{first}");
    app.set_own_codings(own);
    let second = text(&render(&app, 80, 24));
    assert!(second.contains(" ● interview-01"), "{second}");
    assert!(second.contains("in progress"), "{second}");
}

#[test]
fn transcript_view_with_gutter_and_margin() {
    let mut f = demo_app(true);
    open_interview_01(&mut f.app, 6);
    let buf = render(&f.app, 80, 24);
    insta::assert_snapshot!(text(&buf));
    // The stripe of verbal-violence (a child of interpersonal-violence, no
    // colour of its own) is drawn in a colour; the cursor line has its
    // number reversed and a marker, and its text keeps no background.
    let row = text(&buf)
        .lines()
        .position(|l| l.starts_with(" 6 "))
        .unwrap() as u16;
    let stripe = &buf[(3, row)];
    assert_eq!(stripe.symbol(), "┃");
    assert_ne!(stripe.fg, Color::Reset);
    assert!(buf[(1, row)].modifier.contains(Modifier::REVERSED));
    assert_eq!(buf[(4, row)].symbol(), "▶");
    assert!(!buf[(6, row)].modifier.contains(Modifier::REVERSED));
    assert_eq!(buf[(6, row)].bg, Color::Reset);
}

#[test]
fn picker_previews_the_definition() {
    let mut f = demo_app(true);
    open_interview_01(&mut f.app, 10);
    keys(&mut f.app, "vjc");
    keys(&mut f.app, "phys");
    insta::assert_snapshot!(text(&render(&f.app, 80, 24)));
}

#[test]
fn codebook_record_with_counts() {
    let mut f = demo_app(true);
    let (codings, _) = f.app.study.all_codings();
    f.app.set_all_codings(codings);
    keys(&mut f.app, "2");
    // Down to verbal-violence under interpersonal-violence.
    let rows = f.app.codebook_screen.rows(&f.app.study.codebook);
    let target = rows
        .iter()
        .position(|(_, c)| c.id.as_str() == "verbal-violence")
        .unwrap();
    keys(&mut f.app, &"j".repeat(target));
    let screen = text(&render(&f.app, 80, 24));
    insta::assert_snapshot!(screen);
    assert!(screen.contains("applied: alice"), "{screen}");
}

#[test]
fn help_overlay_lists_the_screen_keys() {
    let mut f = demo_app(true);
    open_interview_01(&mut f.app, 1);
    keys(&mut f.app, "?");
    let screen = text(&render(&f.app, 80, 24));
    insta::assert_snapshot!(screen);
    assert!(screen.contains("apply a code to the selection or line"));
    keys(&mut f.app, "\x1b");
    assert!(!text(&render(&f.app, 80, 24)).contains("Keys (j/k scroll)"));
}

#[test]
fn too_small_terminal_says_so_and_zero_size_does_not_panic() {
    let mut f = demo_app(true);
    let screen = text(&render(&f.app, 40, 10));
    assert!(screen.contains("Terminal too small"), "{screen}");
    assert!(screen.contains("40×10: cbr needs 60×12"), "{screen}");
    render(&f.app, 0, 0);
    render(&f.app, 1, 1);
    open_interview_01(&mut f.app, 3);
    render(&f.app, 0, 0);
    render(&f.app, 60, 12);
}

#[test]
fn no_color_uses_letters_and_no_colours() {
    let mut f = demo_app(false);
    open_interview_01(&mut f.app, 6);
    let buf = render(&f.app, 80, 24);
    let screen = text(&buf);
    insta::assert_snapshot!(screen);
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset, "no foreground colour anywhere");
        assert_eq!(cell.bg, Color::Reset, "no background colour anywhere");
    }
    assert!(
        screen.lines().any(|l| l.starts_with(" 6 a▶P: La porte.")),
        "{screen}"
    );
}

#[test]
fn escape_sequences_in_transcripts_are_shown_inert() {
    let f = demo_app(true);
    let root = f.app.study.root.clone();
    std::fs::write(
        root.join("transcripts/aa-hostile.txt"),
        "P: normal\nP: \u{1b}[2J\u{1b}]0;pwned\u{7}red \u{1b}[31malert\n",
    )
    .unwrap();
    let study = Study::open(&root).unwrap();
    let mut app = App::new(study, f.app.author.clone(), Theme { color: true });
    keys(&mut app, "\nj");
    let buf = render(&app, 80, 24);
    let screen = text(&buf);
    assert!(
        screen.contains("P: ^[[2J^[]0;pwned^Gred ^[[31malert"),
        "{screen}"
    );
    assert!(
        !buf.content()
            .iter()
            .any(|c| c.symbol().chars().any(|ch| ch.is_control()))
    );
}

#[test]
fn keys_do_nothing_while_the_terminal_is_too_small_but_quit() {
    let mut f = demo_app(true);
    open_interview_01(&mut f.app, 1);
    let path = f.app.study.root.join("codings/alice/interview-01.toml");
    let before = std::fs::read_to_string(&path).unwrap();
    render(&f.app, 40, 10);
    // Reopen the transcript (C) and apply a code: nothing may happen unseen.
    keys(&mut f.app, "Cvjcphys\n");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    assert!(f.app.overlay.is_none());
    // Back at a usable size, keys work again.
    render(&f.app, 80, 24);
    keys(&mut f.app, "j");
    assert_eq!(f.app.transcripts.doc.as_ref().unwrap().cursor, 2);
    render(&f.app, 40, 10);
    keys(&mut f.app, "q");
    assert!(f.app.quit);
}

#[test]
fn every_tab_is_named_even_at_sixty_columns() {
    let f = demo_app(true);
    let top = text(&render(&f.app, 60, 20))
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        top,
        " 1 Texts   2 Codes   3 Agree   4 Suggest   5 History    cbr"
    );
    let top = text(&render(&f.app, 80, 24))
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(top.starts_with(" 1 Transcripts   2 Codebook"), "{top}");
}

#[test]
fn the_status_bar_names_the_state_the_list_shows() {
    let mut f = demo_app(true);
    // fieldnotes-01, first in the list, is not started.
    let list = text(&render(&f.app, 80, 24));
    assert!(
        list.contains("fieldnotes-01                not started"),
        "{list}"
    );
    keys(&mut f.app, "\n");
    let status = |app: &mut App| {
        let screen = text(&render(app, 120, 24));
        screen.lines().nth(22).unwrap_or_default().to_string()
    };
    let opened = status(&mut f.app);
    assert!(
        opened.contains("fieldnotes-01 L1/43 not started"),
        "{opened}"
    );
    f.app.update(codebook_review::tui::action::Action::Apply(
        Slug::new("humour").unwrap(),
    ));
    let coded = status(&mut f.app);
    assert!(coded.contains("fieldnotes-01 L1/43 in progress"), "{coded}");
    keys(&mut f.app, "\x1b");
    let list = text(&render(&f.app, 80, 24));
    assert!(
        list.contains("fieldnotes-01                in progress"),
        "{list}"
    );
}

#[test]
fn progress_read_after_opening_keeps_an_uncoded_transcript_not_started() {
    // A session re-opens the transcript it was left on before the
    // background read of progress arrives: the transcript has no coding
    // file, so it is still "not started", in the list and the status bar.
    let mut f = demo_app(true);
    keys(&mut f.app, "\n");
    f.app.load_progress();
    let screen = text(&render(&f.app, 120, 24));
    let status = screen.lines().nth(22).unwrap_or_default();
    assert!(
        status.contains("fieldnotes-01 L1/43 not started"),
        "{screen}"
    );
    keys(&mut f.app, "\x1b");
    let list = text(&render(&f.app, 80, 24));
    assert!(
        list.contains("fieldnotes-01                not started"),
        "{list}"
    );
}
