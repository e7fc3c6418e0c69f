//! `cbr check`: validates the whole study and reports every problem with
//! its file, line and column.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::model::Slug;
use crate::model::codebook::CodebookProblem;
use crate::model::coding_parse::parse_coding;

use super::diagnostic::{Diagnostic, line_col};
use super::layout;
use super::load::{Study, as_diagnostic, list_files, read_text};

/// The located view of a coding file: just enough to point at a field.
#[derive(Deserialize)]
struct CodingSpans {
    transcript: Spanned<String>,
    #[serde(default)]
    transcript_hash: Option<Spanned<String>>,
    #[serde(default)]
    segments: Vec<SegmentSpans>,
    #[serde(default)]
    decisions: Vec<DecisionSpans>,
}

#[derive(Deserialize)]
struct DecisionSpans {
    coders: Spanned<Vec<String>>,
    start_line: Spanned<u64>,
}

#[derive(Deserialize)]
struct SegmentSpans {
    code: Spanned<String>,
    start_line: Spanned<u64>,
    end_line: Spanned<u64>,
}

/// What checking a coding needs of its transcript: kept instead of the
/// text, so memory does not grow with the size of the study.
struct Shape {
    hash: String,
    lines: usize,
}

/// Every problem in the study, sorted by file and line.
pub fn check(study: &Study) -> Vec<Diagnostic> {
    let mut out = study.problems.clone();
    out.extend(codebook_problems(study));
    let mut transcripts: BTreeMap<Slug, Option<Shape>> = BTreeMap::new();
    for id in &study.transcripts {
        match study.transcript(id) {
            Ok(t) => {
                let shape = Shape {
                    hash: t.hash().to_string(),
                    lines: t.line_count(),
                };
                transcripts.insert(id.clone(), Some(shape));
            }
            Err(e) => {
                out.push(as_diagnostic(&layout::transcript_text(id), e));
                transcripts.insert(id.clone(), None);
            }
        }
        if let Err(e) = study.meta(id) {
            out.push(as_diagnostic(&layout::transcript_meta(id), e));
        }
    }
    let mut files = Vec::new();
    for coder in &study.coders {
        let dir = Path::new(layout::CODINGS_DIR).join(coder.as_str());
        match list_files(&study.root, &dir, ".toml") {
            Ok(listed) => files.extend(listed),
            Err(e) => out.push(as_diagnostic(&dir, e)),
        }
    }
    // Parsing the coding files is most of the work: shared between the
    // cores, each file on its own (the problems are sorted below).
    let transcripts = &transcripts;
    let found = super::parallel::map_in_order(&files, |(stem, rel)| {
        let mut found = Vec::new();
        check_coding_file(study, stem, rel, transcripts, &mut found);
        found
    });
    out.extend(found.into_iter().flatten());
    out.sort();
    out.dedup();
    out
}

