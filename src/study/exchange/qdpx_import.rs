//! `cbr import qdpx FILE`: a coded project from another tool (or from cbr)
//! as transcripts, metadata, codings and, into an empty codebook, codes —
//! all in one commit, or nothing when anything is wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::interop::refi::codebook::{self, Imported};
use crate::interop::refi::positions::{self, Sample, Text};
use crate::interop::refi::project::TextSource;
use crate::model::text::inert;
use crate::model::{Coding, Segment, Slug, Transcript};

use super::super::atomic::write_atomic;
use super::super::error::{Result, StudyError};
use super::super::git::{self, Author};
use super::super::layout;
use super::super::load::Study;
use super::super::versions::{codebook_at, main_tip};
use super::file_name;
use super::qdpx_map::{add, complete_set, meta_of, note_memos, parse_map};
use super::qdpx_read::{Opened, open};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub codes_added: usize,
    pub transcripts: Vec<Slug>,
    pub segments: usize,
    /// Selections that start or end inside a line (cbr's segment covers the
    /// whole line; the exact characters are kept as columns).
    pub widened: usize,
    pub reading: Option<&'static str>,
    /// Positions outside the text or reversed, clamped.
    pub clamped: usize,
    /// User name → coder id.
    pub coders: Vec<(String, Slug)>,
    pub not_carried: Vec<(String, usize)>,
}

/// The text of a source, if the file carries it: (stored bytes, text).
fn source_text(
    path: &Path,
    opened: &Opened,
    s: &TextSource,
    lost: &mut Vec<(String, usize)>,
) -> Result<Option<Vec<u8>>> {
    let rich = s
        .rich_text_path
        .as_deref()
        .and_then(|p| p.strip_prefix("internal://"))
        .and_then(|p| opened.files.get_ci(&format!("sources/{p}")));
    // Only the Word version is in the file: read it as `cbr import` reads
    // a .docx. Positions were counted on the other tool's plain text, so
    // the position check below (and its clamping warnings) has the last word.
    let from_docx = |lost: &mut Vec<(String, usize)>| -> Result<Option<Vec<u8>>> {
        let Some((entry, bytes)) = rich else {
            add(lost, "text sources whose text is missing from the file", 1);
            return Ok(None);
        };
        let converted = crate::interop::transcript_formats::from_bytes(Path::new(entry), bytes)
            .map_err(|e| StudyError::Refused(format!("{}: {e}", path.display())))?;
        add(
            lost,
            "text sources read from their Word (.docx) version, formatting dropped (no plain text in the file)",
            1,
        );
        Ok(Some(converted.bytes))
    };
    let text = if let Some(c) = &s.content {
        c.as_bytes().to_vec()
    } else {
        let Some(p) = &s.plain_text_path else {
            return from_docx(lost);
        };
        let Some(inner) = p.strip_prefix("internal://") else {
            add(
                lost,
                "text sources stored outside the project (relative or absolute path)",
                1,
            );
            return Ok(None);
        };
        let Some((entry, bytes)) = opened.files.get_ci(&format!("sources/{inner}")) else {
            return from_docx(lost);
        };
        if let Err(e) = std::str::from_utf8(bytes) {
            return Err(StudyError::InvalidInput(format!(
                "{}: {entry} (source \"{}\") is not UTF-8 at byte {}; REFI-QDA sources are UTF-8",
                path.display(),
                inert(&s.name),
                e.valid_up_to()
            )));
        }
        bytes.to_vec()
    };
    if rich.is_some() {
        // Positions count over the plain text; only the formatting is lost.
        add(
            lost,
            "rich-text (.docx) versions of sources (their plain text was imported)",
            1,
        );
    }
    Ok(Some(text))
}

