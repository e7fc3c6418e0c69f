//! Disagreements between two codings of one transcript, as diff hunks.
//!
//! On each non-blank line, each coder applied a set of codes (aliases and
//! merges resolved). Where the two sets differ, the line is *changed*.
//! Changed lines close to each other are grouped into a hunk with a few
//! lines of context around them, as in a unified diff; each line of a hunk
//! says which codes only A applied, only B applied, and both applied.
//!
//! [`hunks`] groups as `diff -u` does: changes whose context would touch
//! share a hunk. [`passages`] groups for reconciliation, one hunk per
//! passage the team decides on: changed lines separated only by blank lines.
//! A hunk is identified by its transcript and its first and last changed
//! lines (not the context, which depends on how it is shown): reconciliation
//! decisions are recorded under that identity.

use serde::Serialize;

use super::{Codebook, Coding, LineRange, Segment, Slug, Transcript};

/// Lines of context around changed lines, as in `diff -u`.
pub const DEFAULT_CONTEXT: usize = 3;

/// One line of a hunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HunkLine {
    /// 1-based.
    pub line: usize,
    /// The transcript text, verbatim (untrusted: see `text::inert`).
    pub text: String,
    /// Whether the two coders' codes differ on this line (never on a blank
    /// line, which is not a unit; its codes are still listed).
    pub changed: bool,
    pub only_a: Vec<Slug>,
    pub only_b: Vec<Slug>,
    pub both: Vec<Slug>,
}

/// A group of nearby changed lines with their context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hunk {
    pub transcript: Slug,
    /// First and last line shown, context included.
    pub start_line: usize,
    pub end_line: usize,
    /// First and last changed line: the hunk's identity.
    pub changed: Span,
    pub lines: Vec<HunkLine>,
    /// Each coder's segments (A's, then B's) of the codes at stake that
    /// reach into the changed lines, whole as the coder drew them (code
    /// resolved, columns kept, nothing else): what a decision keeps and
    /// what the team is shown. Not part of the JSON (`lines` says it).
    #[serde(skip)]
    pub drawn: [Vec<Segment>; 2],
}

/// A line range that serialises as `{"start": .., "end": ..}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl From<Span> for LineRange {
    fn from(s: Span) -> LineRange {
        LineRange {
            start: s.start,
            end: s.end,
        }
    }
}

