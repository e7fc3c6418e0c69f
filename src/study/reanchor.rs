//! Carrying a study's work along when a transcript's text changes: every
//! coder's and consensus's segments, reconciliation decisions, citations
//! `transcript:line` in memos and codebook examples, and the "text
//! changed" re-check items, all moved with `model::reanchor` and committed
//! once per transcript by whoever ran it.
//!
//! Each coding records the hash of the text it was made on; that text is
//! found again (the file as it was, `HEAD`, or the history) so a coding
//! made two corrections ago still maps correctly.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use git2::Repository;
use serde::Serialize;

use crate::model::reanchor::{LineMap, Outcome, Tally, passage, rewrite_citations};
use crate::model::{Coding, Slug, Transcript};

use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::layout;
use super::load::Study;
use super::safe_fs::read_if_present;
use super::text_recheck::{self, TextChanged};
use super::transcript_versions::{Versions, head_bytes};

/// What re-anchoring one transcript did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub transcript: String,
    pub tally: Tally,
    /// Coders whose coding was moved onto the new text.
    pub coders: Vec<String>,
    /// Coders whose coding could not be moved, and why (their coding stays
    /// stale, and `cbr agree` keeps saying so).
    pub skipped: Vec<(String, String)>,
    /// Segments queued for their coder's re-check.
    pub recheck: Vec<(String, String)>,
    /// Citations `transcript:line` rewritten in memos and examples.
    pub citations: usize,
    /// Other replacements made in the same commit (pseudonymisation).
    pub replaced: usize,
    pub commit: Option<String>,
}

/// The files one transcript's change writes, with the report that goes
/// into the commit message. Nothing is written until [`Plan::commit`].
pub struct Plan {
    pub id: Slug,
    pub files: BTreeMap<PathBuf, Option<Vec<u8>>>,
    pub report: Report,
}

/// Checks new transcript text: UTF-8 and not empty.
pub fn validate(id: &Slug, source: &Path, bytes: &[u8]) -> Result<Transcript> {
    let t = Transcript::from_bytes(id.clone(), bytes).map_err(|e| StudyError::NotUtf8 {
        path: source.to_path_buf(),
        source: e,
    })?;
    if t.lines().iter().all(|l| l.trim().is_empty()) {
        return Err(StudyError::InvalidInput(format!(
            "{}: the file is empty; a transcript needs its text (nothing was changed)",
            source.display()
        )));
    }
    Ok(t)
}

/// The transcript's current bytes, read without following a symlink.
pub fn current_bytes(study: &Study, id: &Slug) -> Result<Vec<u8>> {
    read_if_present(&study.root, &layout::transcript_text(id))?
        .ok_or_else(|| StudyError::UnknownTranscript(id.to_string()))
}

