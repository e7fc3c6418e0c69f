//! The impact of a codebook change on the coding done so far: for each
//! affected code, each coder's segments with the passages they cover, so a
//! reviewer sees what a new definition would mean for real data.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::model::{Coding, Segment, Slug, Transcript};

use super::diagnostic::Diagnostic;
use super::layout;
use super::load::{Study, as_diagnostic};

/// One coded passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    pub transcript: Slug,
    pub start_line: usize,
    pub end_line: usize,
    /// The code as written in the coding file (maybe an old id).
    pub coded_as: Slug,
    /// The lines, joined by newlines (empty if the transcript is unreadable).
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoderImpact {
    pub coder: Slug,
    pub passages: Vec<Passage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeImpact {
    pub code: Slug,
    /// Coders who applied the code, in id order; coders who never did are absent.
    pub coders: Vec<CoderImpact>,
}

impl CodeImpact {
    pub fn segments(&self) -> usize {
        self.coders.iter().map(|c| c.passages.len()).sum()
    }

    /// Each coder's count, `alice 3` joined by `sep`, or "no segments".
    pub fn per_coder(&self, sep: &str) -> String {
        if self.coders.is_empty() {
            return "no segments".to_string();
        }
        let per: Vec<String> = self
            .coders
            .iter()
            .map(|c| format!("{} {}", c.coder, c.passages.len()))
            .collect();
        per.join(sep)
    }
}

/// What impact keeps of one coding: its transcript, and its segments of
/// the codes asked about with the index of the code each counts for.
#[derive(Debug, Clone)]
pub struct Kept {
    transcript: Slug,
    segments: Vec<(usize, Segment)>,
}

/// Keeps of `coding` only what the impact of `codes` needs.
pub fn keep(study: &Study, codes: &[Slug], coding: Coding) -> Kept {
    let segments = matching(study, codes, &coding)
        .map(|(i, seg)| (i, seg.clone()))
        .collect();
    Kept {
        transcript: coding.transcript,
        segments,
    }
}

/// Segments applied to each of `codes` (directly or through an alias or
/// merge), per coder. Unreadable coding files are returned as problems.
/// Each coding keeps only its segments of `codes` once parsed, so memory
/// follows the size of the answer, not of the study.
///
/// Only coding files that mention one of the ids the codes may be written
/// as are parsed ([`spellings`]): on a large study a code appears in a
/// quarter of the files. With `Text::Skip` the passages carry no text and
/// no transcript is read (for counts only).
pub fn impact(study: &Study, codes: &[Slug], text: Text) -> (Vec<CodeImpact>, Vec<Diagnostic>) {
    let mut kept = Vec::new();
    let mut problems = study.fold_codings_mentioning(
        &study.coders,
        &spellings(study, codes),
        |_, coding| keep(study, codes, coding),
        |coder, k| kept.push((coder.clone(), k)),
    );
    let (out, unreadable) = impact_of(study, codes, &kept, text);
    problems.extend(unreadable);
    (out, problems)
}

/// Whether passages carry their text (read from the transcripts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Read,
    Skip,
}

/// Every id a segment of one of `codes` may be written with: the codes
/// themselves, and each id or alias in the codebook that resolves to one
/// of them (an old id, a code merged into it). A segment whose id is none
/// of these does not count for them (see `matching`).
pub fn spellings(study: &Study, codes: &[Slug]) -> Vec<String> {
    let codebook = &study.codebook;
    let known = codebook
        .codes
        .values()
        .flat_map(|c| std::iter::once(&c.id).chain(&c.aliases));
    let mut out: Vec<String> = codes.iter().map(Slug::to_string).collect();
    for id in known {
        let counts = codebook
            .resolve(id.as_str())
            .is_some_and(|c| codes.contains(&c.id));
        if counts && !out.iter().any(|o| o == id.as_str()) {
            out.push(id.to_string());
        }
    }
    out
}

/// The impact of `codes` from what [`keep`] kept of some codings (e.g.
/// only those a coder may see in a blind study), as (coder, kept).
/// Unreadable transcripts are returned as problems.
pub fn impact_of(
    study: &Study,
    codes: &[Slug],
    kept: &[(Slug, Kept)],
    text: Text,
) -> (Vec<CodeImpact>, Vec<Diagnostic>) {
    let found = kept.iter().flat_map(|(coder, kept)| {
        kept.segments
            .iter()
            .map(move |(i, seg)| (coder, &kept.transcript, *i, seg))
    });
    passages(study, codes, found, text)
}

/// The segments of `coding` applied to one of `codes`, with its index there.
fn matching<'a>(
    study: &'a Study,
    codes: &'a [Slug],
    coding: &'a Coding,
) -> impl Iterator<Item = (usize, &'a Segment)> + 'a {
    // A coding uses a few dozen codes in hundreds of segments: each id is
    // resolved once.
    let mut seen: HashMap<&str, Option<usize>> = HashMap::new();
    coding.segments.iter().filter_map(move |seg| {
        let i = *seen.entry(seg.code.as_str()).or_insert_with(|| {
            let resolved = study.codebook.resolve(seg.code.as_str()).map(|c| &c.id);
            codes
                .iter()
                .position(|c| *c == seg.code || Some(c) == resolved)
        });
        Some((i?, seg))
    })
}

/// The passages of the segments found, as (coder, transcript, index of the
/// code in `codes`, segment), grouped by code and coder.
fn passages<'a>(
    study: &Study,
    codes: &[Slug],
    found: impl Iterator<Item = (&'a Slug, &'a Slug, usize, &'a Segment)>,
    text: Text,
) -> (Vec<CodeImpact>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut transcripts: BTreeMap<Slug, Option<Transcript>> = BTreeMap::new();
    let mut grouped: BTreeMap<(usize, Slug), Vec<Passage>> = BTreeMap::new();
    for (coder, transcript_id, i, seg) in found {
        let transcript = match text {
            Text::Skip => &None,
            Text::Read => transcripts.entry(transcript_id.clone()).or_insert_with(|| {
                match study.transcript(transcript_id) {
                    Ok(t) => Some(t),
                    Err(e) => {
                        let rel = layout::transcript_text(transcript_id);
                        problems.push(as_diagnostic(&rel, e));
                        None
                    }
                }
            }),
        };
        let text = transcript
            .as_ref()
            .map(|t| {
                (seg.start_line..=seg.end_line)
                    .filter_map(|n| t.line(n))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        grouped
            .entry((i, coder.clone()))
            .or_default()
            .push(Passage {
                transcript: transcript_id.clone(),
                start_line: seg.start_line,
                end_line: seg.end_line,
                coded_as: seg.code.clone(),
                text,
                memo: seg.memo.clone(),
            });
    }
    let out = codes
        .iter()
        .enumerate()
        .map(|(i, code)| CodeImpact {
            code: code.clone(),
            coders: grouped
                .iter()
                .filter(|((j, _), _)| *j == i)
                .map(|((_, coder), passages)| CoderImpact {
                    coder: coder.clone(),
                    passages: passages.clone(),
                })
                .collect(),
        })
        .collect();
    (out, problems)
}
