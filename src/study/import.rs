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
        return Err(StudyError::Refused(
            "no file given: `cbr import FILE...`".into(),
        ));
    }
    let mut planned: Vec<(Slug, transcript_formats::Converted)> = Vec::new();
    let mut ids = BTreeSet::new();
    for file in files {
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
        let converted = transcript_formats::read(file, &study.root)
            .map_err(|e| StudyError::Refused(e.to_string()))?;
        Transcript::from_bytes(id.clone(), &converted.bytes).map_err(|source| {
            StudyError::NotUtf8 {
                path: file.clone(),
                source,
            }
        })?;
        let meta = layout::transcript_meta(&id);
        if converted.meta.is_some() && fs::symlink_metadata(study.root.join(&meta)).is_ok() {
            return Err(StudyError::Refused(format!(
                "{}: {} already exists and would be replaced by the subtitle times; move it away or rename the file",
                file.display(),
                meta.display()
            )));
        }
        planned.push((id, converted));
    }
    let mut paths = Vec::new();
    let written = write_all(&study.root, &planned, &mut paths);
    let repo = written.and_then(|()| git::open(&study.root));
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
        for rel in &paths {
            let _ = fs::remove_file(study.root.join(rel));
        }
        return Err(e);
    }
    Ok(planned
        .into_iter()
        .map(|(id, c)| Imported { id, notes: c.notes })
        .collect())
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
