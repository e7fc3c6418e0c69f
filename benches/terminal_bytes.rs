//! Bytes written to the terminal per keystroke: the app draws through
//! ratatui's CrosstermBackend into memory, exactly as `cbr` draws to the
//! terminal, and the escape sequences of the diff between two frames are
//! counted. No timing here; every figure is deterministic. (`process.py`
//! measures the same on the real binary in a pseudo-terminal.)

mod common;

use common::{draw, key, typed};
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use std::cell::Cell;
use std::io::Write;
use std::rc::Rc;

use codebook_review::tui::app::App;

/// Stands for the terminal: counts what it is sent.
#[derive(Clone, Default)]
struct Tty(Rc<Cell<usize>>);

impl Write for Tty {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

type Vt = Terminal<CrosstermBackend<Tty>>;

fn terminal() -> (Vt, Tty) {
    let tty = Tty::default();
    let t = Terminal::with_options(
        CrosstermBackend::new(tty.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
        },
    )
    .unwrap();
    (t, tty)
}

/// Bytes of each frame drawn after pressing `keys` in turn, sorted.
fn bytes_per_key(app: &mut App, (t, tty): &mut (Vt, Tty), keys: &[KeyCode]) -> Vec<usize> {
    let mut out: Vec<usize> = keys
        .iter()
        .map(|&k| {
            tty.0.set(0);
            key(app, k);
            draw(t, app);
            tty.0.get()
        })
        .collect();
    out.sort_unstable();
    out
}

fn report(what: &str, sorted: &[usize]) {
    let median = sorted[sorted.len() / 2];
    let mean = sorted.iter().sum::<usize>() / sorted.len();
    let max = sorted[sorted.len() - 1];
    println!(
        "| {what:<40} | {median:>7} | {mean:>7} | {max:>7} | {:>3} |",
        sorted.len()
    );
}

fn main() {
    println!("| keystroke (80×24)                        |  median |    mean |     max | n   |");
    println!("|------------------------------------------|---------|---------|---------|-----|");

    let mut app = common::big_app();
    let mut t = terminal();
    draw(&mut t.0, &mut app);
    report("first frame (transcript list)", &[t.1.0.get()]);
    let down = vec![KeyCode::Char('j'); 40];
    report("list: cursor down", &bytes_per_key(&mut app, &mut t, &down));

    let mut long = common::long_transcript();
    let mut t = terminal();
    draw(&mut t.0, &mut long.app);
    let down = vec![KeyCode::Char('j'); 200];
    report(
        "transcript: cursor down, 200 lines (j)",
        &bytes_per_key(&mut long.app, &mut t, &down),
    );
    let up = vec![KeyCode::Char('k'); 200];
    report(
        "transcript: cursor up, 200 lines (k)",
        &bytes_per_key(&mut long.app, &mut t, &up),
    );
    let pages = vec![KeyCode::PageDown; 30];
    report(
        "transcript: page down",
        &bytes_per_key(&mut long.app, &mut t, &pages),
    );
    typed(&mut long.app, "/tesson");
    key(&mut long.app, KeyCode::Enter);
    draw(&mut t.0, &mut long.app);
    let next = vec![KeyCode::Char('n'); 30];
    report(
        "transcript: next search match (n)",
        &bytes_per_key(&mut long.app, &mut t, &next),
    );
}
