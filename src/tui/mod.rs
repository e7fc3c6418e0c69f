//! The terminal UI: ratatui + crossterm over the same study operations as
//! the CLI. The loop blocks on input, signals and background results,
//! drains what is pending, then draws once — no fixed frame rate, which
//! matters over a slow SSH link.

pub mod action;
pub mod agreement;
pub mod app;
pub mod app_agreement;
pub mod app_drafts;
pub mod app_jobs;
pub mod app_review;
pub mod app_study;
pub mod app_team;
pub mod background;
pub mod codebook;
pub mod context;
pub mod draw;
pub mod history;
pub mod keymap;
pub mod popups;
pub mod reconcile;
pub mod review_ops;
pub mod screen_call;
pub mod suggestions;
pub mod suspend;
pub mod team;
pub mod theme;
pub mod transcripts;
pub mod view;
pub mod watch;

use std::sync::mpsc;
use std::thread;

use ratatui::crossterm::event::Event;

use crate::model::Slug;
use crate::study::Study;
use crate::study::git::Author;
use crate::study::session_lock;

use app::App;
use theme::Theme;

/// What wakes the loop up.
enum Msg {
    Input(Event),
    /// SIGHUP (the SSH link dropped) or SIGTERM: save, commit, leave.
    Signal,
    /// A background job finished or reported progress (see `background`).
    Background,
    /// `HEAD` moved: the study changed underneath (see `watch`).
    Head(Option<String>),
    /// Time to fetch the team's work again.
    FetchDue,
}

/// Runs the TUI until the user quits. The terminal is restored on every
/// way out: quit, error, panic (ratatui's hook) and SIGHUP/SIGTERM.
pub fn run(study: Study, author: Author) -> anyhow::Result<()> {
    run_with(study, author, |_| {})
}

/// Runs the TUI opened on the reconciliation of coders `a` and `b`
/// (`cbr reconcile A B` on a terminal).
pub fn run_reconcile(
    study: Study,
    author: Author,
    a: Slug,
    b: Slug,
    unblind: bool,
) -> anyhow::Result<()> {
    run_with(study, author, |app| app.open_reconciliation(a, b, unblind))
}

fn run_with(study: Study, author: Author, setup: impl FnOnce(&mut App)) -> anyhow::Result<()> {
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
    // One writer per coder and working copy; a second session reads only.
    // The lock goes when the app does, after its last commit.
    let lock = session_lock::open_session(&study.root, &author.coder);
    spawn_ticker(study.root.clone(), tx.clone());
    let mut app = App::new(study, author, Theme::from_env());
    app.team.auto_fetch = true;
    let wake_tx = tx.clone();
    app.background
        .set_waker(move || drop(wake_tx.send(Msg::Background)));
    // The first frame needs only the transcript list and the codebook.
    // The coder's own codings (progress in the list) load behind it: with
    // 150 coding files they would delay the first frame by tens of
    // milliseconds. Everyone's codings and the git state follow from
    // `start_team`, the Suggestions and History tabs from `warm_up`.
    app.load_progress_behind();
    app.start_team(lock);
    // After `setup`: what it opens decides whether the re-check count is on screen.
    setup(&mut app);
    app.warm_up();
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, &mut app, &rx, &pump);
    app.shutdown();
    ratatui::restore();
    for line in &app.farewell {
        println!("{line}");
    }
    result
}

/// Watches `HEAD` every few seconds and asks for a fetch every few
/// minutes, until the event loop is gone.
fn spawn_ticker(root: std::path::PathBuf, tx: mpsc::Sender<Msg>) {
    thread::spawn(move || {
        let mut last = crate::study::watch::head(&root);
        let mut since_fetch = std::time::Duration::ZERO;
        loop {
            thread::sleep(watch::HEAD_EVERY);
            since_fetch += watch::HEAD_EVERY;
            let head = crate::study::watch::head(&root);
            if head != last {
                last = head.clone();
                if tx.send(Msg::Head(head)).is_err() {
                    return;
                }
            }
            if since_fetch >= watch::FETCH_EVERY {
                since_fetch = std::time::Duration::ZERO;
                if tx.send(Msg::FetchDue).is_err() {
                    return;
                }
            }
        }
    });
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
                Msg::Background => app.poll_background(),
                Msg::Head(head) => app.head_moved(head),
                Msg::FetchDue => app.fetch_due(),
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
