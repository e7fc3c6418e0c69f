//! The fuzzy code picker: type to filter codes by name, id or alias; the
//! highlighted code's definition, include and exclude are shown while you
//! choose; recently used codes come first.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::buffer::Buffer;
use ratatui::layout::Constraint::{Fill, Length};
use ratatui::layout::{Layout, Rect};

use crate::model::{Code, Codebook, Slug, Status};

use crate::tui::action::Action;
use crate::tui::draw::widgets;
use crate::tui::draw::wrap::truncate;
use crate::tui::popups::input::Input;
use crate::tui::review_ops::ReviewOp;
use crate::tui::theme::Theme;

/// What choosing a code does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Apply,
    Remove,
    Memo,
    /// Which code at stake a codebook suggestion is about.
    Suggest,
    /// The code the selected one is to be merged into (a suggestion).
    MergeInto,
}

pub struct Picker {
    pub purpose: Purpose,
    pub input: Input,
    /// The codes on offer, in their default order (recent first).
    candidates: Vec<Slug>,
    /// The ones matching the query, best first.
    pub shown: Vec<Slug>,
    pub selected: usize,
}

impl Picker {
    /// Active codes for applying, recent ones first, then in tree order.
    pub fn for_apply(codebook: &Codebook, recent: &[Slug]) -> Picker {
        let mut candidates: Vec<Slug> = recent
            .iter()
            .filter(|id| {
                codebook
                    .get(id.as_str())
                    .is_some_and(|c| c.status == Status::Active)
            })
            .cloned()
            .collect();
        for (_, code) in codebook.tree() {
            if code.status == Status::Active && !candidates.contains(&code.id) {
                candidates.push(code.id.clone());
            }
        }
        Picker::new(Purpose::Apply, candidates, codebook)
    }

    /// A choice among the codes of the segments at the cursor.
    pub fn among(purpose: Purpose, codes: Vec<Slug>, codebook: &Codebook) -> Picker {
        Picker::new(purpose, codes, codebook)
    }

    fn new(purpose: Purpose, candidates: Vec<Slug>, codebook: &Codebook) -> Picker {
        let mut p = Picker {
            purpose,
            input: Input::default(),
            shown: Vec::new(),
            candidates,
            selected: 0,
        };
        p.refilter(codebook);
        p
    }

    pub fn refilter(&mut self, codebook: &Codebook) {
        let query = self.input.text.trim();
        if query.is_empty() {
            self.shown = self.candidates.clone();
        } else {
            let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
            let mut matcher = Matcher::new(Config::DEFAULT);
            let mut buf = Vec::new();
            let mut scored: Vec<(u32, usize, &Slug)> = self
                .candidates
                .iter()
                .enumerate()
                .filter_map(|(rank, id)| {
                    let hay = haystack(codebook.get(id.as_str()), id);
                    let score = pattern.score(Utf32Str::new(&hay, &mut buf), &mut matcher)?;
                    Some((score, rank, id))
                })
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.shown = scored.into_iter().map(|(_, _, id)| id.clone()).collect();
        }
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    pub fn current(&self) -> Option<&Slug> {
        self.shown.get(self.selected)
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.shown.is_empty() {
            return;
        }
        let n = self.shown.len() as isize;
        self.selected = (self.selected as isize + delta).rem_euclid(n) as usize;
    }

    /// The action choosing the highlighted code performs.
    pub fn choose(&self) -> Option<Action> {
        let id = self.current()?.clone();
        Some(match self.purpose {
            Purpose::Apply => Action::Apply(id),
            Purpose::Remove => Action::Remove(id),
            Purpose::Memo => Action::Memo(id),
            Purpose::Suggest => Action::SuggestFor(id),
            Purpose::MergeInto => Action::Review(ReviewOp::MergeInto(id)),
        })
    }

    pub fn title(&self) -> &'static str {
        match self.purpose {
            Purpose::Apply => " Apply a code ",
            Purpose::Remove => " Remove which code? ",
            Purpose::Memo => " Memo on which segment? ",
            Purpose::Suggest => " Suggest a change to which code? ",
            Purpose::MergeInto => " Merge into which code? ",
        }
    }