/// Plans moving everything that cites `id` onto `new_bytes`. `before` is
/// the text it replaces (default: `HEAD`'s, when it differs). `memo_edit`
/// rewrites the free text of this transcript's codings too (identity for
/// a plain correction).
pub fn plan(
    study: &Study,
    repo: &Repository,
    id: &Slug,
    new_bytes: &[u8],
    before: Option<&[u8]>,
    memo_edit: &dyn Fn(&str) -> (String, usize),
) -> Result<Plan> {
    let rel = layout::transcript_text(id);
    let new = validate(id, &rel, new_bytes)?;
    let new_lines = new.lines();
    let mut versions = Versions::new(repo, rel.clone());
    let head = head_bytes(repo, &rel);
    let base = before
        .map(<[u8]>::to_vec)
        .or_else(|| head.clone().filter(|h| h != new_bytes));
    for b in base.iter().chain(&head) {
        versions.add(b);
    }
    let mut out = Plan {
        id: id.clone(),
        files: BTreeMap::new(),
        report: Report {
            transcript: id.to_string(),
            ..Report::default()
        },
    };
    let mut base_map = base.as_ref().map(|b| {
        let old = Transcript::from_bytes(id.clone(), b)
            .map(|t| t.lines().to_vec())
            .unwrap_or_default();
        LineMap::new(&old, new_lines)
    });
    let mut queued: BTreeMap<Slug, Vec<TextChanged>> = BTreeMap::new();
    for coder in &study.coders {
        let Some(mut coding) = study.coding(coder, id)? else {
            continue;
        };
        let before_edit = coding.clone();
        if coding.transcript_hash != new.hash() {
            let Some(old) = versions.get(&coding.transcript_hash)?.cloned() else {
                out.report.skipped.push((
                    coder.to_string(),
                    "coded against a text this repository does not hold; recode it or set its transcript_hash by hand".into(),
                ));
                continue;
            };
            let map = LineMap::new(&old, new_lines);
            if base_map.is_none() {
                base_map = Some(map.clone());
            }
            move_coding(
                &mut coding,
                &map,
                &old,
                new_lines,
                coder,
                &mut out.report,
                &mut queued,
            );
            coding.transcript_hash = new.hash().to_string();
        }
        for text in memo_fields(&mut coding) {
            let (edited, n) = memo_edit(text);
            out.report.replaced += n;
            *text = edited;
        }
        if coding != before_edit {
            out.report.coders.push(coder.to_string());
            out.files.insert(
                layout::coding_file(coder, id),
                Some(coding.to_toml().into_bytes()),
            );
        }
    }
    if let Some(map) = base_map.as_ref().filter(|m| !m.is_identity()) {
        cite_elsewhere(study, id, map, &mut out)?;
        for coder in text_recheck::coders_with_items(study)? {
            let mut items = text_recheck::load(study, &coder)?;
            let was = items.clone();
            text_recheck::move_items(&mut items, id, map);
            if items != was {
                queued.entry(coder).or_default();
            }
        }
    }
    for (coder, mut new_items) in queued {
        // The old passage is quoted as coded: it gets the same edit as memos.
        for item in &mut new_items {
            item.old_text = memo_edit(&item.old_text).0;
        }
        let mut items = text_recheck::load(study, &coder)?;
        if let Some(map) = base_map.as_ref() {
            text_recheck::move_items(&mut items, id, map);
        }
        items.extend(new_items);
        out.files
            .insert(text_recheck::path(&coder), text_recheck::render(&items));
    }
    Ok(out)
}

/// Moves one coding's segments and decisions along `map`.
fn move_coding(
    coding: &mut Coding,
    map: &LineMap,
    old: &[String],
    new: &[String],
    coder: &Slug,
    report: &mut Report,
    queued: &mut BTreeMap<Slug, Vec<TextChanged>>,
) {
    for seg in &mut coding.segments {
        let (moved, outcome) = map.segment(seg, new);
        report.tally.add(outcome);
        if outcome == Outcome::Recheck {
            let item = TextChanged {
                transcript: coding.transcript.clone(),
                start_line: moved.start_line,
                end_line: moved.end_line,
                code: seg.code.clone(),
                old_text: passage(old, seg.start_line, seg.end_line),
                new_text: passage(new, moved.start_line, moved.end_line),
            };
            report.recheck.push((coder.to_string(), item.item()));
            queued.entry(coder.clone()).or_default().push(item);
        }
        *seg = moved;
    }
    for d in &mut coding.decisions {
        (d.start_line, d.end_line) = map.range(d.start_line, d.end_line);
    }
    let id = coding.transcript.to_string();
    for text in memo_fields(coding) {
        let (cited, n) = rewrite_citations(text, &id, map);
        report.citations += n;
        *text = cited;
    }
}

/// The free-text fields of a coding: memos and rationales.
pub fn memo_fields(coding: &mut Coding) -> Vec<&mut String> {
    let mut out = Vec::new();
    for seg in &mut coding.segments {
        out.extend(seg.memo.as_mut());
        out.extend(seg.rationale.as_mut());
    }
    for d in &mut coding.decisions {
        out.push(&mut d.rationale);
    }
    out
}

