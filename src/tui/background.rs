//! The one way slow work runs: every read that touches git or many files
//! (history walks, merge plans, everyone's codings, agreement over the
//! corpus, ahead/behind, fetch, sync) is a job on a thread of its own that
//! sends back a message. The event loop is woken by a waker and takes the
//! messages in between keys, so no keystroke ever waits for git.
//!
//! Jobs are named by [`Job`] and latest wins: starting a job supersedes any
//! earlier one of the same name, whose result is dropped when it arrives
//! (the user moved on, or the study changed). The generation that decides
//! this lives here, so no screen keeps a counter. A running job can post
//! progress ([`Poster`]), and the owner can wait for one to finish
//! ([`Background::join`]) where two must not overlap (a fetch and a sync)
//! or before leaving.
//!
//! The message type `M` is the owner's business: this module knows
//! nothing of screens (see `tui::context::Jobs` for the one the UI uses).

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

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

/// What travels back from a job's thread.
enum Envelope<M> {
    /// A finished job's result, current only if `generation` is still the
    /// latest of `job`; `None` when the job panicked.
    Done {
        job: Job,
        generation: u64,
        result: Option<M>,
    },
    /// Progress posted while a job runs; always delivered.
    Progress(M),
}

/// One message taken off the queue.
pub enum Arrived<M> {
    Message(M),
    /// A job panicked; the owner says so (the app keeps running).
    Panicked,
}

pub struct Background<M> {
    tx: Sender<Envelope<M>>,
    rx: Receiver<Envelope<M>>,
    pending: usize,
    waker: Arc<Mutex<Option<Waker>>>,
    /// The generation of the latest job started under each name.
    latest: HashMap<Job, u64>,
    /// Threads that someone may need to wait for.
    threads: HashMap<Job, JoinHandle<()>>,
}

impl<M> Default for Background<M> {
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

/// Lets a running job report progress (a sync's steps).
pub struct Poster<M> {
    tx: Sender<Envelope<M>>,
    waker: Arc<Mutex<Option<Waker>>>,
}

impl<M> Clone for Poster<M> {
    fn clone(&self) -> Self {
        Poster {
            tx: self.tx.clone(),
            waker: Arc::clone(&self.waker),
        }
    }
}

impl<M> Poster<M> {
    /// Delivers `message` between keys, soon.
    pub fn post(&self, message: M) {
        send(&self.tx, &self.waker, Envelope::Progress(message));
    }
}

fn send<M>(tx: &Sender<Envelope<M>>, waker: &Mutex<Option<Waker>>, envelope: Envelope<M>) {
    if tx.send(envelope).is_ok()
        && let Ok(slot) = waker.lock()
        && let Some(wake) = slot.as_ref()
    {
        wake();
    }
}

impl<M: Send + 'static> Background<M> {
    /// Runs `work` as the latest job named `job`: an earlier one still
    /// running is superseded and its result dropped; `wrap` turns this
    /// one's result into the message delivered between keys.
    pub fn spawn<T: Send + 'static>(
        &mut self,
        job: Job,
        work: impl FnOnce() -> T + Send + 'static,
        wrap: impl FnOnce(T) -> M + Send + 'static,
    ) {
        let generation = {
            let slot = self.latest.entry(job).or_insert(0);
            *slot += 1;
            *slot
        };
        let (tx, waker) = (self.tx.clone(), Arc::clone(&self.waker));
        self.pending += 1;
        let thread = thread::spawn(move || {
            // A panicking job still reports back, so nothing waits for it forever.
            let result = panic::catch_unwind(AssertUnwindSafe(work)).ok().map(wrap);
            let done = Envelope::Done {
                job,
                generation,
                result,
            };
            send(&tx, &waker, done);
        });
        self.threads.insert(job, thread);
    }

    /// Sets how results wake the event loop; wakes it once in case a
    /// result arrived before.
    pub fn set_waker(&self, waker: impl Fn() + Send + Sync + 'static) {
        let waker: Waker = Arc::new(waker);
        waker();
        if let Ok(mut slot) = self.waker.lock() {
            *slot = Some(waker);
        }
    }

    /// Jobs started and not yet taken in.
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

    pub fn poster(&self) -> Poster<M> {
        Poster {
            tx: self.tx.clone(),
            waker: Arc::clone(&self.waker),
        }
    }

    /// Waits until the latest job named `job` has finished its work (its
    /// result is delivered later, between keys, like any other).
    pub fn join(&mut self, job: Job) {
        if let Some(thread) = self.threads.remove(&job) {
            let _ = thread.join();
        }
    }

    /// The next message that has arrived, if any; superseded results are
    /// dropped on the way.
    pub fn try_next(&mut self) -> Option<Arrived<M>> {
        loop {
            let envelope = self.rx.try_recv().ok()?;
            if let Some(arrived) = self.open(envelope) {
                return Some(arrived);
            }
        }
    }

    /// The next message, waiting for it while any job is pending; `None`
    /// once nothing more can come. For tests and scripted use.
    pub fn wait_next(&mut self) -> Option<Arrived<M>> {
        while self.pending > 0 {
            let envelope = self.rx.recv().ok()?;
            if let Some(arrived) = self.open(envelope) {
                return Some(arrived);
            }
        }
        // Progress posted by jobs that are done.
        self.try_next()
    }

    fn open(&mut self, envelope: Envelope<M>) -> Option<Arrived<M>> {
        match envelope {
            Envelope::Progress(m) => Some(Arrived::Message(m)),
            Envelope::Done {
                job,
                generation,
                result,
            } => {
                self.pending = self.pending.saturating_sub(1);
                match result {
                    None => Some(Arrived::Panicked),
                    Some(m) => {
                        (self.latest.get(&job) == Some(&generation)).then_some(Arrived::Message(m))
                    }
                }
            }
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
