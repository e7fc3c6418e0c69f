//! Segments for generated studies: who codes which transcript, a first
//! coder's segments on speaker turns, and a second coder's segments derived
//! from the first with the noise real double coding shows (shifted
//! boundaries, a neighbouring code, omissions, extra segments), so that
//! agreement comes out moderate rather than perfect. Pure.

use std::collections::BTreeSet;

use fastrand::Rng;

use crate::model::codebook::Status;
use crate::model::{Codebook, LineRange, Segment, Slug, Transcript};

use super::words::{MEMOS, MODERATORS};

/// For each transcript, the coders (indices) who code it: `per_coder`
/// transcripts each, one or two coders per transcript, with every pair of
/// coders sharing some transcripts so that every pair can be compared.
pub fn assign(
    rng: &mut Rng,
    transcripts: usize,
    coders: usize,
    per_coder: usize,
) -> Vec<Vec<usize>> {
    let slots = coders * per_coder;
    let doubles = slots
        .saturating_sub(transcripts)
        .min(slots / 2)
        .min(transcripts);
    let singles = (slots - 2 * doubles).min(transcripts - doubles);
    let mut left = vec![per_coder; coders];
    let mut out = vec![Vec::new(); transcripts];
    let mut order: Vec<usize> = (0..transcripts).collect();
    rng.shuffle(&mut order);
    for (n, &t) in order.iter().enumerate() {
        let want = if n < doubles {
            2
        } else if n < doubles + singles {
            1
        } else {
            0
        };
        // The coders with the most work left, ties broken at random so
        // that all pairs occur.
        let mut by_load: Vec<usize> = (0..coders).filter(|&c| left[c] > 0).collect();
        rng.shuffle(&mut by_load);
        by_load.sort_by_key(|&c| std::cmp::Reverse(left[c]));
        for &c in by_load.iter().take(want) {
            left[c] -= 1;
            out[t].push(c);
        }
    }
    out
}

/// The codes a coder reaches for in one transcript: the active codes under
/// two to four themes, most used first.
pub fn profile(rng: &mut Rng, book: &Codebook) -> Vec<Slug> {
    let mut roots: Vec<&Slug> = book.roots().into_iter().map(|c| &c.id).collect();
    rng.shuffle(&mut roots);
    roots.truncate(rng.usize(2..5));
    let mut out: Vec<Slug> = book
        .codes
        .values()
        .filter(|c| c.status == Status::Active)
        .filter(|c| {
            let top = book
                .ancestors(c.id.as_str())
                .last()
                .map_or(&c.id, |a| &a.id);
            roots.contains(&top)
        })
        .map(|c| c.id.clone())
        .collect();
    rng.shuffle(&mut out);
    out
}

/// A code from the profile, the first ones far more often than the last.
fn pick_code(rng: &mut Rng, profile: &[Slug]) -> Slug {
    let n = profile.len();
    let i = rng.usize(0..n).min(rng.usize(0..n)).min(rng.usize(0..n));
    profile[i].clone()
}

/// Runs of non-blank lines within turns that are not the interviewer's:
/// what a coder reads as one passage.
fn passages(t: &Transcript) -> Vec<LineRange> {
    let mut out = Vec::new();
    for turn in t.turns() {
        if turn
            .speaker
            .as_deref()
            .is_some_and(|s| s == "INT" || MODERATORS.contains(&s))
        {
            continue;
        }
        let mut start = None;
        for n in turn.lines.start..=turn.lines.end + 1 {
            let blank = n > turn.lines.end || t.line(n).is_none_or(|l| l.trim().is_empty());
            match (start, blank) {
                (None, false) => start = Some(n),
                (Some(s), true) => {
                    // Field notes run long: a passage is at most six lines.
                    let mut a = s;
                    while a < n {
                        let b = (a + 6).min(n);
                        out.push(LineRange {
                            start: a,
                            end: b - 1,
                        });
                        a = b;
                    }
                    start = None;
                }
                _ => {}
            }
        }
    }
    out
}

fn memo(rng: &mut Rng) -> Option<String> {
    (rng.u32(0..100) < 4).then(|| MEMOS[rng.usize(0..MEMOS.len())].to_string())
}

fn new_segment(rng: &mut Rng, t: &Transcript, passages: &[LineRange], profile: &[Slug]) -> Segment {
    let i = rng.usize(0..passages.len());
    let p = passages[i];
    let (start, end) = match rng.u32(0..100) {
        0..=69 => (p.start, p.end),
        70..=89 => {
            let a = rng.usize(p.start..=p.end);
            (a, rng.usize(a..=p.end))
        }
        _ => (p.start, passages.get(i + 1).map_or(p.end, |q| q.end)),
    };
    let mut seg = Segment::new(pick_code(rng, profile), start, end);
    if start == end && rng.u32(0..100) < 3 {
        let len = t.line(start).map_or(0, |l| l.chars().count());
        if len > 2 {
            let a = rng.usize(1..len);
            seg.start_col = Some(a);
            seg.end_col = Some(rng.usize(a..=len));
        }
    }
    seg.memo = memo(rng);
    seg
}