    pub fn draw(&self, buf: &mut Buffer, area: Rect, codebook: &Codebook, theme: &Theme) {
        let w = (area.width * 9 / 10).max(area.width.min(40));
        let h = (area.height * 9 / 10).max(area.height.min(10));
        let inner = widgets::popup(buf, area, w, h, self.title());
        if inner.height < 3 || inner.width < 10 {
            return;
        }
        let [prompt, body] = inner.layout(&Layout::vertical([Length(1), Fill(1)]));
        let [marker, input] = prompt.layout(&Layout::horizontal([Length(2), Fill(1)]));
        buf.set_stringn(marker.x, marker.y, "> ", 2, theme.key());
        self.input.draw(buf, input, theme);
        let wide = body.width >= 70;
        let [list, preview] = if wide {
            body.layout(&Layout::horizontal([Length(body.width * 2 / 5), Fill(1)]).spacing(1))
        } else {
            body.layout(&Layout::vertical([Length(body.height / 2), Fill(1)]))
        };
        // Scroll the list so the highlighted code is visible.
        let first = self
            .selected
            .saturating_sub(list.height.saturating_sub(1) as usize);
        for (row, id) in self
            .shown
            .iter()
            .enumerate()
            .skip(first)
            .take(list.height as usize)
        {
            let y = list.y + (row - first) as u16;
            let code = codebook.get(id.as_str());
            let name = code.map_or("", |c| c.name.as_str());
            let text = truncate(&format!("{name} · {id}"), list.width as usize);
            let style = if row == self.selected {
                theme.cursor()
            } else {
                theme.plain()
            };
            widgets::row(buf, list.x, y, list.width, &text, style);
        }
        if self.shown.is_empty() {
            buf.set_stringn(
                list.x,
                list.y,
                "no code matches",
                list.width as usize,
                theme.dim(),
            );
        }
        if let Some(code) = self.current().and_then(|id| codebook.get(id.as_str())) {
            draw_preview(buf, preview, code, theme, !wide);
        }
    }
}

fn haystack(code: Option<&Code>, id: &Slug) -> String {
    let mut hay = format!("{} {id}", code.map_or("", |c| c.name.as_str()));
    for alias in code.iter().flat_map(|c| &c.aliases) {
        hay.push(' ');
        hay.push_str(alias.as_str());
    }
    hay
}

fn draw_preview(buf: &mut Buffer, area: Rect, code: &Code, theme: &Theme, top_rule: bool) {
    let mut y = area.y;
    if top_rule {
        buf.set_stringn(
            area.x,
            y,
            "─".repeat(area.width as usize),
            area.width as usize,
            theme.dim(),
        );
        y += 1;
    }
    let sections = [
        (code.name.as_str(), code.definition.as_str()),
        ("Use when", code.include.as_str()),
        ("Do not use when", code.exclude.as_str()),
    ];
    for (i, (title, text)) in sections.iter().enumerate() {
        let style = if i == 0 {
            theme.heading()
        } else {
            theme.bold()
        };
        let Some(next) = widgets::paragraph(buf, area, y, title, style, 0)
            .and_then(|y| widgets::paragraph(buf, area, y, text.trim(), theme.plain(), 0))
        else {
            return;
        };
        y = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cb() -> Codebook {
        let mut threats = Code::new(
            Slug::new("verbal-violence").unwrap(),
            "Verbal violence and threats",
            "d",
        );
        threats.aliases = vec![Slug::new("insults").unwrap()];
        let mut old = Code::new(Slug::new("old-code").unwrap(), "Old", "d");
        old.status = Status::Deprecated;
        Codebook::from_codes([
            threats,
            Code::new(
                Slug::new("physical-violence").unwrap(),
                "Physical violence",
                "d",
            ),
            Code::new(Slug::new("humour").unwrap(), "Humour", "d"),
            old,
        ])
    }

    #[test]
    fn recent_codes_come_first_and_deprecated_are_hidden() {
        let cb = cb();
        let p = Picker::for_apply(&cb, &[Slug::new("humour").unwrap()]);
        let ids: Vec<&str> = p.shown.iter().map(|s| s.as_str()).collect();
        assert_eq!(ids, ["humour", "physical-violence", "verbal-violence"]);
    }

    #[test]
    fn matches_names_ids_and_aliases() {
        let cb = cb();
        let mut p = Picker::for_apply(&cb, &[]);
        p.input.text = "insul".into();
        p.refilter(&cb);
        assert_eq!(p.current().unwrap().as_str(), "verbal-violence");
        p.input.text = "phys".into();
        p.refilter(&cb);
        assert_eq!(p.current().unwrap().as_str(), "physical-violence");
        p.input.text = "zzzz".into();
        p.refilter(&cb);
        assert!(p.choose().is_none());
    }
}
