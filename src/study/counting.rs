//! `cbr matrix` and `cbr cooccur` counted transcript by transcript: each
//! transcript's codings are read (a batch at a time on every core), folded
//! into the counts and dropped, so memory holds one batch whatever the
//! size of the study. They count what [`super::analysis::select`] and
//! [`super::analysis::matrix`] count over the whole corpus, with the same
//! blind coding, codes, coders and `--where`.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::analysis::counts::{CooccurCounter, Count, Matrix, MatrixCounter};
use crate::model::analysis::hits;
use crate::model::blind::{self as rule, Visibility};
use crate::model::{CONSENSUS, Coding, Slug};

use super::analysis::{
    By, Corpus, Query, State, candidate_codes, checked, column_of, columns, parse_codings,
    read_meta, visibility,
};
use super::diagnostic::Diagnostic;
use super::error::Result;
use super::load::Study;

/// What is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Table {
    /// Code × column (`cbr matrix --by`).
    Matrix(By),
    /// Code × code (`cbr cooccur`).
    Cooccur,
}

/// A counted table and what the study told on the way.
#[derive(Debug, Clone)]
pub struct Counted {
    pub matrix: Matrix,
    /// Metadata, transcripts held back by blind coding and unreadable
    /// files, as [`Corpus::load`] gives them; no codings.
    pub corpus: Corpus<'static>,
    /// Transcripts the `--where` keeps, sorted.
    pub transcripts: Vec<Slug>,
}

enum Counter {
    Matrix {
        counter: Box<MatrixCounter>,
        column: std::collections::HashMap<String, usize>,
        by_coder: bool,
    },
    Cooccur(CooccurCounter),
}

/// Counts `table` for `query` as `viewer` sees the study (`unblind`:
/// everything).
pub fn count(
    study: &Study,
    viewer: &Slug,
    unblind: bool,
    query: &Query,
    table: &Table,
    count: Count,
) -> Result<Counted> {
    // Each transcript's coding files as (coder index, place in that
    // coder's listing): problems are reported in that order, as when
    // every coding was read at once.
    let mut files: BTreeMap<Slug, Vec<(usize, usize)>> = BTreeMap::new();
    for (c, coder) in study.coders.iter().enumerate() {
        for (i, t) in study.coded_by(coder)?.into_iter().enumerate() {
            files.entry(t).or_default().push((c, i));
        }
    }
    let (meta, meta_problems) = read_meta(study);
    let mut corpus = Corpus {
        meta,
        ..Corpus::default()
    };
    let (codes, transcripts) = checked(study, &corpus, query)?;
    let every_code = codes.is_empty();
    let (codes, deprecated): (Vec<Slug>, Vec<bool>) = if every_code {
        candidate_codes(&study.codebook).into_iter().unzip()
    } else {
        let n = codes.len();
        (codes, vec![false; n])
    };
    let mut counter = match table {
        Table::Matrix(by) => {
            let coders: BTreeSet<&str> = study
                .coders
                .iter()
                .filter(|c| query.coders.is_empty() || query.coders.contains(c))
                .map(Slug::as_str)
                .collect();
            let (cols, column) = columns(&corpus, &transcripts, coders, by)?;
            Counter::Matrix {
                counter: Box::new(MatrixCounter::new(&codes, cols, count)),
                column,
                by_coder: matches!(by, By::Coder),
            }
        }
        Table::Cooccur => Counter::Cooccur(CooccurCounter::new(&codes, count)),
    };
    let kept: BTreeSet<&Slug> = transcripts.iter().collect();
    let blind = study.config.blind && !unblind;
    let mut problems: Vec<((usize, usize), Diagnostic)> = Vec::new();
    let groups: Vec<(Slug, Vec<(usize, usize)>)> = files.into_iter().collect();
    for batch in groups.chunks(super::parallel::threads() * 4) {
        let pairs: Vec<(Slug, Slug)> = batch
            .iter()
            .flat_map(|(t, cs)| {
                cs.iter()
                    .map(|&(c, _)| (study.coders[c].clone(), t.clone()))
            })
            .collect();
        let mut parsed = parse_codings(study, &pairs).into_iter();
        for (t, cs) in batch {
            let mut row: Vec<(&Slug, Coding)> = Vec::new();
            for &(c, i) in cs {
                match parsed.next().expect("one result per file") {
                    Ok(Some(coding)) => row.push((&study.coders[c], coding)),
                    Ok(None) => {}
                    Err(d) => problems.push(((c, i), d)),
                }
            }
            if blind {
                let state = state(study, t, cs, &row);
                row.retain(
                    |(owner, coding)| match visibility(viewer, owner, Some(&state)) {
                        Visibility::Visible(_) => true,
                        Visibility::Hidden { waiting_for } => {
                            corpus.hidden.insert(coding.transcript.clone(), waiting_for);
                            false
                        }
                    },
                );
            }
            let mut found = Vec::new();
            for (coder, coding) in &row {
                if (query.coders.is_empty() || query.coders.contains(coder))
                    && kept.contains(&coding.transcript)
                {
                    hits(&study.codebook, coder, coding, query.rollup, &mut found);
                }
            }
            match &mut counter {
                Counter::Matrix {
                    counter,
                    column,
                    by_coder,
                } => counter.add(&found, |h| column_of(column, *by_coder, h)),
                Counter::Cooccur(counter) => counter.add(&found),
            }
        }
    }
    let matrix = match counter {
        Counter::Matrix {
            counter, by_coder, ..
        } => {
            let rows: Vec<bool> = deprecated
                .iter()
                .zip(counter.used_rows())
                .map(|(d, used)| !d || *used)
                .collect();
            let used_columns = counter.used_columns().to_vec();
            let mut m = counter.finish();
            if every_code {
                m.retain_rows(&rows, false);
            }
            if by_coder {
                m.retain_columns(&used_columns);
            }
            m
        }
        Counter::Cooccur(counter) => {
            let mut m = counter.finish();
            if every_code {
                let rows: Vec<bool> = deprecated
                    .iter()
                    .zip(&m.totals)
                    .map(|(d, total)| !d || *total > 0)
                    .collect();
                m.retain_rows(&rows, true);
            }
            m
        }
    };
    problems.sort_by_key(|(at, _)| *at);
    corpus.problems = problems.into_iter().map(|(_, d)| d).collect();
    corpus.problems.extend(meta_problems);
    Ok(Counted {
        matrix,
        corpus,
        transcripts,
    })
}

