//! Reading one part of a zip-based document (`.docx`, `.odt`) without
//! trusting the archive: names that climb out (`../`) or are absolute are
//! refused, and no part is unpacked beyond [`MAX_PART_BYTES`], whatever its
//! header claims, so a zip bomb costs a bounded amount of memory.
//!
//! Nothing is ever written to disk from an archive; the name checks are there
//! because no word processor writes such names, so a file holding them is
//! not what it claims to be.

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

/// Largest unpacked size of one part read from a document. The text of a
/// long interview is well under a megabyte; its XML a few times that.
pub const MAX_PART_BYTES: u64 = 32 * 1024 * 1024;

/// An opened archive whose entry names have been checked.
pub struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
}

/// Opens `bytes` as a zip; `kind` names the document type in messages.
pub fn open<'a>(bytes: &'a [u8], kind: &str) -> Result<Archive<'a>, String> {
    let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        let hint = if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            "it looks like a password-protected or old-format Office file; save it again without a password as"
        } else {
            "the file is damaged or is not really"
        };
        format!(
            "cannot be read as a zip archive ({}): {hint} a {kind} file; open it in your word processor and save it again, or save it as plain text",
            describe(&e)
        )
    })?;
    for name in zip.file_names() {
        let name = name.map_err(|e| format!("an entry name cannot be read ({})", describe(&e)))?;
        if !safe_name(&name) {
            return Err(format!(
                "the archive holds an entry named `{}`, which points outside the archive; no word processor writes that, so cbr refuses the file (save the document again from your word processor)",
                crate::model::text::inert(&name)
            ));
        }
    }
    Ok(Archive { zip })
}

impl Archive<'_> {
    /// The text of the part `name`, or `None` when the archive has no such part.
    pub fn part(&mut self, name: &str) -> Result<Option<String>, String> {
        let mut entry = match self.zip.by_name(name) {
            Ok(entry) => entry,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(format!("{name}: cannot be unpacked ({})", describe(&e))),
        };
        let too_big = || {
            format!(
                "{name}: unpacks to more than {} MB, the most cbr reads from one document part; this is not an ordinary transcript (possibly a zip bomb), so nothing was imported",
                MAX_PART_BYTES / (1024 * 1024)
            )
        };
        if entry.size() > MAX_PART_BYTES {
            return Err(too_big());
        }
        // The header's size may lie: count what actually comes out.
        let mut bytes = Vec::new();
        (&mut entry)
            .take(MAX_PART_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{name}: cannot be unpacked ({e}); the file is damaged"))?;
        if bytes.len() as u64 > MAX_PART_BYTES {
            return Err(too_big());
        }
        String::from_utf8(bytes).map(Some).map_err(|e| {
            format!(
                "{name}: not UTF-8 at byte {}; the file is damaged",
                e.utf8_error().valid_up_to()
            )
        })
    }
}

/// A relative name with no `..`, no drive and no leading slash.
fn safe_name(name: &str) -> bool {
    let name = name.replace('\\', "/");
    !name.starts_with('/')
        && !name.contains('\0')
        && name.chars().nth(1).is_none_or(|c| c != ':')
        && !name.split('/').any(|part| part == "..")
}

fn describe(e: &ZipError) -> String {
    match e {
        ZipError::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    /// A deflated zip holding `parts`, for tests of the document readers.
    pub(crate) fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in parts {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn names_that_climb_out_are_refused() {
        for bad in [
            "../evil.xml",
            "word/../../evil",
            "/etc/passwd",
            "C:/x",
            "..\\x",
        ] {
            let bytes = zip_of(&[(bad, b"x")]);
            let err = open(&bytes, "Word").err().unwrap();
            assert!(err.contains("outside the archive"), "{bad}: {err}");
        }
        assert!(safe_name("word/document.xml"));
    }

    #[test]
    fn a_damaged_zip_says_so() {
        let err = open(b"PK\x03\x04 not really", "Word").err().unwrap();
        assert!(err.contains("cannot be read as a zip archive"), "{err}");
        let mut cut = zip_of(&[("word/document.xml", b"<x/>")]);
        cut.truncate(cut.len() / 2);
        assert!(open(&cut, "Word").is_err());
    }

    #[test]
    fn unpacking_stops_at_the_cap() {
        let big = vec![b' '; (MAX_PART_BYTES + 10) as usize];
        let bytes = zip_of(&[("content.xml", &big)]);
        assert!(bytes.len() < 1024 * 1024, "deflate squeezes blanks");
        let mut archive = open(&bytes, "OpenDocument").ok().unwrap();
        let err = archive.part("content.xml").unwrap_err();
        assert!(err.contains("zip bomb"), "{err}");
        assert_eq!(archive.part("missing.xml"), Ok(None));
    }

    #[test]
    fn a_header_that_understates_the_size_does_not_get_past() {
        let big = vec![b' '; (MAX_PART_BYTES + 10) as usize];
        let mut bytes = zip_of(&[("content.xml", &big)]);
        // Claim 1000 bytes in the local header and the central directory.
        let claim = 1000u32.to_le_bytes();
        bytes[22..26].copy_from_slice(&claim);
        let central = bytes
            .windows(4)
            .rposition(|w| w == [0x50, 0x4b, 0x01, 0x02])
            .unwrap();
        bytes[central + 24..central + 28].copy_from_slice(&claim);
        let mut archive = open(&bytes, "OpenDocument").ok().unwrap();
        let err = archive.part("content.xml").unwrap_err();
        assert!(err.starts_with("content.xml: cannot be unpacked"), "{err}");
    }
}