impl Hunk {
    /// Every code at stake: applied by only one of the two on some line
    /// between the first and last changed lines (context lines may belong
    /// to a neighbouring hunk and do not count).
    pub fn codes_at_stake(&self) -> Vec<Slug> {
        let mut out: Vec<Slug> = self
            .core()
            .flat_map(|l| l.only_a.iter().chain(&l.only_b))
            .cloned()
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The changed lines and the unchanged lines between them (no context).
    pub fn core(&self) -> impl Iterator<Item = &HunkLine> {
        let Span { start, end } = self.changed;
        self.lines
            .iter()
            .filter(move |l| start <= l.line && l.line <= end)
    }
}

/// The code id a segment counts as: resolved through aliases and merges,
/// or as written when the codebook does not know it (so it still shows).
pub fn resolved(codebook: &Codebook, code: &Slug) -> Slug {
    codebook
        .resolve(code.as_str())
        .map_or_else(|| code.clone(), |c| c.id.clone())
}

/// Per line (index 0 is line 1), the sorted set of codes a coding applies.
pub fn codes_per_line(
    codebook: &Codebook,
    coding: Option<&Coding>,
    lines: usize,
) -> Vec<Vec<Slug>> {
    let mut out: Vec<Vec<Slug>> = vec![Vec::new(); lines];
    for seg in coding.into_iter().flat_map(|c| &c.segments) {
        let code = resolved(codebook, &seg.code);
        let first = seg.start_line.max(1);
        for set in out.iter_mut().take(seg.end_line).skip(first - 1) {
            set.push(code.clone());
        }
    }
    for set in &mut out {
        set.sort();
        set.dedup();
    }
    out
}

/// Splits two sorted sets into (only in a, only in b, in both).
fn split(a: &[Slug], b: &[Slug]) -> (Vec<Slug>, Vec<Slug>, Vec<Slug>) {
    let only_a = a.iter().filter(|c| !b.contains(c)).cloned().collect();
    let only_b = b.iter().filter(|c| !a.contains(c)).cloned().collect();
    let both = a.iter().filter(|c| b.contains(c)).cloned().collect();
    (only_a, only_b, both)
}

/// The disagreement hunks between codings `a` and `b` of `transcript`
/// (`None` is a coder who applied nothing), with `context` lines around;
/// changes closer than twice the context share a hunk, as in `diff -u`.
pub fn hunks(
    transcript: &Transcript,
    codebook: &Codebook,
    a: Option<&Coding>,
    b: Option<&Coding>,
    context: usize,
) -> Vec<Hunk> {
    group(transcript, codebook, a, b, context, |last, next| {
        next - last - 1 <= 2 * context
    })
}

/// The disagreements between `a` and `b` one passage at a time, as
/// reconciliation walks them: changed lines separated only by blank lines
/// form one hunk, shown with [`DEFAULT_CONTEXT`] lines around.
pub fn passages(
    transcript: &Transcript,
    codebook: &Codebook,
    a: Option<&Coding>,
    b: Option<&Coding>,
) -> Vec<Hunk> {
    group(transcript, codebook, a, b, DEFAULT_CONTEXT, |last, next| {
        (last + 1..next).all(|l| transcript.line(l).is_none_or(|t| t.trim().is_empty()))
    })
}

/// Changed lines grouped while `joins(last changed line, next one)` holds.
fn group(
    transcript: &Transcript,
    codebook: &Codebook,
    a: Option<&Coding>,
    b: Option<&Coding>,
    context: usize,
    joins: impl Fn(usize, usize) -> bool,
) -> Vec<Hunk> {
    let n = transcript.line_count();
    let set_a = codes_per_line(codebook, a, n);
    let set_b = codes_per_line(codebook, b, n);
    // Blank lines are not units: a segment that skips one is no disagreement.
    let changed: Vec<usize> = (1..=n)
        .filter(|&l| set_a[l - 1] != set_b[l - 1])
        .filter(|&l| transcript.line(l).is_some_and(|t| !t.trim().is_empty()))
        .collect();
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for &l in &changed {
        match groups.last_mut() {
            Some((_, last)) if joins(*last, l) => *last = l,
            _ => groups.push((l, l)),
        }
    }
    groups
        .into_iter()
        .map(|(first, last)| {
            let start = first.saturating_sub(context).max(1);
            let end = (last + context).min(n);
            let lines = (start..=end)
                .map(|l| {
                    let (only_a, only_b, both) = split(&set_a[l - 1], &set_b[l - 1]);
                    let text = transcript.line(l).unwrap_or("");
                    HunkLine {
                        line: l,
                        text: text.to_string(),
                        changed: (!only_a.is_empty() || !only_b.is_empty())
                            && !text.trim().is_empty(),
                        only_a,
                        only_b,
                        both,
                    }
                })
                .collect();
            let mut hunk = Hunk {
                transcript: transcript.id.clone(),
                start_line: start,
                end_line: end,
                changed: Span {
                    start: first,
                    end: last,
                },
                lines,
                drawn: Default::default(),
            };
            let stake = hunk.codes_at_stake();
            hunk.drawn = [a, b].map(|c| drawn(codebook, c, &stake, first, last));
            hunk
        })
        .collect()
}

/// The segments of `coding` with a code in `stake` that reach into lines
/// `first..=last`, whole, sorted.
fn drawn(
    codebook: &Codebook,
    coding: Option<&Coding>,
    stake: &[Slug],
    first: usize,
    last: usize,
) -> Vec<Segment> {
    let mut out: Vec<Segment> = coding
        .into_iter()
        .flat_map(|c| &c.segments)
        .filter(|s| s.start_line <= last && s.end_line >= first)
        .map(|s| Segment {
            start_col: s.start_col,
            end_col: s.end_col,
            ..Segment::new(resolved(codebook, &s.code), s.start_line, s.end_line)
        })
        .filter(|s| stake.contains(&s.code))
        .collect();
    out.sort_by(|x, y| {
        (x.start_line, x.end_line, &x.code).cmp(&(y.start_line, y.end_line, &y.code))
    });
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Code, Segment};

    fn s(id: &str) -> Slug {
        Slug::new(id).unwrap()
    }

    fn coding(t: &Transcript, segs: &[(&str, usize, usize)]) -> Coding {
        let mut c = Coding::new(t.id.clone(), t.hash());
        c.segments = segs
            .iter()
            .map(|&(code, a, b)| Segment::new(s(code), a, b))
            .collect();
        c
    }

