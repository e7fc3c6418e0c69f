//! A one-line text input (memos, search, picker query) that edits by
//! characters and scrolls to keep the cursor visible.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use crate::tui::draw::wrap::width;
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

    pub fn handle(&mut self, key: &KeyEvent) -> Edit {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => Edit::Submit,
            KeyCode::Esc => Edit::Cancel,
            KeyCode::Char('u') if ctrl => {
                self.text.drain(..self.byte(self.cursor));
                self.cursor = 0;
                Edit::Changed
            }
            KeyCode::Char('a') if ctrl => {
                self.cursor = 0;
                Edit::Moved
            }
            KeyCode::Char('e') if ctrl => {
                self.cursor = self.text.chars().count();
                Edit::Moved
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                let at = self.byte(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
                Edit::Changed
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
                Edit::Changed
            }
            KeyCode::Delete if self.cursor < self.text.chars().count() => {
                let at = self.byte(self.cursor);
                self.text.remove(at);
                Edit::Changed
            }
            KeyCode::Left if self.cursor > 0 => {
                self.cursor -= 1;
                Edit::Moved
            }
            KeyCode::Right if self.cursor < self.text.chars().count() => {
                self.cursor += 1;
                Edit::Moved
            }
            KeyCode::Home => {
                self.cursor = 0;
                Edit::Moved
            }
            KeyCode::End => {
                self.cursor = self.text.chars().count();
                Edit::Moved
            }
            _ => Edit::Ignored,
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
