//! The terminal UI: ratatui + crossterm over the same study operations as
//! the CLI. The loop blocks on input, signals and background results,
//! drains what is pending, then draws once — no fixed frame rate, which
//! matters over a slow SSH link.

pub mod action;
pub mod app;
pub mod codebook_view;
pub mod doc;
pub mod doc_view;
pub mod help;
pub mod input;
pub mod keymap;
pub mod picker;
pub mod theme;
pub mod view;
pub mod widgets;
pub mod wrap;

use std::sync::mpsc;
use std::thread;

use ratatui::crossterm::event::{self, Event};

use crate::model::{Coding, Slug};
use crate::study::Study;
use crate::study::git::Author;

use app::App;
use theme::Theme;

/// What wakes the loop up.
enum Msg {
    Input(Event),
    /// SIGHUP (the SSH link dropped) or SIGTERM: save, commit, leave.
    Signal,
    /// The coder's own codings: progress in the transcript list.
    OwnCodings(Vec<Coding>),
    Codings(Vec<(Slug, Coding)>),
}

/// Runs the TUI until the user quits. The terminal is restored on every
/// way out: quit, error, panic (ratatui's hook) and SIGHUP/SIGTERM.
pub fn run(study: Study, author: Author) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel();
    {
        let tx = tx.clone();
        thread::spawn(move || {
            while let Ok(ev) = event::read() {
                if tx.send(Msg::Input(ev)).is_err() {
                    break;
                }
            }
        });
    }
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGTERM,
    ])?;
    {
        let tx = tx.clone();
        thread::spawn(move || {
            if signals.forever().next().is_some() {
                let _ = tx.send(Msg::Signal);
            }
        });
    }
    {
        // The first frame needs only the transcript list and the codebook.
        // The coder's own codings (progress in the list) and then everyone's
        // (counts and retrieval) load behind it: with 150 coding files the
        // progress alone would delay the first frame by tens of milliseconds.
        let study = study.clone();
        let coder = author.coder.clone();
        thread::spawn(move || {
            let (own, _) = study.codings_of(&coder);
            if tx.send(Msg::OwnCodings(own)).is_ok() {
                let (codings, _) = study.all_codings();
                let _ = tx.send(Msg::Codings(codings));
            }
        });
    }
    let mut app = App::new(study, author, Theme::from_env());
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, &mut app, &rx);
    app.shutdown();
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    rx: &mpsc::Receiver<Msg>,
) -> anyhow::Result<()> {
    loop {
        terminal.draw(|frame| view::draw(frame, app))?;
        let mut next = Some(rx.recv()?);
        while let Some(msg) = next {
            match msg {
                Msg::Input(Event::Key(key)) => app.handle_key(key),
                Msg::Input(_) => {} // resize and focus: the redraw below re-lays out
                Msg::Signal => return Ok(()),
                Msg::OwnCodings(own) => app.set_own_codings(own),
                Msg::Codings(codings) => app.set_all_codings(codings),
            }
            if app.quit {
                return Ok(());
            }
            next = rx.try_recv().ok();
        }
    }
}