    fn setup() -> (Transcript, Codebook) {
        let text: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let text = text.replace("line 5\n", "\n");
        let mut x = Code::new(s("x"), "X", "d");
        x.aliases = vec![s("old-x")];
        let cb = Codebook::from_codes([x, Code::new(s("y"), "Y", "d")]);
        (Transcript::from_bytes(s("t"), text.as_bytes()).unwrap(), cb)
    }

    #[test]
    fn groups_nearby_changes_and_adds_context() {
        let (t, cb) = setup();
        // Changes on 2, 8, 9 (gap 8-2-1 = 5 < 6: one hunk) and 18.
        let a = coding(&t, &[("x", 2, 2), ("y", 8, 9), ("x", 12, 13)]);
        let b = coding(&t, &[("old-x", 12, 13), ("x", 18, 18)]);
        let h = hunks(&t, &cb, Some(&a), Some(&b), 3);
        let spans: Vec<_> = h
            .iter()
            .map(|h| (h.start_line, h.end_line, h.changed.start, h.changed.end))
            .collect();
        assert_eq!(spans, [(1, 12, 2, 9), (15, 20, 18, 18)]);
        let line8 = &h[0].lines[7];
        assert_eq!((line8.line, line8.changed), (8, true));
        assert_eq!(line8.only_a, [s("y")]);
        assert!(line8.only_b.is_empty());
        assert_eq!(line8.text, "line 8");
        // The alias agrees with its code: line 12 is context, shared.
        let line12 = h[0].lines.last().unwrap();
        assert_eq!((line12.line, line12.changed), (12, false));
        assert_eq!(line12.both, [s("x")]);
        assert_eq!(h[1].lines[3].only_b, [s("x")]);
        assert_eq!(h[0].codes_at_stake(), [s("x"), s("y")]);
        assert_eq!(h[0].core().count(), 8);
    }

    #[test]
    fn context_decides_what_merges() {
        let (t, cb) = setup();
        let a = coding(&t, &[("x", 2, 2), ("x", 9, 9)]);
        assert_eq!(hunks(&t, &cb, Some(&a), None, 3).len(), 1);
        assert_eq!(hunks(&t, &cb, Some(&a), None, 2).len(), 2);
        let zero = hunks(&t, &cb, Some(&a), None, 0);
        assert_eq!((zero[0].start_line, zero[0].end_line), (2, 2));
    }

    #[test]
    fn passages_split_at_any_unchanged_line_but_not_at_blank_ones() {
        let (t, cb) = setup();
        // Changed: 2, 4, 6 (5 is blank), 7, 9.
        let a = coding(&t, &[("x", 2, 2), ("x", 4, 4), ("y", 6, 7), ("y", 9, 9)]);
        let p = passages(&t, &cb, Some(&a), None);
        let spans: Vec<_> = p.iter().map(|h| (h.changed.start, h.changed.end)).collect();
        assert_eq!(spans, [(2, 2), (4, 7), (9, 9)]);
        assert_eq!((p[1].start_line, p[1].end_line), (1, 10));
        // Line 2 and 9 are in the context of the middle passage but not at stake there.
        let b = coding(&t, &[("y", 2, 2), ("x", 6, 7)]);
        let p = passages(&t, &cb, Some(&a), Some(&b));
        assert_eq!(p[1].codes_at_stake(), [s("x"), s("y")]);
        assert_eq!(p[0].codes_at_stake(), [s("x"), s("y")]);
        let only_x = coding(&t, &[("x", 2, 2), ("x", 9, 9)]);
        let p = passages(&t, &cb, Some(&only_x), Some(&b));
        assert_eq!(p.len(), 3);
        assert_eq!(p[1].codes_at_stake(), [s("x")]);
        assert_eq!(hunks(&t, &cb, Some(&a), None, 3).len(), 1);
    }

    #[test]
    fn blank_lines_and_identical_codings_give_nothing() {
        let (t, cb) = setup();
        let a = coding(&t, &[("x", 4, 6)]);
        let b = coding(&t, &[("x", 4, 4), ("x", 6, 6)]);
        assert!(hunks(&t, &cb, Some(&a), Some(&b), 3).is_empty());
        assert!(hunks(&t, &cb, Some(&a), Some(&a), 3).is_empty());
        assert!(hunks(&t, &cb, None, None, 3).is_empty());
    }
}
