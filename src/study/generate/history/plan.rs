//! What the next codebook suggestion changes: a code due to be added, a
//! reworded field of a code (most often, some codes far more than others),
//! or now and then a rename, merge or deprecation.

use crate::model::codebook::Status;
use crate::model::{Code, Slug};

use super::super::codes;
use super::History;

/// A change a suggestion will carry.
pub(super) struct Planned {
    pub codes: Vec<Code>,
    pub removed: Vec<Slug>,
    pub title: String,
    /// Changes other codes' references: nothing else may be open meanwhile.
    pub structural: bool,
}

impl Planned {
    fn edit(codes: Vec<Code>, title: String) -> Self {
        Planned {
            codes,
            removed: Vec::new(),
            title,
            structural: false,
        }
    }

    fn structural(codes: Vec<Code>, title: String) -> Self {
        Planned {
            structural: true,
            ..Planned::edit(codes, title)
        }
    }
}

impl History<'_, '_> {
    pub(super) fn busy(&self, id: &Slug) -> bool {
        self.open.iter().any(|o| o.touches.contains(id))
    }

    /// Picks what the next suggestion changes: a code due to be added,
    /// mostly wording, sometimes structure (only while nothing else is
    /// open, so that every merge stays clean).
    pub(super) fn plan_change(&mut self) -> Option<Planned> {
        if let Some(planned) = self.addition() {
            return Some(planned);
        }
        if self.open.is_empty()
            && let Some(planned) = self.restructure()
        {
            return Some(planned);
        }
        for _ in 0..20 {
            let n = self.hot.len();
            let i = self.rng.usize(0..n).min(self.rng.usize(0..n));
            let id = self.hot[i].clone();
            let Some(code) = self.live.resolve(id.as_str()).cloned() else {
                continue;
            };
            if code.status != Status::Active || self.busy(&code.id) {
                continue;
            }
            let (new, title) = codes::edit(&mut self.rng, &self.live, &code, &mut *self.quotes);
            if new != code {
                return Some(Planned::edit(vec![new], title));
            }
        }
        None
    }

    /// The next planned code, when additions are behind schedule (they are
    /// spread over the first 80 % of the history) or the budget runs short.
    /// It touches only a new file, so it may be open beside other edits.
    fn addition(&mut self) -> Option<Planned> {
        let done = self.tally.commits as f64 / self.total as f64;
        let added = self.pending_total - self.pending.len();
        let unreserved = self.budget - self.reserved;
        let urgent = self.pending.len() * 5 + 8 >= unreserved;
        if !urgent && added as f64 >= self.pending_total as f64 * (done / 0.8).min(1.0) {
            return None;
        }
        let mut code = self.pending.pop_front()?;
        // Its parent may have been renamed or merged since it was planned.
        code.parent = code
            .parent
            .as_ref()
            .and_then(|p| self.live.resolve(p.as_str()))
            .map(|p| p.id.clone());
        let title = format!("Add the code {}", code.name);
        Some(Planned::edit(vec![code], title))
    }

    /// Now and then a rename, merge or deprecation of a leaf code.
    fn restructure(&mut self) -> Option<Planned> {
        if self.rng.u32(0..100) >= 3 {
            return None;
        }
        let leaves: Vec<&Code> = self
            .live
            .codes
            .values()
            .filter(|c| c.status == Status::Active && c.parent.is_some())
            .filter(|c| self.live.children(c.id.as_str()).is_empty())
            .collect();
        if leaves.is_empty() {
            return None;
        }
        let code = leaves[self.rng.usize(0..leaves.len())].clone();
        let kind = self.rng.u32(0..4);
        if kind < 2 {
            let (changed, title) = codes::rename(&mut self.rng, &self.live, &code, &self.taken)?;
            self.taken.insert(changed[0].id.to_string());
            return Some(Planned {
                removed: vec![code.id],
                ..Planned::structural(changed, title)
            });
        }
        let target = self
            .live
            .children(code.parent.as_ref()?.as_str())
            .into_iter()
            .find(|c| c.id != code.id && c.status == Status::Active)
            .cloned();
        let (changed, title) = match (kind, target) {
            (2, Some(target)) => codes::merge_into(&code, &target),
            _ => codes::deprecate(&code),
        };
        Some(Planned::structural(vec![changed], title))
    }
}
