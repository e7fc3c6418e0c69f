//! The study side of retrieval, matrices and co-occurrence: reads every
//! coding and transcript metadata once, keeps what blind coding lets the
//! viewer see (the rule of [`crate::model::blind`], as the Codebook tab
//! applies it: your own work always, others' once a transcript is
//! revealed, everything with `--unblind`), checks the user's codes, coders
//! and `--where`, and hands hits to [`crate::model::analysis`]. `cbr
//! quotes`, `cbr matrix`, `cbr cooccur` and `cbr report` all go through
//! here, so they count the same things.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::analysis::counts::{self, Count, Matrix};
use crate::model::analysis::filter::{self, Where};
use crate::model::analysis::nearest::nearest;
use crate::model::analysis::{Hit, hits};
use crate::model::blind::{self as rule, Progress, Visibility, join_names};
use crate::model::metadata::TranscriptMeta;
use crate::model::{CONSENSUS, Codebook, Coding, Slug, Status};

use super::diagnostic::Diagnostic;
use super::error::{Result, StudyError};
use super::load::Study;
use super::{agreement, layout};

/// Everything an analysis reads, once.
#[derive(Debug, Clone, Default)]
pub struct Corpus<'a> {
    /// The codings the viewer may see, as (coder, coding): read for this
    /// analysis, or borrowed from a TUI session that holds them already.
    pub codings: Cow<'a, [(Slug, Coding)]>,
    /// Every transcript's metadata (`None`: no `.toml`).
    pub meta: BTreeMap<Slug, Option<TranscriptMeta>>,
    /// Transcripts whose other coders' work was held back, with whom the
    /// team still waits for.
    pub hidden: BTreeMap<Slug, Vec<Slug>>,
    /// Coding and metadata files that could not be read (left out).
    pub problems: Vec<Diagnostic>,
}

impl Corpus<'_> {
    /// Reads the study as `viewer` sees it; `unblind` shows everything.
    pub fn load(study: &Study, viewer: &Slug, unblind: bool) -> Result<Corpus<'static>> {
        let (mut codings, mut problems) = read_codings(study)?;
        let (meta, unreadable) = read_meta(study);
        problems.extend(unreadable);
        let mut hidden = BTreeMap::new();
        if study.config.blind && !unblind {
            let states = progress(study, &codings)?;
            codings.retain(|(owner, coding)| {
                let seen = visibility(viewer, owner, states.get(&coding.transcript));
                match seen {
                    Visibility::Visible(_) => true,
                    Visibility::Hidden { waiting_for } => {
                        hidden.insert(coding.transcript.clone(), waiting_for);
                        false
                    }
                }
            });
        }
        Ok(Corpus {
            codings: Cow::Owned(codings),
            meta,
            hidden,
            problems,
        })
    }

    /// "Blind coding: others' segments on interview-03 (waiting for
    /// alice and bob) are left out; --unblind shows them."
    pub fn hidden_note(&self) -> Option<String> {
        if self.hidden.is_empty() {
            return None;
        }
        let named: Vec<String> = self
            .hidden
            .iter()
            .map(|(t, waiting)| match waiting.is_empty() {
                true => t.to_string(),
                false => format!("{t} (waiting for {})", join_names(waiting)),
            })
            .collect();
        Some(format!(
            "Blind coding: other coders' segments on {} are left out until every assigned coder completes it; --unblind shows them.",
            named.join(", ")
        ))
    }

    pub fn metas(&self) -> impl Iterator<Item = &TranscriptMeta> + Clone {
        self.meta.values().flatten()
    }
}

