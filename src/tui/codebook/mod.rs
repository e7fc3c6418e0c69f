//! The Codebook tab: the code tree (`tree`), its drawing (`view`), its
//! actions and coded retrieval (`tab`), the retrieval's filter and
//! writing it to a file as `cbr quotes` does (`retrieval`), and suggesting
//! a change to the selected code (`propose`). The screen owns everyone's
//! codings as this coder may see them (blind coding applied), read in the
//! background, for the counts and retrieval.

pub mod propose;
pub mod retrieval;
pub mod tab;
pub mod tree;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::Slug;
use crate::model::analysis::filter::Where;
use crate::model::coding_index::CodingIndex;
use crate::study::{Study, StudyError};

use crate::tui::action::Action;
use crate::tui::context::{Ctx, DrawCtx, Screen};
use crate::tui::keymap::Context;

/// The retrieval's metadata filter (`cbr quotes --where`), as typed and
/// as parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub text: String,
    pub parsed: Where,
}

impl Filter {
    /// `city=Marseille, kind=interview` as `--where` takes it.
    pub fn parse(text: &str) -> Result<Filter, StudyError> {
        let items: Vec<String> = text.split(',').map(str::to_string).collect();
        let parsed = Where::parse(&items).map_err(StudyError::Refused)?;
        let text = items
            .iter()
            .map(|i| i.trim())
            .filter(|i| !i.is_empty())
            .collect::<Vec<_>>()
            .join(",");
        Ok(Filter { text, parsed })
    }
}

/// One line of coded retrieval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retrieved {
    pub coder: Slug,
    pub transcript: Slug,
    pub start: usize,
    pub end: usize,
    pub preview: String,
}

#[derive(Debug, Default)]
pub struct CodebookScreen {
    pub collapsed: BTreeSet<Slug>,
    pub selected: usize,
    /// Coded retrieval for the selected code, when open.
    pub retrieval: Option<(Vec<Retrieved>, usize)>,
    /// The retrieval's metadata filter (`cbr quotes --where`), kept from
    /// code to code until cleared.
    pub filter: Filter,
    /// Everyone's codings this coder may see; `None` until read.
    pub codings: Option<CodingIndex>,
    /// Segments per coder for each code, from `codings`.
    pub counts: Option<BTreeMap<Slug, BTreeMap<Slug, usize>>>,
    /// Transcripts whose other coders' work blind coding holds back, with
    /// the coders they wait for.
    pub hidden: BTreeMap<Slug, Vec<Slug>>,
    /// What blind coding holds back, said on the screen.
    pub blind_note: Option<String>,
}

impl Screen for CodebookScreen {
    fn context(&self) -> Context {
        match self.retrieval {
            Some(_) => Context::Retrieval,
            None => Context::Codebook,
        }
    }

    fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Result<(), StudyError> {
        self.act(action, ctx);
        Ok(())
    }

    fn draw(&self, buf: &mut Buffer, area: Rect, ctx: &DrawCtx) {
        self.draw_with(buf, area, &ctx.study.codebook, ctx.theme);
    }

    fn study_changed(&mut self, before: &Study, ctx: &mut Ctx) {
        self.keep_code(before, ctx);
    }
}
