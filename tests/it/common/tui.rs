//! Driving the terminal UI's `App` without a terminal: keys in, screens
//! out on ratatui's TestBackend, and background results handed over the
//! way the event loop does.

use std::path::Path;

use codebook_review::model::Slug;
use codebook_review::study::Study;
use codebook_review::study::git::Author;
use codebook_review::study::session_lock;
use codebook_review::tui::app::App;
use codebook_review::tui::theme::Theme;
use codebook_review::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub app: App,
}

/// The demo study built in `demo/` of a temporary folder.
pub fn demo_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    codebook_review::study::demo::build(&dir.path().join("demo")).unwrap();
    dir
}

/// The demo study in a temporary folder, opened as alice.
pub fn demo_app(color: bool) -> Fixture {
    let dir = demo_dir();
    let root = dir.path().join("demo");
    let study = Study::open(&root).unwrap();
    let author = Author::new(Slug::new("alice").unwrap(), "alice@demo.invalid");
    let mut app = App::new(study, author, Theme { color });
    // The terminal UI reads progress behind the first frame; tests want it now.
    app.load_progress();
    Fixture { _dir: dir, app }
}

/// Types `keys`: `\n` is Enter, `\x1b` is Esc, `\x08` Backspace, anything
/// else a character.
pub fn keys(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            '\x08' => KeyCode::Backspace,
            c => KeyCode::Char(c),
        };
        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    }
}

pub fn render(app: &App, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().buffer().clone()
}

/// The screen as text, one line per row, trailing blanks trimmed.
pub fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The whole 80×24 screen as text.
pub fn screen(app: &mut App) -> String {
    text(&render(app, 80, 24))
}

/// The status bar (second row from the bottom) of an 80×24 screen.
pub fn status_bar(app: &mut App) -> String {
    let screen = text(&render(app, 80, 24));
    screen.lines().nth(22).unwrap_or_default().to_string()
}

/// An app on the study at `root` as `coder`, colours on.
pub fn app_for(root: &Path, coder: &str) -> App {
    app_as(root, coder, true)
}

/// An app on the study at `root` as `coder`, with or without colour.
pub fn app_as(root: &Path, coder: &str, color: bool) -> App {
    let study = Study::open(root).unwrap();
    let author = Author::new(Slug::new(coder).unwrap(), format!("{coder}@test.invalid"));
    App::new(study, author, Theme { color })
}

/// Reads the repository at `dir` with the `git` command, isolated from
/// the developer's configuration.
pub fn git(dir: &Path, args: &[&str]) -> String {
    super::Sandbox::new().git(dir, args)
}

/// Starts the team side as `cbr` does (taking the real session lock):
/// ahead/behind, leftovers and everyone's codings start reading.
pub fn start_team(app: &mut App) {
    let lock = session_lock::open_session(&app.study.root, &app.author.coder);
    app.start_team(lock);
}

/// Applies background results until none is pending, then checks `done`.
pub fn pump(app: &mut App, done: impl Fn(&App) -> bool) {
    app.wait_background();
    assert!(
        done(app),
        "background work finished without reaching the state waited for"
    );
}

/// Applies every background result, as the event loop would between keys
/// (start-up reads the git state and everyone's codings).
pub fn settle(app: &mut App) {
    app.wait_background();
}
