//! Counting hits: a code × column matrix (columns are a metadata value, a
//! transcript or a coder) and a code × code co-occurrence matrix. Both
//! count one of three things (docs/analysis.md):
//!
//! - segments: applications (two coders coding a passage count twice);
//! - transcripts: distinct transcripts where it happens;
//! - lines: distinct transcript lines it covers, whoever coded them.
//!
//! Two codes co-occur where the *same coder* applied both to overlapping
//! lines; one coder's code beside another coder's is a disagreement, not
//! a co-occurrence.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::Hit;
use crate::model::slug::Slug;

/// What a cell counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Count {
    #[default]
    Segments,
    Transcripts,
    Lines,
}

impl Count {
    pub fn as_str(self) -> &'static str {
        match self {
            Count::Segments => "segments",
            Count::Transcripts => "transcripts",
            Count::Lines => "lines",
        }
    }
}

/// A table of counts: `cells[row][column]`, and per row the total over
/// every column (for transcripts and lines, distinct over the whole row,
/// so not always the sum).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matrix {
    pub count: Count,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub cells: Vec<Vec<usize>>,
    pub totals: Vec<usize>,
}

impl Matrix {
    pub fn max(&self) -> usize {
        self.cells.iter().flatten().copied().max().unwrap_or(0)
    }

    pub fn get(&self, row: &str, column: &str) -> Option<usize> {
        let r = self.rows.iter().position(|x| x == row)?;
        let c = self.columns.iter().position(|x| x == column)?;
        Some(self.cells[r][c])
    }
}

/// Accumulates one count per cell in the chosen way. Distinct
/// transcripts and lines are counted one transcript at a time (a line of
/// one transcript is never a line of another), so memory holds one
/// transcript's lines, whatever the size of the study.
struct Tally {
    count: Count,
    plain: Vec<Vec<usize>>,
    seen: HashMap<(usize, usize), HashSet<usize>>,
}

impl Tally {
    fn new(count: Count, rows: usize, columns: usize) -> Self {
        Tally {
            count,
            plain: vec![vec![0; columns]; rows],
            seen: HashMap::new(),
        }
    }

    /// One segment (or one overlap) on the current transcript, lines
    /// `start..=end`.
    fn add(&mut self, r: usize, c: usize, start: usize, end: usize) {
        match self.count {
            Count::Segments => self.plain[r][c] += 1,
            Count::Transcripts => {
                self.seen.entry((r, c)).or_default().insert(0);
            }
            Count::Lines => {
                self.seen.entry((r, c)).or_default().extend(start..=end);
            }
        }
    }

    /// The current transcript is done: its distinct counts join the cells.
    fn end_transcript(&mut self) {
        for ((r, c), set) in self.seen.drain() {
            self.plain[r][c] += set.len();
        }
    }

    fn cells(mut self) -> Vec<Vec<usize>> {
        self.end_transcript();
        self.plain
    }
}

fn index(codes: &[Slug]) -> HashMap<Slug, usize> {
    codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.clone(), i))
        .collect()
}

/// Hits grouped by transcript, in order of first appearance: what the
/// counters take one group at a time.
fn by_transcript<'h, 'a>(hits: &'h [Hit<'a>]) -> Vec<Vec<&'h Hit<'a>>> {
    let mut order: HashMap<&Slug, usize> = HashMap::new();
    let mut groups: Vec<Vec<&Hit<'a>>> = Vec::new();
    for hit in hits {
        let i = *order.entry(hit.transcript).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[i].push(hit);
    }
    groups
}

/// A code × column matrix counted one transcript at a time.
pub struct MatrixCounter {
    count: Count,
    rows: HashMap<Slug, usize>,
    codes: Vec<Slug>,
    columns: Vec<String>,
    cells: Tally,
    totals: Tally,
    used_rows: Vec<bool>,
    used_columns: Vec<bool>,
}

impl MatrixCounter {
    /// Rows are `codes` (in order; other codes are left out).
    pub fn new(codes: &[Slug], columns: Vec<String>, count: Count) -> Self {
        MatrixCounter {
            count,
            rows: index(codes),
            codes: codes.to_vec(),
            cells: Tally::new(count, codes.len(), columns.len()),
            totals: Tally::new(count, codes.len(), 1),
            used_rows: vec![false; codes.len()],
            used_columns: vec![false; columns.len()],
            columns,
        }
    }

