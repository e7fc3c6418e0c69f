//! The one rule for files inside a study: only plain files and folders.
//!
//! A study arrives from teammates, so anything in it may be hostile. A
//! symbolic link could make cbr read a file outside the study (and commit it
//! to the shared repository) or write codings into a folder elsewhere; a
//! FIFO or device would block a read forever. Every place that reads,
//! lists, writes or commits study files goes through this module, which
//! refuses links and special files with a message naming the path, and
//! never follows a link while checking.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Component, Path, PathBuf};

use super::error::{Result, StudyError};

/// What a path inside the study is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Missing,
    File,
    Dir,
}

/// The kind of one directory entry, read without following links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    /// A symbolic link, FIFO, socket or device: refused when used.
    Other,
}

/// The message for a symbolic link at `rel`.
pub fn link_refused(rel: &Path) -> StudyError {
    StudyError::Refused(format!(
        "{}: is a symbolic link; cbr never follows links inside a study (one could point at \
         files outside it): replace it with the real file or folder, or remove it (`git rm`)",
        rel.display()
    ))
}

/// The message for a FIFO, socket or device at `rel`.
pub fn special_refused(rel: &Path) -> StudyError {
    StudyError::Refused(format!(
        "{}: is not a regular file (a FIFO, socket or device); cbr reads only plain files in a \
         study: remove it",
        rel.display()
    ))
}

fn kind_of(rel: &Path, meta: &fs::Metadata) -> Result<Kind> {
    let ft = meta.file_type();
    if ft.is_symlink() {
        Err(link_refused(rel))
    } else if ft.is_dir() {
        Ok(Kind::Dir)
    } else if ft.is_file() {
        Ok(Kind::File)
    } else {
        Err(special_refused(rel))
    }
}

/// What `rel` (relative to `root`) is, checking every component on the way
/// without following links: a link or special file anywhere is refused.
/// A path below a plain file is `Missing`.
pub fn check(root: &Path, rel: &Path) -> Result<Kind> {
    let mut so_far = PathBuf::new();
    let mut kind = Kind::Dir;
    for part in rel.components() {
        match part {
            Component::Normal(name) => so_far.push(name),
            Component::CurDir => continue,
            _ => {
                return Err(StudyError::Refused(format!(
                    "{}: not a path inside the study",
                    rel.display()
                )));
            }
        }
        if kind != Kind::Dir {
            return Ok(Kind::Missing);
        }
        kind = match fs::symlink_metadata(root.join(&so_far)) {
            Ok(meta) => kind_of(&so_far, &meta)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Kind::Missing),
            Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => return Ok(Kind::Missing),
            Err(e) => return Err(StudyError::io(&so_far, e)),
        };
    }
    Ok(kind)
}

/// Reads the plain file at `rel`. A missing file is an `Io` error of kind
/// `NotFound`, so callers can tell "absent" from "refused".
pub fn read(root: &Path, rel: &Path) -> Result<Vec<u8>> {
    match check(root, rel)? {
        Kind::File => {}
        Kind::Missing => {
            return Err(StudyError::io(rel, io::ErrorKind::NotFound.into()));
        }
        Kind::Dir => {
            return Err(StudyError::Refused(format!(
                "{}: is a folder where a file was expected; move it away",
                rel.display()
            )));
        }
    }
    // The file could be swapped between the check and the open: refuse a
    // link there too, and never block on a FIFO put in its place.
    let mut file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(root.join(rel))
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => link_refused(rel),
            _ => StudyError::io(rel, e),
        })?;
    let meta = file.metadata().map_err(|e| StudyError::io(rel, e))?;
    if !meta.file_type().is_file() {
        return Err(special_refused(rel));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)
        .map_err(|e| StudyError::io(rel, e))?;
    Ok(bytes)
}

/// Like [`read`], with `None` for a file that is not there.
pub fn read_if_present(root: &Path, rel: &Path) -> Result<Option<Vec<u8>>> {
    match read(root, rel) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(StudyError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Reads a file outside the study given on the command line (a transcript
/// or CSV to import): links are fine there, but a FIFO or device is not a
/// file to import and must not hang the command.
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    let meta = fs::metadata(path).map_err(|e| StudyError::io(path, e))?;
    if meta.is_dir() {
        return Err(StudyError::Refused(format!(
            "{}: is a folder, not a file",
            path.display()
        )));
    }
    if !meta.file_type().is_file() || meta.file_type().is_fifo() {
        return Err(special_refused(path));
    }
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| StudyError::io(path, e))?;
    Ok(bytes)
}

/// The entries of the folder `rel` as (name, kind), unsorted; `None` if it
/// does not exist. The folder itself and every folder above it must be real.
pub fn read_dir(root: &Path, rel: &Path) -> Result<Option<Vec<(String, EntryKind)>>> {
    match check(root, rel)? {
        Kind::Missing => return Ok(None),
        Kind::File => {
            return Err(StudyError::Refused(format!(
                "{}: is a file where a folder was expected; move it away",
                rel.display()
            )));
        }
        Kind::Dir => {}
    }
    let read = fs::read_dir(root.join(rel)).map_err(|e| StudyError::io(rel, e))?;
    let mut out = Vec::new();
    for entry in read {
        let entry = entry.map_err(|e| StudyError::io(rel, e))?;
        let ft = entry.file_type().map_err(|e| StudyError::io(rel, e))?;
        let kind = if ft.is_file() {
            EntryKind::File
        } else if ft.is_dir() {
            EntryKind::Dir
        } else {
            EntryKind::Other
        };
        out.push((entry.file_name().to_string_lossy().into_owned(), kind));
    }
    Ok(Some(out))
}

/// Refuses to write `rel` when a folder on its way is a link (the write
/// would land outside the study) or the file itself is a link or special.
pub fn check_writable(root: &Path, rel: &Path) -> Result<()> {
    check(root, rel).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_and_fifos_are_refused_by_name_and_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("s");
        let outside = dir.path().join("outside");
        fs::create_dir_all(root.join("codings")).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("secret"), "key").unwrap();
        symlink(&outside, root.join("codings/victim")).unwrap();
        symlink(outside.join("secret"), root.join("leak.txt")).unwrap();
        let err = read(&root, Path::new("codings/victim/secret"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("codings/victim: is a symbolic link"),
            "{err}"
        );
        let err = read(&root, Path::new("leak.txt")).unwrap_err().to_string();
        assert!(err.starts_with("leak.txt: is a symbolic link"), "{err}");
        assert!(read_dir(&root, Path::new("codings/victim")).is_err());
        let fifo = root.join("pipe.txt");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = read(&root, Path::new("pipe.txt")).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        assert!(read_input(&fifo).is_err());
        let listed = read_dir(&root, Path::new("codings")).unwrap().unwrap();
        assert_eq!(listed, vec![("victim".to_string(), EntryKind::Other)]);
        assert_eq!(check(&root, Path::new("nope/x")).unwrap(), Kind::Missing);
    }
}
