//! The codebook's history for generated studies: suggestion branches made,
//! reviewed and merged with the real `study::suggest` functions, several
//! open at once so that `main` has true merges, renames and merges of codes
//! now and then, and `codebook-vN` release tags. Other work (imports,
//! coding) is interleaved through a callback between steps.

use std::collections::{BTreeSet, VecDeque};
use std::path::PathBuf;

use fastrand::Rng;
use git2::{Oid, Repository};

use crate::model::{Code, Codebook, Slug};
use crate::study::demo::code_change;
use crate::study::error::{Result, StudyError};
use crate::study::git::{self, Author, Change};
use crate::study::layout;
use crate::study::suggest::{self, Verdict};

use super::codes::Quotes;
use super::words::{RATIONALES, REVIEWS};

mod plan;

use plan::Planned;

pub const MAIN: &str = "refs/heads/main";

/// Commit times: fixed, increasing, so the same seed gives the same ids.
pub struct Clock {
    now: i64,
    step: i64,
    rng: Rng,
}

impl Clock {
    /// Spreads `commits` commits over about three years from January 2021.
    pub fn new(seed: u64, commits: usize) -> Clock {
        const START: i64 = 1_609_747_200; // Monday 4 January 2021, 08:00 UTC
        const SPAN: i64 = 3 * 365 * 86_400;
        Clock {
            now: START,
            step: (SPAN / commits.max(1) as i64).max(4),
            rng: Rng::with_seed(seed),
        }
    }

    pub fn tick(&mut self) -> i64 {
        self.now += self.rng.i64(self.step / 4..=self.step * 7 / 4);
        self.now
    }

    pub fn author(&mut self, who: &Slug) -> Author {
        Author::new(who.clone(), format!("{who}@study.invalid")).at(self.tick())
    }
}

/// Where the history stands, for the work interleaved with it.
pub struct Moment<'a> {
    pub repo: &'a Repository,
    pub live: &'a Codebook,
    /// Share of the codebook commits made so far, 0 to 1.
    pub done: f64,
    /// Whether `codebook-v1` exists, so coding can start.
    pub released: bool,
}

/// What the history made, for the summary.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub commits: usize,
    pub merged: usize,
    pub releases: Vec<Release>,
    pub open: Vec<String>,
}

struct Open {
    branch: String,
    author: Slug,
    /// Codes the suggestion touches (no other open suggestion may touch them).
    touches: BTreeSet<Slug>,
    codes: Vec<Code>,
    removed: Vec<Slug>,
    reviews_left: usize,
    merge: bool,
    structural: bool,
    /// Who approved already: a second approval must say something.
    approved: Vec<Slug>,
}

pub struct History<'r, 'q> {
    repo: &'r Repository,
    rng: Rng,
    pub clock: Clock,
    pub live: Codebook,
    taken: BTreeSet<String>,
    pending: VecDeque<Code>,
    pending_total: usize,
    /// Codes most edited first, so that some codes have long histories.
    hot: Vec<Slug>,
    open: Vec<Open>,
    people: Vec<Slug>,
    lead: Slug,
    budget: usize,
    reserved: usize,
    total: usize,
    next_release: usize,
    quotes: &'q mut Quotes<'q>,
    pub tally: Tally,
}

