//! A coder's editing session on one transcript: every change is saved at
//! once (nothing is lost if the SSH link drops), can be undone and redone,
//! and is committed to git in batches a person would find sensible.
//!
//! The session never saves over a coding another writer changed on disk
//! meanwhile (a `cbr codings import`, a `git checkout`): before each save it
//! compares the file with what it last read or wrote, and if they differ it
//! merges its own change into what is there now (see [`merge`]).

use git2::Repository;

use crate::model::{Coding, Slug, Transcript};

use super::error::Result;
use super::git::{self, Author};
use super::layout;
use super::load::Study;

#[derive(Debug, Clone)]
pub struct CodingSession {
    pub coder: Slug,
    pub coding: Coding,
    /// The transcript text changed since these segments were made.
    pub stale_hash: bool,
    undo: Vec<Coding>,
    redo: Vec<Coding>,
    /// The coding as last committed (or as found on disk when opened).
    committed: Coding,
    transcript_hash: String,
    /// The file as this session last read or wrote it (`None`: no file).
    on_disk: Option<Coding>,
    /// Times another writer's change was merged in (for the caller to say so).
    pub merged_from_disk: usize,
}

impl CodingSession {
    /// Opens the coder's coding of `transcript`, or starts an empty one.
    pub fn open(study: &Study, coder: &Slug, transcript: &Transcript) -> Result<Self> {
        let on_disk = study.coding(coder, &transcript.id)?;
        let coding = on_disk
            .clone()
            .unwrap_or_else(|| Coding::new(transcript.id.clone(), transcript.hash()));
        Ok(CodingSession {
            on_disk,
            merged_from_disk: 0,
            coder: coder.clone(),
            stale_hash: coding.transcript_hash != transcript.hash(),
            committed: coding.clone(),
            coding,
            undo: Vec::new(),
            redo: Vec::new(),
            transcript_hash: transcript.hash().to_string(),
        })
    }

    /// The transcript's text changed under the session (a teammate's edit
    /// arrived through sync): later edits record the new text.
    pub fn retext(&mut self, transcript: &Transcript) {
        self.transcript_hash = transcript.hash().to_string();
        self.stale_hash = self.coding.transcript_hash != self.transcript_hash;
    }

    /// Applies `change`, records the text it was made against, and saves.
    pub fn edit(&mut self, study: &Study, change: impl FnOnce(&mut Coding)) -> Result<()> {
        let before = self.coding.clone();
        change(&mut self.coding);
        self.coding
            .transcript_hash
            .clone_from(&self.transcript_hash);
        self.coding.sort();
        if self.coding == before {
            return Ok(());
        }
        self.undo.push(before);
        self.redo.clear();
        self.stale_hash = false;
        self.save(study)
    }

    /// Steps back one change; `false` if there is nothing to undo.
    pub fn undo(&mut self, study: &Study) -> Result<bool> {
        let Some(previous) = self.undo.pop() else {
            return Ok(false);
        };
        self.redo
            .push(std::mem::replace(&mut self.coding, previous));
        self.save(study)?;
        Ok(true)
    }

