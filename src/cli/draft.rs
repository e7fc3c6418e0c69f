//! Suggestions written in `$EDITOR` on a TOML draft. A draft that does not
//! parse (or a change the codebook refuses) is reported as
//! `path:line:col: message` and kept under `.git/cbr/drafts/`, where the
//! same command reopens it.

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use git2::Repository;

use crate::model::draft::{Draft, DraftError};
use crate::model::proposal::Kind;
use crate::study::Diagnostic;

pub fn help(kind: Kind) -> String {
    let what = match kind {
        Kind::Add => "[code] is the new code.",
        Kind::Edit => {
            "[code] is the code as it should read; change any field but `id` (that is a rename)."
        }
        Kind::Split => {
            "[code] is the existing code with its narrower definition; [new_code] takes over the rest."
        }
        Kind::Rename | Kind::Merge | Kind::Deprecate => {
            "Only the title and rationale are written here."
        }
    };
    format!(
        "Codebook suggestion ({kind}). Edit, save and close the editor.\n\
         `title` is one line; `rationale` says why the codebook should change (reviewers read it, the history keeps it).\n\
         {what}\n\
         Lines starting with # are ignored. A draft that cannot be read is kept, and the same command reopens it."
    )
}

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
    repo: &Repository,
    name: &str,
    initial: &Draft,
    help: &str,
) -> anyhow::Result<(Draft, PathBuf)> {
    let path = repo
        .path()
        .join("cbr")
        .join("drafts")
        .join(format!("{name}.toml"));
    if path.is_file() {
        eprintln!("Reopening your unfinished draft {}", path.display());
    } else {
        crate::study::atomic::write_atomic(&path, initial.render(help).as_bytes())
            .with_context(|| format!("{}: cannot write the draft", path.display()))?;
    }
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|e| !e.trim().is_empty())
        })
        .ok_or_else(|| {
            anyhow!(
                "--edit needs an editor: set $EDITOR (e.g. EDITOR=nano); the draft is in {}",
                path.display()
            )
        })?;
    // Through the shell, like git: $EDITOR may carry arguments ("code --wait").
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("cbr-editor")
        .arg(&path)
        .status()
        .with_context(|| format!("cannot run the editor `{editor}`"))?;
    if !status.success() {
        bail!(
            "the editor `{editor}` failed ({status}); your draft is kept in {}",
            path.display()
        );
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("{}: cannot read the draft", path.display()))?;
    match Draft::parse(&text) {
        Ok(draft) => Ok((draft, path)),
        Err(DraftError::Toml(e)) => Err(kept(
            anyhow!("{}", Diagnostic::from_toml(&path, &text, &e)),
            &path,
        )),
        Err(e @ DraftError::Empty(_)) => Err(kept(anyhow!("{}:1:1: {e}", path.display()), &path)),
    }
}
