//! The zip of a `.qdpx`, read and written safely.
//!
//! Reading never writes to disk: entries are read into memory, by name.
//! Entry names that climb out (`../`) or are absolute are refused, links
//! are refused, and the total unpacked size is capped so a zip bomb stops
//! early with a message instead of filling memory.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::FormatError;

/// Unpacked bytes a project may hold in all (transcripts are text: even a
/// large corpus stays far below this).
pub const MAX_UNPACKED: u64 = 512 * 1024 * 1024;

/// The files of an archive, keyed by their name with `/` separators.
#[derive(Debug, Default)]
pub struct Entries {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Entries {
    /// A file by name, ignoring the case of the name (tools disagree on
    /// `Sources/` and `sources/`).
    pub fn get_ci(&self, name: &str) -> Option<(&str, &[u8])> {
        let want = name.to_ascii_lowercase();
        self.files
            .iter()
            .find(|(k, _)| k.to_ascii_lowercase() == want)
            .map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The project file: `project.qde`, or the only `.qde` at the top.
    pub fn qde(&self) -> Result<(&str, &[u8]), FormatError> {
        if let Some(found) = self.get_ci("project.qde") {
            return Ok(found);
        }
        let top: Vec<(&String, &Vec<u8>)> = self
            .files
            .iter()
            .filter(|(k, _)| !k.contains('/') && k.to_ascii_lowercase().ends_with(".qde"))
            .collect();
        match top.as_slice() {
            [(k, v)] => Ok((k.as_str(), v.as_slice())),
            [] => Err(FormatError::new(
                "the archive holds no .qde project file: this is not a REFI-QDA project (.qdpx)",
            )),
            _ => Err(FormatError::new(
                "the archive holds several .qde files and none is project.qde; keep only one",
            )),
        }
    }
}

/// Reads every entry of a zip, refusing unsafe names and oversized content.
pub fn read(bytes: &[u8], cap: u64) -> Result<Entries, FormatError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| FormatError::new(format!("not a readable zip archive: {e}")))?;
    let mut out = Entries::default();
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut file = zip
            .by_index(i)
            .map_err(|e| FormatError::new(format!("zip entry {i}: {e}")))?;
        let name = file
            .name()
            .map_err(|e| FormatError::new(format!("zip entry {i}: {e}")))?
            .into_owned();
        let climbs = name.split(['/', '\\']).any(|p| p == "..");
        if climbs || name.starts_with(['/', '\\']) || file.enclosed_name().is_none() {
            return Err(FormatError::new(format!(
                "zip entry `{name}` points outside the archive (absolute or `..`); refusing the file"
            )));
        }
        if file.is_symlink() {
            return Err(FormatError::new(format!(
                "zip entry `{name}` is a link; refusing the file"
            )));
        }
        if file.is_dir() {
            continue;
        }
        let mut data = Vec::new();
        // Declared sizes can lie: count what actually comes out.
        let left = cap.saturating_sub(total);
        (&mut file)
            .take(left + 1)
            .read_to_end(&mut data)
            .map_err(|e| FormatError::new(format!("zip entry `{name}`: {e}")))?;
        total += data.len() as u64;
        if total > cap {
            return Err(FormatError::new(format!(
                "the archive unpacks to more than {} MiB (stopped at `{name}`); refusing it as a possible zip bomb",
                cap / (1024 * 1024)
            )));
        }
        out.files.insert(name.replace('\\', "/"), data);
    }
    Ok(out)
}

/// Writes a zip (deflated) of `files`, in the order given.
pub fn write(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, FormatError> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o600);
    let err = |e: &dyn std::fmt::Display| FormatError::new(format!("writing the archive: {e}"));
    for (name, data) in files {
        zip.start_file(name.as_str(), opts).map_err(|e| err(&e))?;
        zip.write_all(data).map_err(|e| err(&e))?;
    }
    Ok(zip.finish().map_err(|e| err(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_case_insensitive_lookup() {
        let zip = write(&[
            ("project.qde".into(), b"<Project/>".to_vec()),
            ("sources/A.txt".into(), b"hello".to_vec()),
        ])
        .unwrap();
        let e = read(&zip, MAX_UNPACKED).unwrap();
        assert_eq!(e.qde().unwrap().0, "project.qde");
        assert_eq!(e.get_ci("Sources/a.TXT").unwrap().1, b"hello");
    }

    #[test]
    fn climbing_names_and_bombs_are_refused() {
        let zip = write(&[("../evil.txt".into(), b"x".to_vec())]).unwrap();
        let err = read(&zip, MAX_UNPACKED).unwrap_err();
        assert!(err.message.contains("outside the archive"), "{err}");
        let zip = write(&[("/etc/passwd".into(), b"x".to_vec())]).unwrap();
        assert!(read(&zip, MAX_UNPACKED).is_err());
        let big = write(&[("big.txt".into(), vec![b'a'; 100_000])]).unwrap();
        let err = read(&big, 1000).unwrap_err();
        assert!(err.message.contains("zip bomb"), "{err}");
        let none = write(&[("x.txt".into(), b"x".to_vec())]).unwrap();
        let e = read(&none, MAX_UNPACKED).unwrap();
        assert!(e.qde().unwrap_err().message.contains("no .qde"));
        assert!(read(b"not a zip", MAX_UNPACKED).is_err());
    }
}
