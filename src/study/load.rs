//! Opening a study: the settings, the codebook and the lists of transcripts
//! and coders. Transcript text and codings are read on demand, so opening a
//! large study stays fast.

use std::path::{Path, PathBuf};

use crate::model::coding_parse::parse_coding;
use crate::model::metadata::TranscriptMeta;
use crate::model::{Code, Codebook, Coding, Slug, StudyConfig, Transcript};

use super::diagnostic::Diagnostic;
use super::error::{Result, StudyError};
use super::layout;
use super::safe_fs::{EntryKind, Kind};

/// A study opened from disk. Files that cannot be read are skipped and
/// reported in `problems`, so one bad file never hides the rest of the work.
#[derive(Debug, Clone)]
pub struct Study {
    pub root: PathBuf,
    pub config: StudyConfig,
    pub codebook: Codebook,
    /// Transcript ids with a `.txt` file, sorted.
    pub transcripts: Vec<Slug>,
    /// Coder ids with a folder under `codings/`, sorted (may include `consensus`).
    pub coders: Vec<Slug>,
    pub problems: Vec<Diagnostic>,
}

/// Reads a file as UTF-8 text, naming the file in any error.
pub(crate) fn read_text(root: &Path, rel: &Path) -> Result<String> {
    let bytes = super::safe_fs::read(root, rel)?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        StudyError::NotUtf8 {
            path: rel.to_path_buf(),
            source: crate::model::transcript::NotUtf8::at(e.as_bytes(), offset),
        }
    })
}

/// Parses a TOML file into `T`, locating any error.
pub(crate) fn read_toml<T: serde::de::DeserializeOwned>(root: &Path, rel: &Path) -> Result<T> {
    let text = read_text(root, rel)?;
    toml::from_str(&text).map_err(|e| StudyError::Invalid(Diagnostic::from_toml(rel, &text, &e)))
}

/// Coding files parsed together by [`Study::fold_codings`]: enough to keep
/// the cores busy, few enough that a batch of codings stays small.
const CODINGS_BATCH: usize = 16;

/// A coding file, through the fast reader for cbr's own shape
/// ([`crate::model::coding_parse`]); errors are reported as for any TOML file.
pub(crate) fn read_coding(root: &Path, rel: &Path) -> Result<Coding> {
    parse_text(rel, &read_text(root, rel)?)
}

/// A coding file's text, read from `rel`, parsed.
fn parse_text(rel: &Path, text: &str) -> Result<Coding> {
    parse_coding(text).map_err(|e| StudyError::Invalid(Diagnostic::from_toml(rel, text, &e)))
}

/// The visible (not dot-prefixed) entries of `dir`, relative to root, as
/// (name, kind), sorted by name, never following a link (see
/// [`super::safe_fs`]). A missing folder is an empty list.
fn entries(root: &Path, dir: &Path) -> Result<Vec<(String, EntryKind)>> {
    let mut out: Vec<_> = super::safe_fs::read_dir(root, dir)?
        .unwrap_or_default()
        .into_iter()
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The files of `dir` whose names end with `ext`, as (stem, relative path).
/// Links and special files are listed too, so that reading them reports
/// them by name instead of hiding them.
pub(crate) fn list_files(root: &Path, dir: &Path, ext: &str) -> Result<Vec<(String, PathBuf)>> {
    Ok(entries(root, dir)?
        .into_iter()
        .filter(|(_, kind)| *kind != EntryKind::Dir)
        .filter_map(|(name, _)| {
            let stem = name.strip_suffix(ext)?.to_string();
            Some((stem, dir.join(&name)))
        })
        .collect())
}

/// The folders of `dir`; a link or special file there is a problem.
fn list_dirs(root: &Path, dir: &Path, problems: &mut Vec<Diagnostic>) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (name, kind) in entries(root, dir)? {
        match kind {
            EntryKind::Dir => out.push(name),
            EntryKind::File => {}
            EntryKind::Other => {
                let rel = dir.join(&name);
                let err = match super::safe_fs::check(root, &rel) {
                    Err(e) => e,
                    Ok(_) => super::safe_fs::special_refused(&rel),
                };
                problems.push(as_diagnostic(&rel, err));
            }
        }
    }
    Ok(out)
}

