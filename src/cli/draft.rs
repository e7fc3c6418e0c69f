//! Suggestions written in `$EDITOR` on a TOML draft. A draft that does not
//! parse (or a change the codebook refuses) is reported as
//! `path:line:col: message` and kept under `.git/cbr/drafts/`, where the
//! same command reopens it (the workflow is [`crate::study::drafts`]).

use std::path::Path;

use anyhow::anyhow;

use crate::study::context::Repo;
use crate::study::drafts::{self, Made, Pending};
use crate::study::git::Author;

/// Appends where the draft is kept to an error.
fn kept(err: anyhow::Error, path: &Path) -> anyhow::Error {
    anyhow!(
        "{err:#}\nyour draft is kept in {}; run the same command again to reopen it",
        path.display()
    )
}

/// Runs the editor on a started draft and makes what it is for. Errors
/// leave the file in place.
pub fn edit_and_finish(repo: &Repo, author: &Author, pending: Pending) -> anyhow::Result<Made> {
    let path = &pending.path;
    if pending.reopened {
        errln!("Reopening your unfinished draft {}", path.display());
    }
    if drafts::editor().is_none() {
        anyhow::bail!(
            "--edit needs an editor: set $EDITOR (e.g. EDITOR=nano); the draft is in {}",
            path.display()
        );
    }
    drafts::run_editor(path)?;
    drafts::finish(repo, author, &pending).map_err(|e| kept(e.into(), path))
}
