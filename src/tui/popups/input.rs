//! A one-line text input (memos, search, picker query) that edits by
//! characters and scrolls to keep the cursor visible.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use crate::tui::draw::wrap::width;
use crate::tui::popups::keys::{self, PromptOp};
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    pub text: String,
    /// Cursor position in characters.
    pub cursor: usize,
}

/// What a key did to the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Changed,
    Moved,
    Submit,
    Cancel,
    Ignored,
}

impl Input {
    pub fn with_text(text: &str) -> Input {
        Input {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    fn byte(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(b, _)| b)
    }

    /// Edits by the keys of `keys::PROMPT`; anything else printable is typed.
    pub fn handle(&mut self, key: &KeyEvent) -> Edit {
        let len = self.text.chars().count();
        match keys::find_loosely(keys::PROMPT, key) {
            Some(PromptOp::Submit) => Edit::Submit,
            Some(PromptOp::Cancel) => Edit::Cancel,
            Some(PromptOp::DeleteToStart) => {
                self.text.drain(..self.byte(self.cursor));
                self.cursor = 0;
                Edit::Changed
            }
            Some(PromptOp::Start) => {
                self.cursor = 0;
                Edit::Moved
            }
            Some(PromptOp::End) => {
                self.cursor = len;
                Edit::Moved
            }
            Some(PromptOp::Backspace) if self.cursor > 0 => {
                let at = self.byte(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
                Edit::Changed
            }
            Some(PromptOp::Delete) if self.cursor < len => {
                let at = self.byte(self.cursor);
                self.text.remove(at);
                Edit::Changed
            }
            Some(PromptOp::Left) if self.cursor > 0 => {
                self.cursor -= 1;
                Edit::Moved
            }
            Some(PromptOp::Right) if self.cursor < len => {
                self.cursor += 1;
                Edit::Moved
            }
            Some(PromptOp::Type) | None => match key.code {
                KeyCode::Char(c)
                    if !key.modifiers.contains(KeyModifiers::CONTROL) && !c.is_control() =>
                {
                    let at = self.byte(self.cursor);
                    self.text.insert(at, c);
                    self.cursor += 1;
                    Edit::Changed
                }
                _ => Edit::Ignored,
            },
            // At either end of the text there is nothing to move or delete.
            Some(_) => Edit::Ignored,
        }
    }

    /// Draws the text, scrolled so the cursor (shown reversed) is visible.
    pub fn draw(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        let w = area.width as usize;
        if w == 0 {
            return;
        }
        let before = &self.text[..self.byte(self.cursor)];
        let mut skip = 0;
        while width(&before[skip..]) + 1 > w {
            skip += before[skip..].chars().next().map_or(1, char::len_utf8);
        }
        let visible = crate::model::text::inert(&self.text[skip..]).into_owned();
        buf.set_stringn(area.x, area.y, &visible, w, theme.plain());
        let cx = area.x + width(&before[skip..]) as u16;
        let under = self.text[self.byte(self.cursor)..]
            .chars()
            .next()
            .unwrap_or(' ');
        if cx < area.x + area.width {
            buf.set_stringn(cx, area.y, under.to_string(), 1, theme.cursor());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn edits_multibyte_text_by_characters() {
        let mut i = Input::default();
        for c in "déjà".chars() {
            i.handle(&key(KeyCode::Char(c)));
        }
        i.handle(&key(KeyCode::Left));
        i.handle(&key(KeyCode::Backspace));
        assert_eq!(i.text, "déà");
        assert_eq!(i.handle(&key(KeyCode::Enter)), Edit::Submit);
        assert_eq!(i.handle(&key(KeyCode::Esc)), Edit::Cancel);
    }
}