pub(crate) fn slug_or_problem(
    stem: &str,
    rel: &Path,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Slug> {
    match Slug::new(stem) {
        Ok(id) => Some(id),
        Err(e) => {
            problems.push(Diagnostic::new(
                rel,
                1,
                1,
                format!("{what} file name: {e}; rename the file"),
            ));
            None
        }
    }
}

/// Parses the text of `codebook/codes/<file_id>.toml`, checking that the
/// id inside matches the file name.
pub(crate) fn parse_code(rel: &Path, file_id: &Slug, text: &str) -> Result<Code, Diagnostic> {
    match toml::from_str::<Code>(text) {
        Ok(code) if &code.id != file_id => {
            let (line, col) = text
                .find("id")
                .map_or((1, 1), |o| super::diagnostic::line_col(text, o));
            Err(Diagnostic::new(
                rel,
                line,
                col,
                format!(
                    "duplicate or mismatched id: the file is `{file_id}.toml` but says id = \"{}\"; make them the same",
                    code.id
                ),
            ))
        }
        Ok(code) => Ok(code),
        Err(e) => Err(Diagnostic::from_toml(rel, text, &e)),
    }
}

/// Loads every code file; bad files become problems.
pub fn load_codebook(root: &Path, problems: &mut Vec<Diagnostic>) -> Result<Codebook> {
    let mut codes = Vec::new();
    for (stem, rel) in list_files(root, Path::new(layout::CODES_DIR), ".toml")? {
        let Some(file_id) = slug_or_problem(&stem, &rel, "code", problems) else {
            continue;
        };
        let text = match read_text(root, &rel) {
            Ok(text) => text,
            Err(e) => {
                problems.push(Diagnostic::new(&rel, 1, 1, e.to_string()));
                continue;
            }
        };
        match parse_code(&rel, &file_id, &text) {
            Ok(code) => codes.push(code),
            Err(d) => problems.push(d),
        }
    }
    Ok(Codebook::from_codes(codes))
}

impl Study {
    /// Opens the study at `root` (which must hold `study.toml`).
    pub fn open(root: &Path) -> Result<Study> {
        if super::safe_fs::check(root, Path::new(layout::STUDY_FILE))? != Kind::File {
            return Err(StudyError::NotAStudy(root.to_path_buf()));
        }
        let mut problems = Vec::new();
        let config = match read_toml::<StudyConfig>(root, Path::new(layout::STUDY_FILE)) {
            Ok(config) => config,
            Err(e) => {
                problems.push(as_diagnostic(Path::new(layout::STUDY_FILE), e));
                // Fail closed: settings that cannot be read might have
                // asked for blind coding, so hide what blind mode hides.
                let mut config = StudyConfig::new("(study.toml could not be read)");
                config.blind = true;
                config
            }
        };
        let codebook = load_codebook(root, &mut problems)?;
        let mut transcripts = Vec::new();
        for (stem, rel) in list_files(root, Path::new(layout::TRANSCRIPTS_DIR), ".txt")? {
            transcripts.extend(slug_or_problem(&stem, &rel, "transcript", &mut problems));
        }
        let mut coders = Vec::new();
        for name in list_dirs(root, Path::new(layout::CODINGS_DIR), &mut problems)? {
            let rel = Path::new(layout::CODINGS_DIR).join(&name);
            coders.extend(slug_or_problem(&name, &rel, "coder folder", &mut problems));
        }
        Ok(Study {
            root: root.to_path_buf(),
            config,
            codebook,
            transcripts,
            coders,
            problems,
        })
    }

    /// Opens the study containing `start` (searching upwards).
    pub fn discover(start: &Path) -> Result<Study> {
        let start = start.canonicalize().map_err(|e| StudyError::io(start, e))?;
        let root = layout::find_root(&start).ok_or(StudyError::NotAStudy(start))?;
        Study::open(&root)
    }

    pub fn has_transcript(&self, id: &str) -> bool {
        self.transcripts
            .binary_search_by(|t| t.as_str().cmp(id))
            .is_ok()
    }

    /// Reads and splits a transcript's text.
    pub fn transcript(&self, id: &Slug) -> Result<Transcript> {
        let rel = layout::transcript_text(id);
        let bytes = match super::safe_fs::read(&self.root, &rel) {
            Ok(bytes) => bytes,
            Err(StudyError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                return Err(StudyError::UnknownTranscript(id.to_string()));
            }
            Err(e) => return Err(e),
        };
        Transcript::from_bytes(id.clone(), &bytes)
            .map_err(|source| StudyError::NotUtf8 { path: rel, source })
    }

    /// A transcript's optional metadata.
    pub fn meta(&self, id: &Slug) -> Result<Option<TranscriptMeta>> {
        let rel = layout::transcript_meta(id);
        if super::safe_fs::check(&self.root, &rel)? == Kind::Missing {
            return Ok(None);
        }
        read_toml(&self.root, &rel).map(Some)
    }

    /// One coder's coding of one transcript, if the file exists.
    pub fn coding(&self, coder: &Slug, transcript: &Slug) -> Result<Option<Coding>> {
        let rel = layout::coding_file(coder, transcript);
        if super::safe_fs::check(&self.root, &rel)? == Kind::Missing {
            return Ok(None);
        }
        read_coding(&self.root, &rel).map(Some)
    }

    /// The transcripts a coder has a coding file for.
    pub fn coded_by(&self, coder: &Slug) -> Result<Vec<Slug>> {
        let dir = Path::new(layout::CODINGS_DIR).join(coder.as_str());
        Ok(list_files(&self.root, &dir, ".toml")?
            .into_iter()
            .filter_map(|(stem, _)| Slug::new(&stem).ok())
            .collect())
    }

    /// One coder's readable codings; unreadable files become problems.
    pub fn codings_of(&self, coder: &Slug) -> (Vec<Coding>, Vec<Diagnostic>) {
        let mut out = Vec::new();
        let mut problems = Vec::new();
        let dir = Path::new(layout::CODINGS_DIR).join(coder.as_str());
        let files = match list_files(&self.root, &dir, ".toml") {
            Ok(files) => files,
            Err(e) => return (out, vec![as_diagnostic(&dir, e)]),
        };
        for (_, rel) in files {
            match read_coding(&self.root, &rel) {
                Ok(coding) => out.push(coding),
                Err(e) => problems.push(as_diagnostic(&rel, e)),
            }
        }
        (out, problems)
    }

    /// Every readable coding file as (coder, coding); unreadable ones become problems.
    pub fn all_codings(&self) -> (Vec<(Slug, Coding)>, Vec<Diagnostic>) {
        self.map_codings(|_, coding| coding)
    }

    /// `keep` applied to every readable coding file, as (coder, what it
    /// kept), coder by coder and file by file; unreadable files become
    /// problems. Parsing is most of the time, so the files are shared
    /// between the cores; a command that needs only part of each coding
    /// keeps only that, so its memory does not grow with the study.
    pub fn map_codings<T: Send>(
        &self,
        keep: impl Fn(&Slug, Coding) -> T + Sync,
    ) -> (Vec<(Slug, T)>, Vec<Diagnostic>) {
        let mut out = Vec::new();
        let problems = self.fold_codings(&self.coders, keep, |coder, kept| {
            out.push((coder.clone(), kept))
        });
        (out, problems)
    }

    /// The coding files of `coders`, a batch at a time: batches parsed on
    /// every core and passed through `keep`, while `each` takes what was
    /// kept in order on this thread and drops it, so that a caller which
    /// must work one file after the other still holds only a few batches
    /// of codings at once, and works while the next ones are parsed.
    pub fn fold_codings<T: Send>(
        &self,
        coders: &[Slug],
        keep: impl Fn(&Slug, Coding) -> T + Sync,
        each: impl FnMut(&Slug, T),
    ) -> Vec<Diagnostic> {
        self.fold_coding_files(coders, None, keep, each)
    }

    /// The same over only the coding files whose text holds one of
    /// `needles` (e.g. the ids a code may be written as): the others are
    /// read but not parsed, so neither `keep` nor `each` sees them and
    /// their problems are not reported. A file with a backslash is always
    /// parsed, since a TOML escape could spell a needle.
    pub fn fold_codings_mentioning<T: Send>(
        &self,
        coders: &[Slug],
        needles: &[String],
        keep: impl Fn(&Slug, Coding) -> T + Sync,
        each: impl FnMut(&Slug, T),
    ) -> Vec<Diagnostic> {
        self.fold_coding_files(coders, Some(needles), keep, each)
    }

    fn fold_coding_files<T: Send>(
        &self,
        coders: &[Slug],
        needles: Option<&[String]>,
        keep: impl Fn(&Slug, Coding) -> T + Sync,
        mut each: impl FnMut(&Slug, T),
    ) -> Vec<Diagnostic> {
        let mut files: Vec<(&Slug, PathBuf)> = Vec::new();
        let mut problems = Vec::new();
        for coder in coders {
            let dir = Path::new(layout::CODINGS_DIR).join(coder.as_str());
            match list_files(&self.root, &dir, ".toml") {
                Ok(listed) => files.extend(listed.into_iter().map(|(_, rel)| (coder, rel))),
                Err(e) => problems.push(as_diagnostic(&dir, e)),
            }
        }
        let wanted = |text: &str| {
            needles.is_none_or(|needles| {
                text.contains('\\') || needles.iter().any(|n| text.contains(n.as_str()))
            })
        };
        super::parallel::fold_in_order(
            &files,
            CODINGS_BATCH,
            |(coder, rel)| {
                let text = match read_text(&self.root, rel) {
                    Ok(text) => text,
                    Err(e) => return Some(Err(as_diagnostic(rel, e))),
                };
                if !wanted(&text) {
                    return None;
                }
                Some(
                    parse_text(rel, &text)
                        .map(|coding| keep(coder, coding))
                        .map_err(|e| as_diagnostic(rel, e)),
                )
            },
            |(coder, _), result| match result {
                Some(Ok(kept)) => each(coder, kept),
                Some(Err(d)) => problems.push(d),
                None => {}
            },
        );
        problems
    }

    /// Writes a coding file atomically.
    pub fn save_coding(&self, coder: &Slug, coding: &Coding) -> Result<PathBuf> {
        let rel = layout::coding_file(coder, &coding.transcript);
        super::safe_fs::check_writable(&self.root, &rel)?;
        super::atomic::write_atomic(&self.root.join(&rel), coding.to_toml().as_bytes())
            .map_err(|e| StudyError::io(&rel, e))?;
        Ok(rel)
    }

    /// Writes a code file atomically.
    pub fn save_code(&self, code: &Code) -> Result<PathBuf> {
        let rel = layout::code_file(&code.id);
        super::safe_fs::check_writable(&self.root, &rel)?;
        super::atomic::write_atomic(&self.root.join(&rel), code.to_toml().as_bytes())
            .map_err(|e| StudyError::io(&rel, e))?;
        Ok(rel)
    }
}

/// Turns any load error into a located problem for display.
pub fn as_diagnostic(rel: &Path, err: StudyError) -> Diagnostic {
    match err {
        StudyError::Invalid(d) => d,
        StudyError::NotUtf8 { path, source } => {
            Diagnostic::new(&path, source.line, 1, source.to_string())
        }
        other => {
            // Messages that name the file already are not prefixed twice.
            let text = other.to_string();
            let prefix = format!("{}: ", rel.display());
            Diagnostic::new(rel, 1, 1, text.strip_prefix(&prefix).unwrap_or(&text))
        }
    }
}
