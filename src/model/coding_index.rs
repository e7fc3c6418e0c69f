//! Everyone's segments held compactly, for a session that must keep them
//! for as long as it runs (the Codebook tab's counts and retrieval). A
//! parsed [`Segment`] costs about 350 bytes (its code id, the codebook
//! version it was coded under and their allocations); here a segment is
//! 24 bytes: ids are interned once, line and column numbers are `u32`, and
//! the codebook version, which counts and retrieval never read, is not
//! kept. A segment whose numbers do not fit (only a damaged or hostile
//! file has one) is kept whole, so nothing read is changed or lost.

use std::collections::{BTreeMap, HashMap};

use super::interned::Names;

use super::coding::{Coding, Segment};
use super::slug::Slug;

/// Absent column or memo.
const NONE: u32 = u32::MAX;

/// One segment, its strings replaced by indexes into the index's tables.
#[derive(Debug, Clone, Copy)]
struct Compact {
    code: u32,
    start_line: u32,
    end_line: u32,
    start_col: u32,
    end_col: u32,
    memo: u32,
}

/// One coder's segments on one transcript, in the order of the file.
#[derive(Debug, Clone, Default)]
struct Chunk {
    coder: u32,
    transcript: u32,
    complete: bool,
    segments: Vec<Compact>,
    /// Segments whose numbers do not fit in `u32`, kept as they were read.
    whole: Vec<Segment>,
}

/// Codings as (coder, transcript, complete, segments), compactly.
#[derive(Debug, Clone, Default)]
pub struct CodingIndex {
    coders: Names<Slug>,
    transcripts: Names<Slug>,
    codes: Names<Slug>,
    memos: Vec<String>,
    chunks: Vec<Chunk>,
    /// (coder, transcript) → its chunk.
    at: HashMap<(u32, u32), usize>,
}

/// A coder's progress on one transcript, as the index knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub complete: bool,
    pub segments: usize,
}

