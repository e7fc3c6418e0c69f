//! The reconciliation view's popups: the rationale prompt that records a
//! decision, the checklist of an edited decision, and the title prompt of
//! a suggestion, and who is present at the meeting (asked when the view
//! opens). Each turns keys into the next popup or an `Action`.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::model::coding::Choice;
use crate::model::{Segment, Slug};

use crate::tui::action::Action;
use crate::tui::draw::widgets;
use crate::tui::draw::wrap::truncate;
use crate::tui::popups::input::{Edit, Input};
use crate::tui::popups::keys::{self, ChecklistOp, PromptOp};
use crate::tui::reconcile::hunk::{EditItem, choice_words};
use crate::tui::theme::Theme;

/// The reconciliation view's popups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    /// Who is at the meeting, comma-separated; `error` is why the last
    /// answer was refused. Enter records it, Esc records nobody.
    Present { input: Input, error: Option<String> },
    /// Why the team decided so; Enter records the decision.
    Rationale {
        choice: Choice,
        segments: Vec<Segment>,
        input: Input,
    },
    /// Which codes, on which lines, an edited decision keeps.
    Edit {
        items: Vec<EditItem>,
        selected: usize,
    },
    /// The title of a codebook suggestion made from the hunk.
    /// `branch` is where it will go (`suggest/<coder>/`, the slug follows
    /// from the title as typed), shown under the title.
    Title {
        code: Slug,
        input: Input,
        branch: String,
    },
}

impl Popup {
    /// Handles a key: the popup to keep (or the next one), and the action
    /// to carry out.
    pub fn key(self, key: &KeyEvent) -> (Option<Popup>, Option<Action>) {
        match self {
            Popup::Present { mut input, error } => match input.handle(key) {
                Edit::Submit => (None, Some(Action::SetPresent(input.text))),
                Edit::Cancel => (None, None),
                _ => (Some(Popup::Present { input, error }), None),
            },
            Popup::Rationale {
                choice,
                segments,
                mut input,
            } => match input.handle(key) {
                Edit::Submit => (None, Some(Action::Record(choice, segments, input.text))),
                Edit::Cancel => (None, None),
                _ => (
                    Some(Popup::Rationale {
                        choice,
                        segments,
                        input,
                    }),
                    None,
                ),
            },
            Popup::Title {
                code,
                mut input,
                branch,
            } => match input.handle(key) {
                Edit::Submit if !input.text.trim().is_empty() => (
                    None,
                    Some(Action::CreateSuggestion(code, input.text.trim().into())),
                ),
                Edit::Cancel => (None, None),
                _ => (
                    Some(Popup::Title {
                        code,
                        input,
                        branch,
                    }),
                    None,
                ),
            },
            Popup::Edit {
                mut items,
                mut selected,
            } => {
                let n = items.len();
                match keys::find_loosely(keys::CHECKLIST, key) {
                    Some(ChecklistOp::Cancel) => return (None, None),
                    Some(ChecklistOp::Done) => {
                        let segments = items
                            .iter()
                            .filter(|i| i.checked)
                            .map(|i| i.segment.clone())
                            .collect();
                        let next = Popup::Rationale {
                            choice: Choice::Edited,
                            segments,
                            input: Input::default(),
                        };
                        return (Some(next), None);
                    }
                    Some(ChecklistOp::Next) if n > 0 => selected = (selected + 1) % n,
                    Some(ChecklistOp::Previous) if n > 0 => selected = (selected + n - 1) % n,
                    Some(ChecklistOp::Toggle) => {
                        if let Some(item) = items.get_mut(selected) {
                            item.checked = !item.checked;
                        }
                    }
                    _ => {}
                }
                (Some(Popup::Edit { items, selected }), None)
            }
        }
    }

    /// Keys for the hint bar while the popup is open: the prompts' in
    /// words of their own.
    pub fn hints(&self) -> Vec<(String, String)> {
        let prompt = |submit: &str, cancel: &str| {
            vec![
                keys::hint_as(keys::PROMPT, PromptOp::Submit, submit),
                keys::hint_as(keys::PROMPT, PromptOp::Cancel, cancel),
            ]
        };
        match self {
            Popup::Edit { .. } => keys::hints(keys::CHECKLIST),
            Popup::Present { .. } => prompt("accept", "nobody recorded"),
            Popup::Rationale { .. } => prompt("record", "cancel"),
            Popup::Title { .. } => prompt("create suggestion", "cancel"),
        }
    }

