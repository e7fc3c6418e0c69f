//! Drawing the Codebook tab: the code tree (expand/collapse), the selected
//! code's full record with how often each coder applied it, and coded
//! retrieval — every segment of the code across transcripts.

use std::collections::BTreeMap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::model::text::inert;
use crate::model::{Code, Codebook, Slug, Status};

use crate::tui::codebook::{CodebookScreen, Retrieved};
use crate::tui::draw::widgets;
use crate::tui::draw::wrap::truncate;
use crate::tui::theme::Theme;

/// The screen as drawn: its state and what it reads from the context.
struct View<'a> {
    codebook: &'a Codebook,
    screen: &'a CodebookScreen,
    /// `None` while the background count is still running.
    counts: Option<&'a BTreeMap<Slug, BTreeMap<Slug, usize>>>,
    /// What blind coding holds back from the counts and retrieval, if anything.
    blind_note: Option<&'a str>,
    theme: &'a Theme,
}

impl CodebookScreen {
    pub(super) fn draw_with(
        &self,
        buf: &mut Buffer,
        area: Rect,
        codebook: &Codebook,
        theme: &Theme,
    ) {
        View {
            codebook,
            screen: self,
            counts: self.counts.as_ref(),
            blind_note: self.blind_note.as_deref(),
            theme,
        }
        .draw(buf, area)
    }
}

impl View<'_> {
    fn draw(&self, buf: &mut Buffer, area: Rect) {
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
        let [_, rule, right] = area.layout(&Layout::horizontal([
            Constraint::Length(tree_w),
            Constraint::Length(1),
            Constraint::Fill(1),
        ]));
        for cell in rule.rows() {
            buf.set_stringn(cell.x, cell.y, "│", 1, t.dim());
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
        // The filter under the title: at 80 columns the code's name
        // already fills the line.
        let filter = self.screen.filter_label();
        if !filter.is_empty() {
            top = widgets::paragraph(
                buf,
                area,
                top,
                &format!("{} · F clears · w writes to a file", filter.trim()),
                t.ok(),
                2,
            )
            .unwrap_or(area.y + area.height);
        }
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
