//! Slow reads (git walks, merge plans, every coding of the study) run on
//! threads of their own; each sends back a closure that stores its result
//! in the app. The event loop is woken by a waker and applies them between
//! keys, so no keystroke ever waits for git. Tests without an event loop
//! wait for the pending results with [`App::wait_background`].

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

use super::app::App;

/// A finished job: stores its result in the app.
type Apply = Box<dyn FnOnce(&mut App) + Send>;

/// Wakes the event loop when a result arrives.
type Waker = Arc<dyn Fn() + Send + Sync>;

pub struct Background {
    tx: Sender<Apply>,
    rx: Receiver<Apply>,
    pending: usize,
    waker: Arc<Mutex<Option<Waker>>>,
    /// The latest job started under each name (see [`App::spawn_latest`]).
    latest: HashMap<&'static str, u64>,
}

impl Default for Background {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel();
        Background {
            tx,
            rx,
            pending: 0,
            waker: Arc::new(Mutex::new(None)),
            latest: HashMap::new(),
        }
    }
}

impl Background {
    /// Sets how results wake the event loop; wakes it once in case a
    /// result arrived before.
    pub fn set_waker(&self, waker: impl Fn() + Send + Sync + 'static) {
        let waker: Waker = Arc::new(waker);
        waker();
        if let Ok(mut slot) = self.waker.lock() {
            *slot = Some(waker);
        }
    }

    /// Jobs started and not yet applied.
    pub fn pending(&self) -> usize {
        self.pending
    }
}

/// A result that may still be on its way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Loadable<T> {
    #[default]
    Idle,
    Loading,
    Ready(T),
    /// The read failed; the message says what to do.
    Failed(String),
}

impl<T> Loadable<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Loadable::Ready(t) => Some(t),
            _ => None,
        }
    }

    pub fn ready_mut(&mut self) -> Option<&mut T> {
        match self {
            Loadable::Ready(t) => Some(t),
            _ => None,
        }
    }

    pub fn from_result<E: std::fmt::Display>(r: Result<T, E>) -> Loadable<T> {
        match r {
            Ok(t) => Loadable::Ready(t),
            Err(e) => Loadable::Failed(e.to_string()),
        }
    }
}

impl App {
    /// Runs `work` on a thread, then `apply` with its result on the app.
    pub fn spawn<T: Send + 'static>(
        &mut self,
        work: impl FnOnce() -> T + Send + 'static,
        apply: impl FnOnce(&mut App, T) + Send + 'static,
    ) {
        let tx = self.background.tx.clone();
        let waker = Arc::clone(&self.background.waker);
        self.background.pending += 1;
        thread::spawn(move || {
            // A panicking job still reports back, so nothing waits for it forever.
            let job: Apply = match panic::catch_unwind(AssertUnwindSafe(work)) {
                Ok(value) => Box::new(move |app: &mut App| apply(app, value)),
                Err(_) => Box::new(|app: &mut App| {
                    app.fail("A background task failed unexpectedly; press r to try again.")
                }),
            };
            if tx.send(job).is_ok()
                && let Ok(slot) = waker.lock()
                && let Some(wake) = slot.as_ref()
            {
                wake();
            }
        });
    }

    /// As [`App::spawn`], but latest wins: a job started under `name`
    /// supersedes any earlier one of that name still running, whose result
    /// is then dropped when it arrives. The generation lives here, so the
    /// caller keeps no counter.
    pub fn spawn_latest<T: Send + 'static>(
        &mut self,
        name: &'static str,
        work: impl FnOnce() -> T + Send + 'static,
        apply: impl FnOnce(&mut App, T) + Send + 'static,
    ) {
        let generation = {
            let slot = self.background.latest.entry(name).or_insert(0);
            *slot += 1;
            *slot
        };
        self.spawn(work, move |app, value| {
            if app.background.latest.get(name) == Some(&generation) {
                apply(app, value);
            }
        });
    }

    /// Applies every result that has arrived (called by the event loop).
    pub fn poll_background(&mut self) {
        while let Ok(job) = self.background.rx.try_recv() {
            self.background.pending = self.background.pending.saturating_sub(1);
            job(self);
        }
    }

    /// Blocks until every job started so far (and any they start) is
    /// applied. For tests and scripted use; the TUI never calls it.
    pub fn wait_background(&mut self) {
        while self.background.pending > 0 {
            match self.background.rx.recv() {
                Ok(job) => {
                    self.background.pending -= 1;
                    job(self);
                }
                Err(_) => break,
            }
        }
    }
}
