//! A study as it was at one commit, read from git objects: the codebook,
//! every transcript with its metadata, every coding. What an export
//! writes, so `--at VERSION` exports exactly that version and uncommitted
//! edits never leak into a file handed to another tool.

use std::path::Path;

use git2::{ObjectType, Oid, Repository, Tree};

use crate::model::metadata::TranscriptMeta;
use crate::model::{Codebook, Coding, Slug};

use super::super::error::{Result, StudyError};
use super::super::versions::codebook_at;

pub struct Snapshot {
    pub codebook: Codebook,
    /// Transcript id, its bytes as stored, its metadata.
    pub transcripts: Vec<(Slug, Vec<u8>, Option<TranscriptMeta>)>,
    /// Coder id and one coding, sorted by coder then transcript.
    pub codings: Vec<(Slug, Coding)>,
}

fn subtree<'r>(repo: &'r Repository, tree: &Tree, path: &str) -> Result<Option<Tree<'r>>> {
    match tree.get_path(Path::new(path)) {
        Ok(e) if e.kind() == Some(ObjectType::Tree) => Ok(Some(repo.find_tree(e.id())?)),
        _ => Ok(None),
    }
}

/// Blobs of a tree as (file name, bytes), hidden files skipped.
fn blobs(repo: &Repository, tree: &Tree) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for e in tree.iter() {
        let Ok(name) = e.name() else { continue };
        if name.starts_with('.') || e.kind() != Some(ObjectType::Blob) {
            continue;
        }
        out.push((name.to_string(), repo.find_blob(e.id())?.content().to_vec()));
    }
    Ok(out)
}

fn toml_of<T: serde::de::DeserializeOwned>(path: &str, bytes: &[u8]) -> Result<T> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        StudyError::Refused(format!("{path}: not UTF-8; fix it with a commit first"))
    })?;
    toml::from_str(text).map_err(|e| {
        StudyError::Refused(format!(
            "{path}: {}; fix it with a commit first (`cbr check`)",
            e.message()
        ))
    })
}

pub fn at(repo: &Repository, commit: Oid) -> Result<Snapshot> {
    let tc = codebook_at(repo, commit)?;
    if let Some(first) = tc.problems.first() {
        return Err(StudyError::Refused(format!(
            "{first}\n(the codebook has unreadable files; fix them before exporting)"
        )));
    }
    let tree = repo.find_commit(commit)?.tree()?;
    let mut transcripts = Vec::new();
    if let Some(t) = subtree(repo, &tree, "transcripts")? {
        let files = blobs(repo, &t)?;
        for (name, bytes) in &files {
            let Some(stem) = name.strip_suffix(".txt") else {
                continue;
            };
            let Ok(id) = Slug::new(stem) else { continue };
            let meta_name = format!("{stem}.toml");
            let meta = match files.iter().find(|(n, _)| *n == meta_name) {
                Some((_, m)) => Some(toml_of(&format!("transcripts/{meta_name}"), m)?),
                None => None,
            };
            transcripts.push((id, bytes.clone(), meta));
        }
    }
    let mut codings = Vec::new();
    if let Some(c) = subtree(repo, &tree, "codings")? {
        for e in c.iter() {
            let Some(coder) = e.name().ok().and_then(|n| Slug::new(n).ok()) else {
                continue;
            };
            let Some(dir) = subtree(repo, &c, coder.as_str())? else {
                continue;
            };
            for (name, bytes) in blobs(repo, &dir)? {
                if name.ends_with(".toml") {
                    let coding: Coding = toml_of(&format!("codings/{coder}/{name}"), &bytes)?;
                    codings.push((coder.clone(), coding));
                }
            }
        }
    }
    Ok(Snapshot {
        codebook: tc.codebook,
        transcripts,
        codings,
    })
}
