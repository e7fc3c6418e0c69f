//! Opening a project file: a `.qdpx` zip (read into memory, safely), or a
//! bare `.qde` with its sources in a `Sources/` (or `sources/`) folder
//! beside it, as some tools leave them.

use std::fs;
use std::path::Path;

use crate::interop::refi::archive::{self, Entries, MAX_UNPACKED};
use crate::interop::refi::project::{self, Project};

use super::super::error::{Result, StudyError};
use super::read_input;

/// The parsed project and the files that came with it.
pub struct Opened {
    pub project: Project,
    pub files: Entries,
}

fn refused(path: &Path, inner: Option<&str>, e: impl std::fmt::Display) -> StudyError {
    match inner {
        Some(entry) => {
            // `entry:line:col: …` when located, `entry: …` otherwise.
            let msg = e.to_string();
            let sep = if msg.starts_with(|c: char| c.is_ascii_digit()) {
                ":"
            } else {
                ": "
            };
            StudyError::Refused(format!("{}: {entry}{sep}{msg}", path.display()))
        }
        None => StudyError::Refused(format!("{}: {e}", path.display())),
    }
}

/// A `.qde`'s sibling source folder, as archive entries `sources/NAME`.
fn sibling_sources(qde: &Path, files: &mut Entries) -> Result<()> {
    let dir = qde.parent().unwrap_or(Path::new("."));
    let mut total = 0u64;
    for name in ["Sources", "sources"] {
        let folder = dir.join(name);
        let Ok(meta) = fs::symlink_metadata(&folder) else {
            continue;
        };
        if !meta.is_dir() {
            continue;
        }
        for entry in fs::read_dir(&folder).map_err(|e| StudyError::io(&folder, e))? {
            let entry = entry.map_err(|e| StudyError::io(&folder, e))?;
            let path = entry.path();
            let meta = fs::symlink_metadata(&path).map_err(|e| StudyError::io(&path, e))?;
            if !meta.is_file() {
                continue;
            }
            total += meta.len();
            if total > MAX_UNPACKED {
                return Err(StudyError::Refused(format!(
                    "{}: the sources exceed {} MiB",
                    folder.display(),
                    MAX_UNPACKED >> 20
                )));
            }
            let bytes = fs::read(&path).map_err(|e| StudyError::io(&path, e))?;
            files.files.insert(
                format!("sources/{}", entry.file_name().to_string_lossy()),
                bytes,
            );
        }
        break;
    }
    Ok(())
}

pub fn open(path: &Path) -> Result<Opened> {
    let bytes = read_input(path)?;
    let is_qde = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("qde"));
    let (files, qde_name, qde) = if is_qde {
        let mut files = Entries::default();
        sibling_sources(path, &mut files)?;
        (files, None, bytes)
    } else {
        let files = archive::read(&bytes, MAX_UNPACKED).map_err(|e| refused(path, None, e))?;
        let (name, qde) = files.qde().map_err(|e| refused(path, None, e))?;
        let (name, qde) = (name.to_string(), qde.to_vec());
        (files, Some(name), qde)
    };
    let text = std::str::from_utf8(&qde).map_err(|e| {
        refused(
            path,
            qde_name.as_deref(),
            format!(" not UTF-8 at byte {}", e.valid_up_to()),
        )
    })?;
    let project = project::parse(text).map_err(|e| refused(path, qde_name.as_deref(), e))?;
    Ok(Opened { project, files })
}
