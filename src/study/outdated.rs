//! The re-check queue: segments coded under a codebook version in which
//! their code meant something else. Each segment records the `codebook/`
//! tree it was coded under; a segment is outdated when its code's
//! definition, include or exclude text differs between that version and
//! the current one (following renames), or when its code was merged into
//! another or removed. A coder clears an item by re-saving the segment
//! under the current version, which is an ordinary commit.

mod items;
mod lookup;

use std::sync::Arc;

use git2::{Oid, Repository};
use serde::{Serialize, Serializer};

use crate::model::diff::FieldChange;
use crate::model::{Codebook, Slug};

use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::load::Study;
use super::versions::codebook_in_tree;
pub use items::{Item, Items, item_name, selects};
use lookup::Lookup;

/// Why a segment needs another look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// The code's definition, include or exclude changed.
    Redefined,
    /// The code now counts as another code.
    MergedInto { target: Slug },
    /// The code is gone from the codebook.
    Removed,
    /// The recorded version is not in this repository.
    UnknownVersion,
}

/// One item of the queue, owned (a queue holds them as [`Items`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outdated {
    pub coder: Slug,
    pub transcript: Slug,
    pub start_line: usize,
    pub end_line: usize,
    /// The code as written in the segment.
    pub code: Slug,
    /// The `codebook/` tree id it was coded under.
    pub coded_under: String,
    pub reason: Reason,
    /// The changes to definition, include and exclude since then (shared
    /// by every segment with the same old and new code).
    pub changes: Arc<[FieldChange]>,
}

/// Written as its view is, so that one item reads the same held or owned.
impl Serialize for Outdated {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.view().serialize(s)
    }
}

impl Outdated {
    pub fn view(&self) -> Item<'_> {
        Item {
            coder: &self.coder,
            transcript: &self.transcript,
            start_line: self.start_line,
            end_line: self.end_line,
            code: &self.code,
            coded_under: &self.coded_under,
            reason: &self.reason,
            changes: &self.changes,
        }
    }

    /// The name a coder types to clear it: `transcript:start-end:code`.
    pub fn item(&self) -> String {
        self.view().item()
    }

    /// Whether a selector (`transcript`, `transcript:lines` or a full item) names this item.
    pub fn matches(&self, selector: &str) -> bool {
        self.view().matches(selector)
    }
}

/// The queue, with the number of segments that record no version at all.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Queue {
    pub items: Items,
    pub unversioned: usize,
    /// The version segments are compared against (`HEAD:codebook`).
    pub current: Option<String>,
}

/// Every outdated segment of every coder, against the codebook at `HEAD`.
pub fn queue(study: &Study, repo: &Repository) -> Result<Queue> {
    queue_for(study, repo, None)
}

/// The outdated segments of one coder (every coder's with `None`), against
/// the codebook at `HEAD`; `unversioned` counts only that coder's segments.
/// Only that coder's codings are read, and each distinct (version, code)
/// is decided once (see [`lookup`]).
pub fn queue_for(study: &Study, repo: &Repository, coder: Option<&Slug>) -> Result<Queue> {
    let current = git::codebook_version(repo, "HEAD")?;
    let now = match &current {
        Some(id) => codebook_in_tree(repo, &repo.find_tree(Oid::from_str(id)?)?)?.codebook,
        None => Codebook::default(),
    };
    let mut out = Queue {
        current: current.clone(),
        ..Queue::default()
    };
    let coders: &[Slug] = match coder {
        None => &study.coders,
        // Like the whole queue: only the study's coders have one.
        Some(c) if study.coders.contains(c) => std::slice::from_ref(c),
        Some(_) => &[],
    };
    // Codings are read a batch at a time and dropped once their segments
    // are judged: memory follows the queue, not the study. Ids and
    // versions are numbered as they come (the queue's own tables), so that
    // each distinct (version, code) pair is judged once and a segment
    // costs two look-ups, not new strings. Judging here, while the next
    // batches are parsed, overlaps the two (judging all pairs at the end,
    // version by version, was slower even on two threads).
    let mut lookup = Lookup::new(repo, now);
    let mut judged: foldhash::HashMap<(u32, u32), Option<items::VerdictId>> = Default::default();
    let current = current.as_deref();
    study.fold_codings(
        coders,
        |_, coding| coding,
        |coder, coding| {
            let items = &mut out.items;
            let (who, transcript) = (items.slug(coder), items.slug(&coding.transcript));
            for seg in &coding.segments {
                let Some(version) = seg.codebook.as_deref() else {
                    out.unversioned += 1;
                    continue;
                };
                if Some(version) == current {
                    continue;
                }
                let (v, code) = (items.version(version), items.slug(&seg.code));
                let verdict = *judged.entry((v, code)).or_insert_with(|| {
                    let (reason, changes) = lookup.verdict(version, seg.code.as_str())?;
                    Some(items.verdict(reason, changes))
                });
                if let Some(verdict) = verdict {
                    let lines = (seg.start_line, seg.end_line);
                    items.push_numbered(who, transcript, lines, code, v, verdict);
                }
            }
        },
    );
    Ok(out)
}

/// Re-saves `coder`'s outdated segments named by `selectors` (all of them
/// when empty) under the current codebook version, in one commit. Returns
/// how many segments were cleared.
pub fn clear(
    study: &Study,
    repo: &Repository,
    author: &Author,
    selectors: &[String],
) -> Result<usize> {
    let coder = &author.coder;
    let queue = queue_for(study, repo, Some(coder))?;
    let current = queue.current.clone().ok_or_else(|| {
        StudyError::Refused(
            "HEAD has no codebook/ yet; there is nothing to re-check against".into(),
        )
    })?;
    let mine: Vec<Outdated> = queue
        .items
        .iter()
        .filter(|o| o.coder == coder)
        .map(|o| o.to_owned())
        .collect();
    for sel in selectors {
        if !mine.iter().any(|o| o.matches(sel)) {
            return Err(StudyError::NotFound(format!(
                "`{sel}` is not in {coder}'s re-check queue (`cbr recheck list` shows it)"
            )));
        }
    }
    let chosen: Vec<&Outdated> = mine
        .iter()
        .filter(|o| selectors.is_empty() || selectors.iter().any(|s| o.matches(s)))
        .collect();
    let mut paths = Vec::new();
    let mut count = 0;
    let mut transcripts: Vec<&Slug> = chosen.iter().map(|o| &o.transcript).collect();
    transcripts.dedup();
    for transcript in transcripts {
        let Some(mut coding) = study.coding(coder, transcript)? else {
            continue;
        };
        for seg in &mut coding.segments {
            let hit = chosen.iter().any(|o| {
                &o.transcript == transcript
                    && o.start_line == seg.start_line
                    && o.end_line == seg.end_line
                    && o.code == seg.code
                    && seg.codebook.as_ref() == Some(&o.coded_under)
            });
            if hit {
                seg.codebook = Some(current.clone());
                count += 1;
            }
        }
        paths.push(study.save_coding(coder, &coding)?);
    }
    if count > 0 {
        let short = &current[..current.len().min(7)];
        git::commit_paths(
            repo,
            author,
            &format!("{coder}: re-check {count} segment(s) under codebook {short}\n"),
            &paths,
        )?;
    }
    Ok(count)
}
