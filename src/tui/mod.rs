//! The terminal UI: ratatui + crossterm over the same study operations as
//! the CLI. The loop blocks on input, signals and background results,
//! drains what is pending, then draws once — no fixed frame rate, which
//! matters over a slow SSH link.

pub mod action;
pub mod app;
pub mod background;
pub mod codebook_view;
pub mod diff_text;
pub mod doc;
pub mod doc_view;
pub mod help;
pub mod history_keys;
pub mod history_tab;
pub mod history_view;
pub mod input;
pub mod keymap;
pub mod overlay;
pub mod picker;
pub mod popups;
pub mod propose;
pub mod review_keys;
pub mod review_ops;
pub mod styled;
pub mod suggest_panes;
pub mod suggest_review;
pub mod suggest_tab;
pub mod suggest_view;
pub mod suspend;
pub mod theme;
pub mod transcripts_tab;
pub mod view;
pub mod widgets;
pub mod wrap;

use std::sync::mpsc;
use std::thread;

use ratatui::crossterm::event::Event;

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
    Codings(Vec<(Slug, Coding)>),
    /// A background read finished (see `background`).
    Background,
}

/// Runs the TUI until the user quits. The terminal is restored on every
/// way out: quit, error, panic (ratatui's hook) and SIGHUP/SIGTERM.
pub fn run(study: Study, author: Author) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel();
    let pump = {
        let tx = tx.clone();
        suspend::InputPump::spawn(move |ev| tx.send(Msg::Input(ev)).is_ok())
    };
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
        // Everyone's codings are only needed for counts and retrieval, so
        // they load behind the first frame instead of delaying it.
        let study = study.clone();
        let tx = tx.clone();
        thread::spawn(move || {
            let (codings, _) = study.all_codings();
            let _ = tx.send(Msg::Codings(codings));
        });
    }
    let mut app = App::new(study, author, Theme::from_env());
    app.background
        .set_waker(move || drop(tx.send(Msg::Background)));
    app.warm_up();
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, &mut app, &rx, &pump);
    app.shutdown();
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    rx: &mpsc::Receiver<Msg>,
    pump: &suspend::InputPump,
) -> anyhow::Result<()> {
    loop {
        terminal.draw(|frame| view::draw(frame, app))?;
        let mut next = Some(rx.recv()?);
        while let Some(msg) = next {
            match msg {
                Msg::Input(Event::Key(key)) => app.handle_key(key),
                Msg::Input(_) => {} // resize and focus: the redraw below re-lays out
                Msg::Signal => return Ok(()),
                Msg::Codings(codings) => app.set_all_codings(codings),
                Msg::Background => app.poll_background(),
            }
            if let Some(request) = app.editor.take() {
                let edited = suspend::edit(terminal, pump, &request.path);
                app.draft_edited(request, edited);
            }
            if app.quit {
                return Ok(());
            }
            next = rx.try_recv().ok();
        }
    }
}
