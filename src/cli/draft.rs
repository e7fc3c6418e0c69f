//! Suggestions written in `$EDITOR` on a TOML draft. A draft that does not
//! parse (or a change the codebook refuses) is reported as
//! `path:line:col: message` and kept under `.git/cbr/drafts/`, where the
//! same command reopens it (see [`crate::study::drafts`]).

use std::path::{Path, PathBuf};

use anyhow::anyhow;

use crate::model::draft::Draft;
use crate::study::context::Repo;
use crate::study::drafts;

/// Appends where the draft is kept to an error.
pub fn kept(err: anyhow::Error, path: &Path) -> anyhow::Error {
    anyhow!(
        "{err:#}\nyour draft is kept in {}; run the same command again to reopen it",
        path.display()
    )
}

/// Writes the draft (or reopens an unfinished one), runs the editor on it
/// and parses the result. Errors leave the file in place.
pub fn edit_draft(
    repo: &Repo,
    name: &str,
    initial: &Draft,
    help: &str,
) -> anyhow::Result<(Draft, PathBuf)> {
    let (path, reopened) = drafts::prepare(repo.git()?, name, initial, help)?;
    if reopened {
        errln!("Reopening your unfinished draft {}", path.display());
    }
    if drafts::editor().is_none() {
        anyhow::bail!(
            "--edit needs an editor: set $EDITOR (e.g. EDITOR=nano); the draft is in {}",
            path.display()
        );
    }
    drafts::run_editor(&path)?;
    let draft = drafts::read(&path).map_err(|e| kept(e.into(), &path))?;
    Ok((draft, path))
}