impl<'r, 'q> History<'r, 'q> {
    /// Makes the first commit (study settings and the first codebook);
    /// `later` are the codes suggestions will add over time.
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        repo: &'r Repository,
        seed: u64,
        mut clock: Clock,
        settings: Change,
        mut first: Vec<Code>,
        mut later: Vec<Code>,
        people: Vec<Slug>,
        budget: usize,
        quotes: &'q mut Quotes<'q>,
    ) -> Result<Self> {
        let lead = people[0].clone();
        if budget < later.len() * 5 + 12 {
            // Too short a history to add them one by one.
            first.append(&mut later);
        }
        let mut changes = vec![settings];
        changes.extend(first.iter().map(code_change));
        git::commit_to_ref(
            repo,
            MAIN,
            None,
            &clock.author(&lead),
            &format!(
                "{lead}: first codebook, {} codes\n\nDrafted from the pilot interviews and the team's coding workshop.\n",
                first.len()
            ),
            &changes,
            &[],
        )?;
        let mut rng = Rng::with_seed(seed);
        let mut hot: Vec<Slug> = first.iter().map(|c| c.id.clone()).collect();
        rng.shuffle(&mut hot);
        let taken = first
            .iter()
            .chain(&later)
            .map(|c| c.id.to_string())
            .collect();
        Ok(History {
            repo,
            rng,
            clock,
            live: Codebook::from_codes(first),
            taken,
            pending_total: later.len(),
            pending: later.into(),
            hot,
            open: Vec::new(),
            people,
            lead,
            budget: budget.max(1) - 1,
            reserved: 0,
            total: budget.max(1),
            next_release: (budget / 30).max(2),
            quotes,
            tally: Tally {
                commits: 1,
                ..Tally::default()
            },
        })
    }

    /// Runs the history to its end, calling `between` after every step;
    /// returns what it made, the final codebook and the clock.
    pub fn run(
        mut self,
        between: &mut dyn FnMut(Moment, &mut Clock) -> Result<()>,
    ) -> Result<(Tally, Codebook, Clock)> {
        loop {
            let unreserved = self.budget - self.reserved;
            let can_create =
                unreserved > 0 && self.open.len() < 3 && !self.open.iter().any(|o| o.structural);
            let movable: Vec<usize> = (0..self.open.len())
                .filter(|&i| self.open[i].reviews_left > 0 || self.open[i].merge)
                .collect();
            let created =
                can_create && (movable.is_empty() || self.rng.u32(0..10) < 4) && self.create()?;
            if !created {
                if movable.is_empty() {
                    break;
                }
                let i = movable[self.rng.usize(0..movable.len())];
                self.advance(i)?;
            }
            let moment = Moment {
                repo: self.repo,
                live: &self.live,
                done: self.tally.commits as f64 / self.total as f64,
                released: !self.tally.releases.is_empty(),
            };
            between(moment, &mut self.clock)?;
        }
        self.tally.open = self.open.iter().map(|o| o.branch.clone()).collect();
        Ok((self.tally, self.live, self.clock))
    }

    fn someone_but(&mut self, who: &Slug) -> Slug {
        loop {
            let p = &self.people[self.rng.usize(0..self.people.len())];
            if p != who || self.people.len() == 1 {
                return p.clone();
            }
        }
    }

    /// Opens a suggestion; false when nothing is free to change right now.
    fn create(&mut self) -> Result<bool> {
        let Some(Planned {
            codes,
            removed,
            title,
            structural,
        }) = self.plan_change()
        else {
            return Ok(false);
        };
        let unreserved = self.budget - self.reserved;
        let mut size = match self.rng.u32(0..10) {
            0..=5 => 3,
            6..=8 => 4,
            _ => 5,
        };
        let last = unreserved < size + 3;
        if last {
            size = unreserved;
        }
        let author = self.people[self.rng.usize(0..self.people.len())].clone();
        let mut changes: Vec<Change> = codes.iter().map(code_change).collect();
        changes.extend(removed.iter().map(|id| (layout::code_file(id), None)));
        let base = Slug::slugify(&title)?;
        let mut slug = base.clone();
        let mut n = 2;
        while self
            .repo
            .refname_to_id(&format!(
                "refs/heads/{}",
                suggest::branch_name(&author, &slug)
            ))
            .is_ok()
        {
            slug = base.numbered(n);
            n += 1;
        }
        let rationale = RATIONALES[self.rng.usize(0..RATIONALES.len())];
        let who = self.clock.author(&author);
        let kind = if removed.is_empty() { "edit" } else { "merge" };
        let branch =
            suggest::create_raw(self.repo, &who, &slug, &title, rationale, kind, &changes)?;
        let touches = codes
            .iter()
            .map(|c| c.id.clone())
            .chain(removed.iter().cloned())
            .collect();
        // The last suggestion stays open for review, as one always is.
        let merge = !last && size >= 3;
        self.open.push(Open {
            branch,
            author,
            touches,
            codes,
            removed,
            reviews_left: size - 1 - usize::from(merge),
            merge,
            structural: structural && merge,
            approved: Vec::new(),
        });
        self.budget -= 1;
        self.reserved += size - 1;
        self.tally.commits += 1;
        Ok(true)
    }

    fn advance(&mut self, i: usize) -> Result<()> {
        if self.open[i].reviews_left > 0 {
            let reviewer = self.someone_but(&self.open[i].author.clone());
            let o = &mut self.open[i];
            o.reviews_left -= 1;
            let verdict = if o.reviews_left == 0 && o.merge {
                Verdict::Approve
            } else if self.rng.bool() {
                Verdict::Comment
            } else {
                Verdict::Approve
            };
            let mut text = REVIEWS[self.rng.usize(0..REVIEWS.len())];
            let said_yes = o.approved.contains(&reviewer);
            if text.is_empty() && (verdict != Verdict::Approve || said_yes) {
                text = REVIEWS[0];
            }
            if verdict == Verdict::Approve {
                o.approved.push(reviewer.clone());
            }
            let who = self.clock.author(&reviewer);
            suggest::review(self.repo, &self.open[i].branch, &who, verdict, text)?;
        } else {
            let o = self.open.remove(i);
            let merger = self.clock.author(&o.author);
            if let suggest::MergeOutcome::Conflicts { .. } =
                suggest::merge(self.repo, &o.branch, &merger, 1, &[])?
            {
                return Err(StudyError::Refused(format!(
                    "generated suggestion `{}` conflicts with main",
                    o.branch
                )));
            }
            for id in &o.removed {
                self.live.codes.remove(id);
            }
            for code in o.codes {
                if !self.hot.contains(&code.id) {
                    let at = self.rng.usize(0..=self.hot.len());
                    self.hot.insert(at, code.id.clone());
                }
                self.live.codes.insert(code.id.clone(), code);
            }
            self.tally.merged += 1;
        }
        self.budget -= 1;
        self.reserved -= 1;
        self.tally.commits += 1;
        if self.tally.commits >= self.next_release && self.tally.merged > 0 {
            self.release()?;
        }
        Ok(())
    }

    /// Marks main's tip as the next release. The annotated tag itself is
    /// written once the objects are packed (see `generate`), since a pack
    /// made from the commits would leave tag objects out.
    fn release(&mut self) -> Result<()> {
        let n = self.tally.releases.len() + 1;
        self.tally.releases.push(Release {
            name: format!("codebook-v{n}"),
            commit: self.repo.refname_to_id(MAIN)?,
            tagger: self.clock.author(&self.lead.clone()),
            message: format!(
                "Codebook v{n}: {} codes, the version for the next round of coding.\n",
                self.live.codes.len()
            ),
        });
        self.next_release = self.tally.commits + (self.total / 10).max(3);
        Ok(())
    }
}

/// A codebook release to tag.
#[derive(Debug, Clone)]
pub struct Release {
    pub name: String,
    pub commit: Oid,
    pub tagger: Author,
    pub message: String,
}

/// The settings file as a change for the first commit.
pub fn settings_change(toml: String) -> Change {
    (PathBuf::from(layout::STUDY_FILE), Some(toml.into_bytes()))
}
