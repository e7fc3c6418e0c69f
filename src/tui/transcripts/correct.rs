//! Correcting the open transcript's text from the terminal UI (`E`, as
//! `cbr transcript edit`): the text goes to a private copy outside the
//! study, the event loop runs `$EDITOR` on it, and the app hands the result
//! to `study::correct::replace`, which moves every coder's segments along
//! in one commit (see `app_drafts.rs`). The transcript is then read again.

use std::fs::DirBuilder;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::PathBuf;

use crate::model::Slug;
use crate::study::StudyError;
use crate::study::reanchor::current_bytes;

use crate::tui::context::{Ctx, Effect};
use crate::tui::suspend::{DraftFor, EditRequest};
use crate::tui::transcripts::TranscriptsScreen;

impl TranscriptsScreen {
    /// `E`: asks the app to run the editor on a copy of the text.
    pub(super) fn start_correction(&mut self, ctx: &mut Ctx) -> Result<(), StudyError> {
        let Some(doc) = &self.doc else {
            return Ok(());
        };
        let id = doc.id().clone();
        let path = private_copy(&id, &current_bytes(ctx.study, &id)?)?;
        ctx.effect(Effect::Edit(EditRequest {
            path,
            purpose: DraftFor::Correct { transcript: id },
        }));
        Ok(())
    }

    /// The coding files of `id` were rewritten (a correction): sessions
    /// kept for it are dropped and the open one is read again, at its line.
    pub fn reopen(&mut self, ctx: &mut Ctx, id: &Slug) {
        self.parked.remove(id);
        if let Some(doc) = self.doc.take_if(|d| d.id() == id) {
            self.open(ctx, id, doc.cursor);
        }
    }
}

/// Writes `text` where only this user can read it (a 0700 folder in the
/// temporary directory, a 0600 file): the text may hold real names.
fn private_copy(id: &Slug, text: &[u8]) -> Result<PathBuf, StudyError> {
    let dir = std::env::temp_dir().join(format!("cbr-correct-{}-{id}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    DirBuilder::new()
        .mode(0o700)
        .create(&dir)
        .map_err(|e| StudyError::io(&dir, e))?;
    let path = dir.join(format!("{id}.txt"));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .and_then(|mut file| file.write_all(text))
        .map_err(|e| StudyError::io(&path, e))?;
    Ok(path)
}
