//! "Text changed" items of the re-check queue: segments whose own words
//! were rewritten or deleted when their transcript changed (see
//! `reanchor`). Unlike outdated definitions, these cannot be recomputed
//! from the files, so they are kept in `recheck/<coder>.toml` (one file per
//! coder, so coders' clears never conflict) until the coder clears them.
//! `cbr recheck list` merges them with the outdated-definition items.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Slug;
use crate::model::reanchor::LineMap;

use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::load::Study;
use super::outdated::{item_name, selects};
use super::safe_fs::read_if_present;

pub const RECHECK_DIR: &str = "recheck";

/// One segment whose text changed under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextChanged {
    pub transcript: Slug,
    /// Where the segment is now, 1-based and inclusive.
    pub start_line: usize,
    pub end_line: usize,
    pub code: Slug,
    /// The passage as it was coded.
    pub old_text: String,
    /// The passage the segment now covers.
    pub new_text: String,
}

impl TextChanged {
    /// The name a coder types to clear it, as for outdated items.
    pub fn item(&self) -> String {
        item_name(
            &self.transcript,
            (self.start_line, self.end_line),
            &self.code,
        )
    }

    pub fn matches(&self, selector: &str) -> bool {
        selects(&self.item(), &self.transcript, selector)
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    items: Vec<TextChanged>,
}

/// One coder's item, for listings over every coder.
#[derive(Debug, Clone, Serialize)]
pub struct Queued {
    pub coder: Slug,
    #[serde(flatten)]
    pub item: TextChanged,
}

pub fn path(coder: &Slug) -> PathBuf {
    Path::new(RECHECK_DIR).join(format!("{coder}.toml"))
}

/// A coder's items (none when the file does not exist).
pub fn load(study: &Study, coder: &Slug) -> Result<Vec<TextChanged>> {
    let rel = path(coder);
    let Some(bytes) = read_if_present(&study.root, &rel)? else {
        return Ok(Vec::new());
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        StudyError::Refused(format!(
            "{}: not UTF-8; restore it with `git checkout -- {}`",
            rel.display(),
            rel.display()
        ))
    })?;
    let file: File = toml::from_str(&text).map_err(|e| {
        StudyError::Invalid(super::diagnostic::Diagnostic::from_toml(&rel, &text, &e))
    })?;
    Ok(file.items)
}

/// Every coder's items, coders in order.
pub fn load_all(study: &Study) -> Result<Vec<Queued>> {
    let mut out = Vec::new();
    for coder in coders_with_items(study)? {
        for item in load(study, &coder)? {
            out.push(Queued {
                coder: coder.clone(),
                item,
            });
        }
    }
    Ok(out)
}

/// The coders that have a file under `recheck/`.
pub fn coders_with_items(study: &Study) -> Result<Vec<Slug>> {
    Ok(
        super::load::list_files(&study.root, Path::new(RECHECK_DIR), ".toml")?
            .into_iter()
            .filter_map(|(stem, _)| Slug::new(&stem).ok())
            .collect(),
    )
}

/// The file's new content, or `None` when the queue is empty and the file goes.
pub fn render(items: &[TextChanged]) -> Option<Vec<u8>> {
    if items.is_empty() {
        return None;
    }
    let mut items = items.to_vec();
    items.sort_by(|a, b| {
        (
            a.transcript.as_str(),
            a.start_line,
            a.end_line,
            a.code.as_str(),
        )
            .cmp(&(
                b.transcript.as_str(),
                b.start_line,
                b.end_line,
                b.code.as_str(),
            ))
    });
    items.dedup();
    let file = File { items };
    Some(
        toml::to_string_pretty(&file)
            .expect("re-check items always serialise")
            .into_bytes(),
    )
}

/// Moves the items of `transcript` along with its text.
pub fn move_items(items: &mut [TextChanged], transcript: &Slug, map: &LineMap) {
    for item in items.iter_mut().filter(|i| &i.transcript == transcript) {
        (item.start_line, item.end_line) = map.range(item.start_line, item.end_line);
    }
}

/// The queues a coder works through: their own, and the consensus's,
/// which belongs to the whole team (nobody codes as `consensus`).
pub fn queues_of(coder: &Slug) -> Vec<Slug> {
    let consensus = Slug::new(crate::model::CONSENSUS).expect("a valid id");
    if coder == &consensus {
        vec![consensus]
    } else {
        vec![coder.clone(), consensus]
    }
}

/// Removes the items named by `selectors` (all when empty) from
/// `author`'s queue and the consensus's, in one commit; returns how many
/// went. Selectors that name nothing here are left to the caller, which
/// also looks in the outdated-definition queue.
pub fn clear(
    study: &Study,
    repo: &git2::Repository,
    author: &Author,
    selectors: &[String],
) -> Result<usize> {
    let mut paths = Vec::new();
    let mut count = 0;
    for coder in queues_of(&author.coder) {
        let items = load(study, &coder)?;
        let (gone, kept): (Vec<_>, Vec<_>) = items
            .into_iter()
            .partition(|i| selectors.is_empty() || selectors.iter().any(|s| i.matches(s)));
        if gone.is_empty() {
            continue;
        }
        count += gone.len();
        let rel = path(&coder);
        let full = study.root.join(&rel);
        match render(&kept) {
            Some(bytes) => super::atomic::write_atomic(&full, &bytes),
            None => std::fs::remove_file(&full),
        }
        .map_err(|e| StudyError::io(&rel, e))?;
        paths.push(rel);
    }
    if count > 0 {
        git::commit_paths(
            repo,
            author,
            &format!(
                "{}: re-checked {count} segment(s) whose transcript text changed\n",
                author.coder
            ),
            &paths,
        )?;
    }
    Ok(count)
}
