//! From coding to writing up: the pure part of retrieval, matrices and
//! co-occurrence. Codings become [`Hit`]s (one code on one span by one
//! coder, the code resolved to today's id); [`filter`] says which
//! transcripts a `--where` keeps; [`counts`] counts hits by code and
//! attribute or by pairs of codes; [`nearest`] suggests ids for typos;
//! [`decisions`] summarises reconciliation. The study layer reads the
//! files and applies blind coding; the CLI and the report print the same
//! values.

pub mod counts;
pub mod decisions;
pub mod filter;
pub mod nearest;

use super::codebook::Codebook;
use super::coding::{Coding, Segment};
use super::slug::Slug;

/// One code applied by one coder to lines `start..=end` of a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'a> {
    pub coder: &'a Slug,
    pub transcript: &'a Slug,
    /// The code counted: today's id (aliases and merges followed), or a
    /// parent of it with roll-up.
    pub code: &'a Slug,
    pub start: usize,
    pub end: usize,
    pub segment: &'a Segment,
}

/// The hits of one coding. A segment whose code the codebook does not know
/// is left out (`cbr check` reports it). With `rollup`, a segment also
/// counts for every ancestor of its code.
pub fn hits<'a>(
    codebook: &'a Codebook,
    coder: &'a Slug,
    coding: &'a Coding,
    rollup: bool,
    out: &mut Vec<Hit<'a>>,
) {
    for segment in &coding.segments {
        let Some(code) = codebook.resolve(segment.code.as_str()) else {
            continue;
        };
        let hit = Hit {
            coder,
            transcript: &coding.transcript,
            code: &code.id,
            start: segment.start_line,
            end: segment.end_line.max(segment.start_line),
            segment,
        };
        out.push(hit);
        if rollup {
            for parent in codebook.ancestors(code.id.as_str()) {
                out.push(Hit {
                    code: &parent.id,
                    ..hit
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Code;

    fn slug(s: &str) -> Slug {
        Slug::new(s).unwrap()
    }

    #[test]
    fn hits_resolve_aliases_and_roll_up() {
        let mut parent = Code::new(slug("violence"), "Violence", "d");
        parent.aliases = vec![];
        let mut child = Code::new(slug("verbal"), "Verbal", "d");
        child.parent = Some(slug("violence"));
        child.aliases = vec![slug("insults")];
        let cb = Codebook::from_codes([parent, child]);
        let mut coding = Coding::new(slug("t1"), "");
        coding.segments = vec![
            Segment::new(slug("insults"), 3, 4),
            Segment::new(slug("gone"), 1, 1),
        ];
        let coder = slug("alice");
        let mut out = Vec::new();
        hits(&cb, &coder, &coding, false, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code.as_str(), "verbal");
        out.clear();
        hits(&cb, &coder, &coding, true, &mut out);
        let codes: Vec<&str> = out.iter().map(|h| h.code.as_str()).collect();
        assert_eq!(codes, ["verbal", "violence"]);
    }
}
