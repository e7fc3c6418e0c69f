//! The coding side of a generated study's history: transcripts imported in
//! batches when coders need them, and each coder's coding of a transcript
//! committed once complete, under the codebook version of the day. The
//! second coder of a transcript works a few transcripts behind the first.

use std::collections::HashMap;

use fastrand::Rng;
use git2::Repository;

use crate::model::{Codebook, Coding, Segment, Slug, Transcript};
use crate::study::error::{Result, StudyError};
use crate::study::git::{self, Change};
use crate::study::layout;

use super::history::{Clock, MAIN, Moment};
use super::{Stream, segments, stream};

/// One transcript of the generated study, held in memory until imported.
pub struct Material {
    pub id: Slug,
    pub text: String,
    pub meta: String,
}

pub struct Fieldwork<'a> {
    seed: u64,
    material: &'a [Material],
    coders: &'a [Slug],
    lead: &'a Slug,
    imported: usize,
    batch: usize,
    /// (transcript, coder) in the order the codings are committed.
    queue: Vec<(usize, usize)>,
    done: usize,
    /// The first coder's segments and code profile, until the second coder is done.
    first: HashMap<usize, (Vec<Segment>, Vec<Slug>)>,
    pub segments: usize,
}

impl<'a> Fieldwork<'a> {
    pub fn new(
        seed: u64,
        material: &'a [Material],
        coders: &'a [Slug],
        lead: &'a Slug,
        assignment: &[Vec<usize>],
    ) -> Self {
        // Second codings trail the first ones by a few transcripts.
        const LAG: usize = 5;
        let mut queue = Vec::new();
        for t in 0..assignment.len() + LAG {
            if let Some(&c) = assignment.get(t).and_then(|a| a.first()) {
                queue.push((t, c));
            }
            if let Some(&c) = t.checked_sub(LAG).and_then(|s| assignment[s].get(1)) {
                queue.push((t - LAG, c));
            }
        }
        Fieldwork {
            seed,
            material,
            coders,
            lead,
            imported: 0,
            batch: material.len().div_ceil(20).max(1),
            queue,
            done: 0,
            first: HashMap::new(),
            segments: 0,
        }
    }

    pub fn codings(&self) -> usize {
        self.queue.len()
    }

    pub fn done(&self) -> usize {
        self.done
    }

    /// Commits the codings due by this point of the history: coding starts
    /// with the first release and ends shortly before the history does.
    pub fn catch_up(&mut self, m: Moment, clock: &mut Clock) -> Result<()> {
        if !m.released {
            return Ok(());
        }
        let share = ((m.done - 0.05) / 0.9).clamp(0.0, 1.0);
        let due = (self.queue.len() as f64 * share).ceil() as usize;
        while self.done < due.min(self.queue.len()) {
            self.code_next(m.repo, m.live, clock)?;
        }
        Ok(())
    }

    /// Imports what is left and commits every remaining coding.
    pub fn finish(&mut self, repo: &Repository, live: &Codebook, clock: &mut Clock) -> Result<()> {
        while self.done < self.queue.len() {
            self.code_next(repo, live, clock)?;
        }
        while self.imported < self.material.len() {
            self.import_batch(repo, clock)?;
        }
        Ok(())
    }

    fn import_batch(&mut self, repo: &Repository, clock: &mut Clock) -> Result<()> {
        let batch =
            &self.material[self.imported..(self.imported + self.batch).min(self.material.len())];
        let mut changes: Vec<Change> = Vec::with_capacity(batch.len() * 2);
        for m in batch {
            changes.push((
                layout::transcript_text(&m.id),
                Some(m.text.clone().into_bytes()),
            ));
            changes.push((
                layout::transcript_meta(&m.id),
                Some(m.meta.clone().into_bytes()),
            ));
        }
        let message = format!(
            "{}: import {} transcripts ({} … {})\n",
            self.lead,
            batch.len(),
            batch[0].id,
            batch[batch.len() - 1].id
        );
        git::commit_to_ref(
            repo,
            MAIN,
            None,
            &clock.author(self.lead),
            &message,
            &changes,
            &[],
        )?;
        self.imported += batch.len();
        Ok(())
    }

    fn code_next(&mut self, repo: &Repository, live: &Codebook, clock: &mut Clock) -> Result<()> {
        let (t, c) = self.queue[self.done];
        while self.imported <= t {
            self.import_batch(repo, clock)?;
        }
        let m = &self.material[t];
        let transcript = Transcript::from_bytes(m.id.clone(), m.text.as_bytes())
            .map_err(|e| StudyError::Refused(format!("generated transcript {}: {e}", m.id)))?;
        let mut rng = Rng::with_seed(stream(self.seed, Stream::Coding, (t * 64 + c) as u64));
        let version = git::codebook_version(repo, MAIN)?;
        let lines = transcript.line_count();
        let segments = match self.first.remove(&t) {
            Some((first, profile)) => {
                segments::second_pass(&mut rng, &transcript, &first, live, &profile, &version)
            }
            None => {
                let profile = segments::profile(&mut rng, live);
                let count = lines * rng.usize(27..=40) / 100;
                let segs = segments::first_pass(&mut rng, &transcript, &profile, count, &version);
                self.first.insert(t, (segs.clone(), profile));
                segs
            }
        };
        let coder = &self.coders[c];
        let mut coding = Coding::new(m.id.clone(), transcript.hash());
        coding.complete = true;
        coding.segments = segments;
        self.segments += coding.segments.len();
        let message = format!(
            "{coder}: code {}, {} segments (complete)\n",
            m.id,
            coding.segments.len()
        );
        git::commit_to_ref(
            repo,
            MAIN,
            None,
            &clock.author(coder),
            &message,
            &[(
                layout::coding_file(coder, &m.id),
                Some(coding.to_toml().into_bytes()),
            )],
            &[],
        )?;
        self.done += 1;
        Ok(())
    }
}
