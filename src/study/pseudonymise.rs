//! `cbr pseudonymise` and `cbr check --pseudonyms`: a mapping of real
//! names to pseudonyms applied to every transcript (with its metadata and
//! the memos of its codings) and to codebook example quotes, each
//! transcript re-anchored and committed on its own; then a search of the
//! current files for any original still there.
//!
//! The mapping holds the real names, so it must live outside the study:
//! anything inside can end up in a commit and on the shared server.

use std::path::{Path, PathBuf};

use git2::Repository;
use serde::Serialize;

use crate::model::pseudonym::{self, Mapping, Match};

use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::layout;
use super::load::Study;
use super::reanchor::{self, Report, current_bytes, memo_fields};
use super::safe_fs::read_if_present;
use super::text_recheck;

/// Reads and checks a mapping file, refusing one inside the study.
pub fn load_mapping(study: &Study, file: &Path) -> Result<Mapping> {
    let abs = file.canonicalize().map_err(|e| StudyError::io(file, e))?;
    let root = study
        .root
        .canonicalize()
        .map_err(|e| StudyError::io(&study.root, e))?;
    // The path as given counts too: a link inside the study is still
    // something a `git add .` would pick up.
    let given = std::env::current_dir()
        .map(|d| d.join(file))
        .unwrap_or_else(|_| file.to_path_buf());
    if abs.starts_with(&root) || given.starts_with(&study.root) || given.starts_with(&root) {
        let name = abs.file_name().map_or("pseudonyms.csv".into(), |n| {
            n.to_string_lossy().into_owned()
        });
        return Err(StudyError::InvalidInput(format!(
            "{}: the mapping is inside the study folder {}; it holds the real names, and anything in the study can end up in a commit and on the shared server. Keep it outside, readable only by you: `mkdir -p ~/private && mv {} ~/private/ && chmod 600 ~/private/{name}` (nothing was changed)",
            file.display(),
            root.display(),
            file.display(),
        )));
    }
    let bytes = std::fs::read(&abs).map_err(|e| StudyError::io(file, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        StudyError::NotUtf8 {
            path: file.to_path_buf(),
            source: crate::model::transcript::NotUtf8::at(e.as_bytes(), offset),
        }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let is_toml = abs
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let pairs = if is_toml {
        pseudonym::parse_toml(text)
    } else {
        pseudonym::parse_csv(text)
    };
    pairs.and_then(Mapping::new).map_err(|e| {
        StudyError::InvalidInput(format!(
            "{}:{}: {} (nothing was changed)",
            file.display(),
            e.line,
            e.message
        ))
    })
}

/// One replacement the pass would make.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub path: PathBuf,
    /// `line:col` in a text file, or the field (`segment 12-13 police memo`).
    pub place: String,
    pub original: String,
    pub pseudonym: String,
    /// The surrounding words, with the match marked.
    pub context: String,
}

/// The words around a match, with `[found → pseudonym]` in the middle.
fn context(text: &str, m: &Match, pseudonym: &str) -> String {
    let before: String = {
        let s: Vec<char> = text[..m.start].chars().collect();
        s[s.len().saturating_sub(30)..].iter().collect()
    };
    let after: String = text[m.end..].chars().take(30).collect();
    let cut = |s: &str| s.split('\n').next().unwrap_or("").to_string();
    let before = before.rsplit('\n').next().unwrap_or("").to_string();
    format!(
        "…{before}[{} → {}]{}…",
        &text[m.start..m.end],
        pseudonym::case_like(pseudonym, &text[m.start..m.end]),
        cut(&after)
    )
}

fn hits_in(
    mapping: &Mapping,
    path: &Path,
    place: &dyn Fn(&str, &Match) -> String,
    text: &str,
    out: &mut Vec<Hit>,
) {
    for m in mapping.find(text) {
        let pair = &mapping.pairs()[m.pair];
        out.push(Hit {
            path: path.to_path_buf(),
            place: place(text, &m),
            original: text[m.start..m.end].to_string(),
            pseudonym: pseudonym::case_like(&pair.pseudonym, &text[m.start..m.end]),
            context: context(text, &m, &pair.pseudonym),
        });
    }
}

fn line_col(text: &str, m: &Match) -> String {
    let line = 1 + text[..m.start].matches('\n').count();
    let start = text[..m.start].rfind('\n').map_or(0, |i| i + 1);
    format!("{line}:{}", 1 + text[start..m.start].chars().count())
}

/// Every replacement the pass would make, for `--dry-run`.
pub fn preview(study: &Study, mapping: &Mapping) -> Result<Vec<Hit>> {
    let mut out = Vec::new();
    for id in &study.transcripts {
        let rel = layout::transcript_text(id);
        let bytes = current_bytes(study, id)?;
        let text = reanchor::validate(id, &rel, &bytes)
            .map(|_| String::from_utf8_lossy(&bytes).into_owned())?;
        hits_in(mapping, &rel, &line_col, &text, &mut out);
        let meta = layout::transcript_meta(id);
        if let Some(bytes) = read_if_present(&study.root, &meta)? {
            hits_in(
                mapping,
                &meta,
                &line_col,
                &String::from_utf8_lossy(&bytes),
                &mut out,
            );
        }
        for coder in &study.coders {
            let Some(mut coding) = study.coding(coder, id)? else {
                continue;
            };
            let path = layout::coding_file(coder, id);
            for text in memo_fields(&mut coding) {
                hits_in(
                    mapping,
                    &path,
                    &|_, _| "memo or rationale".into(),
                    text,
                    &mut out,
                );
            }
        }
    }
    for q in text_recheck::load_all(study)? {
        let path = text_recheck::path(&q.coder);
        let place = format!("re-check item {}", q.item.item());
        for text in [&q.item.old_text, &q.item.new_text] {
            hits_in(mapping, &path, &|_, _| place.clone(), text, &mut out);
        }
    }
    for code in study.codebook.codes.values() {
        for (i, ex) in code.examples.iter().enumerate() {
            let place = format!("example {} quote", i + 1);
            hits_in(
                mapping,
                &layout::code_file(&code.id),
                &|_, _| place.clone(),
                &ex.quote,
                &mut out,
            );
        }
    }
    Ok(out)
}

/// Applies the mapping to every string of a TOML table (transcript metadata).
fn apply_to_table(mapping: &Mapping, table: &mut toml::Table) -> usize {
    fn value(mapping: &Mapping, v: &mut toml::Value) -> usize {
        match v {
            toml::Value::String(s) => {
                let (new, n) = mapping.apply(s);
                *s = new;
                n
            }
            toml::Value::Array(items) => items.iter_mut().map(|v| value(mapping, v)).sum(),
            toml::Value::Table(t) => t.iter_mut().map(|(_, v)| value(mapping, v)).sum(),
            _ => 0,
        }
    }
    table.iter_mut().map(|(_, v)| value(mapping, v)).sum()
}

/// The pass: one commit per transcript that changed, then one for the
/// codebook's example quotes.
pub fn run(root: &Path, repo: &Repository, author: &Author, mapping: &Mapping) -> Result<Pass> {
    let mut reports = Vec::new();
    let first = Study::open(root)?;
    // Everything the pass reads is read once up front, so a bad file
    // stops it before the first commit rather than half-way.
    preview(&first, mapping)?;
    for id in &first.transcripts {
        let meta = layout::transcript_meta(id);
        if let Some(bytes) = read_if_present(&first.root, &meta)? {
            let text = String::from_utf8_lossy(&bytes);
            toml::from_str::<toml::Table>(&text).map_err(|e| {
                StudyError::Invalid(super::diagnostic::Diagnostic::from_toml(&meta, &text, &e))
            })?;
        }
    }
    let mut study = first.clone();
    for id in &first.transcripts {
        let rel = layout::transcript_text(id);
        let bytes = current_bytes(&study, id)?;
        reanchor::validate(id, &rel, &bytes)?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (new_text, in_text) = mapping.apply(&text);
        let mut plan = reanchor::plan(&study, repo, id, new_text.as_bytes(), Some(&bytes), &|s| {
            mapping.apply(s)
        })?;
        plan.report.replaced += in_text;
        if in_text > 0 {
            plan.files.insert(rel.clone(), Some(new_text.into_bytes()));
        }
        let meta = layout::transcript_meta(id);
        if let Some(meta_bytes) = read_if_present(&study.root, &meta)? {
            let meta_text = String::from_utf8_lossy(&meta_bytes);
            if let Ok(mut table) = toml::from_str::<toml::Table>(&meta_text) {
                // (Checked above: a table that does not parse stopped the pass.)
                let n = apply_to_table(mapping, &mut table);
                if n > 0 {
                    plan.report.replaced += n;
                    let out = toml::to_string_pretty(&table).expect("a TOML table serialises");
                    plan.files.insert(meta, Some(out.into_bytes()));
                }
            }
        }
        if plan.report.replaced == 0 {
            continue;
        }
        let touched_codebook = plan.files.keys().any(|p| p.starts_with(layout::CODES_DIR));
        reports.push(plan.commit(&study, repo, author, "pseudonymise")?);
        if touched_codebook {
            // Example sources moved: the next plan must start from them.
            study = Study::open(root)?;
        }
    }
    let study = Study::open(root)?;
    let mut paths = Vec::new();
    let mut total = 0;
    for code in study.codebook.codes.values() {
        let mut code = code.clone();
        let mut n = 0;
        for ex in &mut code.examples {
            let (quote, k) = mapping.apply(&ex.quote);
            ex.quote = quote;
            n += k;
        }
        if n > 0 {
            total += n;
            paths.push(study.save_code(&code)?);
        }
    }
    // Re-check items quote passages as they were coded, names included.
    let mut in_items = 0;
    for coder in text_recheck::coders_with_items(&study)? {
        let mut items = text_recheck::load(&study, &coder)?;
        let mut n = 0;
        for item in &mut items {
            for text in [&mut item.old_text, &mut item.new_text] {
                let (new, k) = mapping.apply(text);
                *text = new;
                n += k;
            }
        }
        if n > 0 {
            in_items += n;
            let rel = text_recheck::path(&coder);
            if let Some(bytes) = text_recheck::render(&items) {
                super::atomic::write_atomic(&study.root.join(&rel), &bytes)
                    .map_err(|e| StudyError::io(&rel, e))?;
            }
            paths.push(rel);
        }
    }
    let mut parts = Vec::new();
    if total > 0 {
        let codes = paths
            .iter()
            .filter(|p| p.starts_with(layout::CODES_DIR))
            .count();
        parts.push(format!(
            "codebook examples: {total} replacement(s) in {codes} code(s)"
        ));
    }
    if in_items > 0 {
        parts.push(format!("re-check items: {in_items} replacement(s)"));
    }
    if !paths.is_empty() {
        git::commit_paths(
            repo,
            author,
            &format!("{}: pseudonymise {}\n", author.coder, parts.join("; ")),
            &paths,
        )?;
    }
    Ok(Pass {
        reports,
        examples: total,
        recheck_items: in_items,
    })
}

/// What a pass did.
#[derive(Debug, Clone, Serialize)]
pub struct Pass {
    /// One per transcript committed.
    pub reports: Vec<Report>,
    /// Replacements in codebook example quotes.
    pub examples: usize,
    /// Replacements in the passages quoted by re-check items.
    pub recheck_items: usize,
}

/// An original still present in a current file.
#[derive(Debug, Clone, Serialize)]
pub struct Leftover {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub original: String,
}

/// Every original still present in the study's current files (not its
/// history), with the number of files that could not be searched.
pub fn leftovers(study: &Study, mapping: &Mapping) -> Result<(Vec<Leftover>, Vec<PathBuf>)> {
    let mut out = Vec::new();
    let mut unread = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(dir) = stack.pop() {
        let read = std::fs::read_dir(study.root.join(&dir)).map_err(|e| StudyError::io(&dir, e))?;
        let mut names: Vec<_> = read.filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
        names.sort();
        for name in names {
            let rel = dir.join(&name);
            if rel == Path::new(".git") {
                continue;
            }
            let meta = std::fs::symlink_metadata(study.root.join(&rel))
                .map_err(|e| StudyError::io(&rel, e))?;
            if meta.is_dir() {
                stack.push(rel);
                continue;
            }
            if !meta.file_type().is_file() {
                unread.push(rel);
                continue;
            }
            let Some(bytes) = read_if_present(&study.root, &rel)? else {
                continue;
            };
            let Ok(text) = String::from_utf8(bytes) else {
                unread.push(rel);
                continue;
            };
            for (i, line) in text.lines().enumerate() {
                for m in mapping.find_loose(line) {
                    out.push(Leftover {
                        path: rel.clone(),
                        line: i + 1,
                        column: 1 + line[..m.start].chars().count(),
                        original: mapping.pairs()[m.pair].original.clone(),
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Ok((out, unread))
}
