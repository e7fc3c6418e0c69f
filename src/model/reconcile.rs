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

/// Applies `decision` (for `hunk` of `transcript`, between
/// `decision.coders`, where the hunk's `only_a` is the first coder) to
/// `consensus`. `edited` holds the team's own segments when the choice is
/// [`Choice::Edited`]; each must reach into the hunk's changed lines.
///
/// A decision writes only on its passage: what it keeps is each kept
/// segment as drawn, clipped to the changed lines and to the lines around
/// them the consensus already holds that code on (agreed, or decided on
/// a neighbouring passage) or that are blank. Touching or overlapping
/// pieces of a code at stake then become one segment, so a segment one
/// coder drew over 20–22 where the other drew 20 ends up 20–22, whole. A
/// merged segment carries the rationale of the decision that wrote it
/// last; every decision's own rationale stays in `[[decisions]]`.
pub fn apply(
    consensus: &mut Coding,
    codebook: &Codebook,
    transcript: &Transcript,
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
        .find(|s| s.end_line < first || s.start_line > last || s.start_line > s.end_line)
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

    // What the decision keeps, whole as drawn.
    let [of_a, of_b] = &hunk.drawn;
    let kept: Vec<Segment> = match decision.choice {
        Choice::KeepFirst => of_a.clone(),
        Choice::KeepSecond => of_b.clone(),
        Choice::KeepBoth => of_a.iter().chain(of_b).cloned().collect(),
        // What both applied stays, even on a code at stake.
        Choice::Neither => {
            let both: Vec<Vec<Slug>> = hunk
                .core()
                .map(|l| {
                    l.both
                        .iter()
                        .filter(|c| stake.contains(c))
                        .cloned()
                        .collect()
                })
                .collect();
            runs(first, &both)
        }
        Choice::Edited => edited
            .iter()
            .map(|s| Segment {
                start_col: s.start_col,
                end_col: s.end_col,
                ..Segment::new(resolved(codebook, &s.code), s.start_line, s.end_line)
            })
            .collect(),
    };

    // Cut the codes at stake out of the changed lines, keeping what lies
    // outside them, then put back what the decision keeps.
    let replaced = consensus
        .decisions
        .iter()
        .find(|d| d.settles(&decision.coders[0], &decision.coders[1], first, last))
        .map(|d| d.rationale.clone());
    let mut segments = Vec::with_capacity(consensus.segments.len() + kept.len());
    for seg in consensus.segments.drain(..) {
        let at_stake = stake.contains(&resolved(codebook, &seg.code));
        if !at_stake || seg.end_line < first || seg.start_line > last {
            segments.push(seg);
            continue;
        }
        // What is left of a segment the replaced decision wrote no longer
        // carries its rationale.
        let mut outside = seg.clone();
        if replaced.is_some() && outside.rationale == replaced.clone().filter(|r| !r.is_empty()) {
            outside.rationale = None;
            outside.decided_by = None;
        }
        if seg.start_line < first {
            let mut before = outside.clone();
            before.end_line = first - 1;
            before.end_col = None;
            segments.push(before);
        }
        if seg.end_line > last {
            let mut after = outside;
            after.start_line = last + 1;
            after.start_col = None;
            segments.push(after);
        }
    }
    let pieces: Vec<Segment> = kept
        .iter()
        .map(|k| within_reach(&segments, codebook, transcript, k, first, last))
        .collect();
    for mut seg in pieces {
        seg.rationale = Some(decision.rationale.clone()).filter(|r| !r.is_empty());
        seg.decided_by = Some(decision.decided_by.clone()).filter(|d| !d.is_empty());
        segments.push(seg);
    }
    consensus.segments = join_touching(segments, codebook, &stake);
    let [a, b] = &decision.coders;
    consensus
        .decisions
        .retain(|d| !d.settles(a, b, first, last));
    consensus.decisions.push(decision);
    consensus.sort();
    Ok(())
}

/// The part of kept segment `k` a decision on lines `first..=last` may
/// write: its changed lines, widened over the lines next to them that
/// `k` covers and on which `segments` already hold its code, or that are
/// blank.
fn within_reach(
    segments: &[Segment],
    codebook: &Codebook,
    transcript: &Transcript,
    k: &Segment,
    first: usize,
    last: usize,
) -> Segment {
    let covered = |l: usize| {
        transcript.line(l).is_none_or(|t| t.trim().is_empty())
            || segments.iter().any(|s| {
                s.start_line <= l && l <= s.end_line && resolved(codebook, &s.code) == k.code
            })
    };
    let mut lo = k.start_line.max(first);
    while lo > k.start_line && covered(lo - 1) {
        lo -= 1;
    }
    let mut hi = k.end_line.min(last);
    while hi < k.end_line && covered(hi + 1) {
        hi += 1;
    }
    Segment {
        start_col: k.start_col.filter(|_| lo == k.start_line),
        end_col: k.end_col.filter(|_| hi == k.end_line),
        ..Segment::new(k.code.clone(), lo, hi)
    }
}

/// Joins the segments of each code in `stake` that overlap or sit on
/// touching lines into one. The last one joined that carries a rationale
/// gives it (the decision just taken is pushed last).
fn join_touching(segments: Vec<Segment>, codebook: &Codebook, stake: &[Slug]) -> Vec<Segment> {
    let (joinable, mut out): (Vec<Segment>, Vec<Segment>) = segments
        .into_iter()
        .partition(|s| stake.contains(&resolved(codebook, &s.code)));
    let mut joinable: Vec<(usize, Segment)> = joinable.into_iter().enumerate().collect();
    joinable.sort_by_key(|(order, s)| {
        (
            resolved(codebook, &s.code),
            s.start_line,
            s.start_col.unwrap_or(0),
            *order,
        )
    });
    let mut joined: Vec<(usize, Segment)> = Vec::new();
    for (order, seg) in joinable {
        match joined.last_mut() {
            Some((last_order, cur))
                if resolved(codebook, &cur.code) == resolved(codebook, &seg.code)
                    && seg.start_line <= cur.end_line + 1 =>
            {
                let ends_later = (seg.end_line, seg.end_col.unwrap_or(usize::MAX))
                    > (cur.end_line, cur.end_col.unwrap_or(usize::MAX));
                if ends_later {
                    cur.end_line = seg.end_line;
                    cur.end_col = seg.end_col;
                }
                if cur.codebook.is_none() {
                    cur.codebook = seg.codebook.clone();
                }
                if cur.memo.is_none() {
                    cur.memo = seg.memo.clone();
                } else if let Some(m) = seg.memo.filter(|m| cur.memo.as_ref() != Some(m)) {
                    cur.memo = cur.memo.take().map(|c| format!("{c}\n\n{m}"));
                }
                if seg.rationale.is_some() && (order > *last_order || cur.rationale.is_none()) {
                    cur.rationale = seg.rationale;
                    cur.decided_by = seg.decided_by;
                    *last_order = order;
                }
            }
            _ => joined.push((order, seg)),
        }
    }
    out.extend(joined.into_iter().map(|(_, s)| s));
    out
}

#[cfg(test)]
#[path = "reconcile_tests.rs"]
mod tests;