/// Every transcript's metadata (`None`: no `.toml`, or one that could not
/// be read, which is also a problem). The Codebook tab's retrieval builds
/// its [`Corpus`] from this and the codings it already holds.
pub fn read_meta(study: &Study) -> (BTreeMap<Slug, Option<TranscriptMeta>>, Vec<Diagnostic>) {
    let mut meta = BTreeMap::new();
    let mut problems = Vec::new();
    for id in &study.transcripts {
        let rel = layout::transcript_meta(id);
        // Study files are untrusted: a link or special file is not read.
        if std::fs::symlink_metadata(study.root.join(&rel)).is_ok_and(|m| !m.is_file()) {
            problems.push(Diagnostic::new(
                &rel,
                1,
                1,
                "not a regular file (a link?); replace it with a plain TOML file",
            ));
            meta.insert(id.clone(), None);
            continue;
        }
        match study.meta(id) {
            Ok(m) => {
                meta.insert(id.clone(), m);
            }
            Err(e) => {
                problems.push(super::load::as_diagnostic(&rel, e));
                meta.insert(id.clone(), None);
            }
        }
    }
    (meta, problems)
}

/// Whether `viewer` sees `owner`'s coding of a transcript in `state`
/// (`None`: nobody's progress is recorded, nothing to hide).
pub(super) fn visibility(viewer: &Slug, owner: &Slug, state: Option<&State>) -> Visibility {
    match state {
        Some((assigned, complete, started)) => rule::can_see(
            true,
            viewer,
            owner,
            &Progress {
                assigned,
                complete,
                reconciliation_started: *started,
            },
        ),
        None => Visibility::Visible(rule::Revealed::NothingToHide),
    }
}

/// (coder, coding) pairs.
type Codings = Vec<(Slug, Coding)>;

/// Every readable coding file as (coder, coding), in coder then transcript
/// order, as [`Study::all_codings`] gives them; parsing (most of the cost
/// on a large study) is shared between the machine's cores.
fn read_codings(study: &Study) -> Result<(Codings, Vec<Diagnostic>)> {
    let mut files: Vec<(Slug, Slug)> = Vec::new();
    for coder in &study.coders {
        files.extend(
            study
                .coded_by(coder)?
                .into_iter()
                .map(|t| (coder.clone(), t)),
        );
    }
    let parsed = parse_codings(study, &files);
    let mut codings = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for ((coder, _), result) in files.iter().zip(parsed) {
        match result {
            Ok(Some(coding)) => codings.push((coder.clone(), coding)),
            Ok(None) => {}
            Err(d) => problems.push(d),
        }
    }
    Ok((codings, problems))
}

/// Parses each (coder, transcript) coding file, shared between the
/// machine's cores, in the order given.
pub(super) fn parse_codings(
    study: &Study,
    files: &[(Slug, Slug)],
) -> Vec<std::result::Result<Option<Coding>, Diagnostic>> {
    super::parallel::map_in_order(files, |(coder, t)| {
        study
            .coding(coder, t)
            .map_err(|e| super::load::as_diagnostic(&layout::coding_file(coder, t), e))
    })
}

pub(super) type State = (Vec<Slug>, Vec<Slug>, bool);

/// Each coded transcript's blind-coding progress, as
/// [`super::blind::progress`] reads it, from codings already in memory: a
/// coding file that could not be read still makes its coder "has a file,
/// not complete" (when in doubt, stay blind).
fn progress(study: &Study, codings: &[(Slug, Coding)]) -> Result<HashMap<Slug, State>> {
    let mut with_file: HashMap<Slug, Vec<Slug>> = HashMap::new();
    let mut started: BTreeSet<Slug> = BTreeSet::new();
    for coder in &study.coders {
        for t in study.coded_by(coder)? {
            if coder.as_str() == CONSENSUS {
                started.insert(t);
            } else {
                with_file.entry(t).or_default().push(coder.clone());
            }
        }
    }
    let mut complete: HashMap<&Slug, Vec<Slug>> = HashMap::new();
    for (coder, c) in codings {
        if c.complete && coder.as_str() != CONSENSUS {
            complete
                .entry(&c.transcript)
                .or_default()
                .push(coder.clone());
        }
    }
    let mut out = HashMap::new();
    for t in with_file.keys().chain(started.iter()) {
        let files = with_file.get(t).map(Vec::as_slice).unwrap_or(&[]);
        out.insert(
            t.clone(),
            (
                rule::assigned(&study.config.coders, files),
                complete.get(t).cloned().unwrap_or_default(),
                started.contains(t),
            ),
        );
    }
    Ok(out)
}

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Codes as typed (ids, old ids, aliases); empty: every code.
    pub codes: Vec<String>,
    /// Only these coders' codings (`consensus` included); empty: all.
    pub coders: Vec<Slug>,
    pub filter: Where,
    /// A sub-code's segment also counts for its parents.
    pub rollup: bool,
}

