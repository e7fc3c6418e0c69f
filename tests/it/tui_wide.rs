//! The coding screen on terminals wider than 80 columns (issue 18): the
//! text, the code names in its margin and the pane of codes take the room.

use crate::common;

use codebook_review::tui::app::App;
use codebook_review::tui::transcripts::columns::SIDE_PANE_MIN_WIDTH;
use common::tui::{demo_app, keys, render, text};

/// interview-01 with team-support added on lines 29–33, over supervision
/// (29–30, long name) and debriefing (33): two codes start on line 29.
fn overlapping_codes() -> common::tui::Fixture {
    let mut f = demo_app(true);
    keys(&mut f.app, "jjj\n");
    keys(&mut f.app, &"j".repeat(28));
    keys(&mut f.app, "vjjjjc");
    keys(&mut f.app, "team-support\n");
    let doc = f.app.transcripts.doc.as_ref().unwrap();
    let starting: Vec<&str> = doc
        .session
        .coding
        .segments
        .iter()
        .filter(|s| s.start_line == 29)
        .map(|s| s.code.as_str())
        .collect();
    assert_eq!(starting, ["supervision", "team-support"]);
    f
}

/// The column (in cells: these rows are one cell a character) where
/// `needle` starts on the screen row beginning with `prefix`.
fn column(screen: &str, prefix: &str, needle: &str) -> usize {
    let row = screen
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no row {prefix:?}\n{screen}"));
    let at = row
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not whole on {row:?}\n{screen}"));
    row[..at].chars().count()
}

/// The widest run of text on the rows of the transcript, between the
/// gutter (`gutter` cells) and the margin (at `margin`).
fn widest_text(screen: &str, gutter: usize, margin: usize) -> usize {
    screen
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with('─'))
        .map(|l| {
            let text: String = l.chars().skip(gutter).take(margin - gutter).collect();
            text.trim_end().chars().count()
        })
        .max()
        .unwrap()
}

fn draw(app: &mut App, w: u16, h: u16) -> String {
    text(&render(app, w, h))
}

#[test]
fn at_120_columns_the_text_widens_and_the_names_are_whole() {
    let mut f = overlapping_codes();
    keys(&mut f.app, "kkkk");
    let narrow = draw(&mut f.app, 80, 24);
    let screen = draw(&mut f.app, 120, 40);
    insta::assert_snapshot!(screen);
    // Two stripes: the gutter is the number, a space, two lanes, the marker.
    let gutter = 6;
    let label = "g Supervision and analysis of practice +1";
    let margin = column(&screen, "29 ", label);
    assert!(narrow.contains("g Supervisio… +1"), "{narrow}");
    let old_text = widest_text(&narrow, gutter, column(&narrow, "29 ", "g Supervisio"));
    assert!(old_text <= 58, "80 columns keep their text width\n{narrow}");
    let wide_text = widest_text(&screen, gutter, margin);
    assert!(
        wide_text >= 66,
        "the text uses the width: {wide_text}\n{screen}"
    );
    // Every label on screen whole, in one column.
    for (prefix, name) in [
        ("33 ", "i Debriefing"),
        ("34 ", "j Gaps in the organisational response"),
    ] {
        assert_eq!(column(&screen, prefix, name), margin, "{screen}");
    }
    // The pane below has the whole width and room for both codes.
    let pane: Vec<&str> = screen.lines().skip_while(|l| !l.starts_with('─')).collect();
    assert_eq!(pane[0].chars().count(), 120);
    assert!(pane[1].starts_with("Line 29/61 · P · 2 codes"), "{screen}");
    assert!(
        pane.iter()
            .any(|l| l.starts_with("Team support (team-support)")),
        "{screen}"
    );
}

#[test]
fn at_200_columns_the_pane_goes_beside_and_the_text_keeps_a_measure() {
    let mut f = overlapping_codes();
    keys(&mut f.app, &"j".repeat(13));
    let screen = draw(&mut f.app, 200, 50);
    insta::assert_snapshot!(screen);
    let gutter = 6;
    let margin = column(
        &screen,
        "46 ",
        "l Feeling oneself in a violent position towards users",
    );
    assert_eq!(
        column(&screen, "34 ", "j Gaps in the organisational response"),
        margin,
        "{screen}"
    );
    let text = widest_text(&screen, gutter, margin);
    assert!((80..=100).contains(&text), "text {text} wide\n{screen}");
    // The pane's rule runs down one column on every row of the body, the
    // pane a quarter of the width to its right.
    let body: Vec<&str> = screen.lines().skip(1).take(47).collect();
    let rule = column(&screen, "46 ", "│");
    assert_eq!(rule, 150, "{screen}");
    for row in &body {
        assert_eq!(row.chars().nth(rule), Some('│'), "{row:?}\n{screen}");
    }
    assert!(body[0][body[0].find('│').unwrap()..].contains("Line 46/61"));
}

#[test]
fn no_width_breaks_the_coding_screen() {
    let mut f = overlapping_codes();
    let side = SIDE_PANE_MIN_WIDTH;
    for w in (20..=400).step_by(7).chain([side - 1, side, side + 1]) {
        for h in [3, 12, 24, 40, 90] {
            let screen = draw(&mut f.app, w, h);
            assert_eq!(screen.lines().count(), usize::from(h));
        }
    }
}
