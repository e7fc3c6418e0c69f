//! `cbr codings import` and `cbr codings export`: codings as CSV with the
//! columns `coder,transcript,start_line,end_line,code,memo`, one row per
//! segment, so coding done elsewhere (or by a script) can come in and go out.
//!
//! Import checks every row before writing anything: a file with one bad row
//! changes nothing. Each (coder, transcript) pair named in the file gets the
//! file's rows as its whole set of segments; a row with an empty `code`
//! only names the pair (a transcript in which nothing applied).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::text::{spreadsheet_original, spreadsheet_safe};
use crate::model::{Coding, Segment, Slug};

use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::load::Study;
use super::recovery::Journal;

/// The columns, in order; `memo` may be left out of the file entirely.
pub const COLUMNS: [&str; 6] = [
    "coder",
    "transcript",
    "start_line",
    "end_line",
    "code",
    "memo",
];

/// A bad row, printed `FILE:LINE: message` with the CSV line the row starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: PathBuf,
    pub line: u64,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} bad row(s); nothing was imported", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Study(#[from] StudyError),
}

/// What an import wrote: per (coder, transcript), the number of segments
/// and whether the coding is now complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub pairs: Vec<(Slug, Slug, usize, bool)>,
    /// Per pair, in the same order: how many segments the file held before
    /// (the import replaces them).
    pub replaced: Vec<usize>,
    pub commit: Option<git2::Oid>,
    /// Rows that repeat an earlier row exactly: stored once.
    pub duplicates: Vec<RowError>,
}

/// Writes every coding of the study as CSV (coders, then transcripts, then
/// segments in reading order). A coding without segments is one row with
/// an empty code, so the pair survives a round trip.
pub fn export(study: &Study, out: impl Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| StudyError::Refused(format!("writing CSV: {e}"));
    w.write_record(COLUMNS).map_err(csv_err)?;
    for coder in &study.coders {
        for transcript in study.coded_by(coder)? {
            let Some(mut coding) = study.coding(coder, &transcript)? else {
                continue;
            };
            coding.sort();
            if coding.segments.is_empty() {
                w.write_record([coder.as_str(), transcript.as_str(), "", "", "", ""])
                    .map_err(csv_err)?;
            }
            for seg in &coding.segments {
                // Memos are free text: a leading `=` must not run in Excel.
                w.write_record([
                    coder.as_str(),
                    transcript.as_str(),
                    &seg.start_line.to_string(),
                    &seg.end_line.to_string(),
                    seg.code.as_str(),
                    &spreadsheet_safe(seg.memo.as_deref().unwrap_or("")),
                ])
                .map_err(csv_err)?;
            }
        }
    }
    w.flush().map_err(|e| StudyError::io("<stdout>", e))?;
    Ok(())
}

/// Reads and checks every row of `file`, then writes the codings it names
/// (atomically, each with the transcript's current hash and the codebook
/// version) and commits them all at once, authored by `author`.
pub fn import(
    study: &Study,
    file: &Path,
    complete: bool,
    author: &Author,
) -> std::result::Result<Imported, ImportError> {
    let (rows, duplicates) = parse(study, file)?;
    let _writer = super::session_lock::lock_writer(&study.root, &author.coder)?;
    // Re-read after waiting for the lock: what is on disk now is what the
    // import replaces.
    let study = &Study::open(&study.root)?;
    let repo = git::open(&study.root)?;
    let version = git::codebook_version(&repo, "HEAD")?;
    let mut paths = Vec::new();
    let mut pairs = Vec::new();
    let mut planned = Vec::new();
    let mut replaced = Vec::new();
    for ((coder, transcript), segments) in rows {
        let text = study.transcript(&transcript)?;
        let mut coding = study
            .coding(&coder, &transcript)?
            .unwrap_or_else(|| Coding::new(transcript.clone(), text.hash()));
        replaced.push(coding.segments.len());
        coding.transcript_hash = text.hash().to_string();
        coding.complete |= complete;
        coding.segments = segments
            .into_iter()
            .map(|mut s| {
                s.codebook.clone_from(&version);
                s
            })
            .collect();
        pairs.push((
            coder.clone(),
            transcript.clone(),
            coding.segments.len(),
            coding.complete,
        ));
        planned.push((coder, coding));
    }
    let files: Vec<PathBuf> = planned
        .iter()
        .map(|(coder, coding)| crate::study::layout::coding_file(coder, &coding.transcript))
        .collect();
    let journal = Journal::begin(&study.root, "cbr codings import", &files)?;
    for (coder, coding) in &planned {
        paths.push(study.save_coding(coder, coding)?);
    }
    let message = commit_message(&author.coder, file, &pairs);
    let commit = git::commit_paths(&repo, author, &message, &paths)?;
    journal.done();
    Ok(Imported {
        pairs,
        replaced,
        commit,
        duplicates,
    })
}