/// The codes, transcripts and hits a query selects.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    pub codes: Vec<Slug>,
    /// Transcripts the `--where` keeps, sorted.
    pub transcripts: Vec<Slug>,
    pub hits: Vec<Hit<'a>>,
}

/// Today's id for each code typed, refusing an unknown one with the
/// nearest ids and aliases.
pub fn resolve_codes(codebook: &Codebook, typed: &[String]) -> Result<Vec<Slug>> {
    let mut out: Vec<Slug> = Vec::new();
    for t in typed {
        let Some(code) = codebook.resolve(t.trim()) else {
            let names = codebook
                .codes
                .values()
                .flat_map(|c| std::iter::once(&c.id).chain(&c.aliases))
                .map(Slug::as_str);
            let near = nearest(t.trim(), names, 5);
            let hint = if near.is_empty() {
                "`cbr codes` lists them".to_string()
            } else {
                format!("did you mean {}? (`cbr codes` lists them)", near.join(", "))
            };
            return Err(StudyError::NotFound(format!(
                "no code or alias `{}` in the codebook; {hint}",
                crate::model::text::inert(t.trim())
            )));
        };
        if !out.contains(&code.id) {
            out.push(code.id.clone());
        }
    }
    Ok(out)
}

/// Every code worth a row, in tree order: active codes, and deprecated
/// ones that were applied (merged codes count as their target).
fn all_codes(codebook: &Codebook, hits: &[Hit<'_>]) -> Vec<Slug> {
    let used: BTreeSet<&str> = hits.iter().map(|h| h.code.as_str()).collect();
    candidate_codes(codebook)
        .into_iter()
        .filter(|(id, deprecated)| !deprecated || used.contains(id.as_str()))
        .map(|(id, _)| id)
        .collect()
}

/// The codes that may have a row, in tree order, each with whether it is
/// deprecated (a row only if applied).
pub(super) fn candidate_codes(codebook: &Codebook) -> Vec<(Slug, bool)> {
    codebook
        .tree()
        .into_iter()
        .map(|(_, c)| c)
        .filter(|c| c.status != Status::Merged)
        .map(|c| (c.id.clone(), c.status == Status::Deprecated))
        .collect()
}

/// The codes typed (today's ids; none: every code) and the transcripts
/// the `--where` keeps, once the query's codes, coders and `--where` are
/// checked.
pub(super) fn checked(
    study: &Study,
    corpus: &Corpus<'_>,
    query: &Query,
) -> Result<(Vec<Slug>, Vec<Slug>)> {
    let codes = resolve_codes(&study.codebook, &query.codes)?;
    agreement::check_coders(study, &query.coders)?;
    query
        .filter
        .check(corpus.metas())
        .map_err(StudyError::Refused)?;
    let transcripts = corpus
        .meta
        .iter()
        .filter(|(_, m)| query.filter.keeps(m.as_ref()))
        .map(|(t, _)| t.clone())
        .collect();
    Ok((codes, transcripts))
}

/// Applies a query to the corpus.
pub fn select<'a>(
    study: &'a Study,
    corpus: &'a Corpus<'_>,
    query: &Query,
) -> Result<Selection<'a>> {
    let (mut codes, transcripts) = checked(study, corpus, query)?;
    let kept: BTreeSet<&Slug> = transcripts.iter().collect();
    let mut all = Vec::new();
    for (coder, coding) in corpus.codings.iter() {
        if (query.coders.is_empty() || query.coders.contains(coder))
            && kept.contains(&coding.transcript)
        {
            hits(&study.codebook, coder, coding, query.rollup, &mut all);
        }
    }
    if codes.is_empty() {
        codes = all_codes(&study.codebook, &all);
    }
    let wanted: BTreeSet<&Slug> = codes.iter().collect();
    all.retain(|h| wanted.contains(h.code));
    Ok(Selection {
        codes,
        transcripts,
        hits: all,
    })
}

