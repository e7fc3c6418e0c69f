//! Agreement over a generated study the size of a large project: 500
//! transcripts of 1,000 lines, 300 codes in a three-level hierarchy, 6
//! coders, about 300,000 segments. Prints how long each step takes; run
//! with `cargo bench --bench agreement`.

use std::time::Instant;

use codebook_review::model::agreement::{Options, Report, Source, judge};
use codebook_review::model::disagreement::passages;
use codebook_review::model::{Code, Codebook, Coding, Segment, Slug, Transcript, UnitKind};

const TRANSCRIPTS: usize = 500;
const LINES: usize = 1_000;
const CODES: usize = 300;
const CODERS: usize = 6;
const SEGMENTS_PER_CODING: usize = 100;

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn slug(s: String) -> Slug {
    Slug::new(&s).expect("generated ids are slugs")
}

fn main() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let codebook = Codebook::from_codes((0..CODES).map(|i| {
        let mut code = Code::new(slug(format!("code-{i}")), "c", "d");
        // Codes 10.. have a parent among the codes before them.
        if i >= 10 {
            code.parent = Some(slug(format!("code-{}", i / 10)));
        }
        code
    }));
    let transcripts: Vec<Transcript> = (0..TRANSCRIPTS)
        .map(|t| {
            let text: String = (0..LINES)
                .map(|l| match l % 7 {
                    0 => "INT: question ?\n".to_string(),
                    1 => format!("P: réponse {l}\n"),
                    3 => "\n".to_string(),
                    _ => format!("suite de la réponse {l}\n"),
                })
                .collect();
            Transcript::from_bytes(slug(format!("t-{t}")), text.as_bytes()).unwrap()
        })
        .collect();
    let coders: Vec<Slug> = (0..CODERS).map(|c| slug(format!("coder-{c}"))).collect();
    let mut codings: Vec<Vec<Coding>> = Vec::new();
    let mut segments = 0;
    for t in &transcripts {
        let row = (0..CODERS)
            .map(|_| {
                let mut c = Coding::new(t.id.clone(), t.hash());
                c.complete = rng.below(10) != 0;
                c.segments = (0..SEGMENTS_PER_CODING)
                    .map(|_| {
                        let start = 1 + rng.below(LINES - 10);
                        let code = slug(format!("code-{}", rng.below(CODES)));
                        Segment::new(code, start, start + rng.below(6))
                    })
                    .collect();
                segments += c.segments.len();
                c
            })
            .collect();
        codings.push(row);
    }
    let sources: Vec<Source> = transcripts
        .iter()
        .zip(&codings)
        .map(|(transcript, row)| Source {
            transcript,
            codings: row.iter().map(Some).collect(),
        })
        .collect();
    println!(
        "{TRANSCRIPTS} transcripts × {LINES} lines, {CODES} codes, {CODERS} coders, {segments} segments"
    );
    for (label, options) in [
        ("lines", Options::default()),
        (
            "lines, --rollup --coded-only",
            Options {
                rollup: true,
                coded_only: true,
                ..Options::default()
            },
        ),
        (
            "turns",
            Options {
                unit: UnitKind::Turn,
                ..Options::default()
            },
        ),
    ] {
        let start = Instant::now();
        let judgments = judge(&codebook, &coders, &sources, options).unwrap();
        let judged = start.elapsed();
        let report = Report::new(&judgments);
        println!(
            "agreement ({label}): judgments {judged:.2?}, report {:.2?}; {} units, {} codes, alpha {:?}",
            start.elapsed() - judged,
            report.overall.metrics.units,
            report.codes.len(),
            report.overall.metrics.krippendorff_alpha,
        );
    }
    let start = Instant::now();
    let hunks: usize = transcripts
        .iter()
        .zip(&codings)
        .map(|(t, row)| passages(t, &codebook, Some(&row[0]), Some(&row[1])).len())
        .sum();
    println!(
        "disagreement passages between two coders: {hunks} in {:.2?}",
        start.elapsed()
    );
}
