//! Character positions and cbr's lines.
//!
//! The standard counts Unicode code points, 0-based, end exclusive. Real
//! files do not always: NVivo for Windows counts UTF-16 code units with a
//! CRLF as two; ATLAS.ti counts a line break as one. [`detect`] scores each
//! reading against the selections of a file (does the text at the position
//! match the selection's name, do the ends fall on word boundaries, do they
//! fit the text) and keeps the best; the standard's reading wins ties.
//!
//! cbr stores a segment as lines (1-based, inclusive) plus optional
//! columns (code points, 1-based, inclusive) when it starts or ends inside
//! a line, so an exact selection survives an import and an export.

/// How a file counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The standard: Unicode code points (a CRLF is two).
    CodePoints,
    /// Code points, a CRLF counted as one (ATLAS.ti).
    CodePointsCrlfOne,
    /// UTF-16 code units, a CRLF as two (NVivo for Windows).
    Utf16,
    /// UTF-16 code units, a CRLF as one.
    Utf16CrlfOne,
}

impl Reading {
    pub const ALL: [Reading; 4] = [
        Reading::CodePoints,
        Reading::CodePointsCrlfOne,
        Reading::Utf16,
        Reading::Utf16CrlfOne,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Reading::CodePoints => "Unicode code points (the standard)",
            Reading::CodePointsCrlfOne => "code points with a CRLF line end as one",
            Reading::Utf16 => "UTF-16 code units with a CRLF as two (as NVivo for Windows writes)",
            Reading::Utf16CrlfOne => "UTF-16 code units with a CRLF as one",
        }
    }
}

/// A source text prepared for position arithmetic (BOM already removed).
pub struct Text {
    chars: Vec<char>,
    /// Char index where each line starts.
    line_starts: Vec<usize>,
    /// Char index where each line's content ends (before `\r\n` or `\n`).
    content_ends: Vec<usize>,
}

