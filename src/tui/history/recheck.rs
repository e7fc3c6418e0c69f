//! The coder's re-check queue, as the History tab shows it: segments coded
//! under an earlier definition of their code (`study::outdated`) and
//! segments whose own words changed with their transcript
//! (`study::text_recheck`), the two lists `cbr recheck list` merges.

use crate::model::Slug;
use crate::study::context;
use crate::study::outdated::Outdated;
use crate::study::text_recheck::{self, TextChanged};
use crate::study::{Study, StudyError};

/// The coder's own re-check queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recheck {
    /// Definition-changed items first, then text-changed ones.
    pub items: Vec<RecheckItem>,
    /// Segments that record no codebook version and cannot be checked.
    pub unversioned: usize,
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
    let mut items: Vec<RecheckItem> = queue
        .items
        .into_iter()
        .map(RecheckItem::Definition)
        .collect();
    for queue in text_recheck::queues_of(coder) {
        items.extend(
            text_recheck::load(study, &queue)?
                .into_iter()
                .map(RecheckItem::Text),
        );
    }
    Ok(Recheck {
        items,
        unversioned: queue.unversioned,
    })
}
