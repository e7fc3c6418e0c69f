//! `cbr import`: adds transcripts, verbatim, after checking all of them.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use crate::model::{Slug, Transcript};

use super::atomic::write_atomic;
use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::layout;
use super::load::Study;

/// Checks every file first (UTF-8, a usable id, no duplicates), then writes
/// them all and makes one commit: either every file is imported or none is.
pub fn import(study: &Study, files: &[PathBuf], author: &Author) -> Result<Vec<Slug>> {
    if files.is_empty() {
        return Err(StudyError::Refused(
            "no file given: `cbr import FILE...`".into(),
        ));
    }
    let mut planned: Vec<(Slug, Vec<u8>)> = Vec::new();
    let mut ids = BTreeSet::new();
    for file in files {
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "txt" | "md") {
            return Err(StudyError::Refused(format!(
                "{}: only .txt and .md transcripts can be imported; save it as plain UTF-8 text first",
                file.display()
            )));
        }
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let id = Slug::slugify(stem).map_err(|e| {
            StudyError::Refused(format!(
                "{}: cannot make an id from the file name: {e}",
                file.display()
            ))
        })?;
        if study.has_transcript(id.as_str()) {
            return Err(StudyError::Refused(format!(
                "{}: a transcript `{id}` already exists (transcripts/{id}.txt); rename the file to import it as a new transcript",
                file.display()
            )));
        }
        if !ids.insert(id.clone()) {
            return Err(StudyError::Refused(format!(
                "{}: two files would both become transcript `{id}`; rename one",
                file.display()
            )));
        }
        let bytes = fs::read(file).map_err(|e| StudyError::io(file, e))?;
        Transcript::from_bytes(id.clone(), &bytes).map_err(|source| StudyError::NotUtf8 {
            path: file.clone(),
            source,
        })?;
        planned.push((id, bytes));
    }
    let mut paths = Vec::new();
    for (id, bytes) in &planned {
        let rel = layout::transcript_text(id);
        write_atomic(&study.root.join(&rel), bytes).map_err(|e| StudyError::io(&rel, e))?;
        paths.push(rel);
    }
    let repo = git::open(&study.root)?;
    let names: Vec<&str> = planned.iter().map(|(id, _)| id.as_str()).collect();
    let message = match names.as_slice() {
        [one] => format!("{}: import transcript {one}", author.coder),
        many => format!(
            "{}: import {} transcripts\n\n{}",
            author.coder,
            many.len(),
            many.join("\n")
        ),
    };
    git::commit_paths(&repo, author, &message, &paths)?;
    Ok(planned.into_iter().map(|(id, _)| id).collect())
}
