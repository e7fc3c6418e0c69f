//! The TUI test fixture: the demo study opened in an `App` as alice,
//! driven by the key events a person types, and drawn on a TestBackend.

#![allow(dead_code)]

use std::path::Path;

use codebook_review::model::Slug;
use codebook_review::study::Study;
use codebook_review::study::git::Author;
use codebook_review::tui::app::App;
use codebook_review::tui::theme::Theme;
use codebook_review::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub app: App,
}

impl Fixture {
    pub fn root(&self) -> std::path::PathBuf {
        self.app.study.root.clone()
    }
}

/// A fresh demo study in a temporary folder.
pub fn demo_study() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    codebook_review::study::demo::build(&dir.path().join("demo")).unwrap();
    dir
}

/// The app on the study at `root`, as `coder`.
pub fn app_at(root: &Path, coder: &str, color: bool) -> App {
    let study = Study::open(root).unwrap();
    let author = Author::new(Slug::new(coder).unwrap(), format!("{coder}@demo.invalid"));
    App::new(study, author, Theme { color })
}

pub fn demo_app(color: bool) -> Fixture {
    let dir = demo_study();
    let app = app_at(&dir.path().join("demo"), "alice", color);
    Fixture { dir, app }
}

/// Types `keys`: `\n` is Enter, `\x1b` Escape, `\x08` Backspace,
/// anything else itself.
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

pub fn render(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().buffer().clone()
}

/// The screen as text, trailing spaces trimmed.
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

pub fn screen(app: &mut App) -> String {
    text(&render(app, 80, 24))
}

/// Runs git in `dir` and returns its stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git must be installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