/// Transcript `t`'s blind-coding progress from its coding files `cs` and
/// the readable codings in `row`, as the whole-corpus reading computes
/// it: a file that could not be read still makes its coder "has a file,
/// not complete".
fn state(study: &Study, t: &Slug, cs: &[(usize, usize)], row: &[(&Slug, Coding)]) -> State {
    let coders = cs.iter().map(|&(c, _)| &study.coders[c]);
    let with_file: Vec<Slug> = coders
        .clone()
        .filter(|c| c.as_str() != CONSENSUS)
        .cloned()
        .collect();
    let started = coders.clone().any(|c| c.as_str() == CONSENSUS);
    let complete = row
        .iter()
        .filter(|(c, coding)| coding.complete && c.as_str() != CONSENSUS && &coding.transcript == t)
        .map(|(c, _)| (*c).clone())
        .collect();
    (
        rule::assigned(&study.config.coders, &with_file),
        complete,
        started,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::analysis::{self, select};
    use crate::study::generate::{self, Options as Size};

    /// Counted a transcript at a time, the tables are what the whole corpus
    /// held in memory at once gives, blind or not, for every count.
    #[test]
    fn streaming_equals_the_whole_corpus_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let size = Size {
            transcripts: 40,
            lines: 40,
            codes: 20,
            coders: 3,
            per_coder: 25,
            history: 40,
            ..Size::default()
        };
        generate::generate(&dir.path().join("s"), &size, &mut |_| {}).unwrap();
        let study = Study::open(&dir.path().join("s")).unwrap();
        let viewer = study.coders[0].clone();
        let query = Query::default();
        for unblind in [false, true] {
            let corpus = Corpus::load(&study, &viewer, unblind).unwrap();
            let sel = select(&study, &corpus, &query).unwrap();
            for count in [Count::Segments, Count::Transcripts, Count::Lines] {
                for by in [By::Transcript, By::Coder, By::Key("city".into())] {
                    let whole = analysis::matrix(&corpus, &sel, &by, count).unwrap();
                    let table = Table::Matrix(by);
                    let c = super::count(&study, &viewer, unblind, &query, &table, count);
                    let c = c.unwrap();
                    assert_eq!(c.matrix, whole, "{table:?} {count:?}");
                    assert!(whole.max() > 0);
                    assert_eq!(c.corpus.hidden, corpus.hidden);
                }
                let whole = analysis::cooccur(&sel, count);
                let c = super::count(&study, &viewer, unblind, &query, &Table::Cooccur, count);
                assert_eq!(c.unwrap().matrix, whole, "cooccur {count:?}");
            }
        }
    }
}
