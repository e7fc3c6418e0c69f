//! Disagreements and reconciliation over a study: the hunks between two
//! coders, and a reconciliation session that walks through them and writes
//! each decision to the `consensus` coder's files, one commit per decision.
//!
//! A session holds no state of its own beyond what is on disk: which hunks
//! are resolved is read back from the `[[decisions]]` of the consensus
//! files, so a team that leaves and comes back (or another terminal)
//! resumes exactly where the files say.

use std::path::PathBuf;

use crate::model::coding::{Choice, Decision};
use crate::model::disagreement::{Hunk, hunks, passages};
use crate::model::reconcile::{apply, seed};
use crate::model::{CONSENSUS, Coding, Segment, Slug};

use super::error::{Result, StudyError};
use super::git::{self, Author};
use super::load::Study;

/// "alice, bob, carol".
pub fn present_list(present: &[Slug]) -> String {
    present
        .iter()
        .map(Slug::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

fn consensus() -> Slug {
    Slug::new(CONSENSUS).expect("consensus is a slug")
}

/// The disagreement hunks between coders `a` and `b` on `transcripts`, or
/// on every transcript both have a coding file for when none is named.
pub fn diff(
    study: &Study,
    a: &Slug,
    b: &Slug,
    transcripts: &[Slug],
    context: usize,
) -> Result<Vec<Hunk>> {
    let mut out = Vec::new();
    diff_each(study, a, b, transcripts, context, |hunks| {
        out.extend(hunks);
        Ok::<(), StudyError>(())
    })?;
    Ok(out)
}

/// [`diff`] a transcript at a time: `each` gets each compared
/// transcript's hunks (maybe none), in order, to print and drop, so memory
/// holds one transcript whatever the size of the study.
pub fn diff_each<E: From<StudyError>>(
    study: &Study,
    a: &Slug,
    b: &Slug,
    transcripts: &[Slug],
    context: usize,
    mut each: impl FnMut(Vec<Hunk>) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    for id in &compared(study, a, b, transcripts)? {
        let text = study.transcript(id)?;
        let (ca, cb) = (study.coding(a, id)?, study.coding(b, id)?);
        each(hunks(
            &text,
            &study.codebook,
            ca.as_ref(),
            cb.as_ref(),
            context,
        ))?;
    }
    Ok(())
}

/// The transcripts [`diff`] compares: `transcripts` when given, else every
/// one both coders have a coding file for. Refuses unknown coders and
/// transcripts.
pub fn compared(study: &Study, a: &Slug, b: &Slug, transcripts: &[Slug]) -> Result<Vec<Slug>> {
    if a == b {
        return Err(StudyError::InvalidInput(format!(
            "`{a}` compared with `{b}`: name two different coders"
        )));
    }
    super::agreement::check_coders(study, &[a.clone(), b.clone()])?;
    super::agreement::check_transcripts(study, transcripts)?;
    if !transcripts.is_empty() {
        return Ok(transcripts.to_vec());
    }
    let of_b = study.coded_by(b)?;
    Ok(study
        .coded_by(a)?
        .into_iter()
        .filter(|t| of_b.contains(t) && study.has_transcript(t.as_str()))
        .collect())
}

/// One hunk of a session and the decision recorded for it, if any.
#[derive(Debug, Clone)]
pub struct Item {
    pub hunk: Hunk,
    pub decision: Option<Decision>,
}

/// A reconciliation of coders `a` and `b`: every disagreement passage
/// between them on the transcripts both completed, in transcript and line
/// order.
#[derive(Debug, Clone)]
pub struct Session {
    pub a: Slug,
    pub b: Slug,
    pub items: Vec<Item>,
    /// Transcripts both completed (the ones reconciled).
    pub transcripts: Vec<Slug>,
    /// Who is at the meeting (see [`Session::set_present`]): recorded with
    /// each decision taken from now on.
    pub present: Vec<Slug>,
}

impl Session {
    /// Reads the hunks and the decisions already recorded.
    pub fn open(study: &Study, a: &Slug, b: &Slug) -> Result<Session> {
        Session::check_pair(study, a, b)?;
        let mut session = Session {
            a: a.clone(),
            b: b.clone(),
            items: Vec::new(),
            transcripts: Vec::new(),
            present: Vec::new(),
        };
        for id in &study.transcripts {
            let (Some(ca), Some(cb)) = (study.coding(a, id)?, study.coding(b, id)?) else {
                continue;
            };
            if !(ca.complete && cb.complete) {
                continue;
            }
            session.transcripts.push(id.clone());
            let text = study.transcript(id)?;
            let decided = study.coding(&consensus(), id)?;
            for hunk in passages(&text, &study.codebook, Some(&ca), Some(&cb)) {
                let decision = decided
                    .as_ref()
                    .and_then(|c| c.decision(a, b, hunk.changed.start, hunk.changed.end))
                    .cloned();
                session.items.push(Item { hunk, decision });
            }
        }
        Ok(session)
    }

    /// Refuses what cannot be reconciled: a coder with themself or with
    /// `consensus`, or a coder with no codings. Cheap: reads no coding.
    pub fn check_pair(study: &Study, a: &Slug, b: &Slug) -> Result<()> {
        if a == b || a.as_str() == CONSENSUS || b.as_str() == CONSENSUS {
            return Err(StudyError::InvalidInput(format!(
                "reconciliation is between two different coders (got `{a}` and `{b}`); its decisions go to `{CONSENSUS}`, which `cbr diff CODER {CONSENSUS}` compares with a coder"
            )));
        }
        super::agreement::check_coders(study, &[a.clone(), b.clone()])
    }

    /// Records who is at the meeting, once at its start: each decision
    /// taken from now on stores them (the one at the keyboard is
    /// `decided_by`). Each must be a coder of the study (a `codings/`
    /// folder or `study.toml`'s `coders`); repeats are dropped. An empty
    /// list records nobody.
    pub fn set_present(&mut self, study: &Study, present: &[Slug]) -> Result<()> {
        let mut known: Vec<&Slug> = study
            .coders
            .iter()
            .chain(&study.config.coders)
            .filter(|c| c.as_str() != CONSENSUS)
            .collect();
        known.sort();
        known.dedup();
        let mut list: Vec<Slug> = Vec::with_capacity(present.len());
        for who in present {
            if !known.contains(&who) {
                let names: Vec<&str> = known.iter().map(|c| c.as_str()).collect();
                return Err(StudyError::InvalidInput(format!(
                    "`{who}` is not a coder of this study (coders: {}): name who was present by their coder ids",
                    if names.is_empty() {
                        "none yet".to_string()
                    } else {
                        names.join(", ")
                    }
                )));
            }
            if !list.contains(who) {
                list.push(who.clone());
            }
        }
        self.present = list;
        Ok(())
    }

    /// (resolved, total) hunks.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.items.iter().filter(|i| i.decision.is_some()).count();
        (done, self.items.len())
    }

    /// The first unresolved hunk at or after `from`, wrapping around: where
    /// the team resumes.
    pub fn next_unresolved(&self, from: usize) -> Option<usize> {
        let n = self.items.len();
        (0..n)
            .map(|k| (from + k) % n)
            .find(|&i| self.items[i].decision.is_none())
    }

    /// Finds the hunk of `transcript` whose changed lines are `start..=end`.
    pub fn find(&self, transcript: &str, start: usize, end: usize) -> Option<usize> {
        self.items.iter().position(|i| {
            i.hunk.transcript.as_str() == transcript
                && i.hunk.changed.start == start
                && i.hunk.changed.end == end
        })
    }

    /// Records a decision on hunk `index`: updates (or creates, seeded with
    /// what both coders agree on) `codings/consensus/<transcript>.toml`,
    /// marks it complete once every hunk of the transcript is decided, and
    /// commits it as `author`. `choice` refers to `a` as first and `b` as
    /// second; `edited` holds the segments of an edited decision.
    pub fn decide(
        &mut self,
        study: &Study,
        index: usize,
        choice: Choice,
        edited: &[Segment],
        rationale: &str,
        author: &Author,
    ) -> Result<Option<git2::Oid>> {
        let item = self.items.get(index).ok_or_else(|| {
            StudyError::NotFound(format!(
                "no hunk number {} (there are {})",
                index + 1,
                self.items.len()
            ))
        })?;
        let hunk = item.hunk.clone();
        let id = &hunk.transcript;
        if rationale.trim().is_empty() {
            return Err(StudyError::InvalidInput(
                "a decision needs a rationale: say why the team decided so".into(),
            ));
        }
        if let Some(unknown) = edited
            .iter()
            .find(|s| study.codebook.resolve(s.code.as_str()).is_none())
        {
            return Err(StudyError::UnknownCode(unknown.code.to_string()));
        }
        let text = study.transcript(id)?;
        let mut coding = match study.coding(&consensus(), id)? {
            Some(c) => c,
            None => {
                let missing = || StudyError::NotFound(format!("no coding of `{id}` to reconcile"));
                let ca = study.coding(&self.a, id)?.ok_or_else(missing)?;
                let cb = study.coding(&self.b, id)?.ok_or_else(missing)?;
                seed(&text, &study.codebook, &ca, &cb)
            }
        };
        let decision = Decision {
            coders: [self.a.clone(), self.b.clone()],
            start_line: hunk.changed.start,
            end_line: hunk.changed.end,
            choice,
            rationale: rationale.trim().to_string(),
            decided_by: author.coder.to_string(),
            present: self.present.clone(),
        };
        apply(
            &mut coding,
            &study.codebook,
            &text,
            &hunk,
            decision.clone(),
            edited,
        )
        .map_err(|e| StudyError::InvalidInput(e.to_string()))?;
        self.items[index].decision = Some(decision);
        let repo = git::open(&study.root)?;
        let version = git::codebook_version(&repo, "HEAD")?;
        for seg in &mut coding.segments {
            if seg.codebook.is_none() {
                seg.codebook.clone_from(&version);
            }
        }
        coding.transcript_hash = text.hash().to_string();
        coding.complete = self
            .items
            .iter()
            .filter(|i| &i.hunk.transcript == id)
            .all(|i| i.decision.is_some());
        let path: PathBuf = study.save_coding(&consensus(), &coding)?;
        let message = self.message(&hunk, choice, rationale, &coding, &author.coder);
        git::commit_paths(&repo, author, &message, &[path])
    }

    fn message(
        &self,
        hunk: &Hunk,
        choice: Choice,
        rationale: &str,
        coding: &Coding,
        who: &Slug,
    ) -> String {
        let what = match choice {
            Choice::KeepFirst => format!("keep {}'s codes", self.a),
            Choice::KeepSecond => format!("keep {}'s codes", self.b),
            Choice::KeepBoth => "keep both coders' codes".to_string(),
            Choice::Neither => "keep neither coder's extra codes".to_string(),
            Choice::Edited => "edited segments".to_string(),
        };
        let (done, total) = self.progress();
        let mut msg = format!(
            "{who}: reconcile {}:{}-{} ({}/{}), {what}\n\n",
            hunk.transcript, hunk.changed.start, hunk.changed.end, self.a, self.b
        );
        if !rationale.trim().is_empty() {
            msg.push_str(rationale.trim());
            msg.push_str("\n\n");
        }
        if !self.present.is_empty() {
            msg.push_str(&format!("Present: {}\n", present_list(&self.present)));
        }
        msg.push_str(&format!(
            "Codes at stake: {}\nProgress: {done}/{total} resolved{}\n",
            hunk.codes_at_stake()
                .iter()
                .map(Slug::as_str)
                .collect::<Vec<_>>()
                .join(", "),
            if coding.complete {
                format!("; {} reconciled", hunk.transcript)
            } else {
                String::new()
            }
        ));
        msg
    }
}
