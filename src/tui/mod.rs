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
pub mod overlay;
pub mod picker;
pub mod team;
pub mod team_sync;
pub mod theme;
pub mod transcripts_tab;
pub mod view;
pub mod visible;
pub mod widgets;
pub mod wrap;

use std::sync::{Arc, mpsc};
use std::thread;

use ratatui::crossterm::event::{self, Event};

use crate::study::Study;
use crate::study::git::Author;
use crate::study::session_lock;

use app::App;
use team::{Notify, TeamMsg};
use theme::Theme;

/// What wakes the loop up.
enum Msg {
    Input(Event),
    /// SIGHUP (the SSH link dropped) or SIGTERM: save, commit, leave.
    Signal,
    /// Background results: codings, ahead/behind, sync progress.
    Team(TeamMsg),
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
    // One writer per coder and working copy; a second session reads only.
    // The lock goes when the app does, after its last commit.
    let lock = session_lock::open_session(&study.root, &author.coder);
    let mut app = App::new(study, author, Theme::from_env());
    // Everyone's codings (for counts and retrieval) and the git state load
    // behind the first frame instead of delaying it.
    let notify: Notify = Arc::new(move |msg| {
        let _ = tx.send(Msg::Team(msg));
    });
    app.start_team(lock, notify);
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
                Msg::Team(msg) => app.team_msg(msg),
            }
            if app.quit {
                return Ok(());
            }
            next = rx.try_recv().ok();
        }
    }
}
