//! What the benchmarks share: the generated large study (made once, in
//! `target/bench-study`, or wherever `CBR_BENCH_STUDY` says) and a small
//! study holding one 10,000-line transcript coded with 3,300 segments.

#![allow(dead_code)]

use std::path::PathBuf;

use codebook_review::model::Slug;
use codebook_review::study::generate::{self, Options, codes, segments, text};
use codebook_review::study::git::Author;
use codebook_review::study::{Study, init};
use codebook_review::tui::app::App;
use codebook_review::tui::theme::Theme;
use codebook_review::tui::view;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The coder whose view the TUI benchmarks open (150 completed codings).
pub const CODER: &str = "amina";

/// The large study, generated if it is not there yet: `CBR_BENCH_SCALE`
/// times the default size (`cbr generate --scale N`; 1 unless set).
pub fn study_dir() -> PathBuf {
    let dir = std::env::var_os("CBR_BENCH_STUDY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-study"));
    if !dir.join("study.toml").is_file() {
        eprintln!("generating the benchmark study in {} …", dir.display());
        let scale = std::env::var("CBR_BENCH_SCALE")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        generate::generate(&dir, &Options::scaled(scale), &mut |news| {
            eprintln!("  {news}")
        })
        .expect("generate the benchmark study");
    }
    // Where a coder left off would change what the first frame shows.
    let _ = std::fs::remove_file(dir.join(format!(".git/cbr-ui-{CODER}.toml")));
    dir
}

pub fn author() -> Author {
    Author::new(Slug::new(CODER).unwrap(), "amina@study.invalid")
}

/// The big study opened as the TUI opens it, with the coder's progress read.
pub fn big_app() -> App {
    let study = Study::open(&study_dir()).unwrap();
    let mut app = App::new(study, author(), Theme { color: true });
    app.load_progress();
    app
}

/// A study with one 10,000-line interview that `CODER` coded with 3,300
/// segments under a 300-code codebook, opened at line 5,000.
pub struct Long {
    pub dir: tempfile::TempDir,
    pub app: App,
}

pub fn long_transcript() -> Long {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init::init(root, "Long transcript", &author()).unwrap();
    let mut rng = fastrand::Rng::with_seed(10_000);
    let mut quote = |_: &mut fastrand::Rng| codebook_review::model::codebook::Example {
        quote: "« Il l'a dit calmement. »".into(),
        source: "long-interview:4".into(),
    };
    let study = Study::open(root).unwrap();
    let planned = codes::plan(&mut rng, 300, &mut quote);
    for code in &planned {
        study.save_code(code).unwrap();
    }
    let id = Slug::new("long-interview").unwrap();
    let body = text::transcript(&mut rng, text::Kind::Interview, 10_000);
    std::fs::write(root.join("transcripts/long-interview.txt"), &body).unwrap();
    let study = Study::open(root).unwrap();
    let transcript = study.transcript(&id).unwrap();
    let profile = segments::profile(&mut rng, &study.codebook);
    let mut coding = codebook_review::model::Coding::new(id.clone(), transcript.hash());
    coding.segments = segments::first_pass(&mut rng, &transcript, &profile, 3_300, &None);
    study.save_coding(&author().coder, &coding).unwrap();
    let mut app = App::new(study, author(), Theme { color: true });
    app.open(&id, 5_000);
    Long { dir, app }
}

pub fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &mut App) {
    terminal.draw(|f| view::draw(f, app)).unwrap();
}