    pub fn redo(&mut self, study: &Study) -> Result<bool> {
        let Some(next) = self.redo.pop() else {
            return Ok(false);
        };
        self.undo.push(std::mem::replace(&mut self.coding, next));
        self.save(study)?;
        Ok(true)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    fn save(&mut self, study: &Study) -> Result<()> {
        let now = study.coding(&self.coder, &self.coding.transcript)?;
        if now != self.on_disk
            && let Some(theirs) = &now
        {
            // Someone else wrote this file since: keep their change and
            // ours, and rebase the undo history onto theirs too.
            let base = self.on_disk.clone().unwrap_or_else(|| {
                Coding::new(self.coding.transcript.clone(), &self.transcript_hash)
            });
            self.coding = merge(&base, &self.coding, theirs);
            for entry in self.undo.iter_mut().chain(self.redo.iter_mut()) {
                *entry = merge(&base, entry, theirs);
            }
            self.merged_from_disk += 1;
        }
        study.save_coding(&self.coder, &self.coding)?;
        self.on_disk = Some(self.coding.clone());
        Ok(())
    }

    /// Whether there is saved work that is not committed yet.
    pub fn uncommitted(&self) -> bool {
        self.coding != self.committed
    }

    /// Commits the coding file if it changed since the last commit, with a
    /// message like `alice: code interview-03, 7 segments (complete)`.
    pub fn commit(&mut self, repo: &Repository, author: &Author) -> Result<bool> {
        if !self.uncommitted() {
            return Ok(false);
        }
        let mut message = format!(
            "{}: code {}, {} segment{}",
            self.coder,
            self.coding.transcript,
            self.coding.segments.len(),
            if self.coding.segments.len() == 1 {
                ""
            } else {
                "s"
            }
        );
        // "(complete)" on every commit of a complete coding, as sync and
        // the generator write it, not only on the one that marked it.
        match (self.committed.complete, self.coding.complete) {
            (_, true) => message.push_str(" (complete)"),
            (true, false) => message.push_str(" (reopened)"),
            _ => {}
        }
        message.push('\n');
        let rel = layout::coding_file(&self.coder, &self.coding.transcript);
        git::commit_paths(repo, author, &message, &[rel])?;
        self.committed = self.coding.clone();
        Ok(true)
    }
}

/// Three-way merge of one coding: `theirs` (on disk now) plus what `ours`
/// changed since `base` (segments added or removed, the completion mark).
pub fn merge(base: &Coding, ours: &Coding, theirs: &Coding) -> Coding {
    let mut out = theirs.clone();
    out.segments
        .retain(|s| ours.segments.contains(s) || !base.segments.contains(s));
    for s in &ours.segments {
        if !base.segments.contains(s) && !out.segments.contains(s) {
            out.segments.push(s.clone());
        }
    }
    out.decisions
        .retain(|d| ours.decisions.contains(d) || !base.decisions.contains(d));
    for d in &ours.decisions {
        if !base.decisions.contains(d) && !out.decisions.contains(d) {
            out.decisions.push(d.clone());
        }
    }
    if ours.complete != base.complete {
        out.complete = ours.complete;
    }
    out.transcript_hash.clone_from(&ours.transcript_hash);
    out.sort();
    out
}

/// The coder's coding files left uncommitted by a session that was killed
/// before it could commit, committed now as one commit ("alice: code
/// interview-03, 7 segments"). Only the writer session may do this
/// (`session` proves it), so a live session's work is never taken.
pub fn commit_leftovers(
    root: &std::path::Path,
    author: &Author,
    session: &super::session_lock::SessionGuard,
) -> Result<Option<super::sync::SavedWork>> {
    if session.coder != author.coder {
        return Ok(None);
    }
    super::sync::integrate::save_own_work(&git::open(root)?, author)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Segment;

    fn study_with_transcript() -> (tempfile::TempDir, Study, Transcript) {
        let dir = tempfile::tempdir().unwrap();
        let author = Author::new(Slug::new("alice").unwrap(), "a@x.invalid");
        crate::study::init::init(dir.path(), "T", &author).unwrap();
        std::fs::write(dir.path().join("transcripts/t1.txt"), "INT: one\nP: two\n").unwrap();
        let study = Study::open(dir.path()).unwrap();
        let t = study.transcript(&Slug::new("t1").unwrap()).unwrap();
        (dir, study, t)
    }

    #[test]
    fn edits_save_at_once_and_undo_redo_across_saves() {
        let (_dir, study, t) = study_with_transcript();
        let alice = Slug::new("alice").unwrap();
        let mut s = CodingSession::open(&study, &alice, &t).unwrap();
        let seg = Segment::new(Slug::new("threats").unwrap(), 1, 2);
        s.edit(&study, |c| c.segments.push(seg.clone())).unwrap();
        let on_disk = study.coding(&alice, &t.id).unwrap().unwrap();
        assert_eq!(on_disk.segments, std::slice::from_ref(&seg));
        assert_eq!(on_disk.transcript_hash, t.hash());

        assert!(s.undo(&study).unwrap());
        assert!(
            study
                .coding(&alice, &t.id)
                .unwrap()
                .unwrap()
                .segments
                .is_empty()
        );
        assert!(!s.undo(&study).unwrap());
        assert!(s.redo(&study).unwrap());
        assert_eq!(
            study.coding(&alice, &t.id).unwrap().unwrap().segments,
            [seg]
        );
    }

    #[test]
    fn a_change_on_disk_by_another_writer_is_merged_never_overwritten() {
        let (_dir, study, t) = study_with_transcript();
        let alice = Slug::new("alice").unwrap();
        let seg = |code: &str, line| Segment::new(Slug::new(code).unwrap(), line, line);
        let mut s = CodingSession::open(&study, &alice, &t).unwrap();
        s.edit(&study, |c| c.segments.push(seg("mine", 1))).unwrap();
        // `cbr codings import` replaces the file meanwhile.
        let mut imported = Coding::new(t.id.clone(), t.hash());
        imported.segments = vec![seg("imported", 2)];
        study.save_coding(&alice, &imported).unwrap();

        s.edit(&study, |c| c.segments.push(seg("later", 2)))
            .unwrap();
        let on_disk = study.coding(&alice, &t.id).unwrap().unwrap();
        let codes: Vec<&str> = on_disk.segments.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(codes, ["imported", "later"]);
        assert_eq!(s.merged_from_disk, 1);
        // Undo takes back only this session's own change.
        assert!(s.undo(&study).unwrap());
        let codes: Vec<String> = study
            .coding(&alice, &t.id)
            .unwrap()
            .unwrap()
            .segments
            .iter()
            .map(|s| s.code.to_string())
            .collect();
        assert_eq!(codes, ["imported"]);
    }

    #[test]
    fn commit_only_when_changed_with_a_readable_message() {
        let (dir, study, t) = study_with_transcript();
        let alice = Slug::new("alice").unwrap();
        let author = Author::new(alice.clone(), "a@x.invalid");
        let repo = Repository::open(dir.path()).unwrap();
        let mut s = CodingSession::open(&study, &alice, &t).unwrap();
        assert!(!s.commit(&repo, &author).unwrap());
        s.edit(&study, |c| {
            c.segments.push(Segment::new(Slug::new("a").unwrap(), 1, 1));
            c.complete = true;
        })
        .unwrap();
        assert!(s.commit(&repo, &author).unwrap());
        let head = repo.head().unwrap().peel_to_commit().unwrap();
        assert_eq!(
            head.summary().unwrap().unwrap(),
            "alice: code t1, 1 segment (complete)"
        );
        assert!(!s.commit(&repo, &author).unwrap());
        // A later edit of a complete coding says so too.
        s.edit(&study, |c| {
            c.segments.push(Segment::new(Slug::new("a").unwrap(), 2, 2))
        })
        .unwrap();
        assert!(s.commit(&repo, &author).unwrap());
        let head = repo.head().unwrap().peel_to_commit().unwrap();
        assert_eq!(
            head.summary().unwrap().unwrap(),
            "alice: code t1, 2 segments (complete)"
        );
    }

    #[test]
    fn a_long_lived_handle_never_undoes_commits_made_elsewhere() {
        let (dir, study, t) = study_with_transcript();
        let alice = Slug::new("alice").unwrap();
        let author = Author::new(alice.clone(), "a@x.invalid");
        // The TUI's handle, kept for the whole session, with its index read.
        let repo = Repository::open(dir.path()).unwrap();
        let mut s = CodingSession::open(&study, &alice, &t).unwrap();
        s.edit(&study, |c| {
            c.segments.push(Segment::new(Slug::new("a").unwrap(), 1, 1))
        })
        .unwrap();
        assert!(s.commit(&repo, &author).unwrap());

        // Meanwhile another process commits a consensus decision.
        let other = Repository::open(dir.path()).unwrap();
        let decided = dir.path().join("codings/consensus/t1.toml");
        std::fs::create_dir_all(decided.parent().unwrap()).unwrap();
        std::fs::write(&decided, "transcript = \"t1\"\n").unwrap();
        git::commit_paths(
            &other,
            &author,
            "decision",
            &["codings/consensus/t1.toml".into()],
        )
        .unwrap()
        .unwrap();

        s.edit(&study, |c| {
            c.segments.push(Segment::new(Slug::new("b").unwrap(), 2, 2))
        })
        .unwrap();
        assert!(s.commit(&repo, &author).unwrap());
        let head = repo.head().unwrap().peel_to_tree().unwrap();
        assert!(
            head.get_path(std::path::Path::new("codings/consensus/t1.toml"))
                .is_ok(),
            "the other commit's file is still in HEAD"
        );
        let statuses = repo.statuses(None).unwrap();
        assert!(
            statuses
                .iter()
                .all(|e| e.path() != Ok("codings/consensus/t1.toml")),
            "and clean"
        );
    }
}
