//! The two ways a transcript's text changes through cbr: a correction
//! (`cbr transcript replace|edit`) and a hand edit followed by
//! `cbr reanchor`. Both re-anchor with `reanchor::plan`, one commit per
//! transcript.

use std::path::Path;

use git2::Repository;

use crate::model::Slug;

use super::error::{Result, StudyError};
use super::git::Author;
use super::layout;
use super::load::Study;
use super::reanchor::{Report, current_bytes, plan, validate};
use super::transcript_versions::head_bytes;

/// Re-anchors transcripts edited by hand (all when `ids` is empty): one
/// commit per transcript that needed it.
pub fn reanchor(
    study: &Study,
    repo: &Repository,
    author: &Author,
    ids: &[Slug],
) -> Result<Vec<Report>> {
    let ids: Vec<Slug> = if ids.is_empty() {
        study.transcripts.clone()
    } else {
        ids.to_vec()
    };
    for id in &ids {
        if !study.has_transcript(id.as_str()) {
            return Err(StudyError::UnknownTranscript(id.to_string()));
        }
    }
    let mut out = Vec::new();
    let mut study = study.clone();
    for id in &ids {
        let bytes = current_bytes(&study, id)?;
        let plan = plan(&study, repo, id, &bytes, None, &|s| (s.to_string(), 0))?;
        let text_changed =
            head_bytes(repo, &layout::transcript_text(id)).is_some_and(|h| h != bytes);
        if plan.is_empty() && !text_changed {
            continue;
        }
        let touched_codebook = plan.files.keys().any(|p| p.starts_with(layout::CODES_DIR));
        out.push(plan.commit(&study, repo, author, "re-anchor codings of")?);
        if touched_codebook {
            // Example sources moved: the next plan must start from them.
            study = Study::open(&study.root)?;
        }
    }
    Ok(out)
}

/// Replaces a transcript's text with `bytes` (a correction) and moves
/// everything along, in one commit. `source` names the file in errors.
pub fn replace(
    study: &Study,
    repo: &Repository,
    author: &Author,
    id: &Slug,
    source: &Path,
    bytes: &[u8],
) -> Result<Option<Report>> {
    if !study.has_transcript(id.as_str()) {
        return Err(StudyError::UnknownTranscript(id.to_string()));
    }
    validate(id, source, bytes)?;
    let before = current_bytes(study, id)?;
    if before == bytes {
        return Ok(None);
    }
    let mut plan = plan(study, repo, id, bytes, Some(&before), &|s| {
        (s.to_string(), 0)
    })?;
    plan.files
        .insert(layout::transcript_text(id), Some(bytes.to_vec()));
    plan.commit(study, repo, author, "correct").map(Some)
}
