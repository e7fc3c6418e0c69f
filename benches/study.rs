//! Opening and validating the large generated study (see docs/performance.md).
//! To add a benchmark: one more `#[divan::bench]` function here.

mod common;

use codebook_review::study::{Study, check};
use divan::Bencher;

fn main() {
    divan::main();
}

/// Settings, codebook (300 code files) and the lists of transcripts and coders.
#[divan::bench(sample_count = 30)]
fn open(bencher: Bencher) {
    let dir = common::study_dir();
    bencher.bench(|| Study::open(&dir).unwrap());
}

/// `cbr check` without the printing: every transcript, hash and segment.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn open_and_check(bencher: Bencher) {
    let dir = common::study_dir();
    bencher.bench(|| {
        let study = Study::open(&dir).unwrap();
        let problems = check::check(&study);
        assert!(problems.is_empty(), "{:?}", problems.first());
    });
}

/// Everyone's codings, as the TUI reads them in the background.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn all_codings(bencher: Bencher) {
    let study = Study::open(&common::study_dir()).unwrap();
    bencher.bench(|| study.all_codings());
}
