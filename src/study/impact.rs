//! The impact of a codebook change on the coding done so far: for each
//! affected code, each coder's segments with the passages they cover, so a
//! reviewer sees what a new definition would mean for real data.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Slug, Transcript};

use super::diagnostic::Diagnostic;
use super::layout;
use super::load::{Study, as_diagnostic};

/// One coded passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    pub transcript: Slug,
    pub start_line: usize,
    pub end_line: usize,
    /// The code as written in the coding file (maybe an old id).
    pub coded_as: Slug,
    /// The lines, joined by newlines (empty if the transcript is unreadable).
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoderImpact {
    pub coder: Slug,
    pub passages: Vec<Passage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeImpact {
    pub code: Slug,
    /// Coders who applied the code, in id order; coders who never did are absent.
    pub coders: Vec<CoderImpact>,
}

impl CodeImpact {
    pub fn segments(&self) -> usize {
        self.coders.iter().map(|c| c.passages.len()).sum()
    }

    /// Each coder's count, `alice 3` joined by `sep`, or "no segments".
    pub fn per_coder(&self, sep: &str) -> String {
        if self.coders.is_empty() {
            return "no segments".to_string();
        }
        let per: Vec<String> = self
            .coders
            .iter()
            .map(|c| format!("{} {}", c.coder, c.passages.len()))
            .collect();
        per.join(sep)
    }
}

/// Segments applied to each of `codes` (directly or through an alias or
/// merge), per coder. Unreadable coding files are returned as problems.
pub fn impact(study: &Study, codes: &[Slug]) -> (Vec<CodeImpact>, Vec<Diagnostic>) {
    let (codings, mut problems) = study.all_codings();
    let (out, unreadable) = impact_in(study, &codings, codes);
    problems.extend(unreadable);
    (out, problems)
}

/// The same over `codings` already read (e.g. only those a coder may see
/// in a blind study). Unreadable transcripts are returned as problems.
pub fn impact_in(
    study: &Study,
    codings: &[(Slug, crate::model::Coding)],
    codes: &[Slug],
) -> (Vec<CodeImpact>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut transcripts: BTreeMap<Slug, Option<Transcript>> = BTreeMap::new();
    let mut found: BTreeMap<(Slug, Slug), Vec<Passage>> = BTreeMap::new();
    for (coder, coding) in codings {
        for seg in &coding.segments {
            let resolved = study.codebook.resolve(seg.code.as_str()).map(|c| &c.id);
            let Some(code) = codes
                .iter()
                .find(|c| **c == seg.code || Some(*c) == resolved)
            else {
                continue;
            };
            let transcript = transcripts
                .entry(coding.transcript.clone())
                .or_insert_with(|| match study.transcript(&coding.transcript) {
                    Ok(t) => Some(t),
                    Err(e) => {
                        let rel = layout::transcript_text(&coding.transcript);
                        problems.push(as_diagnostic(&rel, e));
                        None
                    }
                });
            let text = transcript
                .as_ref()
                .map(|t| {
                    (seg.start_line..=seg.end_line)
                        .filter_map(|n| t.line(n))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default();
            found
                .entry((code.clone(), coder.clone()))
                .or_default()
                .push(Passage {
                    transcript: coding.transcript.clone(),
                    start_line: seg.start_line,
                    end_line: seg.end_line,
                    coded_as: seg.code.clone(),
                    text,
                    memo: seg.memo.clone(),
                });
        }
    }
    let out = codes
        .iter()
        .map(|code| CodeImpact {
            code: code.clone(),
            coders: found
                .iter()
                .filter(|((c, _), _)| c == code)
                .map(|((_, coder), passages)| CoderImpact {
                    coder: coder.clone(),
                    passages: passages.clone(),
                })
                .collect(),
        })
        .collect();
    (out, problems)
}
