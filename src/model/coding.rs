//! Codings: one coder's segments on one transcript.

use serde::{Deserialize, Serialize};

use super::slug::Slug;
use super::transcript::LineRange;

/// The reserved coder id for reconciled coding.
pub const CONSENSUS: &str = "consensus";

/// One application of one code to a span of a transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub code: Slug,
    /// First line, 1-based.
    pub start_line: usize,
    /// Last line, 1-based and inclusive.
    pub end_line: usize,
    /// Optional sub-line span: first character (1-based) on `start_line`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_col: Option<usize>,
    /// Optional sub-line span: last character (1-based, inclusive) on `end_line`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_col: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
    /// The codebook commit the segment was coded under, to find segments
    /// whose code definition changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codebook: Option<String>,
    /// Consensus only: why the team decided this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// Consensus only: who took the decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
}

impl Segment {
    pub fn new(code: Slug, start_line: usize, end_line: usize) -> Self {
        Segment {
            code,
            start_line,
            end_line,
            start_col: None,
            end_col: None,
            memo: None,
            codebook: None,
            rationale: None,
            decided_by: None,
        }
    }

    pub fn lines(&self) -> LineRange {
        LineRange {
            start: self.start_line,
            end: self.end_line,
        }
    }

    pub fn covers(&self, range: &LineRange) -> bool {
        self.lines().overlaps(range)
    }
}

/// What a reconciliation decided for one disagreement hunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Choice {
    /// Keep what the first coder of `coders` applied.
    KeepFirst,
    /// Keep what the second coder applied.
    KeepSecond,
    /// Keep what either applied.
    KeepBoth,
    /// Keep only what both applied.
    Neither,
    /// The team wrote the segments itself.
    Edited,
}

impl Choice {
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::KeepFirst => "keep-first",
            Choice::KeepSecond => "keep-second",
            Choice::KeepBoth => "keep-both",
            Choice::Neither => "neither",
            Choice::Edited => "edited",
        }
    }
}

/// Consensus files only: the record of one reconciled disagreement hunk,
/// keyed by the two coders and the hunk's first and last changed lines, so
/// that progress can be recomputed and the decision revisited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The two coders whose disagreement this settles, in the order used
    /// by `choice` (first, second).
    pub coders: [Slug; 2],
    /// First changed line of the hunk, 1-based.
    pub start_line: usize,
    /// Last changed line of the hunk, 1-based and inclusive.
    pub end_line: usize,
    pub choice: Choice,
    #[serde(default)]
    pub rationale: String,
    /// Who took the decision (a coder id, or several): the person at the
    /// keyboard.
    #[serde(default)]
    pub decided_by: String,
    /// Who was at the meeting that took it, as recorded at its start
    /// (coder ids). Absent in files written before it was recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub present: Vec<Slug>,
}

impl Decision {
    /// Whether this decision settles the hunk `start..=end` between `a` and
    /// `b` (in either order).
    pub fn settles(&self, a: &Slug, b: &Slug, start: usize, end: usize) -> bool {
        let [x, y] = &self.coders;
        ((x == a && y == b) || (x == b && y == a))
            && self.start_line == start
            && self.end_line == end
    }
}

/// The file `codings/<coder>/<transcript>.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coding {
    pub transcript: Slug,
    /// Hash of the transcript text the segments were made against.
    #[serde(default)]
    pub transcript_hash: String,
    /// Only complete codings count in agreement: "not yet coded" is never "absent".
    #[serde(default)]
    pub complete: bool,
    #[serde(default)]
    pub segments: Vec<Segment>,
    /// Consensus files only: the reconciliation decisions taken on this
    /// transcript, in line order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Decision>,
}

impl Coding {
    pub fn new(transcript: Slug, transcript_hash: &str) -> Self {
        Coding {
            transcript,
            transcript_hash: transcript_hash.to_string(),
            complete: false,
            segments: Vec::new(),
            decisions: Vec::new(),
        }
    }

    /// The decision recorded for hunk `start..=end` between `a` and `b`.
    pub fn decision(&self, a: &Slug, b: &Slug, start: usize, end: usize) -> Option<&Decision> {
        self.decisions.iter().find(|d| d.settles(a, b, start, end))
    }

    /// Keeps segments and decisions in reading order so files diff well.
    pub fn sort(&mut self) {
        self.decisions
            .sort_by_key(|d| (d.start_line, d.end_line, d.coders.clone()));
        self.segments.sort_by(|a, b| {
            (a.start_line, a.end_line, a.code.as_str()).cmp(&(
                b.start_line,
                b.end_line,
                b.code.as_str(),
            ))
        });
    }

    pub fn to_toml(&self) -> String {
        let mut sorted = self.clone();
        sorted.sort();
        toml::to_string_pretty(&sorted).expect("a coding always serialises")
    }

    /// Segments that touch a line.
    pub fn at_line(&self, line: usize) -> impl Iterator<Item = &Segment> {
        self.segments
            .iter()
            .filter(move |s| s.start_line <= line && line <= s.end_line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_sorted_output() {
        let mut c = Coding::new(Slug::new("interview-01").unwrap(), "sha256:ab");
        c.complete = true;
        let mut late = Segment::new(Slug::new("b").unwrap(), 9, 12);
        late.memo = Some("« mémo »\nsur deux lignes".into());
        late.start_col = Some(3);
        let early = Segment::new(Slug::new("a").unwrap(), 2, 2);
        c.segments = vec![late, early];
        let text = c.to_toml();
        assert!(text.find("code = \"a\"").unwrap() < text.find("code = \"b\"").unwrap());
        let back: Coding = toml::from_str(&text).unwrap();
        let mut expected = c.clone();
        expected.sort();
        assert_eq!(back, expected);
        assert_eq!(back.at_line(10).count(), 1);
    }
}
