//! The code tree of the Codebook tab: rows in name order with collapsed
//! codes' descendants hidden, moving and folding, and how often each
//! coder applied each code.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::coding_index::CodingIndex;
use crate::model::{Code, Codebook, Slug};

use crate::tui::codebook::CodebookScreen;

impl CodebookScreen {
    /// The visible rows: the tree without the descendants of collapsed codes.
    pub fn rows<'a>(&self, codebook: &'a Codebook) -> Vec<(usize, &'a Code)> {
        let mut out = Vec::new();
        let mut hidden_below: Option<usize> = None;
        for (depth, code) in by_name(codebook) {
            if let Some(d) = hidden_below {
                if depth > d {
                    continue;
                }
                hidden_below = None;
            }
            if self.collapsed.contains(&code.id) {
                hidden_below = Some(depth);
            }
            out.push((depth, code));
        }
        out
    }

    pub fn current<'a>(&self, codebook: &'a Codebook) -> Option<&'a Code> {
        self.rows(codebook).get(self.selected).map(|(_, c)| *c)
    }

    pub fn move_by(&mut self, codebook: &Codebook, delta: isize) {
        if let Some((items, sel)) = &mut self.retrieval {
            if !items.is_empty() {
                *sel = sel.saturating_add_signed(delta).min(items.len() - 1);
            }
            return;
        }
        let n = self.rows(codebook).len();
        if n > 0 {
            self.selected = self.selected.saturating_add_signed(delta).min(n - 1);
        }
    }

    pub fn toggle(&mut self, codebook: &Codebook) {
        if let Some(code) = self.current(codebook) {
            let id = code.id.clone();
            if !self.collapsed.remove(&id) && !codebook.children(id.as_str()).is_empty() {
                self.collapsed.insert(id);
            }
        }
    }
}

/// The code tree depth first, siblings sorted by name (case folded, then by
/// id), so that a reader finds a code where the alphabet puts it; ids are
/// an accident of history. `Codebook::tree` stays in id order for the files.
pub fn by_name(codebook: &Codebook) -> Vec<(usize, &Code)> {
    fn push_sorted<'a>(stack: &mut Vec<(usize, &'a Code)>, depth: usize, mut codes: Vec<&'a Code>) {
        codes.sort_by_key(|c| (c.name.to_lowercase(), c.id.clone()));
        stack.extend(codes.into_iter().rev().map(|c| (depth, c)));
    }
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    // Explicit stack: a parent cycle or a deep tree cannot overflow it.
    let mut stack: Vec<(usize, &Code)> = Vec::new();
    push_sorted(&mut stack, 0, codebook.roots());
    loop {
        while let Some((depth, code)) = stack.pop() {
            if !seen.insert(code.id.clone()) {
                continue;
            }
            out.push((depth, code));
            push_sorted(&mut stack, depth + 1, codebook.children(code.id.as_str()));
        }
        // Codes caught in a parent cycle are unreachable from a root; still list them.
        let rest: Vec<&Code> = codebook
            .tree()
            .into_iter()
            .map(|(_, c)| c)
            .filter(|c| !seen.contains(&c.id))
            .take(1)
            .collect();
        if rest.is_empty() {
            return out;
        }
        push_sorted(&mut stack, 0, rest);
    }
}

/// Segments per coder for each code (aliases resolved).
pub fn counts(codebook: &Codebook, codings: &CodingIndex) -> BTreeMap<Slug, BTreeMap<Slug, usize>> {
    codings.counts(|code| {
        codebook
            .resolve(code.as_str())
            .map_or_else(|| code.clone(), |c| c.id.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(id: &str, parent: Option<&str>) -> Code {
        let mut c = Code::new(Slug::new(id).unwrap(), id, "d");
        c.parent = parent.map(|p| Slug::new(p).unwrap());
        c
    }

    #[test]
    fn collapsing_hides_descendants() {
        let cb = Codebook::from_codes([
            code("a", None),
            code("a-1", Some("a")),
            code("a-1-x", Some("a-1")),
            code("b", None),
        ]);
        let mut s = CodebookScreen::default();
        assert_eq!(s.rows(&cb).len(), 4);
        s.toggle(&cb);
        let ids: Vec<_> = s.rows(&cb).iter().map(|(_, c)| c.id.to_string()).collect();
        assert_eq!(ids, ["a", "b"]);
        s.move_by(&cb, 1);
        s.toggle(&cb);
        assert!(s.collapsed.len() == 1, "a leaf does not collapse");
    }
}
