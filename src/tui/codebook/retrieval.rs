//! The Codebook tab's coded retrieval as `cbr quotes` makes it: the same
//! selection (`study::analysis::select`), the same metadata filter (`--where
//! KEY=VALUE,...`, with its messages for an unknown key or a value nothing
//! has) and the same Markdown written to a file readable by its owner only
//! (`study::quotes`). The screen only supplies the codings it already
//! holds, blind coding applied, so the list and the file show what the
//! command would show this coder.

use std::borrow::Cow;
use std::path::PathBuf;

use crate::model::text::inert;
use crate::model::{Code, Slug};
use crate::study::StudyError;
use crate::study::analysis::{self, Corpus, Query};
use crate::study::quotes::{self, Quote};

use crate::tui::codebook::{CodebookScreen, Filter, Retrieved};
use crate::tui::context::Ctx;
use crate::tui::popups::menu::Ask;
use crate::tui::popups::overlay::Overlay;
use crate::tui::review_ops::{Answer, Prompt, RetrievalOp};

impl CodebookScreen {
    pub(super) fn retrieval_op(&mut self, op: RetrievalOp, ctx: &mut Ctx) {
        match op {
            RetrievalOp::Filter => ctx.overlay(Overlay::Ask(Ask::new(
                "Only transcripts whose metadata match",
                "KEY=VALUE,... as `cbr quotes --where` (empty: no filter)",
                &self.filter.text,
                Answer::Retrieval(Prompt::Where),
            ))),
            RetrievalOp::Where(text) => match Filter::parse(&text) {
                Ok(filter) => self.set_filter(filter, ctx),
                Err(e) => ctx.fail(e),
            },
            RetrievalOp::ClearFilter => {
                if self.filter.parsed.is_empty() {
                    ctx.say("No filter to clear.");
                } else {
                    self.set_filter(Filter::default(), ctx);
                }
            }
            RetrievalOp::Save => {
                let Some(code) = self.current(&ctx.study.codebook) else {
                    return;
                };
                ctx.overlay(Overlay::Ask(Ask::new(
                    format!("Write the segments of {} to", inert(&code.name)),
                    "Markdown as `cbr quotes --format md` prints it, readable by you only",
                    &format!("quotes-{}.md", code.id),
                    Answer::Retrieval(Prompt::SaveTo),
                )));
            }
            RetrievalOp::SaveTo(path) => {
                if let Err(e) = self.save_to(path.trim(), ctx) {
                    ctx.fail(e);
                }
            }
        }
    }

    /// Keeps a filter that the study's metadata can satisfy and lists the
    /// selected code again under it; a bad one is refused and the previous
    /// filter stays.
    fn set_filter(&mut self, filter: Filter, ctx: &mut Ctx) {
        let Some(code) = self.current(&ctx.study.codebook).cloned() else {
            return;
        };
        let before = std::mem::replace(&mut self.filter, filter);
        if let Err(e) = self.quotes(&code, ctx) {
            self.filter = before;
            ctx.fail(e);
            return;
        }
        self.retrieve(ctx);
        if self.filter.parsed.is_empty() {
            ctx.say("Filter cleared: every transcript.");
        }
    }

    /// Every passage of `code` this coder may see, through the filter, as
    /// `cbr quotes CODE --where ...` selects them.
    pub fn quotes(&self, code: &Code, ctx: &Ctx) -> Result<Vec<Quote>, StudyError> {
        let Some(codings) = &self.codings else {
            return Err(StudyError::Refused("Still reading codings…".into()));
        };
        let (meta, problems) = analysis::read_meta(ctx.study);
        let query = Query {
            codes: vec![code.id.to_string()],
            filter: self.filter.parsed.clone(),
            ..Query::default()
        };
        // Only the segments that count for the code are expanded: written
        // with its id or one that resolves to it (an alias, a merged code).
        let codebook = &ctx.study.codebook;
        let wanted = |id: &Slug| {
            codebook
                .resolve(id.as_str())
                .is_some_and(|c| c.id == code.id)
        };
        let corpus = Corpus {
            codings: Cow::Owned(codings.codings_with(wanted)),
            meta,
            hidden: self.hidden.clone(),
            problems,
        };
        let selection = analysis::select(ctx.study, &corpus, &query)?;
        quotes::quotes(ctx.study, &corpus, &selection)
    }

    /// " where city=Marseille", or nothing without a filter.
    pub fn filter_label(&self) -> String {
        match self.filter.parsed.is_empty() {
            true => String::new(),
            false => format!(" where {}", inert(&self.filter.text)),
        }
    }

    fn save_to(&mut self, path: &str, ctx: &mut Ctx) -> Result<(), StudyError> {
        let Some(code) = self.current(&ctx.study.codebook).cloned() else {
            return Ok(());
        };
        if path.is_empty() {
            ctx.say("Nothing written: no file name given.");
            return Ok(());
        }
        let quotes = self.quotes(&code, ctx)?;
        if quotes.is_empty() {
            ctx.say(format!(
                "Nothing written: no passage coded {}{}.",
                code.id,
                self.filter_label()
            ));
            return Ok(());
        }
        let path = expand_home(path);
        let text = quotes::markdown(&ctx.study.codebook, &quotes);
        quotes::write_private(&path, text.as_bytes())?;
        let shown = std::path::absolute(&path).unwrap_or(path);
        ctx.say(format!(
            "Wrote {} passage{} coded {}{} to {} (readable by you only).",
            quotes.len(),
            if quotes.len() == 1 { "" } else { "s" },
            code.id,
            self.filter_label(),
            inert(&shown.display().to_string())
        ));
        Ok(())
    }
}

/// `~/notes/q.md` as the shell would read it.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// One line of the list per passage.
pub(super) fn listed(quotes: Vec<Quote>) -> Vec<Retrieved> {
    quotes
        .into_iter()
        .map(|q| Retrieved {
            coder: q.coder,
            transcript: q.transcript,
            start: q.start_line,
            end: q.end_line,
            preview: q.text.into_iter().next().unwrap_or_default(),
        })
        .collect()
}
