//! The Agreement tab's state: which pair of coders is shown, the
//! background computation of their agreement (never on a keystroke's
//! path), the table's selection, a code's list of disagreements, and
//! whether the reconciliation view is open. Its keys are handled in
//! `actions`, drawing is in `view`.

use std::cell::Cell;

use crate::model::Slug;
use crate::study::{Study, agreement};

use crate::tui::agreement::job::{self as agree_job, Loaded, Outcome, Request};
use crate::tui::agreement::release_note;
use crate::tui::background::Job;
use crate::tui::context::Ctx;
use crate::tui::popups::input::Input;
use crate::tui::popups::overlay::Overlay;
use crate::tui::reconcile::popup::Popup;

/// What the tab has for the current pair.
#[derive(Debug, Clone, Default)]
pub enum Data {
    /// Nothing asked yet (the tab was never shown).
    #[default]
    Idle,
    Computing,
    Loaded(Box<Loaded>),
    /// Blind coding hides it, with the reason.
    Hidden(String),
    Failed(String),
}

/// A code's disagreement hunks for the pair, as indices into the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HunkList {
    /// `None` for the overall row: every disagreement.
    pub code: Option<Slug>,
    pub items: Vec<usize>,
    pub selected: usize,
}

/// Where the reconciliation view stands: the hunk shown and its scroll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReconcileView {
    pub index: usize,
    pub scroll: usize,
}

#[derive(Debug, Default)]
pub struct AgreementScreen {
    /// Every pair of coders (consensus aside), alphabetically.
    pub pairs: Vec<(Slug, Slug)>,
    pub pair: usize,
    pub data: Data,
    /// The user chose to see agreement despite blind coding.
    pub unblind: bool,
    /// Row of the table: 0 is the overall row, then codes worst first.
    pub selected: usize,
    pub hunks: Option<HunkList>,
    pub reconcile: Option<ReconcileView>,
    /// A newer computation is running while the old figures stay shown.
    pub refreshing: bool,
    /// Transcripts that moved between releases since the pair's figures
    /// were last read (`release_note`), kept until the pair changes.
    pub release_moves: Vec<String>,
    /// What to compute next; the app starts it as a background job.
    request: Option<Request>,
    /// Drop the computation in flight (the user moved on).
    cancel: bool,
    /// Open the reconciliation view as soon as the data arrives.
    reconcile_when_loaded: bool,
    /// Who is present was asked for this pair's meeting (once: a refresh
    /// keeps the answer, another pair asks again).
    pub(in crate::tui) present_asked: bool,
    /// The largest scroll of the hunk shown, learnt when it was drawn
    /// (`None` before): the keys clamp to it.
    pub reconcile_max: Cell<Option<usize>>,
    /// The study changed while a code's list or a hunk was open: the
    /// figures are asked again once the user is back at the table.
    stale: bool,
}

/// Every pair of the study's coders (consensus aside), alphabetically.
fn pairs_of(study: &Study) -> Vec<(Slug, Slug)> {
    let coders = agreement::default_coders(study);
    let mut pairs = Vec::new();
    for (i, a) in coders.iter().enumerate() {
        for b in &coders[i + 1..] {
            pairs.push((a.clone(), b.clone()));
        }
    }
    pairs
}

impl AgreementScreen {
    pub fn new(study: &Study) -> AgreementScreen {
        AgreementScreen {
            pairs: pairs_of(study),
            ..AgreementScreen::default()
        }
    }

    /// The study changed underneath (a sync, another session's commit): the
    /// pairs follow the coders as they are now (a coder who arrived by sync
    /// appears), the pair shown stays if it still exists, and its figures
    /// are asked again — now if the table is on screen (`shown`), else the
    /// next time it is. A code's list or a hunk being read is not changed
    /// under the user: the figures refresh when they are back at the table.
    pub fn study_changed(&mut self, study: &Study, shown: bool) {
        let current = self.current_pair().cloned();
        let mut pairs = pairs_of(study);
        // A pair opened by `cbr reconcile A B` keeps its order (A first).
        if let Some((a, b)) = &current
            && let Some(i) = pairs
                .iter()
                .position(|(x, y)| (x == a && y == b) || (x == b && y == a))
        {
            pairs[i] = (a.clone(), b.clone());
        }
        let kept = current.and_then(|c| pairs.iter().position(|p| *p == c));
        self.pairs = pairs;
        match kept {
            Some(i) => {
                self.pair = i;
                if matches!(self.data, Data::Idle) {
                    // Never shown yet: it asks when it first is.
                    if shown {
                        self.ask();
                    }
                } else if self.hunks.is_some() || self.reconcile.is_some() {
                    self.stale = true;
                } else if shown {
                    self.refresh();
                } else {
                    self.stale = true;
                }
            }
            None => {
                // The pair shown is gone, or there was none: start over.
                self.pair = 0;
                self.hunks = None;
                self.reconcile = None;
                self.cancel = true;
                self.request = None;
                self.refreshing = false;
                self.data = Data::Idle;
                if shown {
                    self.ask();
                }
            }
        }
    }

    /// Back at the table after the study changed: asks again.
    fn refresh_if_stale(&mut self) {
        if self.hunks.is_none() && self.reconcile.is_none() && std::mem::take(&mut self.stale) {
            self.refresh();
        }
    }

    pub fn current_pair(&self) -> Option<&(Slug, Slug)> {
        self.pairs.get(self.pair)
    }

    pub fn loaded(&self) -> Option<&Loaded> {
        match &self.data {
            Data::Loaded(l) => Some(l),
            _ => None,
        }
    }

