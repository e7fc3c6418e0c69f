//! The Suggestions tab: open suggestions, one in full (semantic diff,
//! impact, reviews), and reviewing it — comment, approve, reject, merge,
//! settle conflicts. Reads run in the background; every write goes through
//! `study::suggest` after a confirmation popup. Drawing is in `suggestions::view`.

use std::cell::Cell;

use crate::model::Slug;
use crate::model::merge::Conflict;
use crate::study::context::{self, SuggestionInFull};
use crate::study::impact::{self, CodeImpact, Passage};
use crate::study::suggest::{Detail, Event, Suggestion};
use crate::study::{Study, StudyError, watch};

use crate::tui::action::{Action, Tab};
use crate::tui::background::{Job, Loadable};
use crate::tui::context::{Ctx, Effect};
use crate::tui::team::visible;

#[derive(Default)]
pub struct SuggestScreen {
    pub list: Loadable<Vec<Suggestion>>,
    pub selected: usize,
    pub open: Option<Opened>,
    /// "Now" for ages; tests fix it so screens do not change with the date.
    pub clock: Option<i64>,
}

/// The suggestion shown in full.
pub struct Opened {
    pub branch: String,
    pub data: Loadable<Box<Loaded>>,
    pub view: View,
    pub scroll: usize,
    /// The largest useful scroll, learnt when the last frame was drawn.
    pub max_scroll: Cell<usize>,
}

/// What part of the suggestion is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Diff,
    /// The affected coded passages, with the selected one.
    Passages(usize),
    /// The open conflicts, with the one shown.
    Conflicts(usize),
}

/// Everything shown about one suggestion, read in the background.
pub struct Loaded {
    pub detail: Detail,
    pub impacts: Vec<CodeImpact>,
    /// What blind coding held back from the impact, if anything.
    pub blind_note: Option<String>,
    /// Conflicts with `main` that no saved resolution settles.
    pub open_conflicts: Vec<Conflict>,
    /// How many conflicts saved resolutions settle.
    pub settled: usize,
}

impl Loaded {
    /// Every affected passage with its code and coder, in impact order.
    pub fn passages(&self) -> Vec<(&Slug, &Slug, &Passage)> {
        self.impacts
            .iter()
            .flat_map(|ci| {
                ci.coders
                    .iter()
                    .flat_map(move |c| c.passages.iter().map(move |p| (&ci.code, &c.coder, p)))
            })
            .collect()
    }
}

fn load_list(root: &std::path::Path) -> Result<Vec<Suggestion>, StudyError> {
    context::suggestions(root)
}

/// Why a suggestion could not be shown.
enum Unread {
    /// Its branch is gone (merged or withdrawn elsewhere), in words.
    Gone(String),
    Failed(StudyError),
}

impl From<StudyError> for Unread {
    fn from(e: StudyError) -> Unread {
        Unread::Failed(e)
    }
}

/// The commits a shown suggestion was at: how its merge is recognised
/// on `main` once its branch is gone.
fn tips_of(open: &Opened) -> Vec<String> {
    let Some(loaded) = open.data.ready() else {
        return Vec::new();
    };
    loaded
        .detail
        .timeline
        .iter()
        .rev()
        .map(|event| match event {
            Event::Proposed { commit, .. } | Event::Amended { commit, .. } => commit.clone(),
            Event::Reviewed(review) => review.commit.clone(),
        })
        .collect()
}

fn load_one(study: &Study, viewer: &Slug, branch: &str, tips: &[String]) -> Result<Loaded, Unread> {
    if let Some(fate) = watch::suggestion_fate(&study.root, branch, tips) {
        return Err(Unread::Gone(fate.describe()));
    }
    let SuggestionInFull {
        detail,
        open_conflicts,
        settled,
    } = context::suggestion_in_full(&study.root, branch)?;
    // Blind coding: others' segments of unrevealed transcripts are not counted.
    let codes = &detail.affected;
    let mut kept = Vec::new();
    let hidden = visible::fold(
        study,
        viewer,
        Some(&impact::spellings(study, codes)),
        |_, coding| impact::keep(study, codes, coding),
        |coder, k| kept.push((coder.clone(), k)),
    );
    let (impacts, _) = impact::impact_of(study, codes, &kept, impact::Text::Read);
    let blind_note = visible::hidden_note(&hidden);
    Ok(Loaded {
        detail,
        impacts,
        blind_note,
        open_conflicts,
        settled,
    })
}

