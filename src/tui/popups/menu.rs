//! Small popups for reviewing: a one-line prompt whose text goes to the
//! step that asked for it, and a menu of choices with one key each. (The
//! yes/no confirmation before a write is `Overlay::Confirm`.)

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};

use crate::tui::action::Action;
use crate::tui::draw::widgets;
use crate::tui::draw::wrap::truncate;
use crate::tui::popups::input::{Edit, Input};
use crate::tui::popups::keys::{self, MenuOp};
use crate::tui::review_ops::{Answer, ReviewOp};
use crate::tui::theme::Theme;

/// What a popup does with a key: the popup to keep open (if any) and an
/// action. The caller wraps a kept popup in its own overlay type, so these
/// popups need not know what else can be open.
pub type Outcome<P> = (Option<P>, Option<Action>);

/// The last row of a popup: which keys do what.
fn footer(buf: &mut Buffer, inner: Rect, text: &str, style: ratatui::style::Style) {
    if inner.height > 0 {
        let y = inner.y + inner.height - 1;
        buf.set_stringn(inner.x, y, text, inner.width as usize, style);
    }
}

/// A one-line prompt; Enter hands the text to `answer`'s step.
#[derive(Debug, Clone)]
pub struct Ask {
    pub title: String,
    /// A line of guidance under the input.
    pub note: String,
    pub input: Input,
    pub answer: Answer,
}

impl Ask {
    pub fn new(
        title: impl Into<String>,
        note: impl Into<String>,
        text: &str,
        answer: Answer,
    ) -> Ask {
        Ask {
            title: title.into(),
            note: note.into(),
            input: Input::with_text(text),
            answer,
        }
    }

    pub fn key(mut self, key: &KeyEvent) -> Outcome<Ask> {
        match self.input.handle(key) {
            Edit::Submit => (
                None,
                Some(match self.answer {
                    Answer::Retrieval(prompt) => Action::Retrieval(prompt.answer(self.input.text)),
                    answer => Action::Review(ReviewOp::Answer(answer, self.input.text)),
                }),
            ),
            Edit::Cancel => (None, None),
            _ => (Some(self), None),
        }
    }

    pub fn draw(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        let title = format!(
            " {} ",
            truncate(&self.title, area.width.saturating_sub(6) as usize)
        );
        let w = area.width.saturating_sub(4).max(20);
        let inner = widgets::popup(buf, area, w, 5, &title);
        if inner.height < 3 {
            return;
        }
        let [input, note, keys] = inner.layout(&Layout::vertical([Constraint::Length(1); 3]));
        self.input.draw(buf, input, theme);
        buf.set_stringn(note.x, note.y, &self.note, note.width as usize, theme.dim());
        let hint = "Enter continue · Esc cancel";
        buf.set_stringn(keys.x, keys.y, hint, keys.width as usize, theme.key());
    }
}

/// A choice among a few actions, each on its own key.
#[derive(Debug, Clone)]
pub struct Menu {
    pub title: String,
    pub items: Vec<(char, String, Action)>,
    pub selected: usize,
}

impl Menu {
    pub fn key(mut self, key: &KeyEvent) -> Outcome<Menu> {
        let n = self.items.len();
        // The fixed keys come first: a choice on `j` or `q` is reached by moving.
        match keys::find_loosely(keys::MENU, key) {
            Some(MenuOp::Cancel) => (None, None),
            Some(MenuOp::Next) if n > 0 => {
                self.selected = (self.selected + 1) % n;
                (Some(self), None)
            }
            Some(MenuOp::Previous) if n > 0 => {
                self.selected = (self.selected + n - 1) % n;
                (Some(self), None)
            }
            Some(MenuOp::Choose) => (None, self.items.get(self.selected).map(|i| i.2.clone())),
            _ => match key.code {
                KeyCode::Char(c) => match self.items.iter().find(|i| i.0 == c) {
                    Some(item) => (None, Some(item.2.clone())),
                    None => (Some(self), None),
                },
                _ => (Some(self), None),
            },
        }
    }

    pub fn draw(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        let title = format!(
            " {} ",
            truncate(&self.title, area.width.saturating_sub(6) as usize)
        );
        let w = area.width.saturating_sub(4).clamp(20, 64);
        let inner = widgets::popup(buf, area, w, self.items.len() as u16 + 3, &title);
        for (i, (key, label, _)) in self.items.iter().enumerate() {
            let y = inner.y + i as u16;
            if y >= inner.y + inner.height {
                return;
            }
            let style = if i == self.selected {
                theme.cursor()
            } else {
                theme.plain()
            };
            widgets::row(buf, inner.x, y, inner.width, &format!("  {label}"), style);
            buf.set_stringn(inner.x, y, key.to_string(), 1, theme.key());
        }
        footer(buf, inner, "key or Enter choose · Esc cancel", theme.dim());
    }
}
