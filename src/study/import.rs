//! `cbr import`: adds transcripts, verbatim, after checking all of them.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::model::{Slug, Transcript};

use super::atomic::write_atomic;
use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::layout;
use super::load::Study;
use super::recovery::Journal;

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
        let bytes = super::safe_fs::read_input(file)?;
        if study.has_transcript(id.as_str()) && !left_by_interrupted_import(study, &id, &bytes)? {
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
        Transcript::from_bytes(id.clone(), &bytes).map_err(|source| StudyError::NotUtf8 {
            path: file.clone(),
            source,
        })?;
        planned.push((id, bytes));
    }
    let _writer = super::session_lock::lock_writer(&study.root, &author.coder)?;
    let paths: Vec<PathBuf> = planned
        .iter()
        .map(|(id, _)| layout::transcript_text(id))
        .collect();
    let journal = Journal::begin(&study.root, "cbr import", &paths)?;
    for ((_, bytes), rel) in planned.iter().zip(&paths) {
        super::safe_fs::check_writable(&study.root, rel)?;
        write_atomic(&study.root.join(rel), bytes).map_err(|e| StudyError::io(rel, e))?;
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
    journal.done();
    Ok(planned.into_iter().map(|(id, _)| id).collect())
}

/// Whether `transcripts/<id>.txt` is the same file, written by an import
/// that was killed before its commit: importing it again finishes the job
/// instead of refusing.
fn left_by_interrupted_import(study: &Study, id: &Slug, bytes: &[u8]) -> Result<bool> {
    let rel = layout::transcript_text(id);
    let repo = git::open(&study.root)?;
    let committed = repo
        .head()
        .ok()
        .and_then(|h| h.peel_to_tree().ok())
        .is_some_and(|tree| tree.get_path(&rel).is_ok());
    if committed {
        return Ok(false);
    }
    let on_disk = super::safe_fs::read(&study.root, &rel)?;
    if on_disk == bytes {
        return Ok(true);
    }
    Err(StudyError::Refused(format!(
        "{}: was written but never committed (an interrupted `cbr import`?) and differs from the \
         file given; delete it and import again",
        rel.display()
    )))
}
