//! Blind coding applied to a study on disk: who is assigned to a
//! transcript, who completed it, whether reconciliation started, and the
//! check that agreement and diff commands make before showing anyone's
//! segments. The rule itself is [`crate::model::blind`].

use crate::model::blind::{self, Progress, Visibility, join_names};
use crate::model::{CONSENSUS, Slug};

use super::error::{Result, StudyError};
use super::layout;
use super::load::Study;

/// A transcript's progress, read from the coding files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptProgress {
    /// From `coders` in study.toml, else everyone with a coding file.
    pub assigned: Vec<Slug>,
    /// Coders whose coding file says `complete = true`.
    pub complete: Vec<Slug>,
    /// `codings/consensus/<transcript>.toml` exists.
    pub reconciliation_started: bool,
}

impl TranscriptProgress {
    pub fn as_progress(&self) -> Progress<'_> {
        Progress {
            assigned: &self.assigned,
            complete: &self.complete,
            reconciliation_started: self.reconciliation_started,
        }
    }
}

/// Reads a transcript's progress. A coding file that cannot be read
/// counts as not complete: when in doubt, stay blind.
pub fn progress(study: &Study, transcript: &Slug) -> Result<TranscriptProgress> {
    let mut with_file = Vec::new();
    let mut complete = Vec::new();
    for coder in study.coders.iter().filter(|c| c.as_str() != CONSENSUS) {
        if !study
            .root
            .join(layout::coding_file(coder, transcript))
            .is_file()
        {
            continue;
        }
        with_file.push(coder.clone());
        if let Ok(Some(coding)) = study.coding(coder, transcript)
            && coding.complete
        {
            complete.push(coder.clone());
        }
    }
    let consensus = Slug::new(CONSENSUS)?;
    Ok(TranscriptProgress {
        assigned: blind::assigned(&study.config.coders, &with_file),
        complete,
        reconciliation_started: study
            .root
            .join(layout::coding_file(&consensus, transcript))
            .is_file(),
    })
}

/// May other coders' work on `transcript` be shown to anyone?
pub fn visibility(study: &Study, transcript: &Slug) -> Result<Visibility> {
    Ok(blind::visibility(
        study.config.blind,
        &progress(study, transcript)?.as_progress(),
    ))
}

/// May `viewer` see `owner`'s segments (and counts) on `transcript`?
pub fn can_see(
    study: &Study,
    viewer: &Slug,
    owner: &Slug,
    transcript: &Slug,
) -> Result<Visibility> {
    Ok(blind::can_see(
        study.config.blind,
        viewer,
        owner,
        &progress(study, transcript)?.as_progress(),
    ))
}

/// In a blind study, who must still finish `transcript` before `coders`
/// may be compared on it (none: it may be shown).
pub fn waiting_for(study: &Study, coders: &[Slug], transcript: &Slug) -> Result<Vec<Slug>> {
    if !study.config.blind {
        return Ok(Vec::new());
    }
    let mut state = progress(study, transcript)?;
    // A compared coder counts only where they have coded: someone who
    // is not in `coders` and never opened this transcript has nothing
    // to hide and is not waited for (docs/team.md, "Blind coding").
    state.assigned.extend(
        coders
            .iter()
            .filter(|c| c.as_str() != CONSENSUS)
            .filter(|c| {
                study
                    .root
                    .join(layout::coding_file(c, transcript))
                    .is_file()
            })
            .cloned(),
    );
    state.assigned.sort();
    state.assigned.dedup();
    Ok(match blind::visibility(true, &state.as_progress()) {
        Visibility::Hidden { waiting_for } => waiting_for,
        Visibility::Visible(_) => Vec::new(),
    })
}

/// The check agreement and diff commands make before comparing `coders`
/// on `transcripts`: in a blind study, every transcript must be revealed
/// (all assigned coders, and every coder compared, marked it complete, or
/// reconciliation started). `unblind` is the user's explicit `--unblind`.
/// The error says which transcripts wait for whom, and how to override.
pub fn check_reveal(
    study: &Study,
    coders: &[Slug],
    transcripts: &[Slug],
    unblind: bool,
) -> Result<(), StudyError> {
    if !study.config.blind || unblind {
        return Ok(());
    }
    let mut hidden = Vec::new();
    for transcript in transcripts {
        let waiting_for = waiting_for(study, coders, transcript)?;
        if !waiting_for.is_empty() {
            hidden.push(format!(
                "  {transcript}: waiting for {}",
                join_names(&waiting_for)
            ));
        }
    }
    if hidden.is_empty() {
        return Ok(());
    }
    let unread = study
        .problems
        .iter()
        .any(|p| p.path == std::path::Path::new(layout::STUDY_FILE));
    let why = if unread {
        " (study.toml cannot be read, so blind coding is assumed: `cbr check` shows what to fix)"
    } else {
        ""
    };
    Err(StudyError::BlindPending(format!(
        "blind coding{why}: this would show coders each other's work before they have all finished:\n{}\n\
         Wait until each of them marks the transcript complete (or reconciliation starts), \
         compare only coders who have finished (`cbr agree --coders alice,bob`), \
         or pass --unblind to show it anyway.",
        hidden.join("\n")
    )))
}

/// Transcripts split by whether their codings may be shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Partition {
    pub shown: Vec<Slug>,
    /// Still hidden, with why (who is still coding).
    pub hidden: Vec<(Slug, Visibility)>,
}

/// Splits `transcripts` for views that show what they can and say what
/// they hold back.
pub fn partition(study: &Study, transcripts: &[Slug]) -> Result<Partition> {
    let mut out = Partition::default();
    for t in transcripts {
        let v = visibility(study, t)?;
        if v.is_visible() {
            out.shown.push(t.clone());
        } else {
            out.hidden.push((t.clone(), v));
        }
    }
    Ok(out)
}