impl CodingIndex {
    pub fn from_codings<'a>(codings: impl IntoIterator<Item = &'a (Slug, Coding)>) -> Self {
        let mut index = CodingIndex::default();
        for (coder, coding) in codings {
            index.insert(coder, coding);
        }
        index
    }

    /// Holds `coder`'s coding, in place of the one held for its transcript.
    pub fn insert(&mut self, coder: &Slug, coding: &Coding) {
        let key = (
            self.coders.intern(coder),
            self.transcripts.intern(&coding.transcript),
        );
        let mut chunk = Chunk {
            coder: key.0,
            transcript: key.1,
            complete: coding.complete,
            segments: Vec::with_capacity(coding.segments.len()),
            whole: Vec::new(),
        };
        for seg in &coding.segments {
            match self.compact(seg) {
                Some(c) => chunk.segments.push(c),
                None => chunk.whole.push(seg.clone()),
            }
        }
        chunk.segments.shrink_to_fit();
        match self.at.get(&key) {
            Some(&i) => self.chunks[i] = chunk,
            None => {
                self.at.insert(key, self.chunks.len());
                self.chunks.push(chunk);
            }
        }
    }

    fn compact(&mut self, seg: &Segment) -> Option<Compact> {
        let fits = |n: usize| u32::try_from(n).ok().filter(|&n| n != NONE);
        let col = |c: Option<usize>| match c {
            None => Some(NONE),
            Some(n) => fits(n),
        };
        let (start_line, end_line) = (fits(seg.start_line)?, fits(seg.end_line)?);
        let (start_col, end_col) = (col(seg.start_col)?, col(seg.end_col)?);
        let memo = match &seg.memo {
            None => NONE,
            Some(m) => {
                let i = u32::try_from(self.memos.len())
                    .ok()
                    .filter(|&i| i != NONE)?;
                self.memos.push(m.clone());
                i
            }
        };
        Some(Compact {
            code: self.codes.intern(&seg.code),
            start_line,
            end_line,
            start_col,
            end_col,
            memo,
        })
    }

    fn expand(&self, c: &Compact) -> Segment {
        let opt = |n: u32| (n != NONE).then_some(n as usize);
        let mut seg = Segment::new(
            self.codes.get(c.code).clone(),
            c.start_line as usize,
            c.end_line as usize,
        );
        seg.start_col = opt(c.start_col);
        seg.end_col = opt(c.end_col);
        seg.memo = opt(c.memo).map(|i| self.memos[i].clone());
        seg
    }

    /// Segments per coder under each code as `resolve` names it (an id as
    /// written → the code it counts as today); every distinct id is
    /// resolved once.
    pub fn counts(&self, resolve: impl Fn(&Slug) -> Slug) -> BTreeMap<Slug, BTreeMap<Slug, usize>> {
        let resolved: Vec<Slug> = self.codes.all().iter().map(&resolve).collect();
        let mut tally: HashMap<(u32, &Slug), usize> = HashMap::new();
        for chunk in &self.chunks {
            for seg in &chunk.segments {
                *tally
                    .entry((chunk.coder, &resolved[seg.code as usize]))
                    .or_default() += 1;
            }
        }
        let mut out: BTreeMap<Slug, BTreeMap<Slug, usize>> = BTreeMap::new();
        for ((coder, code), n) in tally {
            *out.entry(code.clone())
                .or_default()
                .entry(self.coders.get(coder).clone())
                .or_default() += n;
        }
        for chunk in &self.chunks {
            for seg in &chunk.whole {
                *out.entry(resolve(&seg.code))
                    .or_default()
                    .entry(self.coders.get(chunk.coder).clone())
                    .or_default() += 1;
            }
        }
        out
    }

    /// The codings held, each with only the segments whose code (as
    /// written) `wanted` accepts; codings left empty are omitted. Every
    /// distinct code id is asked about once. Codebook versions are not
    /// held, so the segments carry none.
    pub fn codings_with(&self, wanted: impl Fn(&Slug) -> bool) -> Vec<(Slug, Coding)> {
        let keep: Vec<bool> = self.codes.all().iter().map(&wanted).collect();
        let mut out = Vec::new();
        for chunk in &self.chunks {
            let mut segments: Vec<Segment> = chunk
                .segments
                .iter()
                .filter(|c| keep[c.code as usize])
                .map(|c| self.expand(c))
                .collect();
            segments.extend(chunk.whole.iter().filter(|s| wanted(&s.code)).cloned());
            if segments.is_empty() {
                continue;
            }
            let mut coding = Coding::new(self.transcripts.get(chunk.transcript).clone(), "");
            coding.complete = chunk.complete;
            coding.segments = segments;
            out.push((self.coders.get(chunk.coder).clone(), coding));
        }
        out
    }

    /// `coder`'s progress on each transcript it has a coding of.
    pub fn held_by(&self, coder: &Slug) -> Vec<(Slug, Held)> {
        let Some(me) = self.coders.find(coder.as_str()) else {
            return Vec::new();
        };
        self.chunks
            .iter()
            .filter(|c| c.coder == me)
            .map(|c| {
                let held = Held {
                    complete: c.complete,
                    segments: c.segments.len() + c.whole.len(),
                };
                (self.transcripts.get(c.transcript).clone(), held)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> Slug {
        Slug::new(s).unwrap()
    }

    fn seg(code: &str, start: usize, end: usize) -> Segment {
        let mut s = Segment::new(slug(code), start, end);
        s.codebook = Some("abc123".into());
        s
    }

    fn coding(transcript: &str, segments: Vec<Segment>) -> Coding {
        let mut c = Coding::new(slug(transcript), "hash");
        c.segments = segments;
        c
    }

    #[test]
    fn segments_come_back_as_they_were_read_without_their_version() {
        let mut odd = seg("b", usize::MAX, usize::MAX);
        odd.memo = Some("far away".into());
        let mut with_cols = seg("a", 3, 4);
        with_cols.start_col = Some(2);
        with_cols.end_col = Some(9);
        with_cols.memo = Some("why".into());
        let mut first = coding("t1", vec![seg("a", 1, 2), with_cols.clone(), odd.clone()]);
        first.complete = true;
        let all = vec![
            (slug("ann"), first),
            (slug("bob"), coding("t1", vec![seg("b", 5, 5)])),
        ];
        let index = CodingIndex::from_codings(&all);
        let back = index.codings_with(|_| true);
        assert_eq!(back.len(), 2);
        let (coder, c) = &back[0];
        assert_eq!(
            (coder.as_str(), c.transcript.as_str(), c.complete),
            ("ann", "t1", true)
        );
        let unversioned = |mut s: Segment| {
            s.codebook = None;
            s
        };
        assert_eq!(
            c.segments,
            vec![
                unversioned(seg("a", 1, 2)),
                unversioned(with_cols),
                // Numbers past `u32`: kept whole, as read.
                odd,
            ]
        );
        let only_b = index.codings_with(|c| c.as_str() == "b");
        let coders: Vec<&str> = only_b.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(coders, ["ann", "bob"]);
    }

    #[test]
    fn counts_follow_resolution_and_replaced_codings() {
        let mut index = CodingIndex::from_codings(&[
            (
                slug("ann"),
                coding("t1", vec![seg("old", 1, 1), seg("new", 2, 2)]),
            ),
            (slug("bob"), coding("t1", vec![seg("new", 1, 1)])),
        ]);
        let resolve = |c: &Slug| {
            if c.as_str() == "old" {
                slug("new")
            } else {
                c.clone()
            }
        };
        let counts = index.counts(resolve);
        assert_eq!(counts[&slug("new")][&slug("ann")], 2);
        assert_eq!(counts[&slug("new")][&slug("bob")], 1);
        index.insert(&slug("ann"), &coding("t1", vec![seg("other", 4, 4)]));
        let counts = index.counts(resolve);
        assert_eq!(counts[&slug("new")].get(&slug("ann")), None);
        assert_eq!(counts[&slug("other")][&slug("ann")], 1);
        assert_eq!(index.codings_with(|_| true).len(), 2);
        assert_eq!(
            index.held_by(&slug("ann")),
            [(
                slug("t1"),
                Held {
                    complete: false,
                    segments: 1
                }
            )]
        );
        assert!(index.held_by(&slug("nobody")).is_empty());
    }
}
