//! `cbr export qdc` and `cbr import qdc`: the codebook alone.
//!
//! An import into a study without codes is the first codebook commit; into
//! one that has codes it becomes a suggestion branch for the ordinary
//! review and merge, never an overwrite of `main`.

use std::path::Path;

use crate::interop::refi::{self, codebook, qdc};
use crate::model::proposal::Kind;
use crate::model::{Codebook, Slug};

use super::super::error::{Result, StudyError};
use super::super::git::{self, Author};
use super::super::layout;
use super::super::load::Study;
use super::super::suggest;
use super::super::versions::{codebook_at, main_tip};
use super::{file_name, read_input, seed, version};

/// The `.qdc` text of the codebook at `at` (default: main).
pub fn export(study: &Study, at: Option<&str>) -> Result<String> {
    let repo = git::open(&study.root)?;
    let commit = version(&repo, at)?;
    let tc = codebook_at(&repo, commit)?;
    if let Some(first) = tc.problems.first() {
        return Err(StudyError::Refused(format!(
            "{first}\n(the codebook has {} unreadable file(s); fix them before exporting)",
            tc.problems.len()
        )));
    }
    if tc.codebook.codes.is_empty() {
        return Err(StudyError::Refused(
            "the codebook has no codes; a REFI-QDA codebook needs at least one".into(),
        ));
    }
    let codes = codebook::to_refi(&tc.codebook, &seed(&repo)?);
    Ok(refi::write::codebook(&codes, &origin()))
}

pub fn origin() -> String {
    format!("cbr {}", env!("CARGO_PKG_VERSION"))
}

/// What a codebook import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The first codebook of the study, committed on the current branch.
    Committed { codes: usize },
    /// A suggestion branch holding the additions and changes.
    Suggested {
        branch: String,
        added: usize,
        changed: usize,
    },
    /// The study already holds exactly these codes.
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub outcome: Outcome,
    pub codes: usize,
    /// Codes whose description cbr wrote, read back into their fields.
    pub with_fields: usize,
    pub not_codable: usize,
    /// What could not be carried, with counts (e.g. code sets).
    pub not_carried: Vec<(String, usize)>,
}

/// Reads a `.qdc` file into codes, naming the file in any error.
pub fn read(path: &Path) -> Result<(qdc::QdcFile, codebook::Imported)> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if matches!(ext.as_deref(), Some("qdpx" | "qde")) {
        // The codebook of a project, e.g. to suggest it before importing
        // the project into a study that already has codes.
        let opened = super::qdpx_read::open(path)?;
        let imported = codebook::from_refi(&opened.project.codes)
            .map_err(|e| StudyError::Refused(format!("{}: {e}", path.display())))?;
        let sets = opened
            .project
            .skipped
            .iter()
            .find(|(w, _)| w == "code sets")
            .map_or(0, |(_, n)| *n);
        let file = qdc::QdcFile {
            origin: opened.project.origin.clone(),
            codes: opened.project.codes,
            sets,
        };
        return Ok((file, imported));
    }
    let bytes = read_input(path)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        StudyError::Refused(format!(
            "{}: not UTF-8 at byte {}; REFI-QDA files are UTF-8",
            path.display(),
            e.valid_up_to()
        ))
    })?;
    let located = |e: refi::FormatError| {
        let sep = if e.location.is_some() { ":" } else { ": " };
        StudyError::Refused(format!("{}{sep}{e}", path.display()))
    };
    let file = qdc::parse(text).map_err(located)?;
    let imported = codebook::from_refi(&file.codes).map_err(located)?;
    Ok((file, imported))
}

/// `cbr import qdc FILE`.
pub fn import(study: &Study, path: &Path, author: &Author) -> Result<Report> {
    let (file, imported) = read(path)?;
    let count = imported.codebook.codes.len();
    let outcome = apply(
        study,
        &imported.codebook,
        &file_name(path),
        file.origin.as_deref(),
        author,
    )?;
    let mut not_carried = Vec::new();
    if file.sets > 0 {
        not_carried.push(("code sets (groups of codes)".to_string(), file.sets));
    }
    Ok(Report {
        outcome,
        codes: count,
        with_fields: imported.with_fields,
        not_codable: imported.not_codable,
        not_carried,
    })
}

/// Brings imported codes into the study: a first commit into an empty
/// codebook, otherwise a suggestion adding and changing codes (codes the
/// file lacks are left alone).
pub fn apply(
    study: &Study,
    imported: &Codebook,
    source: &str,
    origin: Option<&str>,
    author: &Author,
) -> Result<Outcome> {
    let repo = git::open(&study.root)?;
    let base = match main_tip(&repo) {
        Ok(tip) => codebook_at(&repo, tip)?.codebook,
        Err(_) => Codebook::default(),
    };
    let from = match origin {
        Some(o) => format!("{source} ({})", o.trim()),
        None => source.to_string(),
    };
    if base.codes.is_empty() {
        let mut paths = Vec::new();
        for code in imported.codes.values() {
            let rel = layout::code_file(&code.id);
            super::super::atomic::write_atomic(&study.root.join(&rel), code.to_toml().as_bytes())
                .map_err(|e| StudyError::io(&rel, e))?;
            paths.push(rel);
        }
        let message = format!(
            "{}: import codebook from {from}, {} codes",
            author.coder,
            imported.codes.len()
        );
        git::commit_paths(&repo, author, &message, &paths)?;
        return Ok(Outcome::Committed {
            codes: imported.codes.len(),
        });
    }
    let mut merged = base.clone();
    let (mut added, mut changed) = (0, 0);
    for (id, code) in &imported.codes {
        match base.codes.get(id) {
            None => added += 1,
            Some(old) if old != code => changed += 1,
            Some(_) => continue,
        }
        merged.codes.insert(id.clone(), code.clone());
    }
    if added + changed == 0 {
        return Ok(Outcome::Unchanged);
    }
    if let Some(problem) = merged.problems().first() {
        return Err(StudyError::Refused(format!(
            "{source}: these codes do not fit the study's codebook ({problem:?}); edit the file or the codebook first"
        )));
    }
    let stem = Path::new(source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let first = Slug::slugify(&format!("import {stem}"))?;
    let mut slug = first.clone();
    let branches = suggest::branches(&repo)?;
    let mut n = 2;
    while branches.contains(&suggest::branch_name(&author.coder, &slug)) {
        slug = first.numbered(n);
        n += 1;
    }
    let kind = if changed == 0 { Kind::Add } else { Kind::Edit };
    let title = format!("Import codebook from {source}");
    let rationale = format!(
        "Codes imported from {from}: {added} new, {changed} changed. Codes the file does not hold are left as they are."
    );
    let changes = suggest::file_changes(&base, &merged);
    let branch = suggest::create_raw(
        &repo,
        author,
        &slug,
        &title,
        &rationale,
        kind.as_str(),
        &changes,
    )?;
    Ok(Outcome::Suggested {
        branch,
        added,
        changed,
    })
}
