//! Reconciliation, the pure part: what a decision on a disagreement hunk
//! does to the `consensus` coding of a transcript.
//!
//! The consensus coding starts as what both coders agreed on ([`seed`]).
//! Deciding a hunk ([`apply`]) rewrites, on the hunk's changed lines only,
//! the codes at stake (those only one coder applied there): they become
//! what the decision keeps, as segments carrying the rationale and who
//! decided. Codes both coders applied are left alone. The decision itself
//! is recorded in the file, keyed by the coders and the changed lines, so
//! deciding the same hunk again replaces it (revisiting) and progress can
//! be recomputed from the files at any time.

use super::coding::{Choice, Decision};
use super::disagreement::{Hunk, codes_per_line, resolved};
use super::{Codebook, Coding, Segment, Slug, Transcript};

/// Turns per-line code sets on lines `first..` into segments: one per run
/// of consecutive lines carrying the same code.
fn runs(first: usize, sets: &[Vec<Slug>]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut open: Vec<(Slug, usize)> = Vec::new();
    for (i, set) in sets.iter().chain(std::iter::once(&Vec::new())).enumerate() {
        let line = first + i;
        open.retain(|(code, start)| {
            let goes_on = set.contains(code);
            if !goes_on {
                out.push(Segment::new(code.clone(), *start, line - 1));
            }
            goes_on
        });
        for code in set {
            if !open.iter().any(|(c, _)| c == code) {
                open.push((code.clone(), line));
            }
        }
    }
    out
}

/// A new consensus coding of `transcript` holding what codings `a` and
/// `b` agree on, line by line.
pub fn seed(transcript: &Transcript, codebook: &Codebook, a: &Coding, b: &Coding) -> Coding {
    let n = transcript.line_count();
    let set_a = codes_per_line(codebook, Some(a), n);
    let set_b = codes_per_line(codebook, Some(b), n);
    let both: Vec<Vec<Slug>> = set_a
        .iter()
        .zip(&set_b)
        .map(|(x, y)| x.iter().filter(|c| y.contains(c)).cloned().collect())
        .collect();
    let mut coding = Coding::new(transcript.id.clone(), transcript.hash());
    coding.segments = runs(1, &both);
    coding.sort();
    coding
}

/// Why a decision cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    #[error(
        "edited segment {code} {start}-{end} lies outside the disagreement (lines {first}-{last})"
    )]
    OutsideHunk {
        code: Slug,
        start: usize,
        end: usize,
        first: usize,
        last: usize,
    },
    #[error("segments are only given with an edited decision")]
    SegmentsWithoutEdit,
    #[error("the consensus file is for `{0}`, not for this hunk's transcript")]
    WrongTranscript(Slug),
}

/// Applies `decision` (for `hunk`, between `decision.coders`, where the
/// hunk's `only_a` is the first coder) to `consensus`. `edited` holds the
/// team's own segments when the choice is [`Choice::Edited`]; they must lie
/// within the hunk's changed lines.
pub fn apply(
    consensus: &mut Coding,
    codebook: &Codebook,
    hunk: &Hunk,
    decision: Decision,
    edited: &[Segment],
) -> Result<(), DecisionError> {
    if consensus.transcript != hunk.transcript {
        return Err(DecisionError::WrongTranscript(consensus.transcript.clone()));
    }
    let (first, last) = (hunk.changed.start, hunk.changed.end);
    if decision.choice != Choice::Edited && !edited.is_empty() {
        return Err(DecisionError::SegmentsWithoutEdit);
    }
    if let Some(s) = edited
        .iter()
        .find(|s| s.start_line < first || s.end_line > last || s.start_line > s.end_line)
    {
        return Err(DecisionError::OutsideHunk {
            code: s.code.clone(),
            start: s.start_line,
            end: s.end_line,
            first,
            last,
        });
    }
    let mut stake = hunk.codes_at_stake();
    stake.extend(edited.iter().map(|s| resolved(codebook, &s.code)));
    stake.sort();
    stake.dedup();

    // What the decision keeps on each changed line, for the codes at stake.
    let kept: Vec<Vec<Slug>> = hunk
        .core()
        .map(|l| {
            let mut set: Vec<Slug> = match decision.choice {
                Choice::KeepFirst => l.only_a.iter().chain(&l.both).cloned().collect(),
                Choice::KeepSecond => l.only_b.iter().chain(&l.both).cloned().collect(),
                Choice::KeepBoth => l
                    .only_a
                    .iter()
                    .chain(&l.only_b)
                    .chain(&l.both)
                    .cloned()
                    .collect(),
                Choice::Neither => l.both.clone(),
                Choice::Edited => edited
                    .iter()
                    .filter(|s| s.start_line <= l.line && l.line <= s.end_line)
                    .map(|s| resolved(codebook, &s.code))
                    .collect(),
            };
            set.retain(|c| stake.contains(c));
            set.sort();
            set.dedup();
            set
        })
        .collect();

    // Cut the codes at stake out of the changed lines, keeping what lies
    // outside them, then put back what the decision keeps.
    let mut segments = Vec::with_capacity(consensus.segments.len() + kept.len());
    for seg in consensus.segments.drain(..) {
        let at_stake = stake.contains(&resolved(codebook, &seg.code));
        if !at_stake || seg.end_line < first || seg.start_line > last {
            segments.push(seg);
            continue;
        }
        if seg.start_line < first {
            let mut before = seg.clone();
            before.end_line = first - 1;
            before.end_col = None;
            segments.push(before);
        }
        if seg.end_line > last {
            let mut after = seg;
            after.start_line = last + 1;
            after.start_col = None;
            segments.push(after);
        }
    }
    for mut seg in runs(first, &kept) {
        seg.rationale = Some(decision.rationale.clone()).filter(|r| !r.is_empty());
        seg.decided_by = Some(decision.decided_by.clone()).filter(|d| !d.is_empty());
        segments.push(seg);
    }
    consensus.segments = segments;
    let [a, b] = &decision.coders;
    consensus
        .decisions
        .retain(|d| !d.settles(a, b, first, last));
    consensus.decisions.push(decision);
    consensus.sort();
    Ok(())
}

#[cfg(test)]
#[path = "reconcile_tests.rs"]
mod tests;
