//! The library calls behind `cbr agree`, `cbr diff`, `cbr log CODE` and
//! `cbr suggest show` on the large generated study (see
//! docs/performance.md). `benches/process.py` times the same commands as
//! whole processes, with their peak memory.

mod common;

use codebook_review::model::Slug;
use codebook_review::model::agreement::Options;
use codebook_review::model::agreement::bootstrap::Settings;
use codebook_review::study::versions::{codebook_at, main_tip};
use codebook_review::study::{Study, agreement, history, impact, reconcile, suggest};
use divan::Bencher;

fn main() {
    // The same libgit2 settings as the `cbr` binary.
    codebook_review::study::git::configure();
    divan::main();
}

fn slug(s: &str) -> Slug {
    Slug::new(s).unwrap()
}

/// `cbr agree`: every coder, every transcript, per code and pooled, with
/// alpha's 1,000 bootstrap resamples (`draws` 1,000) or without (0).
#[divan::bench(sample_count = 5, sample_size = 1, args = [0, 1000])]
fn agree(bencher: Bencher, draws: usize) {
    let dir = common::study_dir();
    let bootstrap = Settings {
        draws,
        ..Settings::default()
    };
    bencher.bench(|| {
        let study = Study::open(&dir).unwrap();
        let coders = agreement::default_coders(&study);
        let options = Options {
            unit: study.config.unit,
            rollup: false,
            coded_only: false,
        };
        agreement::report_with(&study, &coders, &[], options, &bootstrap).unwrap()
    });
}

/// `cbr diff amina bastien`: every transcript both coded, as hunks.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn diff_one_pair(bencher: Bencher) {
    let dir = common::study_dir();
    let (a, b) = (slug("amina"), slug("bastien"));
    bencher.bench(|| {
        let study = Study::open(&dir).unwrap();
        let transcripts = reconcile::compared(&study, &a, &b, &[]).unwrap();
        reconcile::diff(&study, &a, &b, &transcripts, 3).unwrap()
    });
}

/// A code renamed once (its old id kept as an alias), as `cbr log` shows it.
fn renamed_code(dir: &std::path::Path) -> Slug {
    let repo = git2::Repository::open(dir).unwrap();
    let book = codebook_at(&repo, main_tip(&repo).unwrap())
        .unwrap()
        .codebook;
    let code = book.codes.values().find(|c| !c.aliases.is_empty());
    code.expect("the generated study renames codes").id.clone()
}

/// `cbr log CODE`: one code's history across the 5,000 commits.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn code_history(bencher: Bencher) {
    let dir = common::study_dir();
    let code = renamed_code(&dir);
    bencher.bench(|| {
        let repo = git2::Repository::open(&dir).unwrap();
        let tip = main_tip(&repo).unwrap();
        history::code_log(&repo, code.as_str(), tip).unwrap()
    });
}

/// `cbr log`: the whole codebook history with each commit's changes.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn whole_history(bencher: Bencher) {
    let dir = common::study_dir();
    bencher.bench(|| {
        let repo = git2::Repository::open(&dir).unwrap();
        let tip = main_tip(&repo).unwrap();
        history::log(&repo, None, tip).unwrap()
    });
}

/// The open suggestion's branch.
fn open_suggestion(repo: &git2::Repository) -> String {
    let branches = repo.branches(Some(git2::BranchType::Local)).unwrap();
    let names = branches.filter_map(|b| b.ok()?.0.name().ok().flatten().map(str::to_string));
    let open = names.into_iter().find(|n| n.starts_with("suggest/"));
    open.expect("the generated study leaves one suggestion open")
}

/// `cbr suggest show`: the semantic diff and timeline of the open suggestion.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn suggestion_diff(bencher: Bencher) {
    let dir = common::study_dir();
    bencher.bench(|| {
        let repo = git2::Repository::open(&dir).unwrap();
        let branch = suggest::find(&repo, &open_suggestion(&repo)).unwrap();
        suggest::show(&repo, &branch).unwrap()
    });
}

/// What `cbr suggest show` adds: the segments the suggestion would touch,
/// counted in everyone's codings (the table's counts: no passage text).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn suggestion_impact(bencher: Bencher) {
    let dir = common::study_dir();
    let repo = git2::Repository::open(&dir).unwrap();
    let detail = suggest::show(&repo, &open_suggestion(&repo)).unwrap();
    bencher.bench(|| {
        let study = Study::open(&dir).unwrap();
        impact::impact(&study, &detail.affected, impact::Text::Skip)
    });
}
