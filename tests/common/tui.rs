//! The TUI on ratatui's TestBackend: the demo study opened in an `App`,
//! driven by the same key events a person types, rendered at a fixed size.

use codebook_review::model::Slug;
use codebook_review::study::Study;
use codebook_review::study::git::Author;
use codebook_review::tui::agree_job;
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

/// The demo study, opened as alice.
pub fn demo_app(color: bool) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo");
    codebook_review::study::demo::build(&root).unwrap();
    let study = Study::open(&root).unwrap();
    let author = Author::new(Slug::new("alice").unwrap(), "alice@demo.invalid");
    Fixture {
        _dir: dir,
        app: App::new(study, author, Theme { color }),
    }
}

/// Types `keys`: `\n` is Enter, `\x1b` is Esc, anything else a character.
pub fn keys(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            c => KeyCode::Char(c),
        };
        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    }
}

pub fn render(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().buffer().clone()
}

/// The screen as text, one line per row, trailing spaces trimmed.
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

/// Runs the background work the app asked for, as the event loop would
/// on a thread, and hands the results back.
pub fn settle(app: &mut App) {
    while let Some(request) = app.take_job() {
        let done = agree_job::compute(&app.study, &request);
        app.set_agreement(done);
    }
}
