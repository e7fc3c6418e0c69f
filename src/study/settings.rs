//! `study.toml` as team work: `cbr coders add/remove` edit the list of
//! coders in one commit, and `cbr sync` shares any other change to the
//! settings (blind coding, approvals, unit) like coding, as long as the
//! file still reads; a broken one stays here, listed as not shared, and
//! `cbr check` says what is wrong with it.

use std::path::{Path, PathBuf};

use git2::Repository;

use crate::model::{Slug, StudyConfig};

use super::atomic::write_atomic;
use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::layout;

/// Commits an uncommitted change to `study.toml` as `author`, if the file
/// parses. Returns the commit.
pub fn commit_if_changed(repo: &Repository, author: &Author) -> Result<Option<String>> {
    let Some(root) = repo.workdir() else {
        return Ok(None);
    };
    let rel = PathBuf::from(layout::STUDY_FILE);
    let dirty = super::sync::integrate::dirty_paths(repo, std::slice::from_ref(&rel))?;
    if dirty.is_empty() || read(root).is_err() {
        return Ok(None);
    }
    let message = format!(
        "{}: change the study's settings (study.toml)\n\nSaved by cbr sync.\n",
        author.coder
    );
    Ok(git::commit_paths(repo, author, &message, &[rel])?.map(|oid| oid.to_string()))
}

fn read(root: &Path) -> Result<StudyConfig> {
    let path = root.join(layout::STUDY_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| StudyError::io(&path, e))?;
    toml::from_str(&text).map_err(|e| {
        StudyError::Refused(format!(
            "{}: cannot be read ({}); run `cbr check` to see where",
            layout::STUDY_FILE,
            e.message()
        ))
    })
}

/// Adds and removes coders in `study.toml` (kept sorted) and commits it.
/// Returns the new list and the commit (`None`: nothing changed).
pub fn change_coders(
    root: &Path,
    author: &Author,
    add: &[Slug],
    remove: &[Slug],
) -> Result<(Vec<Slug>, Option<String>)> {
    let mut config = read(root)?;
    let before = config.coders.clone();
    config.coders.retain(|c| !remove.contains(c));
    for coder in add {
        if !config.coders.contains(coder) {
            config.coders.push(coder.clone());
        }
    }
    config.coders.sort();
    if config.coders == before {
        return Ok((config.coders, None));
    }
    let repo = git::open(root)?;
    let rel = PathBuf::from(layout::STUDY_FILE);
    write_atomic(&root.join(&rel), config.to_toml().as_bytes())
        .map_err(|e| StudyError::io(&rel, e))?;
    let mut said = Vec::new();
    if !add.is_empty() {
        said.push(format!("add {}", names(add)));
    }
    if !remove.is_empty() {
        said.push(format!("remove {}", names(remove)));
    }
    let message = format!("{}: coders: {}\n", author.coder, said.join(", "));
    let commit = git::commit_paths(&repo, author, &message, &[rel])?;
    Ok((config.coders, commit.map(|o| o.to_string())))
}

fn names(ids: &[Slug]) -> String {
    ids.iter().map(Slug::as_str).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coders_are_added_removed_and_committed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("s");
        let author = Author::new(Slug::new("alice").unwrap(), "a@x.invalid");
        crate::study::init::init(&root, "T", &author).unwrap();
        let s = |n: &str| Slug::new(n).unwrap();
        let (list, commit) = change_coders(&root, &author, &[s("bob"), s("alice")], &[]).unwrap();
        assert_eq!(list, vec![s("alice"), s("bob")]);
        assert!(commit.is_some());
        let (list, commit) = change_coders(&root, &author, &[], &[s("bob")]).unwrap();
        assert_eq!(list, vec![s("alice")]);
        assert!(commit.is_some());
        assert!(
            change_coders(&root, &author, &[s("alice")], &[])
                .unwrap()
                .1
                .is_none()
        );
        let repo = git::open(&root).unwrap();
        let head = repo.head().unwrap().peel_to_commit().unwrap();
        assert_eq!(head.summary().unwrap(), Some("alice: coders: remove bob"));

        // A hand edit is shared by sync's commit, a broken one is not.
        std::fs::write(root.join("study.toml"), "title = \"T\"\nblind = true\n").unwrap();
        assert!(commit_if_changed(&repo, &author).unwrap().is_some());
        std::fs::write(root.join("study.toml"), "title = \n").unwrap();
        assert!(commit_if_changed(&repo, &author).unwrap().is_none());
    }
}