    /// Every hit of one transcript (`column` gives a hit's index in the
    /// columns, or `None` to leave it out).
    pub fn add<'h, 'a: 'h>(
        &mut self,
        hits: impl IntoIterator<Item = &'h Hit<'a>>,
        column: impl Fn(&Hit<'a>) -> Option<usize>,
    ) {
        for hit in hits {
            let Some(&r) = self.rows.get(hit.code) else {
                continue;
            };
            self.used_rows[r] = true;
            let Some(c) = column(hit) else { continue };
            self.used_columns[c] = true;
            self.cells.add(r, c, hit.start, hit.end);
            self.totals.add(r, 0, hit.start, hit.end);
        }
        self.cells.end_transcript();
        self.totals.end_transcript();
    }

    /// Whether some hit had each row's code, in row order.
    pub fn used_rows(&self) -> &[bool] {
        &self.used_rows
    }

    /// Whether some hit fell in each column, in column order.
    pub fn used_columns(&self) -> &[bool] {
        &self.used_columns
    }

    pub fn finish(self) -> Matrix {
        Matrix {
            count: self.count,
            rows: self.codes.iter().map(Slug::to_string).collect(),
            columns: self.columns,
            cells: self.cells.cells(),
            totals: self.totals.cells().into_iter().map(|r| r[0]).collect(),
        }
    }
}

/// Counts `hits` by code (`codes`, in order; other codes are left out) and
/// column (`column` gives a hit's index in `columns`, or `None` to leave
/// it out).
pub fn matrix<'a>(
    hits: &[Hit<'a>],
    codes: &[Slug],
    columns: Vec<String>,
    column: impl Fn(&Hit<'a>) -> Option<usize>,
    count: Count,
) -> Matrix {
    let mut counter = MatrixCounter::new(codes, columns, count);
    for group in by_transcript(hits) {
        counter.add(group, &column);
    }
    counter.finish()
}

/// Co-occurrence of codes counted one transcript at a time.
pub struct CooccurCounter {
    count: Count,
    rows: HashMap<Slug, usize>,
    codes: Vec<Slug>,
    tally: Tally,
}

impl CooccurCounter {
    pub fn new(codes: &[Slug], count: Count) -> Self {
        let n = codes.len();
        CooccurCounter {
            count,
            rows: index(codes),
            codes: codes.to_vec(),
            tally: Tally::new(count, n, n),
        }
    }

    /// Every hit of one transcript.
    pub fn add<'h, 'a: 'h>(&mut self, hits: impl IntoIterator<Item = &'h Hit<'a>>) {
        // (start, end, code index) per coder.
        type Spans = Vec<(usize, usize, usize)>;
        let mut groups: HashMap<&Slug, Spans> = HashMap::new();
        for hit in hits {
            if let Some(&r) = self.rows.get(hit.code) {
                self.tally.add(r, r, hit.start, hit.end);
                groups
                    .entry(hit.coder)
                    .or_default()
                    .push((hit.start, hit.end, r));
            }
        }
        for (_, mut spans) in groups {
            spans.sort_unstable();
            // Sorted by start: a later span overlaps this one while it
            // starts before this one ends.
            for (i, &(start, end, a)) in spans.iter().enumerate() {
                for &(s2, e2, b) in spans[i + 1..].iter().take_while(|s| s.0 <= end) {
                    if a == b {
                        continue;
                    }
                    let (from, to) = (start.max(s2), end.min(e2));
                    self.tally.add(a, b, from, to);
                    self.tally.add(b, a, from, to);
                }
            }
        }
        self.tally.end_transcript();
    }

    pub fn finish(self) -> Matrix {
        let n = self.codes.len();
        let cells = self.tally.cells();
        let totals = (0..n).map(|i| cells[i][i]).collect();
        Matrix {
            count: self.count,
            rows: self.codes.iter().map(Slug::to_string).collect(),
            columns: self.codes.iter().map(Slug::to_string).collect(),
            cells,
            totals,
        }
    }
}