fn check_coding_file(
    study: &Study,
    stem: &str,
    rel: &Path,
    transcripts: &BTreeMap<Slug, Option<Shape>>,
    out: &mut Vec<Diagnostic>,
) {
    let text = match read_text(&study.root, rel) {
        Ok(text) => text,
        Err(e) => return out.push(as_diagnostic(rel, e)),
    };
    let coding = match parse_coding(&text) {
        Ok(c) => c,
        Err(e) => return out.push(Diagnostic::from_toml(rel, &text, &e)),
    };
    // Where each field sits is needed only to point at a problem, and the
    // toml crate that knows it is slow: the spans are parsed only then
    // (most files have no problem).
    let spans: OnceCell<Option<CodingSpans>> = OnceCell::new();
    let at = |span: &dyn Fn(&CodingSpans) -> Option<Range<usize>>, msg: String| {
        let start = spans
            .get_or_init(|| toml::from_str::<CodingSpans>(&text).ok())
            .as_ref()
            .and_then(span)
            .map_or(0, |s| s.start);
        let (line, col) = line_col(&text, start);
        Diagnostic::new(rel, line, col, msg)
    };
    if coding.transcript.as_str() != stem {
        out.push(at(
            &|s| Some(s.transcript.span()),
            format!(
                "this file is `{stem}.toml` but names transcript `{}`; a coding file is named after its transcript",
                coding.transcript
            ),
        ));
    }
    let transcript = match transcripts.get(&coding.transcript) {
        None => {
            return out.push(at(
                &|s| Some(s.transcript.span()),
                format!(
                    "unknown transcript `{}`: there is no transcripts/{}.txt",
                    coding.transcript, coding.transcript
                ),
            ));
        }
        Some(None) => return,
        Some(Some(t)) => t,
    };
    if coding.transcript_hash != transcript.hash {
        let span = |s: &CodingSpans| {
            Some(
                s.transcript_hash
                    .as_ref()
                    .map_or(s.transcript.span(), |h| h.span()),
            )
        };
        out.push(at(
            &span,
            format!(
                "transcript `{}` changed since it was coded (hash differs); `cbr reanchor {}` moves every coding onto the new text and queues what needs a re-check",
                coding.transcript, coding.transcript
            ),
        ));
    }
    let lines = transcript.lines;
    let consensus = rel.starts_with(Path::new(layout::CODINGS_DIR).join(crate::model::CONSENSUS));
    for (i, decision) in coding.decisions.iter().enumerate() {
        if !consensus {
            out.push(at(
                &|s| Some(s.decisions.get(i)?.coders.span()),
                "reconciliation decisions belong in codings/consensus/ files; remove this [[decisions]] entry".into(),
            ));
        }
        if decision.start_line == 0
            || decision.start_line > decision.end_line
            || decision.end_line > lines
        {
            out.push(at(
                &|s| Some(s.decisions.get(i)?.start_line.span()),
                format!(
                    "decision on lines {}-{} does not fit `{}`, which has {lines} lines",
                    decision.start_line, decision.end_line, coding.transcript
                ),
            ));
        }
    }
    for (i, seg) in coding.segments.iter().enumerate() {
        if !consensus && (seg.rationale.is_some() || seg.decided_by.is_some()) {
            out.push(at(
                &|s| Some(s.segments.get(i)?.code.span()),
                "`rationale` and `decided_by` belong to reconciled segments in codings/consensus/; move them to a memo".to_string(),
            ));
        }
        if study.codebook.resolve(seg.code.as_str()).is_none() {
            out.push(at(
                &|s| Some(s.segments.get(i)?.code.span()),
                format!(
                    "unknown code `{}`: not in the codebook nor an alias (`cbr codes` lists them)",
                    seg.code
                ),
            ));
        }
        if seg.start_line == 0 || seg.start_line > seg.end_line {
            out.push(at(
                &|s| Some(s.segments.get(i)?.start_line.span()),
                format!(
                    "bad line range {}-{}: lines are 1-based and start_line must not exceed end_line",
                    seg.start_line, seg.end_line
                ),
            ));
        } else if seg.start_col == Some(0)
            || seg.end_col == Some(0)
            || (seg.start_line == seg.end_line
                && matches!((seg.start_col, seg.end_col), (Some(a), Some(b)) if a > b))
        {
            out.push(at(
                &|s| Some(s.segments.get(i)?.start_line.span()),
                "bad column span: columns are 1-based and start_col must not exceed end_col on one line".to_string(),
            ));
        } else if seg.end_line > lines {
            out.push(at(
                &|s| Some(s.segments.get(i)?.end_line.span()),
                format!(
                    "line range {}-{} runs past the end of `{}`, which has {lines} lines",
                    seg.start_line, seg.end_line, coding.transcript
                ),
            ));
        }
    }
}

/// Where a problem about one code is best shown: the line of the field at stake.
fn codebook_problems(study: &Study) -> Vec<Diagnostic> {
    study
        .codebook
        .problems()
        .into_iter()
        .map(|problem| {
            let (code, key) = match &problem {
                CodebookProblem::UnknownParent { code, .. }
                | CodebookProblem::ParentCycle { code } => (code, "parent"),
                CodebookProblem::UnknownMergeTarget { code, .. }
                | CodebookProblem::ResolutionCycle { code } => (code, "merged_into"),
                CodebookProblem::MergedWithoutTarget { code } => (code, "status"),
                CodebookProblem::AliasShadowsCode { code, .. } => (code, "aliases"),
                CodebookProblem::AliasClaimedTwice { second, .. } => (second, "aliases"),
                CodebookProblem::UnknownColor { code, .. } => (code, "color"),
            };
            let rel = layout::code_file(code);
            let (line, col) = read_text(&study.root, &rel)
                .ok()
                .and_then(|text| key_position(&text, key))
                .unwrap_or((1, 1));
            Diagnostic::new(&rel, line, col, problem.to_string())
        })
        .collect()
}

/// 1-based line and column of the first line assigning `key`.
fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.trim_start().strip_prefix(key)?;
        rest.trim_start()
            .starts_with('=')
            .then(|| (i + 1, 1 + line.len() - line.trim_start().len()))
    })
}
