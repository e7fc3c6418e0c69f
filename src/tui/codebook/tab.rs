//! The Codebook tab's actions: moving in the tree, folding, coded
//! retrieval (every segment of the selected code, blind coding applied)
//! and jumping from a retrieved segment to its transcript; and keeping
//! everyone's codings, read in the background, in step.

use crate::model::coding_index::CodingIndex;
use crate::model::{Codebook, Coding, Slug};
use crate::study::Study;

use crate::tui::action::{Action, Tab};
use crate::tui::background::Job;
use crate::tui::codebook::CodebookScreen;
use crate::tui::codebook::retrieval::listed;
use crate::tui::codebook::tree::counts;
use crate::tui::context::{Ctx, Effect};
use crate::tui::draw::words::lines_label;
use crate::tui::team::visible::{self, Loaded, hidden_note};

impl CodebookScreen {
    /// Actions of the Codebook tab.
    pub(super) fn act(&mut self, action: Action, ctx: &mut Ctx) {
        let codebook = &ctx.study.codebook;
        let delta: isize = match action {
            Action::Open => {
                self.open_retrieved(ctx);
                0
            }
            Action::Back => {
                self.retrieval = None;
                0
            }
            Action::ToggleExpand => {
                self.toggle(codebook);
                0
            }
            Action::Retrieve => {
                self.retrieve(ctx);
                0
            }
            Action::Retrieval(op) => {
                self.retrieval_op(op, ctx);
                0
            }
            motion => motion.step(),
        };
        self.move_by(&ctx.study.codebook, delta);
    }

    /// Lists every segment of the selected code across transcripts, as
    /// `cbr quotes` selects them (through the filter, if one is set).
    pub fn retrieve(&mut self, ctx: &mut Ctx) {
        let Some(code) = self.current(&ctx.study.codebook).cloned() else {
            return;
        };
        if self.codings.is_none() {
            ctx.say("Still reading codings…");
            return;
        }
        let items = match self.quotes(&code, ctx) {
            Ok(quotes) => listed(quotes),
            Err(e) => {
                self.retrieval = None;
                ctx.fail(e);
                return;
            }
        };
        if items.is_empty() {
            self.retrieval = None;
            let hidden = if self.hidden.is_empty() {
                ""
            } else {
                " where you may see it (blind coding)"
            };
            let filter = self.filter_label();
            ctx.say(match filter.is_empty() {
                true => format!("Nobody has applied {} yet{hidden}.", code.name),
                false => format!(
                    "No passage coded {}{filter}{hidden}; F clears the filter.",
                    code.id
                ),
            });
            return;
        }
        self.retrieval = Some((items, 0));
    }

    fn open_retrieved(&mut self, ctx: &mut Ctx) {
        let target = self
            .retrieval
            .as_ref()
            .and_then(|(items, sel)| items.get(*sel))
            .map(|r| (r.transcript.clone(), r.start, r.end, r.coder.clone()));
        let Some((id, line, end, coder)) = target else {
            self.retrieve(ctx);
            return;
        };
        ctx.effect(Effect::JumpTo {
            transcript: id,
            line,
            back_to: Some(Tab::Codebook),
        });
        // The transcript view shows the coder's own segments only.
        let whose = if coder != *ctx.coder() {
            format!(
                "{coder}'s segment, {}: the stripes here are your own coding. ",
                lines_label(line, end)
            )
        } else {
            String::new()
        };
        ctx.say(format!("{whose}Esc goes back to the segments."));
    }

    /// Reads everyone's codings again in the background (at start, and
    /// when completing a transcript may reveal others' work on it).
    pub fn reload(ctx: &mut Ctx) {
        let study = ctx.study.clone();
        let viewer = ctx.coder().clone();
        ctx.spawn(
            Job::Codings,
            move || visible::load(&study, &viewer),
            |screen: &mut CodebookScreen, loaded, ctx| screen.take_loaded(loaded, ctx),
        );
    }

    /// Takes in codings read in the background, keeping the coder's place
    /// in an open coded retrieval.
    pub fn take_loaded(&mut self, loaded: Loaded, ctx: &mut Ctx) {
        self.blind_note = hidden_note(&loaded.hidden);
        self.hidden = loaded.hidden;
        let retrieval = self.retrieval.take().map(|(_, sel)| sel);
        self.set_codings(&ctx.study.codebook, loaded.codings);
        if let Some(sel) = retrieval {
            self.retrieve(ctx);
            if let Some((items, current)) = &mut self.retrieval {
                *current = sel.min(items.len().saturating_sub(1));
            }
        }
    }

    /// Everyone's codings, for counts and retrieval.
    pub fn set_codings(&mut self, codebook: &Codebook, codings: CodingIndex) {
        self.counts = Some(counts(codebook, &codings));
        self.codings = Some(codings);
    }

    /// The coder's own coding of a transcript changed: the counts follow.
    pub fn own_coding_changed(&mut self, codebook: &Codebook, me: &Slug, coding: &Coding) {
        if let Some(all) = &mut self.codings {
            all.insert(me, coding);
            self.counts = Some(counts(codebook, all));
        }
    }

    /// The codebook was read again (a merge, a sync): recount, keep the
    /// selection in range, close a retrieval made against the old one.
    pub fn codebook_changed(&mut self, codebook: &Codebook) {
        if let Some(all) = &self.codings {
            self.counts = Some(counts(codebook, all));
        }
        let rows = self.rows(codebook).len();
        self.selected = self.selected.min(rows.saturating_sub(1));
        self.retrieval = None;
    }
}

impl CodebookScreen {
    /// After the study was read again: the same code stays selected where
    /// it still exists (the retrieval is redone when the codings arrive).
    pub(super) fn keep_code(&mut self, before: &Study, ctx: &Ctx) {
        let code = self.current(&before.codebook).map(|c| c.id.clone());
        let rows = self.rows(&ctx.study.codebook);
        self.selected = code
            .and_then(|id| rows.iter().position(|(_, c)| c.id == id))
            .unwrap_or(self.selected)
            .min(rows.len().saturating_sub(1));
    }
}
