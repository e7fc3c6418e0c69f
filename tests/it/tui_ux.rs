//! What a new user met at 80×24 (issue 18): the Codebook tree's order,
//! monochrome terminals, where Esc leads, and the wording of messages.

use crate::common;

use codebook_review::tui::keymap::Context;
use codebook_review::tui::popups::help;
use common::tui::{demo_app, keys, render, text};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[test]
fn codebook_tree_lists_siblings_by_name_and_help_says_so() {
    let mut f = demo_app(true);
    keys(&mut f.app, "2");
    let rows = f.app.codebook_screen.rows(&f.app.study.codebook);
    assert_eq!(rows.len(), f.app.study.codebook.codes.len());
    // Every run of siblings under one parent is in name order.
    let mut last_at_depth: Vec<Option<String>> = vec![None; 8];
    for (depth, code) in &rows {
        let name = code.name.to_lowercase();
        if let Some(prev) = &last_at_depth[*depth] {
            assert!(prev <= &name, "{prev:?} listed before {name:?}");
        }
        last_at_depth[*depth] = Some(name);
        for deeper in last_at_depth.iter_mut().skip(depth + 1) {
            *deeper = None;
        }
        // Each child is listed under its parent.
        if *depth > 0 {
            let parent = code.parent.as_ref().unwrap();
            let above = rows[..rows.iter().position(|(_, c)| c.id == code.id).unwrap()]
                .iter()
                .rev()
                .find(|(d, _)| d < depth)
                .unwrap();
            assert_eq!(&above.1.id, parent);
        }
    }
    let screen = text(&render(&f.app, 80, 24));
    assert!(
        screen.find("Coping strategies").unwrap() < screen.find("Interpersonal violence").unwrap(),
        "{screen}"
    );
    let lines = help::lines(Context::Codebook);
    assert_eq!(
        lines[0].1,
        "Codebook (codes by name, each under its parent)"
    );
}

/// interview-01's line 6 as the real binary draws it with `env` (no NO_COLOR).
fn line_6_in_tmux(term: &str) -> String {
    let sb = common::Sandbox::new();
    let dir = sb.demo();
    let env = format!("env -u NO_COLOR TERM={term}");
    let tmux = common::tmux::Tmux::start_env(&sb, &dir, term, "alice", &env);
    tmux.wait_for("your progress as alice");
    tmux.keys(&["j", "j", "j", "Enter"]);
    tmux.wait_for("interview-01 L1/");
    tmux.keys(&["j", "j", "j", "j", "j"]);
    let screen = tmux.wait_for("interview-01 L6/");
    tmux.kill();
    screen
        .lines()
        .find(|l| l.starts_with(" 6 "))
        .unwrap_or_else(|| panic!("no line 6:\n{screen}"))
        .to_string()
}

#[test]
fn a_terminal_without_colour_gets_letters_in_the_stripes_without_no_color() {
    // The same letters NO_COLOR gives (tui_screens::no_color_uses_letters…).
    let dumb = line_6_in_tmux("dumb");
    assert!(dumb.starts_with(" 6 a▶P: La porte."), "{dumb}");
    // A terminfo entry reporting no colours (tput colors: -1).
    assert!(line_6_in_tmux("xterm-mono").starts_with(" 6 a▶P: La porte."));
    // A colour terminal keeps its coloured stripe.
    assert!(line_6_in_tmux("xterm-256color").starts_with(" 6 ┃▶P: La porte."));
}

#[test]
fn esc_from_a_segment_opened_in_retrieval_returns_to_the_segments() {
    let mut f = demo_app(true);
    let (codings, _) = f.app.study.all_codings();
    f.app.set_all_codings(codings);
    keys(&mut f.app, "2");
    let rows = f.app.codebook_screen.rows(&f.app.study.codebook);
    let at = rows
        .iter()
        .position(|(_, c)| c.id.as_str() == "verbal-violence")
        .unwrap();
    keys(&mut f.app, &"j".repeat(at));
    keys(&mut f.app, "rj");
    let (items, sel) = f.app.codebook_screen.retrieval.clone().unwrap();
    assert_eq!(sel, 1);
    keys(&mut f.app, "\n");
    let doc = text(&render(&f.app, 80, 24));
    let open = f.app.transcripts.doc.as_ref().unwrap();
    assert_eq!(
        (open.id(), open.cursor),
        (&items[1].transcript, items[1].start)
    );
    assert!(doc.contains("Esc goes back to the segments."), "{doc}");
    keys(&mut f.app, "\x1b");
    let back = text(&render(&f.app, 80, 24));
    assert_eq!(f.app.tab, codebook_review::tui::action::Tab::Codebook);
    assert_eq!(f.app.codebook_screen.retrieval, Some((items, 1)), "{back}");
    // From the transcript list, Esc still goes to the list.
    keys(&mut f.app, "1\n\x1b");
    assert_eq!(f.app.tab, codebook_review::tui::action::Tab::Transcripts);
    assert!(f.app.transcripts.doc.is_none());
}