fn commit_message(who: &Slug, file: &Path, pairs: &[(Slug, Slug, usize, bool)]) -> String {
    let mut coders: Vec<&str> = pairs.iter().map(|p| p.0.as_str()).collect();
    coders.dedup();
    let mut transcripts: Vec<&str> = pairs.iter().map(|p| p.1.as_str()).collect();
    transcripts.sort_unstable();
    transcripts.dedup();
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    let mut msg = format!(
        "{who}: import codings of {} for {} from {name}\n\n",
        coders.join(", "),
        transcripts.join(", ")
    );
    for (coder, transcript, n, done) in pairs {
        let state = if *done { "complete" } else { "in progress" };
        msg.push_str(&format!("{coder} {transcript}: {n} segments ({state})\n"));
    }
    msg
}

type Rows = BTreeMap<(Slug, Slug), Vec<Segment>>;

/// A row as written: coder, transcript, code, lines and memo.
type RowKey = (Slug, Slug, String, usize, usize, Option<String>);

/// Every row checked; all the problems, or the segments per pair and the
/// rows that repeat an earlier one.
fn parse(study: &Study, file: &Path) -> std::result::Result<(Rows, Vec<RowError>), ImportError> {
    let bytes = super::safe_fs::read_input(file)?;
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(ImportError::Rows(vec![row_error(
            file,
            1,
            "this file is UTF-16 (\"Unicode text\"), not UTF-8: save it as \"CSV UTF-8\"".into(),
        )]));
    }
    let delimiter = delimiter(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes.as_slice());
    // Line numbers from the bytes themselves: the reader counts a CRLF
    // line end differently from an editor.
    let line_at = |byte: u64| {
        let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        // A record's recorded start may sit on the line end before it.
        while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
            end += 1;
        }
        1 + bytes[..end].iter().filter(|b| **b == b'\n').count() as u64
    };
    let mut errors: Vec<RowError> = Vec::new();
    let mut duplicates: Vec<RowError> = Vec::new();
    let mut rows: Rows = BTreeMap::new();
    let mut seen: HashMap<RowKey, u64> = HashMap::new();
    let mut lines: HashMap<Slug, usize> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    let mut width = None;
    loop {
        let line = line_at(reader.position().byte());
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| line_at(p.byte()));
                errors.push(row_error(file, line, format!("not readable as CSV: {e}")));
                break;
            }
        }
        let line = record.position().map_or(line, |p| line_at(p.byte()));
        let fields: Vec<&str> = match record
            .iter()
            .map(std::str::from_utf8)
            .collect::<std::result::Result<Vec<&str>, _>>()
        {
            Ok(fields) => fields.into_iter().map(spreadsheet_original).collect(),
            Err(_) => {
                errors.push(row_error(
                    file,
                    line,
                    "not valid UTF-8; save the file as UTF-8".into(),
                ));
                continue;
            }
        };
        let Some(width) = width else {
            let fields: Vec<&str> = fields
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    if i == 0 {
                        f.trim_start_matches('\u{feff}')
                    } else {
                        f
                    }
                })
                .collect();
            match header_width(&fields) {
                Some(w) => width = Some(w),
                None => {
                    errors.push(row_error(file, line, header_message(&fields)));
                    break;
                }
            }
            continue;
        };
        if fields.len() != width {
            errors.push(row_error(
                file,
                line,
                format!("expected {width} fields, found {}", fields.len()),
            ));
            continue;
        }
        match parse_row(study, &fields, &mut lines) {
            Ok((key, segment)) => {
                let segments = rows.entry(key.clone()).or_default();
                let Some(segment) = segment else { continue };
                let id = (
                    key.0,
                    key.1,
                    segment.code.to_string(),
                    segment.start_line,
                    segment.end_line,
                    segment.memo.clone(),
                );
                if let Some(first) = seen.get(&id) {
                    duplicates.push(row_error(
                        file,
                        line,
                        format!("the same row as line {first}; stored once"),
                    ));
                    continue;
                }
                seen.insert(id, line);
                segments.push(segment);
            }
            Err(message) => errors.push(row_error(file, line, message)),
        }
    }
    if width.is_some() && rows.is_empty() && errors.is_empty() {
        errors.push(row_error(file, 2, "no rows after the header".into()));
    }
    if errors.is_empty() {
        Ok((rows, duplicates))
    } else {
        Err(ImportError::Rows(errors))
    }
}