/// Co-occurrence of `codes` (symmetric): a cell counts overlapping pairs
/// of segments by the same coder (segments), the transcripts where such a
/// pair occurs, or the lines two codes share. The diagonal holds each
/// code's own count, as in [`matrix`]'s totals.
pub fn cooccur(hits: &[Hit<'_>], codes: &[Slug], count: Count) -> Matrix {
    let mut counter = CooccurCounter::new(codes, count);
    for group in by_transcript(hits) {
        counter.add(group);
    }
    counter.finish()
}

impl Matrix {
    /// Keeps the rows (and, with `square`, the same columns) `keep` says.
    pub fn retain_rows(&mut self, keep: &[bool], square: bool) {
        keep_where(&mut self.rows, keep);
        keep_where(&mut self.cells, keep);
        keep_where(&mut self.totals, keep);
        if square {
            self.retain_columns(keep);
        }
    }

    /// Keeps the columns `keep` says.
    pub fn retain_columns(&mut self, keep: &[bool]) {
        keep_where(&mut self.columns, keep);
        for row in &mut self.cells {
            keep_where(row, keep);
        }
    }
}

fn keep_where<T>(items: &mut Vec<T>, keep: &[bool]) {
    let mut i = 0;
    items.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::coding::Segment;

    fn slug(s: &str) -> Slug {
        Slug::new(s).unwrap()
    }

    struct Data {
        coders: Vec<Slug>,
        transcripts: Vec<Slug>,
        codes: Vec<Slug>,
        segment: Segment,
    }

    fn data() -> Data {
        Data {
            coders: vec![slug("alice"), slug("bob")],
            transcripts: vec![slug("t1"), slug("t2")],
            codes: vec![slug("a"), slug("b"), slug("c")],
            segment: Segment::new(slug("a"), 1, 1),
        }
    }

    /// (coder, transcript, code, start, end) by index.
    fn hits<'a>(d: &'a Data, rows: &[(usize, usize, usize, usize, usize)]) -> Vec<Hit<'a>> {
        rows.iter()
            .map(|&(who, t, code, start, end)| Hit {
                coder: &d.coders[who],
                transcript: &d.transcripts[t],
                code: &d.codes[code],
                start,
                end,
                segment: &d.segment,
            })
            .collect()
    }

    #[test]
    fn matrix_counts_segments_transcripts_and_lines() {
        let d = data();
        // alice and bob both code a on t1:1-3 (overlapping 2-3), alice a on t2.
        let h = hits(
            &d,
            &[
                (0, 0, 0, 1, 3),
                (1, 0, 0, 2, 4),
                (0, 1, 0, 5, 5),
                (0, 0, 1, 9, 9),
            ],
        );
        let by_transcript = |hit: &Hit| d.transcripts.iter().position(|t| t == hit.transcript);
        let cols = vec!["t1".to_string(), "t2".to_string()];
        let m = matrix(&h, &d.codes, cols.clone(), by_transcript, Count::Segments);
        assert_eq!(m.cells, [[2, 1], [1, 0], [0, 0]]);
        assert_eq!(m.totals, [3, 1, 0]);
        let m = matrix(&h, &d.codes, cols.clone(), by_transcript, Count::Lines);
        assert_eq!(m.cells[0], [4, 1]);
        assert_eq!(m.totals[0], 5);
        let m = matrix(&h, &d.codes, cols, by_transcript, Count::Transcripts);
        assert_eq!(m.cells[0], [1, 1]);
        assert_eq!(m.totals, [2, 1, 0]);
        assert_eq!(m.get("a", "t2"), Some(1));
    }

    #[test]
    fn cooccurrence_is_per_coder_and_symmetric() {
        let d = data();
        let h = hits(
            &d,
            &[
                (0, 0, 0, 1, 5), // alice a 1-5
                (0, 0, 1, 4, 8), // alice b 4-8: overlaps a on 4-5
                (0, 0, 2, 6, 6), // alice c 6: overlaps b only
                (1, 0, 1, 1, 2), // bob b 1-2: beside alice's a, not counted
                (0, 1, 0, 1, 1), // alice a on t2
                (0, 1, 1, 1, 1), // alice b on t2: overlaps
            ],
        );
        let m = cooccur(&h, &d.codes, Count::Segments);
        assert_eq!(m.cells, [[2, 2, 0], [2, 3, 1], [0, 1, 1]]);
        let m = cooccur(&h, &d.codes, Count::Lines);
        assert_eq!(m.cells[0][1], 3);
        assert_eq!(m.cells[1][2], 1);
        let m = cooccur(&h, &d.codes, Count::Transcripts);
        assert_eq!(m.cells[0][1], 2);
        assert_eq!(m.totals, [2, 2, 1]);
    }
}
