//! Agreement over a study: reads the transcripts and the chosen coders'
//! codings, and hands them to the model's judgments and report.

use crate::model::agreement::bootstrap::Settings;
use crate::model::agreement::{Judge, Options, Report, Source};
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
    let mut judge = Judge::new(&study.codebook, coders, options)
        .map_err(|e| StudyError::Refused(e.to_string()))?;
    // Transcripts are read and their codings parsed (most of the cost) a
    // batch at a time on every core, then counted in order: memory holds
    // one batch, whatever the size of the study.
    for batch in ids.chunks(super::parallel::threads() * 4) {
        for (transcript, row) in read_batch(study, coders, batch)? {
            judge.add(&Source {
                transcript: &transcript,
                codings: row.iter().map(Option::as_ref).collect(),
            });
        }
    }
    let judgments = judge.finish();
    Ok(Report::with_bootstrap(&judgments, bootstrap))
}

/// One transcript and each coder's coding of it (`None`: no file).
type Read = (Transcript, Vec<Option<Coding>>);

/// Reads `batch` on every core; the first error in transcript order wins,
/// as when reading one after the other.
fn read_batch(study: &Study, coders: &[Slug], batch: &[Slug]) -> Result<Vec<Read>> {
    super::parallel::map_in_order(batch, |id| -> Result<Read> {
        let transcript = study.transcript(id)?;
        let row = coders
            .iter()
            .map(|coder| study.coding(coder, id))
            .collect::<Result<_>>()?;
        Ok((transcript, row))
    })
    .into_iter()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::agreement::judge;
    use crate::study::generate::{self, Options as Size};

    /// Read in batches and counted one transcript at a time, the study's
    /// agreement is what the whole corpus held in memory at once gives.
    #[test]
    fn streaming_equals_the_whole_corpus_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let size = Size {
            transcripts: 30,
            lines: 40,
            codes: 20,
            coders: 3,
            per_coder: 20,
            history: 40,
            ..Size::default()
        };
        generate::generate(&dir.path().join("s"), &size, &mut |_| {}).unwrap();
        let study = Study::open(&dir.path().join("s")).unwrap();
        let coders = default_coders(&study);
        let texts: Vec<Transcript> = study
            .transcripts
            .iter()
            .map(|id| study.transcript(id).unwrap())
            .collect();
        let codings: Vec<Vec<Option<Coding>>> = study
            .transcripts
            .iter()
            .map(|id| {
                coders
                    .iter()
                    .map(|c| study.coding(c, id).unwrap())
                    .collect()
            })
            .collect();
        let sources: Vec<Source<'_>> = texts
            .iter()
            .zip(&codings)
            .map(|(transcript, row)| Source {
                transcript,
                codings: row.iter().map(Option::as_ref).collect(),
            })
            .collect();
        let options = Options::default();
        let at_once = judge(&study.codebook, &coders, &sources, options).unwrap();
        assert!(at_once.transcripts.len() > 16, "more than one batch");
        let settings = Settings::default();
        let streamed = report_with(&study, &coders, &[], options, &settings).unwrap();
        assert_eq!(streamed, Report::with_bootstrap(&at_once, &settings));
    }
}