/// Rewrites citations of `id` in other transcripts' codings and in
/// codebook example sources.
fn cite_elsewhere(study: &Study, id: &Slug, map: &LineMap, out: &mut Plan) -> Result<()> {
    let needle = format!("{id}:");
    for coder in &study.coders {
        for other in study.coded_by(coder)? {
            if &other == id {
                continue;
            }
            // Most codings never cite this transcript: skip them unparsed.
            let cites = read_if_present(&study.root, &layout::coding_file(coder, &other))?
                .is_some_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()));
            if !cites {
                continue;
            }
            let Some(mut coding) = study.coding(coder, &other)? else {
                continue;
            };
            let mut n = 0;
            for text in memo_fields(&mut coding) {
                let (cited, k) = rewrite_citations(text, id.as_str(), map);
                n += k;
                *text = cited;
            }
            if n > 0 {
                out.report.citations += n;
                out.files.insert(
                    layout::coding_file(coder, &other),
                    Some(coding.to_toml().into_bytes()),
                );
            }
        }
    }
    for code in study.codebook.codes.values() {
        let mut code = code.clone();
        let mut n = 0;
        for ex in &mut code.examples {
            let (cited, k) = rewrite_citations(&ex.source, id.as_str(), map);
            n += k;
            ex.source = cited;
        }
        if n > 0 {
            out.report.citations += n;
            out.files.insert(
                layout::code_file(&code.id),
                Some(code.to_toml().into_bytes()),
            );
        }
    }
    Ok(())
}

/// Writes (or, for `None`, removes) each file atomically.
fn write_all(root: &Path, files: &BTreeMap<PathBuf, Option<Vec<u8>>>) -> Result<()> {
    for (rel, content) in files {
        let full = root.join(rel);
        match content {
            Some(bytes) => super::atomic::write_atomic(&full, bytes),
            None if full.exists() => std::fs::remove_file(&full),
            None => Ok(()),
        }
        .map_err(|e| StudyError::io(rel, e))?;
    }
    Ok(())
}

impl Plan {
    /// Whether there is anything to write besides the transcript itself.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Writes every file atomically and commits them (with the transcript
    /// text, already written or in `files`) as `author`, with `why` as the
    /// reason in the message.
    pub fn commit(
        mut self,
        study: &Study,
        repo: &Repository,
        author: &Author,
        why: &str,
    ) -> Result<Report> {
        // What each file held before, so a failure puts everything back:
        // one commit or none, and no half-changed working tree.
        let mut previous = Vec::new();
        for rel in self.files.keys() {
            previous.push((rel.clone(), read_if_present(&study.root, rel)?));
        }
        let mut paths: Vec<PathBuf> = self.files.keys().cloned().collect();
        paths.push(layout::transcript_text(&self.id));
        paths.sort();
        paths.dedup();
        let message = self.message(author, why);
        let result = write_all(&study.root, &self.files)
            .and_then(|()| git::commit_paths(repo, author, &message, &paths));
        match result {
            Ok(oid) => {
                self.report.commit = oid.map(|o| o.to_string());
                Ok(self.report)
            }
            Err(e) => {
                let restore: BTreeMap<PathBuf, Option<Vec<u8>>> = previous.into_iter().collect();
                let _ = write_all(&study.root, &restore);
                Err(e)
            }
        }
    }

    fn message(&self, author: &Author, why: &str) -> String {
        let r = &self.report;
        let mut msg = format!(
            "{}: {why} {}: {}\n\n",
            author.coder,
            self.id,
            r.tally.summary()
        );
        if r.replaced > 0 {
            msg.push_str(&format!(
                "{} replacement(s) in the text, memos and metadata.\n",
                r.replaced
            ));
        }
        if !r.coders.is_empty() {
            msg.push_str(&format!("Codings updated: {}.\n", r.coders.join(", ")));
        }
        if r.citations > 0 {
            msg.push_str(&format!(
                "{} citation(s) of {} rewritten.\n",
                r.citations, self.id
            ));
        }
        for (coder, why) in &r.skipped {
            msg.push_str(&format!("Not moved: {coder} ({why}).\n"));
        }
        if !r.recheck.is_empty() {
            msg.push_str("\nNeeds re-check:\n");
            for (coder, item) in &r.recheck {
                msg.push_str(&format!("  {coder} {item}\n"));
            }
        }
        msg
    }
}