#[test]
fn undo_and_redo_say_what_they_did_and_q_says_what_it_committed() {
    let mut f = demo_app(true);
    // fieldnotes-01, first in the list and not started; code line 3 alone.
    keys(&mut f.app, "\njjc");
    keys(&mut f.app, "humour\n");
    let status = common::tui::status_bar(&mut f.app);
    assert!(status.contains("to line 3 (saved)"), "{status}");
    keys(&mut f.app, "u");
    assert_eq!(
        f.app.flash.as_ref().unwrap().0,
        "Undid: applied Humour to line 3."
    );
    f.app
        .handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    assert_eq!(
        f.app.flash.as_ref().unwrap().0,
        "Redid: applied Humour to line 3."
    );
    keys(&mut f.app, "q");
    assert!(f.app.quit);
    assert_eq!(
        f.app.farewell,
        vec!["Committed your coding of fieldnotes-01.".to_string()]
    );
    assert_eq!(
        f.app.flash.as_ref().unwrap().0,
        "Committed your coding of fieldnotes-01."
    );
}

#[test]
fn a_message_wider_than_the_screen_wraps_at_words_above_the_status_bar() {
    let mut f = demo_app(true);
    let (codings, _) = f.app.study.all_codings();
    f.app.set_all_codings(codings);
    keys(&mut f.app, "2");
    let rows = f.app.codebook_screen.rows(&f.app.study.codebook);
    let at = rows
        .iter()
        .position(|(_, c)| c.id.as_str() == "verbal-violence")
        .unwrap();
    keys(&mut f.app, &"j".repeat(at));
    keys(&mut f.app, "r");
    let (items, _) = f.app.codebook_screen.retrieval.clone().unwrap();
    let bobs = items
        .iter()
        .position(|r| r.coder.as_str() == "bob")
        .unwrap();
    keys(&mut f.app, &"j".repeat(bobs));
    keys(&mut f.app, "\n");
    let message = f.app.flash.clone().unwrap().0;
    assert!(message.chars().count() > 80, "{message}");
    let screen = text(&render(&f.app, 80, 24));
    insta::assert_snapshot!(screen);
    // Rows 20–21 (above the status bar at 22) hold the whole message, cut
    // only between words.
    let lines: Vec<&str> = screen.lines().collect();
    let shown: Vec<&str> = lines[20..22].iter().map(|l| l.trim()).collect();
    assert_eq!(shown.join(" "), message, "{screen}");
    assert!(!lines[22].contains("Esc goes back"), "{screen}");
    // A short message stays in the status bar.
    keys(&mut f.app, "j");
    f.app.flash = Some(("Short.".into(), false));
    let screen = text(&render(&f.app, 80, 24));
    assert!(
        screen
            .lines()
            .nth(22)
            .unwrap()
            .trim_end()
            .ends_with("Short."),
        "{screen}"
    );
}

#[test]
fn the_pane_of_codes_shows_every_code_at_the_cursor_and_scrolls() {
    let mut f = demo_app(true);
    // interview-01 line 6 has verbal-violence with a long memo; add a
    // second code on it.
    keys(&mut f.app, "jjj\njjjjjc");
    keys(&mut f.app, "humour\n");
    assert_eq!(
        f.app
            .transcripts
            .doc
            .as_ref()
            .unwrap()
            .segments_at_cursor()
            .len(),
        2
    );
    let doc = f.app.transcripts.doc.as_ref().unwrap();
    let here: Vec<_> = doc.segments_at_cursor().into_iter().cloned().collect();
    let line = doc.cursor;
    let codebook = &f.app.study.codebook;
    let last = here.iter().find(|s| s.memo.is_some()).unwrap();
    let other = here.iter().find(|s| s.memo.is_none()).unwrap();
    assert!(codebook.resolve(other.code.as_str()).is_some());
    let last_name = codebook.resolve(last.code.as_str()).unwrap().name.clone();
    let first = text(&render(&f.app, 80, 24));
    insta::assert_snapshot!(first);
    assert!(
        first.contains(&format!("Line {line}/")) && first.contains("· 2 codes · J/K scroll"),
        "{first}"
    );
    assert!(first.contains("more rows (J)"), "{first}");
    // Scrolling down brings the second code and its memo into view, whole,
    // while the heading stays.
    let mut seen = first.clone();
    for _ in 0..30 {
        keys(&mut f.app, "J");
        let s = text(&render(&f.app, 80, 24));
        assert!(s.contains(&format!("Line {line}/")), "{s}");
        seen.push_str(&s);
    }
    assert!(
        seen.contains(&format!("{last_name} ({})", last.code)),
        "{seen}"
    );
    if let Some(memo) = &last.memo {
        let tail: String = memo
            .split_whitespace()
            .rev()
            .take(3)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            seen.contains(&tail),
            "memo end {tail:?} never shown\n{seen}"
        );
    }
    let bottom = text(&render(&f.app, 80, 24));
    assert!(!bottom.contains("more rows (J)"), "{bottom}");
    // Back up with K; moving the cursor starts the pane at the top again.
    keys(&mut f.app, "K");
    keys(&mut f.app, "jk");
    let pane = |s: &str| s.lines().skip(16).take(6).collect::<Vec<_>>().join("\n");
    assert_eq!(pane(&text(&render(&f.app, 80, 24))), pane(&first));
}
