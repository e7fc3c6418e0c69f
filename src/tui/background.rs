//! The one way slow work runs: every read that touches git or many files
//! (history walks, merge plans, everyone's codings, agreement over the
//! corpus, ahead/behind, fetch, sync) is a job on a thread of its own that
//! sends back a closure storing its result in the app. The event loop is
//! woken by a waker and applies them between keys, so no keystroke ever
//! waits for git.
//!
//! Jobs are named by [`Job`] and latest wins: starting a job supersedes any
//! earlier one of the same name, whose result is dropped when it arrives
//! (the user moved on, or the study changed). The generation that decides
//! this lives here, so no screen keeps a counter. A running job can post
//! progress ([`Poster`]), and the app can wait for one to finish
//! ([`App::join`]) where two must not overlap (a fetch and a sync) or
//! before leaving. Tests without an event loop wait for everything with
//! [`App::wait_background`].

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use crate::tui::app::App;

/// A finished job (or a progress report): stores its result in the app.
type Apply = Box<dyn FnOnce(&mut App) + Send>;

/// Wakes the event loop when a result arrives.
type Waker = Arc<dyn Fn() + Send + Sync>;

/// The kinds of background work; one of each is current at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// The study read again after it changed underneath (see `watch`).
    Study,
    /// The coder's own codings: progress in the transcript list.
    OwnCodings,
    /// Everyone's codings this coder may see: counts and retrieval.
    Codings,
    /// What was left half-done in the working copy, at start.
    Health,
    /// Ahead/behind the shared repository.
    Status,
    /// A background fetch of the team's work.
    Fetch,
    Sync,
    /// The Agreement tab's figures for a pair.
    Agreement,
    SuggestionList,
    Suggestion,
    HistoryLog,
    CodeHistory,
    Recheck,
    /// A codebook diff between two history entries.
    HistoryDiff,
}

pub struct Background {
    tx: Sender<Apply>,
    rx: Receiver<Apply>,
    pending: usize,
    waker: Arc<Mutex<Option<Waker>>>,
    /// The generation of the latest job started under each name.
    latest: HashMap<Job, u64>,
    /// Threads that someone may need to wait for.
    threads: HashMap<Job, JoinHandle<()>>,
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
            threads: HashMap::new(),
        }
    }
}

/// Lets a running job report progress to the app (a sync's steps).
#[derive(Clone)]
pub struct Poster {
    tx: Sender<Apply>,
    waker: Arc<Mutex<Option<Waker>>>,
}

impl Poster {
    /// Applies `f` to the app between keys, soon.
    pub fn post(&self, f: impl FnOnce(&mut App) + Send + 'static) {
        send(&self.tx, &self.waker, Box::new(f));
    }
}

fn send(tx: &Sender<Apply>, waker: &Mutex<Option<Waker>>, apply: Apply) {
    if tx.send(apply).is_ok()
        && let Ok(slot) = waker.lock()
        && let Some(wake) = slot.as_ref()
    {
        wake();
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

    /// Whether a job of this name was ever started.
    pub fn started(&self, job: Job) -> bool {
        self.latest.contains_key(&job)
    }

    /// Whether a job of this name is running now (its thread not done).
    pub fn running(&self, job: Job) -> bool {
        self.threads.get(&job).is_some_and(|t| !t.is_finished())
    }

    /// Drops the result of the job of this name in flight, if any.
    pub fn cancel(&mut self, job: Job) {
        *self.latest.entry(job).or_insert(0) += 1;
    }

    pub fn poster(&self) -> Poster {
        Poster {
            tx: self.tx.clone(),
            waker: Arc::clone(&self.waker),
        }
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
    /// Runs `work` as the latest job named `job`: an earlier one still
    /// running is superseded and its result dropped; `apply` stores this
    /// one's result in the app between keys.
    pub fn spawn<T: Send + 'static>(
        &mut self,
        job: Job,
        work: impl FnOnce() -> T + Send + 'static,
        apply: impl FnOnce(&mut App, T) + Send + 'static,
    ) {
        let bg = &mut self.background;
        let generation = {
            let slot = bg.latest.entry(job).or_insert(0);
            *slot += 1;
            *slot
        };
        let (tx, waker) = (bg.tx.clone(), Arc::clone(&bg.waker));
        bg.pending += 1;
        let thread = thread::spawn(move || {
            // A panicking job still reports back, so nothing waits for it forever.
            let apply: Apply = match panic::catch_unwind(AssertUnwindSafe(work)) {
                Ok(value) => Box::new(move |app: &mut App| {
                    app.background.pending = app.background.pending.saturating_sub(1);
                    if app.background.latest.get(&job) == Some(&generation) {
                        apply(app, value);
                    }
                }),
                Err(_) => Box::new(|app: &mut App| {
                    app.background.pending = app.background.pending.saturating_sub(1);
                    app.fail("A background task failed unexpectedly; press r to try again.")
                }),
            };
            send(&tx, &waker, apply);
        });
        bg.threads.insert(job, thread);
    }

    /// Waits until the latest job named `job` has finished its work (its
    /// result is applied later, between keys, like any other).
    pub fn join(&mut self, job: Job) {
        if let Some(thread) = self.background.threads.remove(&job) {
            let _ = thread.join();
        }
    }

    /// Applies every result that has arrived (called by the event loop).
    pub fn poll_background(&mut self) {
        while let Ok(apply) = self.background.rx.try_recv() {
            apply(self);
        }
    }

    /// Blocks until every job started so far (and any they start) is
    /// applied. For tests and scripted use; the TUI never calls it.
    pub fn wait_background(&mut self) {
        while self.background.pending > 0 {
            match self.background.rx.recv() {
                Ok(apply) => apply(self),
                Err(_) => break,
            }
        }
        // Progress posted by jobs that are done.
        self.poll_background();
    }
}