impl Text {
    pub fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let mut line_starts = vec![0];
        let mut content_ends = Vec::new();
        for (i, c) in chars.iter().enumerate() {
            if *c == '\n' {
                let end = if i > 0 && chars[i - 1] == '\r' {
                    i - 1
                } else {
                    i
                };
                content_ends.push(end);
                line_starts.push(i + 1);
            }
        }
        content_ends.push(chars.len());
        // A final line end does not open another line (as in cbr).
        if line_starts.len() > 1 && *line_starts.last().unwrap() == chars.len() {
            line_starts.pop();
            content_ends.pop();
        }
        Text {
            chars,
            line_starts,
            content_ends,
        }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Units before each char (and the total at the end) in a reading.
    pub fn prefix(&self, reading: Reading) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.chars.len() + 1);
        let mut acc = 0;
        for (i, c) in self.chars.iter().enumerate() {
            out.push(acc);
            let crlf_cr = *c == '\r' && self.chars.get(i + 1) == Some(&'\n');
            acc += match reading {
                Reading::CodePointsCrlfOne | Reading::Utf16CrlfOne if crlf_cr => 0,
                Reading::Utf16 | Reading::Utf16CrlfOne => c.len_utf16(),
                _ => 1,
            };
        }
        out.push(acc);
        out
    }

    fn line_of(&self, c: usize) -> usize {
        self.line_starts
            .partition_point(|s| *s <= c)
            .saturating_sub(1)
    }

    /// A char range as cbr's lines and columns, lines 1-based, columns
    /// 1-based inclusive and `None` where the range begins or ends with its
    /// line. A line break belongs to the line it ends, so a range ending
    /// with one covers its line whole; a range starting on the break of a
    /// non-empty line starts on the next line. `None` for an empty range.
    pub fn to_lines(&self, start: usize, end: usize) -> Option<LineSpan> {
        let (mut s, e) = (start.min(self.len()), end.min(self.len()));
        if s < e {
            let l = self.line_of(s);
            if s >= self.content_ends[l] && s > self.line_starts[l] {
                s = self.line_starts.get(l + 1).copied().unwrap_or(e);
            }
        }
        if s >= e {
            return None;
        }
        let l1 = self.line_of(s);
        let l2 = self.line_of(e - 1);
        let c1 = s - self.line_starts[l1];
        let len2 = self.content_ends[l2] - self.line_starts[l2];
        let c2 = (e - self.line_starts[l2]).min(len2);
        Some(LineSpan {
            start_line: l1 + 1,
            start_col: (c1 > 0).then_some(c1 + 1),
            end_line: l2 + 1,
            end_col: (c2 < len2).then_some(c2),
        })
    }

    /// The char range of cbr lines and columns (the inverse of
    /// [`Text::to_lines`]). A whole empty last line takes its line break,
    /// so the range is not empty.
    pub fn from_lines(&self, span: &LineSpan) -> (usize, usize) {
        let line = |n: usize| n.saturating_sub(1).min(self.line_starts.len() - 1);
        let (l1, l2) = (line(span.start_line), line(span.end_line));
        let len = |l: usize| self.content_ends[l] - self.line_starts[l];
        let s = self.line_starts[l1] + span.start_col.map_or(0, |c| (c - 1).min(len(l1)));
        let mut e = self.line_starts[l2] + span.end_col.map_or(len(l2), |c| c.min(len(l2)));
        if span.end_col.is_none() && len(l2) == 0 && e < self.len() {
            e = self.line_starts.get(l2 + 1).copied().unwrap_or(self.len());
        }
        (s, e.max(s))
    }

    pub fn slice(&self, start: usize, end: usize) -> String {
        self.chars[start.min(self.len())..end.min(self.len())]
            .iter()
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineSpan {
    pub start_line: usize,
    pub start_col: Option<usize>,
    pub end_line: usize,
    pub end_col: Option<usize>,
}

impl LineSpan {
    /// The selection starts or ends inside a line, so cbr's line range is wider.
    pub fn widened(&self) -> bool {
        self.start_col.is_some() || self.end_col.is_some()
    }
}

/// The char index a position in `prefix` units falls at (rounded down to
/// the char it is inside of), and whether it fell exactly on a char.
pub fn char_at(prefix: &[usize], unit: usize) -> (usize, bool) {
    let i = prefix.partition_point(|p| *p <= unit).saturating_sub(1);
    (i, prefix.get(i) == Some(&unit))
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One source's text and its selections (positions as written, and name).
pub struct Sample<'a> {
    pub text: &'a Text,
    pub selections: Vec<(usize, usize, &'a str)>,
}

/// The reading that fits the selections best.
pub fn detect(samples: &[Sample]) -> Reading {
    let mut best = (i64::MIN, Reading::CodePoints);
    for reading in Reading::ALL {
        let mut score = 0i64;
        for sample in samples {
            let prefix = sample.text.prefix(reading);
            let total = *prefix.last().unwrap();
            let n = sample.text.len();
            for &(s, e, name) in &sample.selections {
                if e > total || s > e {
                    score -= 20;
                    continue;
                }
                let (cs, exact_s) = char_at(&prefix, s);
                let (ce, exact_e) = char_at(&prefix, e);
                if !exact_s || !exact_e {
                    score -= 5;
                }
                let word = |c: Option<&char>| c.is_none_or(|c| !c.is_alphanumeric());
                if cs == 0 || word(sample.text.chars.get(cs - 1)) {
                    score += 1;
                }
                if ce >= n || word(sample.text.chars.get(ce)) {
                    score += 1;
                }
                let name = squash(name.trim_end_matches(['…', '.']));
                if name.chars().count() >= 4 {
                    let got = squash(&sample.text.slice(cs, ce));
                    if got.starts_with(&name) || (!got.is_empty() && name.starts_with(&got)) {
                        score += 10;
                    }
                }
            }
        }
        if score > best.0 {
            best = (score, reading);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_inside_lines_keep_their_columns() {
        let t = Text::new("INT: hello\nP1: a café 😀 here\n\nlast");
        // "hello" is chars 5..10 on line 1.
        let span = t.to_lines(5, 10).unwrap();
        assert_eq!(
            span,
            LineSpan {
                start_line: 1,
                start_col: Some(6),
                end_line: 1,
                end_col: None
            }
        );
        assert!(span.widened());
        assert_eq!(t.from_lines(&span), (5, 10));
        // Whole lines 2-4, the selection taking the line break with it.
        let whole = t.to_lines(11, 35).unwrap();
        assert_eq!(whole.start_col, None);
        assert_eq!(whole.end_line, 4);
        assert_eq!(t.from_lines(&whole), (11, t.len()));
        // Only the line end of a line with text: nothing.
        assert_eq!(t.to_lines(28, 29), None);
        // The empty line 3 alone, and lines 2-3, survive a round trip.
        for (a, b) in [(3, 3), (2, 3)] {
            let span = LineSpan {
                start_line: a,
                start_col: None,
                end_line: b,
                end_col: None,
            };
            let (s, e) = t.from_lines(&span);
            assert!(s < e);
            assert_eq!(t.to_lines(s, e), Some(span));
        }
    }

    #[test]
    fn utf16_with_crlf_is_detected_from_names_and_boundaries() {
        let raw = "Q: 😀😀 first answer\r\nA: second 😀 answer here\r\n";
        let t = Text::new(raw);
        let p = t.prefix(Reading::Utf16);
        let find = |needle: &str| {
            let c = raw[..raw.find(needle).unwrap()].chars().count();
            let e = c + needle.chars().count();
            (p[c], p[e])
        };
        let (s1, e1) = find("first answer");
        let (s2, e2) = find("second 😀 answer");
        let sample = Sample {
            text: &t,
            selections: vec![(s1, e1, "first answer"), (s2, e2, "")],
        };
        assert_eq!(detect(&[sample]), Reading::Utf16);
        let plain = Text::new("one two three");
        let sample = Sample {
            text: &plain,
            selections: vec![(4, 7, "two")],
        };
        assert_eq!(detect(&[sample]), Reading::CodePoints);
    }
}
