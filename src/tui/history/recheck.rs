//! The coder's re-check queue, as the History tab shows it: segments coded
//! under an earlier definition of their code (`study::outdated`) and
//! segments whose own words changed with their transcript
//! (`study::text_recheck`), the two lists `cbr recheck list` merges.

use crate::model::Slug;
use crate::study::context;
use crate::study::outdated::{Items, Outdated};
use crate::study::text_recheck::{self, TextChanged};
use crate::study::{Study, StudyError};

/// The coder's own re-check queue: definition-changed items first, then
/// text-changed ones. The first are held compactly (a coder of a large
/// study has a hundred thousand of them) and lent out one at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recheck {
    definitions: Items,
    texts: Vec<TextChanged>,
    /// Segments that record no codebook version and cannot be checked.
    pub unversioned: usize,
}

impl Recheck {
    pub fn len(&self) -> usize {
        self.definitions.len() + self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<RecheckItem> {
        match self.definitions.get(i) {
            Some(o) => Some(RecheckItem::Definition(o.to_owned())),
            None => self
                .texts
                .get(i - self.definitions.len())
                .cloned()
                .map(RecheckItem::Text),
        }
    }

    /// The items from the `first`, in order.
    pub fn iter_from(&self, first: usize) -> impl Iterator<Item = RecheckItem> + '_ {
        (first..self.len()).filter_map(|i| self.get(i))
    }

    /// Takes `item` out of the queue (it was cleared).
    pub fn remove(&mut self, item: &RecheckItem) {
        match item {
            RecheckItem::Definition(o) => self.definitions.remove_where(|i| *i == o.view()),
            RecheckItem::Text(t) => self.texts.retain(|x| x != t),
        }
    }
}

/// One segment to re-read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecheckItem {
    /// Its code's definition changed since it was coded.
    Definition(Outdated),
    /// Its passage's words changed when the transcript was corrected.
    Text(TextChanged),
}

impl RecheckItem {
    pub fn transcript(&self) -> &Slug {
        match self {
            RecheckItem::Definition(o) => &o.transcript,
            RecheckItem::Text(t) => &t.transcript,
        }
    }

    pub fn start_line(&self) -> usize {
        match self {
            RecheckItem::Definition(o) => o.start_line,
            RecheckItem::Text(t) => t.start_line,
        }
    }

    /// The name `cbr recheck clear` takes.
    pub fn name(&self) -> String {
        match self {
            RecheckItem::Definition(o) => o.item(),
            RecheckItem::Text(t) => t.item(),
        }
    }
}

/// Reads the coder's queue: the outdated definitions, then the text
/// changes in the coder's own queue and the consensus's.
pub fn load(study: &Study, coder: &Slug) -> Result<Recheck, StudyError> {
    let queue = context::recheck_queue(study, coder)?;
    let mut texts = Vec::new();
    for queue in text_recheck::queues_of(coder) {
        texts.extend(text_recheck::load(study, &queue)?);
    }
    Ok(Recheck {
        definitions: queue.items,
        texts,
        unversioned: queue.unversioned,
    })
}
