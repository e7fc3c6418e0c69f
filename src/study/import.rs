//! `cbr import`: adds transcripts after checking all of them. Plain text is
//! stored verbatim; Word, OpenDocument, subtitle and Markdown files are
//! converted by [`crate::interop::transcript_formats`].

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::interop::transcript_formats;
use crate::model::{Slug, Transcript};

use super::atomic::write_atomic;
use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::layout;
use super::load::Study;
use super::recovery::Journal;

/// One imported file: its transcript id and what its conversion reported
/// (tracked changes taken, comments left out), for the person importing.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub id: Slug,
    pub notes: Vec<String>,
}

/// Checks every file first (format, UTF-8, a usable id, no duplicates), then
/// writes them all and makes one commit: either every file is imported or
/// none is.
pub fn import(study: &Study, files: &[PathBuf], author: &Author) -> Result<Vec<Imported>> {
    if files.is_empty() {
        return Err(StudyError::InvalidInput(
            "no file given: `cbr import FILE...`".into(),
        ));
    }
    let mut planned: Vec<(Slug, transcript_formats::Converted)> = Vec::new();
    let mut ids = BTreeSet::new();
    for file in files {
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let id = Slug::slugify(stem).map_err(|e| {
            StudyError::InvalidInput(format!(
                "{}: cannot make an id from the file name: {e}",
                file.display()
            ))
        })?;
        let converted = transcript_formats::read(file, &study.root)
            .map_err(|e| StudyError::InvalidInput(e.to_string()))?;
        if study.has_transcript(id.as_str())
            && !left_by_interrupted_import(study, &id, &converted.bytes)?
        {
            return Err(StudyError::Conflict(format!(
                "{}: a transcript `{id}` already exists (transcripts/{id}.txt); rename the file to import it as a new transcript",
                file.display()
            )));
        }
        if !ids.insert(id.clone()) {
            return Err(StudyError::Conflict(format!(
                "{}: two files would both become transcript `{id}`; rename one",
                file.display()
            )));
        }
        Transcript::from_bytes(id.clone(), &converted.bytes).map_err(|source| {
            StudyError::NotUtf8 {
                path: file.clone(),
                source,
            }
        })?;
        let meta = layout::transcript_meta(&id);
        if converted.meta.is_some() && fs::symlink_metadata(study.root.join(&meta)).is_ok() {
            return Err(StudyError::Conflict(format!(
                "{}: {} already exists and would be replaced by the subtitle times; move it away or rename the file",
                file.display(),
                meta.display()
            )));
        }
        planned.push((id, converted));
    }
    let _writer = super::session_lock::lock_writer(&study.root, &author.coder)?;
    let paths = planned_paths(&planned);
    for rel in &paths {
        super::safe_fs::check_writable(&study.root, rel)?;
    }
    // A kill from here to the commit leaves files `cbr check` names and a
    // second import finishes; a failure we see is undone below.
    let journal = Journal::begin(&study.root, "cbr import", &paths)?;
    let mut written = Vec::new();
    let repo = write_all(&study.root, &planned, &mut written).and_then(|()| git::open(&study.root));
    let committed = repo.and_then(|repo| {
        git::commit_paths(
            &repo,
            author,
            &message(author.coder.as_str(), files, &planned),
            &paths,
        )
    });
    if let Err(e) = committed {
        // Nothing half-imported: the files written so far go again.
        for rel in &written {
            let _ = fs::remove_file(study.root.join(rel));
        }
        journal.done();
        return Err(e);
    }
    journal.done();
    Ok(planned
        .into_iter()
        .map(|(id, c)| Imported { id, notes: c.notes })
        .collect())
}

/// Every path an import writes: each transcript and, for subtitles, its metadata.
fn planned_paths(planned: &[(Slug, transcript_formats::Converted)]) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for (id, converted) in planned {
        paths.push(layout::transcript_text(id));
        if converted.meta.is_some() {
            paths.push(layout::transcript_meta(id));
        }
    }
    paths
}

/// Writes each transcript (and its metadata), recording every path written.
fn write_all(
    root: &Path,
    planned: &[(Slug, transcript_formats::Converted)],
    paths: &mut Vec<PathBuf>,
) -> Result<()> {
    for (id, converted) in planned {
        let rel = layout::transcript_text(id);
        write_atomic(&root.join(&rel), &converted.bytes).map_err(|e| StudyError::io(&rel, e))?;
        paths.push(rel);
        if let Some(meta) = &converted.meta {
            let rel = layout::transcript_meta(id);
            write_atomic(&root.join(&rel), meta.as_bytes()).map_err(|e| StudyError::io(&rel, e))?;
            paths.push(rel);
        }
    }
    Ok(())
}

/// The commit message: the ids, and for converted files where they came
/// from and what the conversion reported.
fn message(
    coder: &str,
    files: &[PathBuf],
    planned: &[(Slug, transcript_formats::Converted)],
) -> String {
    let mut message = match planned {
        [(one, _)] => format!("{coder}: import transcript {one}"),
        many => format!("{coder}: import {} transcripts", many.len()),
    };
    let mut body = Vec::new();
    for (file, (id, converted)) in files.iter().zip(planned) {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let name = crate::model::text::inert(&name);
        match converted.format {
            "txt" if planned.len() == 1 => {}
            "txt" => body.push(id.to_string()),
            format => body.push(format!("{id}: converted from {format} ({name})")),
        }
        body.extend(converted.notes.iter().map(|n| format!("  {name} {n}")));
    }
    if !body.is_empty() {
        message.push_str("\n\n");
        message.push_str(&body.join("\n"));
    }
    message
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
    Err(StudyError::Conflict(format!(
        "{}: was written but never committed (an interrupted `cbr import`?) and differs from the \
         file given; delete it and import again",
        rel.display()
    )))
}
