//! Re-anchoring: where each line of an old transcript text went in the new
//! text, and what that means for a segment coded on the old one.
//!
//! Lines are compared with a line diff (`similar`, Myers). Lines the diff
//! keeps are *same*. Inside a changed block (old lines replaced by new
//! ones), each old line is matched, in order, to the most similar new line
//! of the block; the similarity is `similar`'s character ratio
//! (2 × matching characters / total characters, 0 to 1):
//!
//! - at least [`EDITED_AT_LEAST`] (0.6): the line was *edited* (a typo, a
//!   speaker label, a name replaced by a pseudonym) and keeps its segments;
//! - below it: the line was *rewritten*; its segments stay at the best
//!   position the block offers and go to re-check;
//! - an old line in a block with no new lines was *deleted*; its segments
//!   stay next to where it was and go to re-check.
//!
//! A segment whose lines are all the same and still next to each other
//! keeps exactly its text; one with edited lines keeps its place and is
//! reported as changed; one with a rewritten or deleted line, a line
//! inserted inside it, or a column span on an edited line goes to re-check.

use similar::{Algorithm, DiffOp, TextDiff, capture_diff_slices};

use super::coding::Segment;

/// The similarity from which a changed line counts as the same line edited.
pub const EDITED_AT_LEAST: f32 = 0.6;

/// Past this many comparisons, a changed block compares each old line only
/// with the next few new lines, so a rewritten chapter stays fast.
const FULL_COMPARE_LIMIT: usize = 10_000;
const WINDOW: usize = 40;

/// What happened to one old line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Same,
    Edited,
    Rewritten,
    Deleted,
}

/// Old lines to new lines, both 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineMap {
    /// For each old line (index 0 is line 1): its new line, or for a
    /// deleted one the line now in its place. Never decreasing.
    to: Vec<usize>,
    fate: Vec<Fate>,
    new_len: usize,
}

/// What re-anchoring did to a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Same lines, same text.
    Unchanged,
    /// Same text, other line numbers.
    Moved,
    /// Its lines were edited slightly; it stays on them.
    Edited,
    /// Its words changed beyond editing: the coder should look again.
    Recheck,
}

/// Counts of segment outcomes, for commit messages and reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    pub unchanged: usize,
    pub moved: usize,
    pub changed: usize,
    pub recheck: usize,
}

impl Tally {
    pub fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Moved => self.moved += 1,
            Outcome::Edited => self.changed += 1,
            Outcome::Recheck => self.recheck += 1,
        }
    }

    pub fn merge(&mut self, other: Tally) {
        self.unchanged += other.unchanged;
        self.moved += other.moved;
        self.changed += other.changed;
        self.recheck += other.recheck;
    }

    /// `3 moved, 1 changed, 0 need re-check`.
    pub fn summary(&self) -> String {
        format!(
            "{} moved, {} changed, {} need{} re-check",
            self.moved,
            self.changed,
            self.recheck,
            if self.recheck == 1 { "s" } else { "" }
        )
    }
}

/// Similarity of two lines, 0 (nothing shared) to 1 (identical).
pub fn similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    TextDiff::from_chars(a, b).ratio()
}

