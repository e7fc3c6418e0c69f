//! Everything `cbr report` puts in a methods report, gathered from the same
//! functions as the commands that show each part: the codebook at a
//! release ([`super::versions`]), the changelog since the previous release
//! ([`super::changelog`], as `cbr changelog`), agreement per code
//! ([`super::agreement`], as `cbr agree`) and per release
//! ([`super::release_agreement`], as `cbr agree --by-release`), code
//! frequencies ([`super::analysis`], as `cbr matrix --by coder`) and the
//! reconciliation summary ([`crate::model::analysis::decisions`]).

use std::collections::BTreeMap;

use git2::Oid;
use serde::Serialize;

use crate::model::agreement::report::Overall;
use crate::model::agreement::{Options, Report};
use crate::model::analysis::counts::{Count, Matrix};
use crate::model::analysis::decisions::{self, Summary};
use crate::model::analysis::filter;
use crate::model::{CONSENSUS, Code, Codebook, Slug, UnitKind};

use super::analysis::{self, By, Corpus, Query};
use super::changelog::{Endpoint, changelog};
use super::error::{Result, StudyError};
use super::history::releases;
use super::load::Study;
use super::versions::{codebook_at, main_tip};
use super::{agreement, blind, git, release_agreement};

/// One coder's work, as the viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoderRow {
    pub coder: Slug,
    pub transcripts: usize,
    pub complete: usize,
    pub segments: usize,
}

/// One transcript: its metadata and who completed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranscriptRow {
    pub transcript: Slug,
    pub lines: usize,
    pub meta: BTreeMap<String, String>,
    pub complete_by: Vec<Slug>,
}

/// One release's pooled agreement (`None`: nothing coded under it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReleaseRow {
    pub release: String,
    pub transcripts: Vec<Slug>,
    pub overall: Option<Overall>,
}

/// The whole report's content; the HTML, Markdown and JSON show this.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodsReport {
    pub title: String,
    /// The release reported on, or `main` when the study has none.
    pub release: String,
    /// The release before it, where the changelog starts.
    pub previous: Option<String>,
    pub released_on: Option<i64>,
    pub unit: UnitKind,
    pub blind: bool,
    pub coders: Vec<CoderRow>,
    pub transcripts: Vec<TranscriptRow>,
    /// The codebook at the release, in tree order (depth, code).
    pub codebook: Vec<(usize, Code)>,
    /// Markdown, exactly as `cbr changelog PREVIOUS..RELEASE` prints it.
    pub changelog: String,
    /// `None` when fewer than two coders completed any transcript.
    pub agreement: Option<Report>,
    pub by_release: Vec<ReleaseRow>,
    pub unplaced: Vec<(Slug, String)>,
    /// Segments per code and coder (`cbr matrix --by coder`).
    pub frequencies: Matrix,
    pub reconciliation: Summary,
    /// What blind coding held back, if anything.
    pub hidden_note: Option<String>,
}

/// The release reported on and the one before it.
struct Picked {
    label: String,
    commit: Oid,
    previous: Option<(String, Oid)>,
    released_on: Option<i64>,
}