/// What a matrix's columns are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum By {
    /// A metadata key (`city`, `kind`, `role`, the team's own).
    Key(String),
    Transcript,
    Coder,
}

/// The code × column matrix of a selection.
pub fn matrix(
    corpus: &Corpus<'_>,
    selection: &Selection<'_>,
    by: &By,
    count: Count,
) -> Result<Matrix> {
    let coders: BTreeSet<&str> = selection.hits.iter().map(|h| h.coder.as_str()).collect();
    let (columns, column) = columns(corpus, &selection.transcripts, coders, by)?;
    let by_coder = matches!(by, By::Coder);
    Ok(counts::matrix(
        &selection.hits,
        &selection.codes,
        columns,
        |h| column_of(&column, by_coder, h),
        count,
    ))
}

/// Which column a hit falls in.
pub(super) fn column_of(
    column: &HashMap<String, usize>,
    by_coder: bool,
    h: &Hit<'_>,
) -> Option<usize> {
    let key = if by_coder {
        h.coder.as_str()
    } else {
        h.transcript.as_str()
    };
    column.get(key).copied()
}

/// A matrix's columns, and each transcript's (or with `--by coder`, each
/// coder's) column index; `coders` are the coders that may have a column.
pub(super) fn columns(
    corpus: &Corpus<'_>,
    transcripts: &[Slug],
    coders: BTreeSet<&str>,
    by: &By,
) -> Result<(Vec<String>, HashMap<String, usize>)> {
    Ok(match by {
        By::Transcript => {
            let cols: Vec<String> = transcripts.iter().map(Slug::to_string).collect();
            let idx = transcripts
                .iter()
                .enumerate()
                .map(|(i, t)| (t.to_string(), i))
                .collect();
            (cols, idx)
        }
        By::Coder => {
            let cols: Vec<String> = coders.iter().map(|c| c.to_string()).collect();
            let idx = coders
                .iter()
                .enumerate()
                .map(|(i, c)| (c.to_string(), i))
                .collect();
            (cols, idx)
        }
        By::Key(key) => {
            let keys = filter::study_keys(corpus.metas());
            if !keys.contains(filter_key(key)) {
                return Err(StudyError::InvalidInput(format!(
                    "--by {key}: no transcript has this metadata (keys in this study: {}; or transcript, coder)",
                    if keys.is_empty() {
                        "none".to_string()
                    } else {
                        keys.into_iter().collect::<Vec<_>>().join(", ")
                    }
                )));
            }
            let values = filter::column_of(
                transcripts
                    .iter()
                    .map(|t| (t, corpus.meta.get(t).and_then(Option::as_ref))),
                key,
            );
            let distinct: BTreeSet<&String> = values.values().collect();
            let cols: Vec<String> = distinct.iter().map(|v| v.to_string()).collect();
            let idx = transcripts
                .iter()
                .map(|t| {
                    let v = &values[t];
                    (t.to_string(), cols.iter().position(|c| c == v).unwrap_or(0))
                })
                .collect();
            (cols, idx)
        }
    })
}

fn filter_key(key: &str) -> &str {
    if key == "role" {
        "participant_role"
    } else {
        key
    }
}

/// The co-occurrence of a selection's codes.
pub fn cooccur(selection: &Selection<'_>, count: Count) -> Matrix {
    counts::cooccur(&selection.hits, &selection.codes, count)
}
