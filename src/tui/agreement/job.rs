//! The Agreement tab's slow work, as a plain blocking function: the
//! agreement report of a pair of coders, their reconciliation session and
//! the agreement under each codebook release. The event loop runs it on a
//! background job (latest wins: a result for a pair the user left behind
//! is dropped); tests may call it directly.

use crate::model::Slug;
use crate::model::agreement::report::CodeMetrics;
use crate::model::agreement::{Options, Report, worst_first};
use crate::study::reconcile::Session;
use crate::study::release_agreement::{self, ByRelease};
use crate::study::{Study, StudyError, agreement, blind};

/// What the tab asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub a: Slug,
    pub b: Slug,
    /// The user chose to see it despite blind coding.
    pub unblind: bool,
}

/// Everything the tab shows for a pair.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub report: Report,
    /// The report's codes, worst first.
    pub codes: Vec<CodeMetrics>,
    pub session: Session,
    /// Agreement per codebook release, or why it could not be read.
    pub releases: Result<ByRelease, String>,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Loaded(Box<Loaded>),
    /// Blind coding hides it; the reason names who is still coding.
    Hidden(String),
    Failed(String),
}

/// Computes what `request` asks for. Blocking: reads every transcript
/// both coders completed, and the git history for the releases.
pub fn compute(study: &Study, request: &Request) -> Outcome {
    match load(study, request) {
        Ok(loaded) => Outcome::Loaded(Box::new(loaded)),
        Err(Refusal::Blind(reason)) => Outcome::Hidden(reason),
        Err(Refusal::Other(e)) => Outcome::Failed(e.to_string()),
    }
}

enum Refusal {
    Blind(String),
    Other(StudyError),
}

impl From<StudyError> for Refusal {
    fn from(e: StudyError) -> Refusal {
        Refusal::Other(e)
    }
}

fn load(study: &Study, request: &Request) -> Result<Loaded, Refusal> {
    let coders = [request.a.clone(), request.b.clone()];
    Session::check_pair(study, &request.a, &request.b)?;
    let options = Options {
        unit: study.config.unit,
        ..Options::default()
    };
    let report = agreement::report(study, &coders, &[], options)?;
    // The session covers the transcripts both completed: the same ones
    // the report counts for a pair, so one check guards both.
    if let Err(e) = blind::check_reveal(study, &coders, &report.transcripts, request.unblind) {
        return Err(match e {
            StudyError::BlindPending(reason) => Refusal::Blind(reason),
            other => Refusal::Other(other),
        });
    }
    let session = Session::open(study, &request.a, &request.b)?;
    let releases =
        release_agreement::by_release(study, &coders, options).map_err(|e| e.to_string());
    let mut codes = report.codes.clone();
    worst_first(&mut codes);
    // As in `cbr agree`: codes that can be judged first, rare ones after.
    codes.sort_by_key(|c| c.metrics.too_rare);
    Ok(Loaded {
        report,
        codes,
        session,
        releases,
    })
}