pub fn import(study: &Study, path: &Path, coder_map: &[String], author: &Author) -> Result<Report> {
    let map = parse_map(coder_map)?;
    let opened = open(path)?;
    let project = &opened.project;
    let at = |pos: (usize, usize)| format!("{}:{}:{}", path.display(), pos.0, pos.1);
    let imported: Imported = codebook::from_refi(&project.codes)
        .map_err(|e| StudyError::Refused(format!("{}: {e}", path.display())))?;
    let mut report = Report {
        not_carried: project.skipped.clone(),
        ..Report::default()
    };

    // Users become coders.
    let mut coder_of: BTreeMap<String, Slug> = BTreeMap::new();
    for u in &project.users {
        let id = match map
            .get(&u.name)
            .or_else(|| u.id.as_ref().and_then(|i| map.get(i)))
        {
            Some(id) => id.clone(),
            None => Slug::slugify(&u.name)
                .or_else(|_| Slug::slugify(&format!("user {}", &u.guid[..8])))?,
        };
        report.coders.push((u.name.clone(), id.clone()));
        coder_of.insert(u.guid.clone(), id);
    }
    let fallback = project
        .creating_user
        .as_ref()
        .and_then(|g| coder_of.get(g))
        .cloned()
        .unwrap_or_else(|| author.coder.clone());

    // Sources with text, and their ids.
    let mut taken: BTreeSet<Slug> = study.transcripts.iter().cloned().collect();
    let mut texts: Vec<(&TextSource, Slug, Vec<u8>, Text)> = Vec::new();
    for (i, s) in project.sources.iter().enumerate() {
        let Some(bytes) = source_text(path, &opened, s, &mut report.not_carried)? else {
            add(
                &mut report.not_carried,
                "selections on those sources",
                s.selections.len(),
            );
            continue;
        };
        let stem = Path::new(&s.name)
            .file_stem()
            .map_or(String::new(), |x| x.to_string_lossy().into_owned());
        let base = Slug::slugify(&stem).or_else(|_| Slug::slugify(&format!("source {}", i + 1)))?;
        if study.has_transcript(base.as_str()) {
            // Most likely the same project imported twice: never duplicate.
            return Err(StudyError::Conflict(format!(
                "{}: source \"{}\" would become transcript `{base}`, which the study already has; import into a study without it",
                at(s.at),
                inert(&s.name)
            )));
        }
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = base.numbered(n);
            n += 1;
        }
        taken.insert(id.clone());
        let text = std::str::from_utf8(&bytes).expect("checked");
        let text = Text::new(text.strip_prefix('\u{feff}').unwrap_or(text));
        texts.push((s, id, bytes, text));
    }

    // How the file counts characters.
    let samples: Vec<Sample> = texts
        .iter()
        .filter(|(s, ..)| !s.selections.is_empty())
        .map(|(s, _, _, t)| Sample {
            text: t,
            selections: s
                .selections
                .iter()
                .map(|x| {
                    (
                        x.start.max(0) as usize,
                        x.end.max(0) as usize,
                        x.name.as_str(),
                    )
                })
                .collect(),
        })
        .collect();
    let reading = positions::detect(&samples);
    if !samples.is_empty() {
        report.reading = Some(reading.describe());
    }
    drop(samples);

    // Codes the segments may use: the study's, or the file's into an empty codebook.
    let repo = git::open(&study.root)?;
    let main_codes = match main_tip(&repo) {
        Ok(tip) => codebook_at(&repo, tip)?.codebook,
        Err(_) => Default::default(),
    };
    let first_codebook = main_codes.codes.is_empty();

    let complete = complete_set(project);
    let mut codings: BTreeMap<(Slug, Slug), Coding> = BTreeMap::new();
    let mut missing_codes = BTreeSet::new();
    for (s, id, bytes, text) in &texts {
        let hash = Transcript::from_bytes(id.clone(), bytes)
            .map_err(|e| StudyError::Refused(format!("{}: {e}", at(s.at))))?
            .hash()
            .to_string();
        let prefix = text.prefix(reading);
        let total = *prefix.last().unwrap_or(&0);
        for sel in &s.selections {
            let (mut a, mut b) = (sel.start.max(0) as usize, sel.end.max(0) as usize);
            if sel.start < 0 || b > total || a > total || a > b {
                report.clamped += 1;
                if a > b {
                    std::mem::swap(&mut a, &mut b);
                }
                a = a.min(total);
                b = b.min(total);
            }
            let (ca, _) = positions::char_at(&prefix, a);
            let (cb, exact) = positions::char_at(&prefix, b);
            // An end inside a character takes the whole character.
            let cb = if exact { cb } else { cb + 1 };
            if sel.codings.is_empty() {
                add(&mut report.not_carried, "selections without a code", 1);
                continue;
            }
            let Some(span) = text.to_lines(ca, cb) else {
                add(
                    &mut report.not_carried,
                    "empty selections",
                    sel.codings.len(),
                );
                continue;
            };
            let mut memo: Vec<String> = sel
                .description
                .iter()
                .filter(|d| !d.trim().is_empty())
                .cloned()
                .collect();
            note_memos(project, &sel.notes, &mut memo, &mut report.not_carried);
            for c in &sel.codings {
                let Some(code) = imported.by_guid.get(&c.code) else {
                    return Err(StudyError::InvalidInput(format!(
                        "{}: selection {} points at code {}, which the file's codebook does not have",
                        at(sel.at),
                        sel.guid,
                        c.code
                    )));
                };
                if !first_codebook && main_codes.resolve(code.as_str()).is_none() {
                    missing_codes.insert(code.clone());
                }
                let coder = c
                    .creating_user
                    .as_ref()
                    .or(sel.creating_user.as_ref())
                    .and_then(|g| coder_of.get(g))
                    .cloned()
                    .unwrap_or_else(|| fallback.clone());
                let coding = codings
                    .entry((coder.clone(), id.clone()))
                    .or_insert_with(|| {
                        let mut c = Coding::new(id.clone(), &hash);
                        c.complete = complete.contains(&format!("{coder}/{id}"));
                        c
                    });
                let mut memo = memo.clone();
                note_memos(project, &c.notes, &mut memo, &mut report.not_carried);
                let mut seg = Segment::new(code.clone(), span.start_line, span.end_line);
                seg.start_col = span.start_col;
                seg.end_col = span.end_col;
                if !memo.is_empty() {
                    seg.memo = Some(memo.join("\n\n"));
                }
                coding.segments.push(seg);
                report.segments += 1;
                if span.widened() {
                    report.widened += 1;
                }
            }
        }
    }
    if !missing_codes.is_empty() {
        let list: Vec<&str> = missing_codes.iter().take(8).map(Slug::as_str).collect();
        return Err(StudyError::Conflict(format!(
            "{}: the study already has a codebook without {} of the codes this project uses ({}{}); suggest them first with `cbr import qdc {}`, merge the suggestion, then import the project again",
            path.display(),
            missing_codes.len(),
            list.join(", "),
            if missing_codes.len() > list.len() {
                ", …"
            } else {
                ""
            },
            path.display()
        )));
    }

    // Write everything, then one commit; undo the files if anything fails.
    let mut writes: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if first_codebook {
        for code in imported.codebook.codes.values() {
            writes.push((layout::code_file(&code.id), code.to_toml().into_bytes()));
        }
        report.codes_added = imported.codebook.codes.len();
    }
    for (s, id, bytes, _) in &texts {
        writes.push((layout::transcript_text(id), bytes.clone()));
        if let Some(meta) = meta_of(project, s) {
            let toml = toml::to_string_pretty(&meta)
                .map_err(|e| StudyError::Refused(format!("{}: metadata: {e}", at(s.at))))?;
            writes.push((layout::transcript_meta(id), toml.into_bytes()));
        }
        report.transcripts.push(id.clone());
    }
    for ((coder, id), coding) in &codings {
        writes.push((
            layout::coding_file(coder, id),
            coding.to_toml().into_bytes(),
        ));
    }
    if writes.is_empty() {
        // A project with no codes and no text (a blank one) is not an error.
        return Ok(report);
    }
    let mut written = Vec::new();
    let result = (|| -> Result<()> {
        for (rel, bytes) in &writes {
            write_atomic(&study.root.join(rel), bytes).map_err(|e| StudyError::io(rel, e))?;
            written.push(rel.clone());
        }
        let coders: BTreeSet<&str> = codings.keys().map(|(c, _)| c.as_str()).collect();
        let origin = project
            .origin
            .as_deref()
            .map_or(String::new(), |o| format!(" ({})", o.trim()));
        let mut message = format!(
            "{}: import project {}{origin}: {} transcripts, {} segments",
            author.coder,
            file_name(path),
            report.transcripts.len(),
            report.segments
        );
        if !coders.is_empty() {
            message.push_str(&format!(
                " by {}",
                coders.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        if report.codes_added > 0 {
            message.push_str(&format!(", {} codes", report.codes_added));
        }
        let paths: Vec<PathBuf> = writes.iter().map(|(p, _)| p.clone()).collect();
        git::commit_paths(&repo, author, &message, &paths)?;
        Ok(())
    })();
    if let Err(e) = result {
        for rel in &written {
            let _ = std::fs::remove_file(study.root.join(rel));
        }
        return Err(e);
    }
    Ok(report)
}