impl LineMap {
    /// Maps the lines of `old` onto the lines of `new`.
    pub fn new<S: AsRef<str> + Eq + std::hash::Hash>(old: &[S], new: &[S]) -> LineMap {
        let mut map = LineMap {
            to: vec![0; old.len()],
            fate: vec![Fate::Deleted; old.len()],
            new_len: new.len(),
        };
        let ops = capture_diff_slices(Algorithm::Myers, old, new);
        // Consecutive non-equal ops form one changed block.
        let mut block: Option<(usize, usize, usize, usize)> = None;
        for op in ops {
            let (o, ol, n, nl) = match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    if let Some(b) = block.take() {
                        map.block(old, new, b);
                    }
                    for i in 0..len {
                        map.to[old_index + i] = new_index + i + 1;
                        map.fate[old_index + i] = Fate::Same;
                    }
                    continue;
                }
                DiffOp::Delete {
                    old_index,
                    old_len,
                    new_index,
                } => (old_index, old_len, new_index, 0),
                DiffOp::Insert {
                    old_index,
                    new_index,
                    new_len,
                } => (old_index, 0, new_index, new_len),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => (old_index, old_len, new_index, new_len),
            };
            block = Some(match block {
                Some((bo, _, bn, _)) => (bo, o + ol, bn, n + nl),
                None => (o, o + ol, n, n + nl),
            });
        }
        if let Some(b) = block {
            map.block(old, new, b);
        }
        map
    }

    /// Matches the old lines `o0..o1` of a changed block with its new lines `n0..n1`.
    fn block<S: AsRef<str>>(
        &mut self,
        old: &[S],
        new: &[S],
        (o0, o1, n0, n1): (usize, usize, usize, usize),
    ) {
        let full = (o1 - o0) * (n1 - n0) <= FULL_COMPARE_LIMIT;
        let mut next = n0;
        for (i, line) in old.iter().enumerate().take(o1).skip(o0) {
            let end = if full { n1 } else { n1.min(next + WINDOW) };
            let best = (next..end)
                .map(|k| (k, similarity(line.as_ref(), new[k].as_ref())))
                .fold(None::<(usize, f32)>, |acc, (k, r)| match acc {
                    Some((_, br)) if br >= r => acc,
                    _ => Some((k, r)),
                });
            match best {
                Some((k, r)) if r >= EDITED_AT_LEAST => {
                    self.to[i] = k + 1;
                    self.fate[i] = Fate::Edited;
                    next = k + 1;
                }
                _ if n1 > n0 => {
                    self.to[i] = next.min(n1 - 1) + 1;
                    self.fate[i] = Fate::Rewritten;
                }
                _ => {
                    self.to[i] = self.anchor(n0);
                    self.fate[i] = Fate::Deleted;
                }
            }
        }
    }

    /// The 1-based line now at 0-based position `n`, kept inside the text.
    fn anchor(&self, n: usize) -> usize {
        (n + 1).min(self.new_len).max(1)
    }

    pub fn old_len(&self) -> usize {
        self.to.len()
    }

    /// What happened to old line `line` (1-based); `None` past the end.
    pub fn fate(&self, line: usize) -> Option<Fate> {
        line.checked_sub(1).and_then(|i| self.fate.get(i)).copied()
    }

    /// Where old line `line` (1-based) is now; lines past the old end stay
    /// past the new one by the same amount, so a bad range stays visible.
    pub fn line(&self, line: usize) -> usize {
        match line.checked_sub(1) {
            None => line,
            Some(i) if i < self.to.len() => self.to[i],
            Some(i) => self.new_len + 1 + (i - self.to.len()),
        }
    }

    /// Where the old range `start..=end` is now, as its best mapping.
    pub fn range(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.line(start);
        (s, self.line(end).max(s))
    }

    /// Whether nothing changed at all.
    pub fn is_identity(&self) -> bool {
        self.to.len() == self.new_len
            && self.fate.iter().all(|f| *f == Fate::Same)
            && self.to.iter().enumerate().all(|(i, n)| *n == i + 1)
    }

    /// What happens to a segment on the old text: the outcome, and where it is now.
    pub fn outcome(&self, seg: &Segment) -> Outcome {
        let (s, e) = (seg.start_line, seg.end_line.max(seg.start_line));
        if s == 0 || e > self.to.len() {
            return Outcome::Recheck;
        }
        let fates = &self.fate[s - 1..e];
        let contiguous = self.to[e - 1] - self.to[s - 1] == e - s;
        if !contiguous
            || fates
                .iter()
                .any(|f| matches!(f, Fate::Rewritten | Fate::Deleted))
        {
            return Outcome::Recheck;
        }
        if fates.iter().all(|f| *f == Fate::Same) {
            return if self.to[s - 1] == s {
                Outcome::Unchanged
            } else {
                Outcome::Moved
            };
        }
        let columns_touched = (seg.start_col.is_some() && self.fate[s - 1] != Fate::Same)
            || (seg.end_col.is_some() && self.fate[e - 1] != Fate::Same);
        if columns_touched {
            Outcome::Recheck
        } else {
            Outcome::Edited
        }
    }

    /// The segment moved onto the new text, with its outcome. Column spans
    /// are kept inside the new lines.
    pub fn segment(&self, seg: &Segment, new: &[impl AsRef<str>]) -> (Segment, Outcome) {
        let outcome = self.outcome(seg);
        let mut out = seg.clone();
        let (s, e) = self.range(seg.start_line, seg.end_line);
        out.start_line = s;
        out.end_line = e;
        let chars = |n: usize| new.get(n - 1).map_or(0, |l| l.as_ref().chars().count());
        if let Some(c) = out.start_col {
            out.start_col = Some(c.min(chars(s).max(1)));
        }
        if let Some(c) = out.end_col {
            out.end_col = Some(c.min(chars(e).max(1)));
        }
        if s == e
            && let (Some(a), Some(b)) = (out.start_col, out.end_col)
            && b < a
        {
            out.end_col = Some(a);
        }
        (out, outcome)
    }
}

/// The text of lines `start..=end` (1-based), joined with newlines.
pub fn passage(lines: &[impl AsRef<str>], start: usize, end: usize) -> String {
    let from = start.saturating_sub(1).min(lines.len());
    let to = end.min(lines.len()).max(from);
    lines[from..to]
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Rewrites the citations `transcript:N` and `transcript:N-M` of one
/// transcript in free text (memos, example sources) through `map`.
/// Returns the new text and how many citations changed.
pub fn rewrite_citations(text: &str, transcript: &str, map: &LineMap) -> (String, usize) {
    let needle = format!("{transcript}:");
    let mut out = String::with_capacity(text.len());
    let mut changed = 0;
    let mut rest = text;
    while let Some(at) = rest.find(&needle) {
        let before = rest[..at].chars().next_back();
        let starts_word = !before.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
        out.push_str(&rest[..at + needle.len()]);
        rest = &rest[at + needle.len()..];
        if !starts_word {
            continue;
        }
        let Some((start, after)) = number(rest) else {
            continue;
        };
        let (end, after) = match after.strip_prefix('-').and_then(number) {
            Some((end, after)) => (Some(end), after),
            None => (None, after),
        };
        let (s, e) = map.range(start, end.unwrap_or(start));
        let cited = match end {
            Some(_) if s != e => format!("{s}-{e}"),
            Some(_) => format!("{s}-{s}"),
            None => s.to_string(),
        };
        let original = &rest[..rest.len() - after.len()];
        if cited != original {
            changed += 1;
        }
        out.push_str(&cited);
        rest = after;
    }
    out.push_str(rest);
    (out, changed)
}

/// A leading decimal number and what follows it.
fn number(s: &str) -> Option<(usize, &str)> {
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let n = s[..digits].parse().ok()?;
    Some((n, &s[digits..]))
}

#[cfg(test)]
#[path = "reanchor_tests.rs"]
mod tests;
