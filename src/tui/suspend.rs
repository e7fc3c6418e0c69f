//! Handing the terminal to `$EDITOR` and taking it back. The input thread
//! must stop reading while the editor runs, or it would steal the editor's
//! keystrokes; it polls with a short timeout so it notices a pause, says
//! so, and sleeps until resumed.

use std::io::stdout;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};

use crate::model::Slug;
use crate::model::proposal::Kind;
use crate::study::{StudyError, drafts};

/// A draft to edit in `$EDITOR`; the event loop runs the editor and hands
/// it back to the app (`App::draft_edited`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditRequest {
    pub path: PathBuf,
    pub purpose: DraftFor,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftFor {
    New(Kind),
    Amend {
        branch: String,
    },
    /// A corrected text of the transcript (a private copy, outside the study).
    Correct {
        transcript: Slug,
    },
}

/// How long the input thread waits for a key before checking for a pause.
const POLL: Duration = Duration::from_millis(150);

/// The thread reading terminal events, which can be paused.
pub struct InputPump {
    paused: Arc<(Mutex<bool>, Condvar)>,
    acks: Receiver<()>,
}

impl InputPump {
    /// Reads events and hands each to `send` until it returns false.
    pub fn spawn(send: impl Fn(Event) -> bool + Send + 'static) -> InputPump {
        let paused = Arc::new((Mutex::new(false), Condvar::new()));
        let (ack_tx, acks) = mpsc::channel();
        let flag = Arc::clone(&paused);
        thread::spawn(move || {
            loop {
                {
                    let (lock, resumed) = &*flag;
                    let Ok(mut stopped) = lock.lock() else { break };
                    if *stopped {
                        let _ = ack_tx.send(());
                        while *stopped {
                            match resumed.wait(stopped) {
                                Ok(guard) => stopped = guard,
                                Err(_) => return,
                            }
                        }
                    }
                }
                match event::poll(POLL) {
                    Ok(true) => match event::read() {
                        Ok(ev) => {
                            if !send(ev) {
                                break;
                            }
                        }
                        Err(_) => break,
                    },
                    Ok(false) => {}
                    Err(_) => break,
                }
            }
        });
        InputPump { paused, acks }
    }

    fn set(&self, value: bool) {
        let (lock, resumed) = &*self.paused;
        if let Ok(mut stopped) = lock.lock() {
            *stopped = value;
        }
        resumed.notify_all();
    }

    /// Stops reading; returns once the thread has stopped.
    fn pause(&self) {
        self.set(true);
        // If the thread is gone there is nobody left to steal keys.
        let _ = self.acks.recv_timeout(POLL * 10);
    }

    fn resume(&self) {
        self.set(false);
    }
}

/// Leaves the TUI's screen, runs the editor on `path`, and comes back.
pub fn edit(
    terminal: &mut ratatui::DefaultTerminal,
    pump: &InputPump,
    path: &Path,
) -> Result<(), StudyError> {
    pump.pause();
    ratatui::restore();
    let result = drafts::run_editor(path);
    let back = enable_raw_mode()
        .and_then(|()| execute!(stdout(), EnterAlternateScreen))
        .and_then(|()| terminal.clear());
    pump.resume();
    back.map_err(|e| StudyError::Refused(format!("could not take the terminal back: {e}")))?;
    result
}
