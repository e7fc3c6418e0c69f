//! Private by default: interview material is confidential, so everything
//! cbr creates is closed to other accounts on the server, whatever the
//! user's umask.
//!
//! The rule (docs/team.md, "Who can read what"): in a working copy, files
//! are readable by their owner only, unless the working copy's folder has
//! the setgid bit (a group folder made for the study), where the study's
//! group may read and write too. Nothing is ever readable by others.
//! cbr applies it by setting the process umask once at start (so git2's
//! objects, index and lock files follow it too); the shared repository is
//! repaired separately by [`super::remote::share_with_group`].

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::diagnostic::Diagnostic;
use super::layout;

/// The setgid bit on a folder: files created inside take its group.
const SETGID: u32 = 0o2000;

/// The umask for files created under `anchor`: 0o007 when the nearest
/// existing folder is a setgid group folder, 0o077 otherwise.
pub fn umask_for(anchor: &Path) -> u32 {
    if group_folder(anchor) { 0o007 } else { 0o077 }
}

/// Whether the nearest existing folder at or above `path` has the setgid bit.
pub fn group_folder(path: &Path) -> bool {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute
        .ancestors()
        .find_map(|dir| std::fs::metadata(dir).ok().filter(|m| m.is_dir()))
        .is_some_and(|m| m.mode() & SETGID != 0)
}

/// Sets the process umask for work under `anchor` (see [`umask_for`]) and
/// returns it. Called once, before any file is created.
pub fn restrict_umask(anchor: &Path) -> u32 {
    let mask = umask_for(anchor);
    // SAFETY: umask only swaps the process's file mode mask; it cannot fail.
    unsafe { libc::umask(mask as libc::mode_t) };
    mask
}

/// A word for whoever creates a shared repository outside a group folder
/// made for the study: it then belongs to their own primary group, which
/// is rarely the team.
pub fn group_note(shared: &Path) -> Option<String> {
    let parent = shared.parent()?;
    if group_folder(parent) {
        return None;
    }
    let gid = std::fs::metadata(shared).ok()?.gid();
    let group = super::upkeep::group_name(gid);
    Some(format!(
        "note: {} is not inside a group folder made for the study, so it belongs to your group `{group}`; \
         teammates must be in that group. For a study group, see docs/team.md \
         (install -d -m 2770 -g GROUP /srv/studies/NAME).",
        shared.display()
    ))
}

/// Transcripts and codings that other accounts can read, as one warning
/// naming the first such file, how many there are, and the fix. A file
/// counts only if every folder above it lets that class of user through.
pub fn warnings(root: &Path) -> Vec<Diagnostic> {
    let group = group_folder(root);
    let absolute = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    // Which classes (0o070 group, 0o007 others) may walk down to `root`.
    let mut through = if group { 0o007 } else { 0o077 };
    for dir in absolute.ancestors() {
        through = classes_through(through, dir);
    }
    let mut open = Vec::new();
    for sub in [layout::TRANSCRIPTS_DIR, layout::CODINGS_DIR] {
        collect_open(&root.join(sub), through, &mut open);
    }
    let Some(first) = open.first() else {
        return Vec::new();
    };
    let who = if group {
        "other accounts on this server (outside the study's group)"
    } else {
        "other accounts on this server"
    };
    let fix = if group { "o-rwx" } else { "go-rwx" };
    let more = match open.len() {
        1 => String::new(),
        n => format!(" (and {} more file(s) or folder(s))", n - 1),
    };
    vec![Diagnostic::new(
        first.strip_prefix(root).unwrap_or(first),
        1,
        1,
        format!(
            "readable by {who}{more}: interview material must stay private; fix with: chmod -R {fix} {}",
            shell_quote(root)
        ),
    )]
}

/// Of the classes in `classes` (bits of 0o077), those `dir` lets through
/// (its execute bit for that class is set).
fn classes_through(classes: u32, dir: &Path) -> u32 {
    let mode = std::fs::metadata(dir).map_or(0, |m| m.mode());
    let mut out = 0;
    if mode & 0o010 != 0 {
        out |= classes & 0o070;
    }
    if mode & 0o001 != 0 {
        out |= classes & 0o007;
    }
    out
}

/// Files and folders under `path` (links are not followed) that a class
/// in `classes` may read, having got this far.
fn collect_open(path: &Path, classes: u32, out: &mut Vec<PathBuf>) {
    if classes == 0 {
        return;
    }
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if meta.file_type().is_symlink() {
        return;
    }
    if meta.permissions().mode() & classes & 0o044 != 0 {
        out.push(path.to_path_buf());
    }
    if !meta.is_dir() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    let inner = classes_through(classes, path);
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        collect_open(&path, inner, out);
    }
}

/// A path as one shell word, for a command the user copies.
pub fn shell_quote(path: &Path) -> String {
    let text = path.to_string_lossy();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c))
    {
        text.into_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn open_transcripts_are_reported_with_the_one_fix() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("transcripts")).unwrap();
        fs::create_dir_all(root.join("codings/alice")).unwrap();
        let t = root.join("transcripts/interview-01.txt");
        fs::write(&t, "text\n").unwrap();
        let mode =
            |p: &Path, m: u32| fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
        for sub in ["transcripts", "codings", "codings/alice"] {
            mode(&root.join(sub), 0o711);
        }
        mode(&t, 0o644);
        // Behind a private folder, an open file is still private.
        mode(root, 0o700);
        assert!(warnings(root).is_empty());
        mode(root, 0o755);
        let found = warnings(root);
        assert_eq!(found.len(), 1);
        let text = found[0].to_string();
        assert!(
            text.starts_with("transcripts/interview-01.txt:1:1:"),
            "{text}"
        );
        assert!(text.contains("chmod -R go-rwx"), "{text}");
    }

    #[test]
    fn quoting_keeps_plain_paths_plain() {
        assert_eq!(shell_quote(Path::new("/srv/v.git")), "/srv/v.git");
        assert_eq!(shell_quote(Path::new("/a b/it's")), r"'/a b/it'\''s'");
    }
}