    pub fn draw(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        match self {
            Popup::Present { input, error } => {
                let w = area.width.saturating_sub(4).max(20);
                let title = " Who is present? Coder ids, comma-separated (Enter accepts) ";
                let inner = widgets::popup(buf, area, w, 5, title);
                input.draw(buf, inner, theme);
                let (note, style) = match error {
                    Some(e) => (e.as_str(), theme.error()),
                    None => ("recorded with each decision of this meeting", theme.dim()),
                };
                let w = inner.width as usize;
                let rows = crate::tui::draw::wrap::wrap(note, w, 0);
                for (i, r) in rows.into_iter().take(2).enumerate() {
                    let y = inner.y + 1 + i as u16;
                    if y < inner.y + inner.height {
                        buf.set_stringn(inner.x, y, &note[r], w, style);
                    }
                }
            }
            Popup::Rationale { choice, input, .. } => {
                let title = format!(
                    " Rationale for {} (Enter records, Esc cancels) ",
                    choice_words(*choice)
                );
                let w = area.width.saturating_sub(4).max(20);
                let inner = widgets::popup(buf, area, w, 3, &title);
                input.draw(buf, inner, theme);
            }
            Popup::Title { input, branch, .. } => {
                let w = area.width.saturating_sub(4).max(20);
                let inner =
                    widgets::popup(buf, area, w, 5, " Suggestion title (Enter creates it) ");
                input.draw(buf, inner, theme);
                // What Enter will make, so nothing is added unseen.
                let slug = Slug::slugify(&input.text).map_or("…".into(), |s| s.to_string());
                let notes = [
                    format!("branch {branch}{slug}"),
                    "adds the passage as an example of the decision".to_string(),
                ];
                for (i, note) in notes.iter().enumerate() {
                    let y = inner.y + 1 + i as u16;
                    if y < inner.y + inner.height {
                        buf.set_stringn(
                            inner.x,
                            y,
                            truncate(note, inner.width as usize),
                            inner.width as usize,
                            theme.dim(),
                        );
                    }
                }
            }
            Popup::Edit { items, selected } => {
                let w = area.width.saturating_sub(8).clamp(30, 70);
                let h = items.len() as u16 + 4;
                let inner = widgets::popup(buf, area, w, h, " Edit: keep which codes? ");
                let hint = "Space keeps or drops a line, Enter goes on";
                buf.set_stringn(inner.x, inner.y, hint, inner.width as usize, theme.dim());
                for (i, item) in items.iter().enumerate() {
                    let y = inner.y + 1 + i as u16;
                    if y >= inner.y + inner.height {
                        break;
                    }
                    let s = &item.segment;
                    let text = format!(
                        "[{}] {:<26} {:>9}  {}",
                        if item.checked { "x" } else { " " },
                        s.code.as_str(),
                        format!("{}-{}", s.start_line, s.end_line),
                        item.who
                    );
                    let style = if i == *selected {
                        theme.cursor()
                    } else {
                        theme.plain()
                    };
                    widgets::row(
                        buf,
                        inner.x,
                        y,
                        inner.width,
                        &truncate(&text, inner.width as usize),
                        style,
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyCode;

    fn item(code: &str, start: usize, end: usize, checked: bool) -> EditItem {
        EditItem {
            segment: Segment::new(Slug::new(code).unwrap(), start, end),
            who: "alice".into(),
            checked,
        }
    }

    #[test]
    fn enter_in_the_checklist_asks_for_the_rationale_with_the_kept_lines() {
        let items = vec![item("x", 4, 6, false), item("y", 5, 8, false)];
        let popup = Popup::Edit { items, selected: 1 };
        // Space ticks the line under the cursor.
        let (popup, _) = popup.key(&KeyEvent::from(KeyCode::Char(' ')));
        let popup = popup.expect("the checklist stays open");
        let (next, action) = popup.key(&KeyEvent::from(KeyCode::Enter));
        assert_eq!(action, None);
        let Some(Popup::Rationale {
            choice, segments, ..
        }) = next
        else {
            panic!("expected the rationale prompt, got {next:?}");
        };
        assert_eq!(choice, Choice::Edited);
        assert_eq!(segments, [Segment::new(Slug::new("y").unwrap(), 5, 8)]);
    }
}
