//! Reading a study file without following a symlink or opening a special
//! file: everything inside a study is untrusted, and a transcript that is
//! a link to `/etc/shadow` must not end up in a commit.

use std::fs;
use std::io::Read;
use std::path::Path;

use super::error::{Result, StudyError};

/// The bytes of `root/rel`, or `None` if it does not exist. A symlink, a
/// folder or a special file is refused with a message naming the path.
pub fn read_regular(root: &Path, rel: &Path) -> Result<Option<Vec<u8>>> {
    let full = root.join(rel);
    let meta = match fs::symlink_metadata(&full) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StudyError::io(rel, e)),
    };
    if !meta.file_type().is_file() {
        return Err(StudyError::Refused(format!(
            "{}: not a regular file (a symlink, folder or device); cbr only reads plain files inside a study, so replace it with the file itself",
            rel.display()
        )));
    }
    let mut file = open_no_follow(&full).map_err(|e| StudyError::io(rel, e))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| StudyError::io(rel, e))?;
    Ok(Some(bytes))
}

/// Opens without following a final symlink, so a swap between the check
/// above and the open cannot redirect the read.
fn open_no_follow(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}
