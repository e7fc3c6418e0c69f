//! The terminal UI: the first frame on the large study, and one keystroke
//! to the next frame on a 10,000-line transcript, drawn at 80×24 on
//! ratatui's TestBackend. To add a benchmark: one more function here.

mod common;

use common::{Long, draw, key, typed};
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

fn main() {
    divan::main();
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(80, 24)).unwrap()
}

/// Open the study, build the app (transcript list, codebook, the coder's
/// progress) and draw the first screen.
#[divan::bench(sample_count = 20)]
fn first_frame(bencher: Bencher) {
    let dir = common::study_dir();
    bencher.bench(|| {
        let study = codebook_review::study::Study::open(&dir).unwrap();
        let mut app = codebook_review::tui::app::App::new(
            study,
            common::author(),
            codebook_review::tui::theme::Theme { color: true },
        );
        let mut t = terminal();
        draw(&mut t, &mut app);
        t
    });
}

/// What the first frame no longer waits for: the coder's 150 codings,
/// read in the background for the progress shown in the list.
#[divan::bench(sample_count = 10)]
fn own_progress(bencher: Bencher) {
    let study = codebook_review::study::Study::open(&common::study_dir()).unwrap();
    let coder = common::author().coder;
    bencher.bench(|| study.codings_of(&coder));
}

/// A long transcript open at line 5,000, already drawn once.
fn long() -> (Long, Terminal<TestBackend>) {
    let mut long = common::long_transcript();
    let mut t = terminal();
    draw(&mut t, &mut long.app);
    (long, t)
}

/// Presses `a` and `b` in turn, each followed by a frame, so the cursor
/// keeps moving without running off either end.
fn alternate(bencher: Bencher, a: KeyCode, b: KeyCode) {
    let (mut long, mut t) = long();
    let mut first = true;
    bencher.bench_local(|| {
        key(&mut long.app, if first { a } else { b });
        first = !first;
        draw(&mut t, &mut long.app);
    });
}

/// `j` then `k`: every press moves the cursor one line.
#[divan::bench]
fn cursor_move(bencher: Bencher) {
    alternate(bencher, KeyCode::Char('j'), KeyCode::Char('k'));
}

/// PageDown then PageUp: a screenful each time.
#[divan::bench]
fn page_down(bencher: Bencher) {
    alternate(bencher, KeyCode::PageDown, KeyCode::PageUp);
}

/// `G` then `g`: from one end of the transcript to the other.
#[divan::bench]
fn jump_to_end(bencher: Bencher) {
    alternate(bencher, KeyCode::Char('G'), KeyCode::Char('g'));
}

/// `n` after searching for `query`, each press followed by a frame.
fn search_next(bencher: Bencher, query: &str) {
    let (mut long, mut t) = long();
    typed(&mut long.app, &format!("/{query}"));
    key(&mut long.app, KeyCode::Enter);
    bencher.bench_local(|| {
        typed(&mut long.app, "n");
        draw(&mut t, &mut long.app);
    });
}

/// A word that occurs: the move to the next match.
#[divan::bench]
fn search_next_match(bencher: Bencher) {
    search_next(bencher, "tesson");
}

/// A word that does not occur: the whole transcript is read, the worst case.
#[divan::bench]
fn search_no_match(bencher: Bencher) {
    search_next(bencher, "introuvable");
}
