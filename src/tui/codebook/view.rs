//! The Codebook tab: the code tree (expand/collapse), the selected code's
//! full record with how often each coder applied it, and coded retrieval —
//! every segment of the code across transcripts.

use std::collections::{BTreeMap, BTreeSet};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::text::inert;
use crate::model::{Code, Codebook, Coding, Slug, Status};

use crate::tui::draw::widgets;
use crate::tui::draw::wrap::truncate;
use crate::tui::theme::Theme;

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
}

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
pub fn counts(
    codebook: &Codebook,
    codings: &[(Slug, Coding)],
) -> BTreeMap<Slug, BTreeMap<Slug, usize>> {
    let mut out: BTreeMap<Slug, BTreeMap<Slug, usize>> = BTreeMap::new();
    for (coder, coding) in codings {
        for seg in &coding.segments {
            let id = codebook
                .resolve(seg.code.as_str())
                .map_or(&seg.code, |c| &c.id);
            *out.entry(id.clone())
                .or_default()
                .entry(coder.clone())
                .or_default() += 1;
        }
    }
    out
}

pub struct View<'a> {
    pub codebook: &'a Codebook,
    pub screen: &'a CodebookScreen,
    /// `None` while the background count is still running.
    pub counts: Option<&'a BTreeMap<Slug, BTreeMap<Slug, usize>>>,
    /// What blind coding holds back from the counts and retrieval, if anything.
    pub blind_note: Option<&'a str>,
    pub theme: &'a Theme,
}

impl View<'_> {
    pub fn draw(&self, buf: &mut Buffer, area: Rect) {
        let t = self.theme;
        let tree_w = (area.width / 3).clamp(20, 36).min(area.width);
        let rows = self.screen.rows(self.codebook);
        let first = self
            .screen
            .selected
            .saturating_sub(area.height.saturating_sub(1) as usize);
        for (i, (depth, code)) in rows
            .iter()
            .enumerate()
            .skip(first)
            .take(area.height as usize)
        {
            let y = area.y + (i - first) as u16;
            let marker = if self.codebook.children(code.id.as_str()).is_empty() {
                "  "
            } else if self.screen.collapsed.contains(&code.id) {
                "▸ "
            } else {
                "▾ "
            };
            let status = match code.status {
                Status::Active => "",
                Status::Deprecated => " (deprecated)",
                Status::Merged => " (merged)",
            };
            let label = format!(
                "{}{marker}{}{status}",
                "  ".repeat(*depth),
                inert(&code.name)
            );
            let style = if i == self.screen.selected && self.screen.retrieval.is_none() {
                t.cursor()
            } else if i == self.screen.selected {
                t.bold()
            } else {
                t.plain()
            };
            buf.set_stringn(
                area.x,
                y,
                truncate(&label, tree_w as usize - 1),
                tree_w as usize - 1,
                style,
            );
        }
        let right = Rect {
            x: area.x + tree_w + 1,
            width: area.width.saturating_sub(tree_w + 1),
            ..area
        };
        for y in area.y..area.y + area.height {
            buf.set_stringn(area.x + tree_w, y, "│", 1, t.dim());
        }
        let Some(code) = self.screen.current(self.codebook) else {
            buf.set_stringn(
                right.x,
                right.y,
                "The codebook is empty.",
                right.width as usize,
                t.dim(),
            );
            return;
        };
        match &self.screen.retrieval {
            Some((items, sel)) => self.draw_retrieval(buf, right, code, items, *sel),
            None => self.draw_record(buf, right, code),
        }
    }

    fn draw_record(&self, buf: &mut Buffer, area: Rect, code: &Code) {
        let t = self.theme;
        let mut lines: Vec<(String, ratatui::style::Style)> = Vec::new();
        lines.push((format!("{} ({})", code.name, code.id), t.heading()));
        let path: Vec<&str> = self
            .codebook
            .ancestors(code.id.as_str())
            .iter()
            .rev()
            .map(|c| c.name.as_str())
            .collect();
        if !path.is_empty() {
            lines.push((format!("under {}", path.join(" › ")), t.dim()));
        }
        let mut facts = format!("status {}", code.status.as_str());
        if let Some(target) = &code.merged_into {
            facts.push_str(&format!(" into {target}"));
        }
        if !code.aliases.is_empty() {
            let a: Vec<&str> = code.aliases.iter().map(|a| a.as_str()).collect();
            facts.push_str(&format!(" · aliases {}", a.join(", ")));
        }
        lines.push((facts, t.dim()));
        let applied = match self.counts {
            None => "applied: counting…".to_string(),
            Some(all) => match all.get(&code.id) {
                None => "applied: not yet".to_string(),
                Some(per) => {
                    let parts: Vec<String> = per.iter().map(|(c, n)| format!("{c} {n}")).collect();
                    format!("applied: {} (r lists them)", parts.join(" · "))
                }
            },
        };
        lines.push((applied, t.ok()));
        if let Some(note) = self.blind_note {
            lines.push((note.to_string(), t.dim()));
        }
        for (title, text) in [
            ("Definition", &code.definition),
            ("Description", &code.description),
            ("Use when", &code.include),
            ("Do not use when", &code.exclude),
        ] {
            lines.push((title.to_string(), t.bold()));
            lines.push((text.trim().replace('\n', " "), t.plain()));
        }
        if !code.examples.is_empty() {
            lines.push(("Examples".into(), t.bold()));
            for ex in &code.examples {
                lines.push((
                    format!("« {} » ({})", ex.quote.trim(), ex.source),
                    t.plain(),
                ));
            }
        }
        let mut y = area.y;
        for (text, style) in lines {
            match widgets::paragraph(buf, area, y, &text, style, 0) {
                Some(next) => y = next,
                None => return,
            }
        }
    }

    fn draw_retrieval(
        &self,
        buf: &mut Buffer,
        area: Rect,
        code: &Code,
        items: &[Retrieved],
        sel: usize,
    ) {
        let t = self.theme;
        let title = format!(
            "{} segment{} of {} · Enter jumps · Esc back",
            items.len(),
            if items.len() == 1 { "" } else { "s" },
            inert(&code.name)
        );
        buf.set_stringn(
            area.x,
            area.y,
            truncate(&title, area.width as usize),
            area.width as usize,
            t.heading(),
        );
        let mut top = area.y + 1;
        if let Some(note) = self.blind_note {
            top = widgets::paragraph(buf, area, top, note, t.dim(), 2)
                .unwrap_or(area.y + area.height);
        }
        let list_h = (area.y + area.height).saturating_sub(top) as usize;
        let first = sel.saturating_sub(list_h.saturating_sub(1));
        for (i, item) in items.iter().enumerate().skip(first).take(list_h) {
            let y = top + (i - first) as u16;
            let text = format!(
                "{:<8} {}:{}-{}  {}",
                item.coder.as_str(),
                item.transcript,
                item.start,
                item.end,
                inert(&item.preview)
            );
            let style = if i == sel { t.cursor() } else { t.plain() };
            buf.set_stringn(
                area.x,
                y,
                truncate(&text, area.width as usize),
                area.width as usize,
                style,
            );
        }
    }
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