/// The release asked for (or the latest; `main` when there is none), and
/// the one before it.
fn pick_release(repo: &git2::Repository, name: Option<&str>) -> Result<Picked> {
    let all = releases(repo)?;
    let index = match name {
        Some(n) => Some(all.iter().position(|r| r.name == n).ok_or_else(|| {
            StudyError::NotFound(format!(
                "no release `{}` (releases: {}; `cbr release NAME` makes one)",
                crate::model::text::inert(n),
                if all.is_empty() {
                    "none yet".to_string()
                } else {
                    all.iter()
                        .map(|r| r.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ))
        })?),
        None => all.len().checked_sub(1),
    };
    match index {
        None => Ok(Picked {
            label: "main".into(),
            commit: main_tip(repo)?,
            previous: None,
            released_on: None,
        }),
        Some(i) => {
            let r = &all[i];
            let previous = match i.checked_sub(1) {
                Some(p) => Some((all[p].name.clone(), Oid::from_str(&all[p].commit)?)),
                None => None,
            };
            Ok(Picked {
                label: r.name.clone(),
                commit: Oid::from_str(&r.commit)?,
                previous,
                released_on: Some(r.when),
            })
        }
    }
}

/// Gathers the report as `viewer` may see it. Agreement follows `cbr
/// agree`: in a blind study it is refused while a compared transcript
/// waits for someone, unless `unblind`.
pub fn gather(
    study: &Study,
    viewer: &Slug,
    release: Option<&str>,
    unblind: bool,
) -> Result<MethodsReport> {
    let repo = git::open(&study.root)?;
    let Picked {
        label,
        commit,
        previous,
        released_on,
    } = pick_release(&repo, release)?;
    let codebook: Codebook = codebook_at(&repo, commit)?.codebook;
    let from = previous.as_ref().map(|(l, c)| Endpoint {
        label: l,
        commit: *c,
    });
    let changes = changelog(
        &repo,
        from.as_ref(),
        &Endpoint {
            label: &label,
            commit,
        },
    )?;

    let coders = agreement::default_coders(study);
    let options = Options {
        unit: study.config.unit,
        rollup: false,
        coded_only: false,
    };
    // The three reads of the codings are independent: on a large study
    // each takes a good part of a second, so they run side by side.
    let (corpus, agreement, by) = std::thread::scope(|scope| {
        let agreement = scope.spawn(|| -> Result<Option<Report>> {
            if coders.len() < 2 {
                return Ok(None);
            }
            let report = agreement::report(study, &coders, &[], options)?;
            blind::check_reveal(study, &coders, &report.transcripts, unblind)?;
            Ok(Some(report).filter(|r| !r.transcripts.is_empty()))
        });
        let by = scope.spawn(|| {
            if coders.len() < 2 {
                Ok(Default::default())
            } else {
                release_agreement::by_release(study, &coders, options)
            }
        });
        let corpus = Corpus::load(study, viewer, unblind);
        (
            corpus,
            agreement
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            by.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
        )
    });
    let (corpus, agreement, by) = (corpus?, agreement?, by?);
    let shown: Vec<Slug> = by.eras.iter().flat_map(|e| e.transcripts.clone()).collect();
    blind::check_reveal(study, &coders, &shown, unblind)?;

    let selection = analysis::select(study, &corpus, &Query::default())?;
    let frequencies = analysis::matrix(&corpus, &selection, &By::Coder, Count::Segments)?;

    let mut coder_rows = Vec::new();
    for coder in &study.coders {
        let mine: Vec<_> = corpus.codings.iter().filter(|(c, _)| c == coder).collect();
        if mine.is_empty() {
            continue;
        }
        coder_rows.push(CoderRow {
            coder: coder.clone(),
            transcripts: mine.len(),
            complete: mine.iter().filter(|(_, c)| c.complete).count(),
            segments: mine.iter().map(|(_, c)| c.segments.len()).sum(),
        });
    }
    let mut transcripts = Vec::new();
    for id in &study.transcripts {
        let meta = corpus
            .meta
            .get(id)
            .and_then(Option::as_ref)
            .map(|m| {
                filter::keys(m)
                    .into_iter()
                    .filter_map(|k| filter::value(m, &k).map(|v| (k, v)))
                    .collect()
            })
            .unwrap_or_default();
        let complete_by = corpus
            .codings
            .iter()
            .filter(|(c, coding)| {
                &coding.transcript == id && coding.complete && c.as_str() != CONSENSUS
            })
            .map(|(c, _)| c.clone())
            .collect();
        transcripts.push(TranscriptRow {
            transcript: id.clone(),
            lines: study.transcript(id)?.line_count(),
            meta,
            complete_by,
        });
    }
    let reconciliation = decisions::summary(
        corpus
            .codings
            .iter()
            .filter(|(c, _)| c.as_str() == CONSENSUS)
            .map(|(_, coding)| coding),
    );
    Ok(MethodsReport {
        title: study.config.title.clone(),
        release: label,
        previous: previous.map(|(l, _)| l),
        released_on,
        unit: study.config.unit,
        blind: study.config.blind,
        coders: coder_rows,
        transcripts,
        codebook: codebook
            .tree()
            .into_iter()
            .map(|(depth, c)| (depth, c.clone()))
            .collect(),
        changelog: changes,
        agreement,
        by_release: by
            .eras
            .into_iter()
            .map(|e| ReleaseRow {
                release: e.label,
                transcripts: e.transcripts,
                overall: e.overall,
            })
            .collect(),
        unplaced: by.unplaced,
        frequencies,
        reconciliation,
        hidden_note: corpus.hidden_note(),
    })
}