fn dedup(mut segments: Vec<Segment>, version: &Option<String>) -> Vec<Segment> {
    let mut seen = BTreeSet::new();
    segments.retain(|s| seen.insert((s.code.clone(), s.start_line, s.end_line)));
    for s in &mut segments {
        s.codebook.clone_from(version);
    }
    segments
}

/// A first coder's segments: `count` segments on the transcript's passages.
pub fn first_pass(
    rng: &mut Rng,
    t: &Transcript,
    profile: &[Slug],
    count: usize,
    version: &Option<String>,
) -> Vec<Segment> {
    let passages = passages(t);
    if passages.is_empty() || profile.is_empty() {
        return Vec::new();
    }
    let segments = (0..count)
        .map(|_| new_segment(rng, t, &passages, profile))
        .collect();
    dedup(segments, version)
}

/// A code next to `code` in the tree: a sibling, the parent or a child.
fn neighbour(rng: &mut Rng, book: &Codebook, code: &Slug) -> Option<Slug> {
    let parent = book.get(code.as_str())?.parent.clone();
    let mut near: Vec<Slug> = match &parent {
        Some(p) => book.children(p.as_str()),
        None => book.roots(),
    }
    .into_iter()
    .chain(book.children(code.as_str()))
    .filter(|c| c.status == Status::Active && c.id != *code)
    .map(|c| c.id.clone())
    .collect();
    near.extend(parent);
    (!near.is_empty()).then(|| near[rng.usize(0..near.len())].clone())
}

/// A second coder's segments, derived from the first coder's.
pub fn second_pass(
    rng: &mut Rng,
    t: &Transcript,
    first: &[Segment],
    book: &Codebook,
    profile: &[Slug],
    version: &Option<String>,
) -> Vec<Segment> {
    let last = t.line_count().max(1);
    let mut out = Vec::with_capacity(first.len());
    for s in first {
        // The code as it stands today (it may have been renamed or merged).
        let Some(code) = book.resolve(s.code.as_str()) else {
            continue;
        };
        let mut seg = Segment::new(code.id.clone(), s.start_line, s.end_line);
        match rng.u32(0..100) {
            0..=14 => continue,
            15..=29 => match neighbour(rng, book, &code.id) {
                Some(other) => seg.code = other,
                None => continue,
            },
            30..=54 => {
                let start = s.start_line as isize + rng.isize(-2..=2);
                let end = s.end_line as isize + rng.isize(-2..=2);
                seg.start_line = start.clamp(1, last as isize) as usize;
                seg.end_line = (end.clamp(1, last as isize) as usize).max(seg.start_line);
            }
            _ => {
                seg.start_col = s.start_col;
                seg.end_col = s.end_col;
            }
        }
        if code.status != Status::Active && seg.code == code.id {
            continue;
        }
        seg.memo = memo(rng);
        out.push(seg);
    }
    let passages = passages(t);
    if !passages.is_empty() && !profile.is_empty() {
        for _ in 0..first.len() / 10 {
            out.push(new_segment(rng, t, &passages, profile));
        }
    }
    dedup(out, version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Code;

    #[test]
    fn every_coder_gets_their_share_and_pairs_overlap() {
        let a = assign(&mut Rng::with_seed(2), 500, 6, 150);
        let mut load = [0; 6];
        let mut pairs = BTreeSet::new();
        for coders in &a {
            assert!((1..=2).contains(&coders.len()));
            for &c in coders {
                load[c] += 1;
            }
            if let [x, y] = coders[..] {
                pairs.insert((x.min(y), x.max(y)));
            }
        }
        assert_eq!(load, [150; 6]);
        assert_eq!(pairs.len(), 15, "every pair of coders shares transcripts");
        assert_eq!(a.iter().filter(|c| c.len() == 2).count(), 400);
    }

    #[test]
    fn second_coder_is_close_but_not_identical() {
        let text = super::super::text::transcript(
            &mut Rng::with_seed(5),
            super::super::text::Kind::Interview,
            600,
        );
        let t = Transcript::from_bytes(Slug::new("t").unwrap(), text.as_bytes()).unwrap();
        let codes: Vec<Code> = ["a", "a-x", "a-y", "b", "b-z"]
            .iter()
            .map(|id| {
                let mut c = Code::new(Slug::new(id).unwrap(), id, "d");
                c.parent = id.split_once('-').map(|(p, _)| Slug::new(p).unwrap());
                c
            })
            .collect();
        let book = Codebook::from_codes(codes);
        let mut rng = Rng::with_seed(9);
        let profile = profile(&mut rng, &book);
        let version = Some("abc".to_string());
        let first = first_pass(&mut rng, &t, &profile, 200, &version);
        assert!(first.len() > 150, "{}", first.len());
        let second = second_pass(&mut rng, &t, &first, &book, &profile, &version);
        let same = second.iter().filter(|s| first.contains(s)).count();
        assert!(
            same > first.len() / 3 && same < first.len() * 9 / 10,
            "{same}"
        );
        for s in first.iter().chain(&second) {
            assert!(1 <= s.start_line && s.start_line <= s.end_line && s.end_line <= 600);
            assert_eq!(s.codebook.as_deref(), Some("abc"));
        }
    }
}
