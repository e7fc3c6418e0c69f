//! Retrieved passages, ready to quote: [`quotes`] reads the text of each
//! passage a selection holds (with speaker, coder, memo and metadata),
//! [`markdown`] writes them as a draft takes them, and [`write_private`]
//! saves an export readable by its owner only. `cbr quotes` uses all
//! three; the Codebook tab's retrieval can call the same functions.

use std::collections::{BTreeMap, HashMap};
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use serde::Serialize;

use crate::model::analysis::filter;
use crate::model::text::inert;
use crate::model::{Codebook, Slug};

use super::analysis::{Corpus, Selection};
use super::error::{Result, StudyError};
use super::load::Study;

/// One retrieved passage: ready to quote, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    pub code: Slug,
    /// The code the segment carries (today's id): with roll-up, the
    /// sub-code that counted for `code`.
    pub coded_as: Slug,
    pub transcript: Slug,
    pub start_line: usize,
    pub end_line: usize,
    /// The speaker of the turn the passage starts in.
    pub speaker: Option<String>,
    pub text: Vec<String>,
    pub coder: Slug,
    pub memo: Option<String>,
    /// The transcript's metadata, key → value.
    pub meta: BTreeMap<String, String>,
}

/// Every passage of a selection, by code (in the order asked), then
/// transcript, line and coder. Reads each transcript's text once.
pub fn quotes(study: &Study, corpus: &Corpus<'_>, selection: &Selection<'_>) -> Result<Vec<Quote>> {
    let order: HashMap<&Slug, usize> = selection
        .codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c, i))
        .collect();
    let mut hits = selection.hits.clone();
    hits.sort_by(|a, b| {
        (order.get(a.code), a.transcript, a.start, a.end, a.coder).cmp(&(
            order.get(b.code),
            b.transcript,
            b.start,
            b.end,
            b.coder,
        ))
    });
    let mut texts = HashMap::new();
    let mut out = Vec::with_capacity(hits.len());
    for h in hits {
        if !texts.contains_key(h.transcript) {
            texts.insert(h.transcript, study.transcript(h.transcript)?);
        }
        let t = &texts[h.transcript];
        let meta = corpus
            .meta
            .get(h.transcript)
            .and_then(Option::as_ref)
            .map(|m| {
                filter::keys(m)
                    .into_iter()
                    .filter_map(|k| filter::value(m, &k).map(|v| (k, v)))
                    .collect()
            })
            .unwrap_or_default();
        out.push(Quote {
            code: h.code.clone(),
            coded_as: study
                .codebook
                .resolve(h.segment.code.as_str())
                .map_or_else(|| h.segment.code.clone(), |c| c.id.clone()),
            transcript: h.transcript.clone(),
            start_line: h.start,
            end_line: h.end,
            speaker: t.turn_at(h.start).and_then(|turn| turn.speaker.clone()),
            text: (h.start..=h.end)
                .filter_map(|l| t.line(l).map(str::to_string))
                .collect(),
            coder: h.coder.clone(),
            memo: h.segment.memo.clone(),
            meta,
        });
    }
    Ok(out)
}

/// `interview-01:6–8` (or `:6` for one line).
pub fn source(q: &Quote) -> String {
    if q.start_line == q.end_line {
        format!("{}:{}", q.transcript, q.start_line)
    } else {
        format!("{}:{}–{}", q.transcript, q.start_line, q.end_line)
    }
}

/// Markdown ready to paste: a heading per code, each passage as a block
/// quote followed by its source, speaker, coder and metadata, and memo.
pub fn markdown(codebook: &Codebook, quotes: &[Quote]) -> String {
    let mut md = String::new();
    let mut current: Option<&Slug> = None;
    for q in quotes {
        if current != Some(&q.code) {
            current = Some(&q.code);
            let n = quotes.iter().filter(|x| x.code == q.code).count();
            let name = codebook
                .get(q.code.as_str())
                .map_or("", |c| c.name.as_str());
            md.push_str(&format!(
                "## {} (`{}`): {n} passage(s)\n\n",
                inert(name),
                q.code
            ));
        }
        for line in &q.text {
            md.push_str(&format!("> {}\n", inert(line)));
        }
        let mut about = vec![source(q)];
        if let Some(s) = &q.speaker {
            about.push(format!("speaker {}", inert(s)));
        }
        if q.coded_as != q.code {
            about.push(format!("coded {} by {}", q.coded_as, q.coder));
        } else {
            about.push(format!("coded by {}", q.coder));
        }
        let meta: Vec<String> = ["kind", "city", "participant_role"]
            .iter()
            .filter_map(|k| q.meta.get(*k))
            .map(|v| inert(v).into_owned())
            .collect();
        md.push_str(&format!("\n— {}", about.join(", ")));
        if !meta.is_empty() {
            md.push_str(&format!(" ({})", meta.join(", ")));
        }
        md.push('\n');
        if let Some(memo) = q.memo.as_deref().filter(|m| !m.trim().is_empty()) {
            md.push_str(&format!(
                "\nMemo: {}\n",
                inert(memo.trim()).replace('\n', " ")
            ));
        }
        md.push('\n');
    }
    md
}

/// Writes `bytes` to `path` readable by the owner only (mode 0600), through
/// a temporary file renamed over it, so a crash leaves no half file and an
/// existing file never keeps wider permissions. Anything at `path` that is
/// not a regular file (a link, a folder) is refused rather than followed.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && !meta.is_file()
    {
        return Err(StudyError::InvalidInput(format!(
            "{}: exists and is not a regular file (a link or folder); choose another name",
            path.display()
        )));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(
        ".{}.cbr-tmp-{}",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        StudyError::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn private_files_replace_and_refuse_links() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("quotes.md");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        assert!(
            write_private(&link, b"x")
                .unwrap_err()
                .to_string()
                .contains("not a regular file")
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary file left"
        );
    }
}
