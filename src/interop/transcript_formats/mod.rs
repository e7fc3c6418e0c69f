//! Transcripts as transcribers deliver them: Word (`.docx`), OpenDocument
//! (`.odt`), subtitles (`.vtt`, `.srt`), Markdown (`.md`) and plain text
//! (`.txt`), turned into the plain UTF-8 lines cbr stores.
//!
//! Plain text is kept byte for byte. The other formats are converted: one
//! paragraph (or subtitle cue) per line, with speaker labels written the way
//! cbr recognises turns (`NAME: text`, or `[Name Surname] text`). Whatever a
//! conversion leaves out or decides (tracked changes, comments) is reported
//! in [`Converted::notes`] so that the person importing is told.

mod docx;
mod markdown;
mod odt;
mod paragraphs;
mod speakers;
mod subtitles;
#[cfg(test)]
mod tests;
mod xml;
mod zipguard;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The formats `cbr import` takes, as listed in messages.
pub const SUPPORTED: &str = ".txt, .md, .docx, .odt, .vtt, .srt";

/// Inputs above this size are refused before reading: a transcript of a
/// whole day's interviews is a few megabytes, even as a Word file.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// A file turned into transcript text.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    /// The text to store as `transcripts/<id>.txt`: the original bytes for
    /// `.txt` (and `.md` that needs no change), otherwise UTF-8 with `\n`.
    pub bytes: Vec<u8>,
    /// The text of `transcripts/<id>.toml` (subtitle cue times), if any.
    pub meta: Option<String>,
    /// What the conversion decided or left out, for the person importing.
    pub notes: Vec<String>,
    /// The format read, e.g. `docx`.
    pub format: &'static str,
}

/// A file that cannot be imported: the file, and what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct FormatError {
    pub path: PathBuf,
    pub message: String,
}

/// Reads `path` and converts it by its extension. Symbolic links are not
/// followed when they sit inside `protected` (the study: its files are
/// untrusted), and anything that is not a regular file is refused.
pub fn read(path: &Path, protected: &Path) -> Result<Converted, FormatError> {
    let fail = |message: String| FormatError {
        path: path.to_path_buf(),
        message,
    };
    let format = format_of(path).map_err(fail)?;
    let link = fs::symlink_metadata(path).map_err(|e| fail(e.to_string()))?;
    if link.file_type().is_symlink() {
        // Where the link itself sits: a link planted in a shared study could
        // point at any file of the person importing.
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        let folder = fs::canonicalize(parent.unwrap_or(Path::new(".")));
        let root = fs::canonicalize(protected);
        if let (Ok(folder), Ok(root)) = (folder, root)
            && folder.starts_with(root)
        {
            return Err(fail(
                "is a symbolic link inside the study; cbr does not follow links there, import the file it points to instead".into(),
            ));
        }
    }
    let meta = fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail(
            "is not a regular file; give the path of a transcript file".into(),
        ));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(fail(format!(
            "is {} MB, more than the {} MB cbr imports as one transcript; split it into several files",
            meta.len() / (1024 * 1024),
            MAX_INPUT_BYTES / (1024 * 1024)
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)
        .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(e.to_string()))?;
    convert(format, &bytes).map_err(fail)
}

/// Converts bytes already read (a source inside a project archive, say);
/// `name` gives the format by its extension and names the file in errors.
pub fn from_bytes(name: &Path, bytes: &[u8]) -> Result<Converted, FormatError> {
    let fail = |message: String| FormatError {
        path: name.to_path_buf(),
        message,
    };
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(fail(format!(
            "is more than the {} MB cbr imports as one transcript; split it into several files",
            MAX_INPUT_BYTES / (1024 * 1024)
        )));
    }
    convert(format_of(name).map_err(fail)?, bytes).map_err(fail)
}

/// The format of a file, by its extension (any case).
fn format_of(path: &Path) -> Result<&'static str, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    Ok(match ext.as_str() {
        "txt" => "txt",
        "md" | "markdown" => "md",
        "docx" => "docx",
        "odt" => "odt",
        "vtt" => "vtt",
        "srt" => "srt",
        "doc" => {
            return Err(format!(
                "old Word format (.doc) is not read; open it in Word or LibreOffice and save it as .docx (cbr imports {SUPPORTED})"
            ));
        }
        "" => {
            return Err(format!(
                "has no extension, so its format is unknown; rename it to say what it is (cbr imports {SUPPORTED})"
            ));
        }
        other => {
            return Err(format!(
                "`.{}` is not a transcript format cbr reads; save it as .docx or plain UTF-8 text (cbr imports {SUPPORTED})",
                crate::model::text::inert(other)
            ));
        }
    })
}

/// Converts the bytes of a file in `format` (as returned by `format_of`).
fn convert(format: &'static str, bytes: &[u8]) -> Result<Converted, String> {
    let (bytes, meta, notes) = match format {
        "txt" => (bytes.to_vec(), None, Vec::new()),
        "md" => (markdown::convert(bytes)?, None, Vec::new()),
        "docx" => {
            let (text, notes) = docx::convert(bytes)?;
            (text.into_bytes(), None, notes)
        }
        "odt" => {
            let (text, notes) = odt::convert(bytes)?;
            (text.into_bytes(), None, notes)
        }
        "vtt" | "srt" => {
            let (text, meta, notes) = subtitles::convert(format, bytes)?;
            (text.into_bytes(), Some(meta), notes)
        }
        _ => unreachable!("format_of returns only the formats above"),
    };
    if format != "txt" && bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("holds no text to import; check that it is the transcript you meant".into());
    }
    Ok(Converted {
        bytes,
        meta,
        notes,
        format,
    })
}

/// Joins converted lines into stored text: `\n` after every line.
fn join_lines(lines: &[String]) -> String {
    let mut text = String::new();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// Text from a UTF-8 input, or the place of the first bad byte.
fn utf8(bytes: &[u8]) -> Result<&str, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = 1 + bytes[..offset].iter().filter(|b| **b == b'\n').count();
        format!(
            "line {line}: not valid UTF-8 at byte {offset}; convert the file first, e.g. `iconv -f WINDOWS-1252 -t UTF-8 in out`"
        )
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// The non-zero counts among `(n, thing)`, as `1 insertion, 2 deletions`.
fn counts(items: &[(usize, &str)]) -> String {
    let named: Vec<String> = items
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, thing)| count(*n, thing))
        .collect();
    named.join(", ")
}

/// `n thing` or `n things`.
fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

#[cfg(test)]
mod unit_tests {
    use super::*;

    #[test]
    fn unknown_formats_say_what_to_do() {
        let err = format_of(Path::new("a.pdf")).unwrap_err();
        assert!(err.contains("`.pdf`") && err.contains(".docx"), "{err}");
        assert!(
            format_of(Path::new("a.doc"))
                .unwrap_err()
                .contains("save it as .docx")
        );
        assert!(
            format_of(Path::new("README"))
                .unwrap_err()
                .contains("no extension")
        );
        assert_eq!(format_of(Path::new("A.DOCX")), Ok("docx"));
    }

    #[test]
    fn text_is_kept_byte_for_byte() {
        let c = convert("txt", b"INT: a\r\nP: b\n").unwrap();
        assert_eq!(c.bytes, b"INT: a\r\nP: b\n");
        assert!(c.meta.is_none() && c.notes.is_empty());
    }

    #[test]
    fn an_empty_conversion_is_refused() {
        assert!(convert("md", b"  \n").unwrap_err().contains("no text"));
    }
}
