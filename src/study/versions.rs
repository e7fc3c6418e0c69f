//! The codebook as it was at any commit, read straight from git objects,
//! and the names a person gives a version: a tag, a branch, a commit, or a
//! date (`2024-01-15`: the last commit on `main` before that day ended).

use std::collections::BTreeMap;
use std::path::Path;

use git2::{Oid, Repository, Tree};

use crate::model::date::end_of_day;
use crate::model::{Code, Codebook, Slug};

use super::diagnostic::Diagnostic;
use super::error::{Result, StudyError};
use super::git::MAIN;
use super::layout;
use super::load::parse_code;

/// A codebook read from a git tree, with the blob of each code file (so a
/// merge can reuse files byte for byte) and the files that did not parse.
#[derive(Debug, Clone, Default)]
pub struct TreeCodebook {
    pub codebook: Codebook,
    pub blobs: BTreeMap<Slug, Oid>,
    pub problems: Vec<Diagnostic>,
}

/// The id of the `codebook/` tree of a commit (what segments record).
pub fn codebook_tree_id(repo: &Repository, commit: Oid) -> Result<Option<Oid>> {
    let tree = repo.find_commit(commit)?.tree()?;
    Ok(tree.get_path(Path::new("codebook")).ok().map(|e| e.id()))
}

/// The codebook of a commit.
pub fn codebook_at(repo: &Repository, commit: Oid) -> Result<TreeCodebook> {
    match codebook_tree_id(repo, commit)? {
        Some(id) => codebook_in_tree(repo, &repo.find_tree(id)?),
        None => Ok(TreeCodebook::default()),
    }
}

/// The codebook held by a `codebook/` tree.
pub fn codebook_in_tree(repo: &Repository, codebook: &Tree) -> Result<TreeCodebook> {
    let mut out = TreeCodebook::default();
    let Ok(codes) = codebook.get_path(Path::new("codes")) else {
        return Ok(out);
    };
    let codes = repo.find_tree(codes.id())?;
    let mut parsed = Vec::new();
    for entry in codes.iter() {
        let Ok(name) = entry.name() else { continue };
        if entry.kind() != Some(git2::ObjectType::Blob) {
            continue;
        }
        match code_in_blob(repo, name, entry.id())? {
            Some(Ok(code)) => {
                out.blobs.insert(code.id.clone(), entry.id());
                parsed.push(code);
            }
            Some(Err(d)) => out.problems.push(d),
            None => {}
        }
    }
    out.codebook = Codebook::from_codes(parsed);
    Ok(out)
}

/// The code held by the blob of file `name` in `codebook/codes/`: `None`
/// for a file that is no code file (not `*.toml`, or hidden), a diagnostic
/// for one that does not parse.
pub fn code_in_blob(
    repo: &Repository,
    name: &str,
    blob: Oid,
) -> Result<Option<std::result::Result<Code, Diagnostic>>> {
    let Some(stem) = name.strip_suffix(".toml") else {
        return Ok(None);
    };
    if stem.starts_with('.') {
        return Ok(None);
    }
    let rel = Path::new(layout::CODES_DIR).join(name);
    let Ok(file_id) = Slug::new(stem) else {
        return Ok(Some(Err(Diagnostic::new(
            &rel,
            1,
            1,
            "code file name is not a valid id",
        ))));
    };
    let blob = repo.find_blob(blob)?;
    let Ok(text) = std::str::from_utf8(blob.content()) else {
        return Ok(Some(Err(Diagnostic::new(&rel, 1, 1, "not valid UTF-8"))));
    };
    Ok(Some(parse_code(&rel, &file_id, text)))
}

/// The tip of `main`.
pub fn main_tip(repo: &Repository) -> Result<Oid> {
    repo.refname_to_id(MAIN).map_err(|_| {
        StudyError::NotFound("the study has no `main` branch yet; make a first commit".into())
    })
}

/// The commit a version name stands for: a date `YYYY-MM-DD` (last commit
/// on `main` before the end of that day, UTC), or anything git understands
/// (tag, branch, commit id, `main~2`).
pub fn resolve_version(repo: &Repository, spec: &str) -> Result<Oid> {
    if let Some(limit) = end_of_day(spec) {
        let mut walk = repo.revwalk()?;
        walk.push(main_tip(repo)?)?;
        walk.simplify_first_parent()?;
        for oid in walk {
            let oid = oid?;
            if repo.find_commit(oid)?.time().seconds() < limit {
                return Ok(oid);
            }
        }
        return Err(StudyError::NotFound(format!(
            "`{spec}`: the study has no commit on main before the end of that day"
        )));
    }
    let object = repo.revparse_single(spec).map_err(|_| {
        StudyError::NotFound(format!(
            "`{spec}` names no version: give a release tag (`git tag` lists them), a commit, a branch or a date YYYY-MM-DD"
        ))
    })?;
    Ok(object.peel_to_commit()?.id())
}