/// `;` when the first line uses semicolons and no commas (what a
/// spreadsheet set to a French or German locale writes), else `,`.
fn delimiter(bytes: &[u8]) -> u8 {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    if first.contains(&b';') && !first.contains(&b',') {
        b';'
    } else {
        b','
    }
}

fn header_message(fields: &[&str]) -> String {
    let expected = COLUMNS.join(",");
    if fields.len() == 1 && fields[0].contains('\t') {
        return format!(
            "the first row must be the header `{expected}` (memo may be left out); this file is \
             separated by tabs: save it as CSV with commas or semicolons"
        );
    }
    format!("the first row must be the header `{expected}` (memo may be left out)")
}

fn row_error(file: &Path, line: u64, message: String) -> RowError {
    RowError {
        file: file.to_path_buf(),
        line,
        message,
    }
}

/// 6 for the full header, 5 without `memo`, `None` if it is not the header.
fn header_width(fields: &[&str]) -> Option<usize> {
    let names: Vec<String> = fields.iter().map(|f| f.trim().to_lowercase()).collect();
    let names = names.strip_suffix(&[String::new()]).unwrap_or(&names);
    (names.len() >= 5 && names.len() <= 6 && names.iter().zip(COLUMNS).all(|(n, c)| n == c))
        .then_some(names.len())
}

fn parse_row(
    study: &Study,
    fields: &[&str],
    lines: &mut HashMap<Slug, usize>,
) -> std::result::Result<((Slug, Slug), Option<Segment>), String> {
    let field = |i: usize| fields.get(i).map_or("", |f| f.trim());
    let coder = Slug::new(field(0)).map_err(|e| format!("coder `{}`: {e}", field(0)))?;
    let transcript = Slug::new(field(1)).map_err(|e| format!("transcript `{}`: {e}", field(1)))?;
    if !study.has_transcript(transcript.as_str()) {
        return Err(format!(
            "unknown transcript `{transcript}`: there is no transcripts/{transcript}.txt (`cbr import` adds it)"
        ));
    }
    let memo = fields.get(5).copied().unwrap_or("");
    let key = (coder, transcript);
    if field(4).is_empty() {
        if !field(2).is_empty() || !field(3).is_empty() || !memo.trim().is_empty() {
            return Err("a row without a code only names the coder and transcript: leave start_line, end_line and memo empty, or give the code".into());
        }
        return Ok((key, None));
    }
    let code = Slug::new(field(4)).map_err(|e| format!("code `{}`: {e}", field(4)))?;
    if study.codebook.resolve(code.as_str()).is_none() {
        return Err(format!(
            "unknown code `{code}`: not in the codebook nor an alias (`cbr codes --all` lists them)"
        ));
    }
    let number = |name: &str, text: &str| -> std::result::Result<usize, String> {
        text.parse::<usize>()
            .ok()
            .filter(|&n| n >= 1)
            .ok_or_else(|| format!("{name} `{text}` is not a line number (1, 2, 3, ...)"))
    };
    let start = number("start_line", field(2))?;
    let end = number("end_line", field(3))?;
    if start > end {
        return Err(format!(
            "start_line {start} is after end_line {end}; lines are 1-based and inclusive"
        ));
    }
    let count = match lines.get(&key.1) {
        Some(&n) => n,
        None => {
            let n = study
                .transcript(&key.1)
                .map_err(|e| e.to_string())?
                .line_count();
            lines.insert(key.1.clone(), n);
            n
        }
    };
    if end > count {
        return Err(format!(
            "lines {start}-{end} run past the end of `{}`, which has {count} lines",
            key.1
        ));
    }
    let mut seg = Segment::new(code, start, end);
    seg.memo = (!memo.trim().is_empty()).then(|| memo.to_string());
    Ok((key, Some(seg)))
}