impl SuggestScreen {
    /// Reads the list of suggestions (and the one open) again.
    pub fn load(&mut self, ctx: &mut Ctx) {
        if self.list.ready().is_none() {
            self.list = Loadable::Loading;
        }
        let root = ctx.study.root.clone();
        ctx.spawn(
            Job::SuggestionList,
            move || load_list(&root),
            |screen: &mut SuggestScreen, result, _| {
                screen.list = Loadable::from_result(result);
                let n = screen.list.ready().map_or(0, Vec::len);
                screen.selected = screen.selected.min(n.saturating_sub(1));
            },
        );
        if let Some(branch) = self.open.as_ref().map(|o| o.branch.clone()) {
            self.load_one(branch, ctx);
        }
    }

    /// Reads one suggestion in full; what is on screen stays until then.
    fn load_one(&mut self, branch: String, ctx: &mut Ctx) {
        let (study, viewer) = (ctx.study.clone(), ctx.coder().clone());
        let wanted = branch.clone();
        let tips = self.open.as_ref().map(tips_of).unwrap_or_default();
        ctx.spawn(
            Job::Suggestion,
            move || load_one(&study, &viewer, &wanted, &tips),
            move |screen: &mut SuggestScreen, result, ctx| {
                if screen.open.as_ref().is_none_or(|o| o.branch != branch) {
                    return;
                }
                let result = match result {
                    Ok(loaded) => Ok(Box::new(loaded)),
                    Err(Unread::Gone(what)) => {
                        // Not an error: someone else finished with it.
                        screen.open = None;
                        ctx.say(what);
                        return;
                    }
                    Err(Unread::Failed(e)) => Err(e),
                };
                let Some(open) = screen.open.as_mut() else {
                    return;
                };
                open.data = Loadable::from_result(result);
                let (conflicts, passages) = open
                    .data
                    .ready()
                    .map_or((0, 0), |l| (l.open_conflicts.len(), l.passages().len()));
                open.view = match open.view {
                    View::Conflicts(i) if conflicts > 0 => View::Conflicts(i.min(conflicts - 1)),
                    View::Passages(i) if passages > 0 => View::Passages(i.min(passages - 1)),
                    _ => View::Diff,
                };
            },
        );
    }

    /// Movement and opening in the Suggestions tab.
    pub(super) fn act(&mut self, action: Action, ctx: &mut Ctx) {
        let step = action.step();
        match (self.open.as_mut(), action) {
            (None, Action::Open) => {
                let branch = self
                    .list
                    .ready()
                    .and_then(|l| l.get(self.selected))
                    .map(|s| s.branch.clone());
                if let Some(branch) = branch {
                    self.open = Some(Opened::new(branch.clone()));
                    self.load_one(branch, ctx);
                }
            }
            (None, _) => {
                let n = self.list.ready().map_or(0, Vec::len);
                if n > 0 {
                    self.selected = self.selected.saturating_add_signed(step).min(n - 1);
                }
            }
            (Some(open), Action::Back) => match open.view {
                View::Diff => self.open = None,
                _ => open.view = View::Diff,
            },
            (Some(open), action) => match open.view {
                View::Diff => {
                    let page = if matches!(action, Action::PageUp | Action::PageDown) {
                        step.signum() * 15
                    } else {
                        step
                    };
                    let max = open.max_scroll.get();
                    open.scroll = open.scroll.min(max).saturating_add_signed(page).min(max);
                }
                View::Passages(i) => {
                    let passages = open.data.ready().map(|l| l.passages());
                    let n = passages.as_ref().map_or(0, Vec::len);
                    if action == Action::Open {
                        let jump = passages
                            .and_then(|ps| ps.get(i).copied())
                            .map(|(_, _, p)| (p.transcript.clone(), p.start_line));
                        if let Some((transcript, line)) = jump {
                            ctx.effect(Effect::JumpTo {
                                transcript,
                                line,
                                back_to: None,
                            });
                        }
                    } else if n > 0 {
                        open.view = View::Passages(i.saturating_add_signed(step).min(n - 1));
                    }
                }
                View::Conflicts(i) => {
                    let n = open.data.ready().map_or(0, |l| l.open_conflicts.len());
                    if n > 0 {
                        open.view = View::Conflicts(i.saturating_add_signed(step).min(n - 1));
                    }
                }
            },
        }
    }

    /// Shows the Suggestions tab with `branch` open (after proposing it).
    pub fn show(&mut self, branch: String, ctx: &mut Ctx) {
        ctx.effect(Effect::Tab(Tab::Suggestions));
        self.open = Some(Opened::new(branch));
        self.load(ctx);
    }
}

impl Opened {
    fn new(branch: String) -> Opened {
        Opened {
            branch,
            data: Loadable::Loading,
            view: View::Diff,
            scroll: 0,
            max_scroll: Default::default(),
        }
    }
}