    /// Asks for the current pair's data, superseding any request in flight.
    pub(super) fn ask(&mut self) {
        if self.request_current() {
            self.data = Data::Computing;
            self.release_moves.clear();
            self.hunks = None;
            self.reconcile = None;
            self.present_asked = false;
            self.selected = 0;
        }
    }

    /// Asks again for the pair shown (codings may have changed), keeping
    /// the figures and the selection on screen until the new ones arrive.
    fn refresh(&mut self) {
        self.refreshing = self.request_current();
    }

    /// Drops a refresh in flight: the user went on to a code's list or a
    /// hunk of the figures on screen, which must not change under them.
    pub(super) fn keep_shown(&mut self) {
        if std::mem::take(&mut self.refreshing) {
            self.cancel = true;
            self.request = None;
        }
    }

    fn request_current(&mut self) -> bool {
        let Some((a, b)) = self.current_pair().cloned() else {
            return false;
        };
        self.request = Some(Request {
            a,
            b,
            unblind: self.unblind,
        });
        true
    }

    /// Rows of the table: overall plus one per code.
    pub(super) fn rows(&self) -> usize {
        self.loaded().map_or(0, |l| l.codes.len() + 1)
    }
}

impl AgreementScreen {
    /// Starts the computation the tab asked for, if any, as the latest
    /// Agreement job (a result for a pair left behind is dropped), or
    /// drops the one in flight when the tab said so.
    pub fn start(&mut self, ctx: &mut Ctx) {
        if std::mem::take(&mut self.cancel) {
            ctx.jobs.cancel(Job::Agreement);
        }
        if let Some(request) = self.request.take() {
            let study = ctx.study.clone();
            ctx.spawn(
                Job::Agreement,
                move || agree_job::compute(&study, &request),
                |screen: &mut AgreementScreen, outcome, ctx| screen.arrived(outcome, ctx),
            );
        }
    }

    /// The figures for the pair shown arrived.
    fn arrived(&mut self, outcome: Outcome, ctx: &mut Ctx) {
        if let (Some(Ok(before)), Outcome::Loaded(l)) =
            (self.loaded().map(|l| &l.releases), &outcome)
            && let Ok(after) = &l.releases
        {
            let moved = release_note::moves(before, after);
            if !moved.is_empty() {
                self.release_moves = moved;
            }
        }
        let present = self.loaded().map(|l| l.session.present.clone());
        self.data = match outcome {
            Outcome::Loaded(mut l) => {
                // The same pair read again: the meeting goes on.
                if let Some(present) = present {
                    l.session.present = present;
                }
                Data::Loaded(l)
            }
            Outcome::Hidden(reason) => Data::Hidden(reason),
            Outcome::Failed(msg) => Data::Failed(msg),
        };
        self.refreshing = false;
        self.selected = self.selected.min(self.rows().saturating_sub(1));
        if std::mem::take(&mut self.reconcile_when_loaded) {
            self.start_reconciliation(None, ctx);
        }
    }

    /// Called after every action while the tab is shown (`came_back`: it
    /// started on another tab): the tab asks for its data the first time
    /// it is shown, so opening the UI costs nothing, and refreshes it when
    /// the user comes back to the table from another tab, where codings
    /// may have changed.
    pub fn shown(&mut self, came_back: bool) {
        if matches!(self.data, Data::Idle) {
            self.ask();
        } else if came_back && self.hunks.is_none() && self.reconcile.is_none() {
            self.stale = false;
            self.refresh();
        } else {
            self.refresh_if_stale();
        }
    }

    /// Opens the reconciliation of `a` and `b` (A first), as
    /// `cbr reconcile A B` does on a terminal: that pair, straight into the
    /// first unresolved hunk once it is read.
    pub fn open_reconciliation(&mut self, a: Slug, b: Slug, unblind: bool) {
        let at = self
            .pairs
            .iter()
            .position(|(x, y)| (x == &a && y == &b) || (x == &b && y == &a));
        match at {
            Some(i) => {
                self.pairs[i] = (a, b);
                self.pair = i;
            }
            None => {
                self.pairs.push((a, b));
                self.pair = self.pairs.len() - 1;
            }
        }
        self.unblind |= unblind;
        self.ask();
        self.reconcile_when_loaded = true;
    }

    /// Opens the reconciliation view at hunk `index`, or where the team
    /// resumes: the first unresolved hunk.
    pub(super) fn start_reconciliation(&mut self, index: Option<usize>, ctx: &mut Ctx) {
        self.keep_shown();
        let Some(loaded) = self.loaded() else {
            return;
        };
        let session = &loaded.session;
        if session.items.is_empty() {
            ctx.say(format!(
                "No disagreements between {} and {} on the transcripts both completed.",
                session.a, session.b
            ));
            return;
        }
        let index = index.unwrap_or_else(|| session.next_unresolved(0).unwrap_or(0));
        // The two coders and the one at the keyboard, to edit.
        let mut who = vec![session.a.as_str(), session.b.as_str()];
        // Only if a coder: `set_present` refuses anyone else.
        let me = ctx.coder();
        let known = ctx.study.coders.contains(me) || ctx.study.config.coders.contains(me);
        if known && !who.contains(&me.as_str()) {
            who.push(ctx.coder().as_str());
        }
        let who = who.join(", ");
        if !std::mem::replace(&mut self.present_asked, true) {
            ctx.overlay(Overlay::Reconcile(Popup::Present {
                input: Input::with_text(&who),
                error: None,
            }));
        }
        self.reconcile = Some(ReconcileView { index, scroll: 0 });
    }
}
