//! Agreement over a study: reads the transcripts and the chosen coders'
//! codings, and hands them to the model's judgments and report.

use crate::model::agreement::bootstrap::Settings;
use crate::model::agreement::{Options, Report, Source, judge};
use crate::model::{CONSENSUS, Coding, Slug, Transcript};

use super::error::{Result, StudyError};
use super::load::Study;

/// Every coder with a folder under `codings/` except `consensus`,
/// alphabetically: the default for `cbr agree`.
pub fn default_coders(study: &Study) -> Vec<Slug> {
    study
        .coders
        .iter()
        .filter(|c| c.as_str() != CONSENSUS)
        .cloned()
        .collect()
}

/// Refuses coders the study has never heard of, naming those it has.
pub fn check_coders(study: &Study, coders: &[Slug]) -> Result<()> {
    for coder in coders {
        if !study.coders.contains(coder) {
            let known: Vec<&str> = study.coders.iter().map(Slug::as_str).collect();
            return Err(StudyError::NotFound(format!(
                "no codings by `{coder}`: there is no codings/{coder}/ folder (coders: {})",
                if known.is_empty() {
                    "none yet".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    Ok(())
}

/// Refuses transcript ids the study does not have.
pub fn check_transcripts(study: &Study, transcripts: &[Slug]) -> Result<()> {
    match transcripts
        .iter()
        .find(|t| !study.has_transcript(t.as_str()))
    {
        Some(t) => Err(StudyError::UnknownTranscript(t.to_string())),
        None => Ok(()),
    }
}

/// The agreement of `coders` over `transcripts` (all of the study's when
/// empty), with bootstrap intervals as [`Settings::default`] makes them.
pub fn report(
    study: &Study,
    coders: &[Slug],
    transcripts: &[Slug],
    options: Options,
) -> Result<Report> {
    report_with(study, coders, transcripts, options, &Settings::default())
}

/// [`report`] with the bootstrap run as `bootstrap` says (`draws` 0: none).
pub fn report_with(
    study: &Study,
    coders: &[Slug],
    transcripts: &[Slug],
    options: Options,
    bootstrap: &Settings,
) -> Result<Report> {
    check_coders(study, coders)?;
    check_transcripts(study, transcripts)?;
    let ids = if transcripts.is_empty() {
        &study.transcripts
    } else {
        transcripts
    };
    let mut texts: Vec<Transcript> = Vec::with_capacity(ids.len());
    let mut codings: Vec<Vec<Option<Coding>>> = Vec::with_capacity(ids.len());
    for id in ids {
        texts.push(study.transcript(id)?);
        let mut row = Vec::with_capacity(coders.len());
        for coder in coders {
            row.push(study.coding(coder, id)?);
        }
        codings.push(row);
    }
    let sources: Vec<Source<'_>> = texts
        .iter()
        .zip(&codings)
        .map(|(transcript, row)| Source {
            transcript,
            codings: row.iter().map(Option::as_ref).collect(),
        })
        .collect();
    let judgments = judge(&study.codebook, coders, &sources, options)
        .map_err(|e| StudyError::Refused(e.to_string()))?;
    Ok(Report::with_bootstrap(&judgments, bootstrap))
}
