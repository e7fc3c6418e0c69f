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

/// Alternating `j` and `k`: every press moves the cursor one line.
#[divan::bench]
fn cursor_move(bencher: Bencher) {
    let (mut long, mut t) = long();
    let mut down = true;
    bencher.bench_local(|| {
        key(&mut long.app, KeyCode::Char(if down { 'j' } else { 'k' }));
        down = !down;
        draw(&mut t, &mut long.app);
    });
}

/// Alternating PageDown and PageUp: a screenful each time.
#[divan::bench]
fn page_down(bencher: Bencher) {
    let (mut long, mut t) = long();
    let mut down = true;
    bencher.bench_local(|| {
        key(
            &mut long.app,
            if down {
                KeyCode::PageDown
            } else {
                KeyCode::PageUp
            },
        );
        down = !down;
        draw(&mut t, &mut long.app);
    });
}

/// `G` then `g`: from one end of the transcript to the other.
#[divan::bench]
fn jump_to_end(bencher: Bencher) {
    let (mut long, mut t) = long();
    let mut end = true;
    bencher.bench_local(|| {
        key(&mut long.app, KeyCode::Char(if end { 'G' } else { 'g' }));
        end = !end;
        draw(&mut t, &mut long.app);
    });
}

/// `n` after a search for a word that occurs: the move to the next match.
#[divan::bench]
fn search_next_match(bencher: Bencher) {
    let (mut long, mut t) = long();
    typed(&mut long.app, "/tesson");
    key(&mut long.app, KeyCode::Enter);
    bencher.bench_local(|| {
        typed(&mut long.app, "n");
        draw(&mut t, &mut long.app);
    });
}

/// `n` after a search for a word that does not occur: the whole transcript
/// is read, the worst case.
#[divan::bench]
fn search_no_match(bencher: Bencher) {
    let (mut long, mut t) = long();
    typed(&mut long.app, "/introuvable");
    key(&mut long.app, KeyCode::Enter);
    bencher.bench_local(|| {
        typed(&mut long.app, "n");
        draw(&mut t, &mut long.app);
    });
}
