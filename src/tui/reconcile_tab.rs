//! The reconciliation view's actions: walking the hunks, deciding one
//! (confirming before a recorded decision is replaced, then asking for the
//! rationale), editing which codes and lines to keep, and turning a hunk
//! into a codebook suggestion. Every decision goes through
//! `study::reconcile::Session::decide`: consensus file and commit.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use crate::model::codebook::Example;
use crate::model::coding::{Choice, Decision};
use crate::model::disagreement::Hunk;
use crate::model::{Code, Segment, Slug};
use crate::study::reconcile::Session;
use crate::study::{StudyError, layout, suggest};

use super::action::Action;
use super::agree_tab::{Data, ReconcileView};
use super::app::App;
use super::input::{Edit, Input};
use super::overlay::Overlay;
use super::picker::{Picker, Purpose};
use super::theme::Theme;
use super::widgets;
use super::wrap::truncate;

/// One line of the edit checklist: a code at stake over the lines one (or
/// both) of the coders applied it on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditItem {
    pub segment: Segment,
    /// Who applied it there: "alice", "bob" or "alice, bob".
    pub who: String,
    pub checked: bool,
}

/// The reconciliation view's popups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
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
    Title { code: Slug, input: Input },
}

impl Popup {
    /// Handles a key: the popup to keep (or the next one), and the action
    /// to carry out.
    pub fn key(self, key: &KeyEvent) -> (Option<Popup>, Option<Action>) {
        match self {
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
            Popup::Title { code, mut input } => match input.handle(key) {
                Edit::Submit if !input.text.trim().is_empty() => (
                    None,
                    Some(Action::CreateSuggestion(code, input.text.trim().into())),
                ),
                Edit::Cancel => (None, None),
                _ => (Some(Popup::Title { code, input }), None),
            },
            Popup::Edit {
                mut items,
                mut selected,
            } => {
                let n = items.len();
                match key.code {
                    KeyCode::Esc => return (None, None),
                    KeyCode::Enter => {
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
                    KeyCode::Down | KeyCode::Char('j') if n > 0 => selected = (selected + 1) % n,
                    KeyCode::Up | KeyCode::Char('k') if n > 0 => selected = (selected + n - 1) % n,
                    KeyCode::Char(' ') | KeyCode::Char('x') => {
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

    /// Keys for the hint bar while the popup is open.
    pub fn hints(&self) -> Vec<(&'static str, &'static str)> {
        match self {
            Popup::Edit { .. } => vec![
                ("Space", "keep/drop"),
                ("j/k", "move"),
                ("Enter", "next: rationale"),
                ("Esc", "cancel"),
            ],
            Popup::Rationale { .. } => vec![("Enter", "record"), ("Esc", "cancel")],
            Popup::Title { .. } => vec![("Enter", "create suggestion"), ("Esc", "cancel")],
        }
    }

    pub fn draw(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        match self {
            Popup::Rationale { choice, input, .. } => {
                let title = format!(
                    " Rationale for {} (Enter records, Esc cancels) ",
                    choice.as_str()
                );
                let w = area.width.saturating_sub(4).max(20);
                let inner = widgets::popup(buf, area, w, 3, &title);
                input.draw(buf, inner, theme);
            }
            Popup::Title { input, .. } => {
                let w = area.width.saturating_sub(4).max(20);
                let inner =
                    widgets::popup(buf, area, w, 3, " Suggestion title (Enter creates it) ");
                input.draw(buf, inner, theme);
            }
            Popup::Edit { items, selected } => {
                let w = area.width.saturating_sub(8).clamp(30, 70);
                let h = items.len() as u16 + 4;
                let inner = widgets::popup(buf, area, w, h, " Edit: keep which codes? ");
                let hint = "Space keeps or drops a line, Enter goes on";
                buf.set_stringn(inner.x, inner.y, hint, inner.width as usize, theme.dim());
                for (i, item) in items.iter().enumerate() {
                    let y = inner.y + 2 + i as u16;
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

/// Runs of consecutive lines of `lines` (sorted), as (first, last).
fn runs(lines: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &l in lines {
        match out.last_mut() {
            Some((_, last)) if *last + 1 == l => *last = l,
            _ => out.push((l, l)),
        }
    }
    out
}

/// The hunk's lines (between its first and last changed line) on which
/// coder A (`first`) or B applied `code`.
fn applied_on(hunk: &Hunk, code: &Slug, first: bool) -> Vec<usize> {
    hunk.core()
        .filter(|l| {
            let own = if first { &l.only_a } else { &l.only_b };
            own.contains(code) || l.both.contains(code)
        })
        .map(|l| l.line)
        .collect()
}

/// The checklist of an edited decision: each code at stake over each run
/// of lines a coder applied it on. What both applied starts kept.
pub fn edit_items(hunk: &Hunk, a: &Slug, b: &Slug) -> Vec<EditItem> {
    let mut items: Vec<EditItem> = Vec::new();
    for code in hunk.codes_at_stake() {
        for (first, coder) in [(true, a), (false, b)] {
            for (start, end) in runs(&applied_on(hunk, &code, first)) {
                match items.iter_mut().find(|i| {
                    i.segment.code == code
                        && i.segment.start_line == start
                        && i.segment.end_line == end
                }) {
                    Some(item) => {
                        item.who = format!("{a}, {b}");
                        item.checked = true;
                    }
                    None => items.push(EditItem {
                        segment: Segment::new(code.clone(), start, end),
                        who: coder.to_string(),
                        checked: false,
                    }),
                }
            }
        }
    }
    items
}

/// "34-35, 38" or "did not apply it".
fn where_applied(lines: &[usize]) -> String {
    let parts: Vec<String> = runs(lines)
        .into_iter()
        .map(|(s, e)| {
            if s == e {
                s.to_string()
            } else {
                format!("{s}-{e}")
            }
        })
        .collect();
    match parts.len() {
        0 => "did not apply it".to_string(),
        1 => format!(
            "applied it on line{} {}",
            if lines.len() > 1 { "s" } else { "" },
            parts[0]
        ),
        _ => format!("applied it on lines {}", parts.join(", ")),
    }
}

/// The `transcript:start-end` a hunk is known by.
pub fn hunk_source(hunk: &Hunk) -> String {
    format!(
        "{}:{}-{}",
        hunk.transcript, hunk.changed.start, hunk.changed.end
    )
}

/// Why the suggestion is made: the disagreement it comes from, cited.
pub fn suggestion_rationale(
    session: &Session,
    hunk: &Hunk,
    decision: Option<&Decision>,
    code: &Code,
) -> String {
    let (a, b) = (&session.a, &session.b);
    let mut text = format!(
        "While reconciling {a} and {b}, the two disagreed on {} ({}) in {}: {a} {}; {b} {}.",
        code.name,
        code.id,
        hunk_source(hunk),
        where_applied(&applied_on(hunk, &code.id, true)),
        where_applied(&applied_on(hunk, &code.id, false)),
    );
    if let Some(d) = decision {
        text.push_str(&format!(
            " The team decided {} ({})",
            d.choice.as_str(),
            d.decided_by
        ));
        if d.rationale.is_empty() {
            text.push('.');
        } else {
            text.push_str(&format!(": {}", d.rationale));
        }
    }
    text.push_str(
        "\n\nThe passage is added as an example so that the definition settles cases like it.",
    );
    text
}

/// `code` with the hunk's passage added as an example (once).
pub fn with_example(code: &Code, hunk: &Hunk) -> Code {
    let source = hunk_source(hunk);
    let mut code = code.clone();
    if !code.examples.iter().any(|e| e.source == source) {
        let quote: Vec<&str> = hunk
            .core()
            .map(|l| l.text.trim())
            .filter(|t| !t.is_empty())
            .collect();
        code.examples.push(Example {
            quote: quote.join("\n"),
            source,
        });
    }
    code
}

impl App {
    fn session_view(&mut self) -> Option<(&mut Session, &mut ReconcileView)> {
        let view = self.agreement.reconcile.as_mut()?;
        match &mut self.agreement.data {
            Data::Loaded(l) => Some((&mut l.session, view)),
            _ => None,
        }
    }

    /// Actions of the reconciliation view.
    pub(super) fn reconcile_action(&mut self, action: Action) -> Result<(), StudyError> {
        let Some((session, view)) = self.session_view() else {
            self.agreement.reconcile = None;
            return Ok(());
        };
        let n = session.items.len();
        let page = 10;
        match action {
            Action::Back => self.agreement.reconcile = None,
            Action::NextHunk | Action::PrevHunk => {
                let step = if action == Action::NextHunk { 1 } else { -1 };
                let next = view
                    .index
                    .saturating_add_signed(step)
                    .min(n.saturating_sub(1));
                if next != view.index {
                    *view = ReconcileView {
                        index: next,
                        scroll: 0,
                    };
                }
            }
            Action::NextUnresolved => match session.next_unresolved(view.index + 1) {
                Some(i) => {
                    *view = ReconcileView {
                        index: i,
                        scroll: 0,
                    }
                }
                None => self.say(format!("All {n} disagreements are resolved.")),
            },
            Action::Down => view.scroll += 1,
            Action::Up => view.scroll = view.scroll.saturating_sub(1),
            Action::PageDown => view.scroll += page,
            Action::PageUp => view.scroll = view.scroll.saturating_sub(page),
            Action::Decide(choice) => {
                let index = view.index;
                match &session.items[index].decision {
                    Some(d) => {
                        let question = format!(
                            "Disagreement {} of {n} ({}) was decided: {} by {}{}. Replace that decision with {}?",
                            index + 1,
                            hunk_source(&session.items[index].hunk),
                            d.choice.as_str(),
                            d.decided_by,
                            if d.rationale.is_empty() {
                                String::new()
                            } else {
                                format!(" («{}»)", d.rationale)
                            },
                            choice.as_str()
                        );
                        self.overlay = Some(Overlay::Confirm {
                            question,
                            action: Action::Redecide(choice),
                        });
                    }
                    None => self.begin_decision(choice),
                }
            }
            Action::Redecide(choice) => self.begin_decision(choice),
            Action::Record(choice, segments, rationale) => {
                self.record(choice, &segments, &rationale)?
            }
            Action::Suggest => {
                let codes = session.items[view.index].hunk.codes_at_stake();
                match codes.as_slice() {
                    [] => self.say("No code is at stake here."),
                    [one] => self.update(Action::SuggestFor(one.clone())),
                    _ => {
                        self.overlay = Some(Overlay::Picker(Picker::among(
                            Purpose::Suggest,
                            codes,
                            &self.study.codebook,
                        )))
                    }
                }
            }
            Action::SuggestFor(code) => {
                let source = hunk_source(&session.items[view.index].hunk);
                let name = self
                    .study
                    .codebook
                    .get(code.as_str())
                    .map_or(code.as_str(), |c| c.name.as_str());
                let title = format!("Clarify {name}: {source}");
                self.overlay = Some(Overlay::Reconcile(Popup::Title {
                    code,
                    input: Input::with_text(&title),
                }));
            }
            Action::CreateSuggestion(code, title) => self.create_suggestion(&code, &title)?,
            _ => {}
        }
        Ok(())
    }

    /// Asks what an edited decision keeps, or straight for the rationale
    /// (prefilled with the recorded one when revisiting).
    fn begin_decision(&mut self, choice: Choice) {
        let Some((session, view)) = self.session_view() else {
            return;
        };
        let item = &session.items[view.index];
        let popup = if choice == Choice::Edited {
            Popup::Edit {
                items: edit_items(&item.hunk, &session.a, &session.b),
                selected: 0,
            }
        } else {
            let before = item.decision.as_ref().map_or("", |d| d.rationale.as_str());
            Popup::Rationale {
                choice,
                segments: Vec::new(),
                input: Input::with_text(before),
            }
        };
        self.overlay = Some(Overlay::Reconcile(popup));
    }

    fn record(
        &mut self,
        choice: Choice,
        segments: &[Segment],
        rationale: &str,
    ) -> Result<(), StudyError> {
        let Some(index) = self.agreement.reconcile.map(|v| v.index) else {
            return Ok(());
        };
        let Data::Loaded(loaded) = &mut self.agreement.data else {
            return Ok(());
        };
        let session = &mut loaded.session;
        session.decide(
            &self.study,
            index,
            choice,
            segments,
            rationale,
            &self.author,
        )?;
        let (done, total) = session.progress();
        let mut msg = format!(
            "{}: {} ({done}/{total} resolved)",
            hunk_source(&session.items[index].hunk),
            choice.as_str()
        );
        match session.next_unresolved(index + 1) {
            Some(next) => {
                self.agreement.reconcile = Some(ReconcileView {
                    index: next,
                    scroll: 0,
                })
            }
            None => msg.push_str(" — every disagreement is resolved"),
        }
        self.say(msg);
        Ok(())
    }

    fn create_suggestion(&mut self, code: &Slug, title: &str) -> Result<(), StudyError> {
        let Some(view) = self.agreement.reconcile else {
            return Ok(());
        };
        let Some(loaded) = self.agreement.loaded() else {
            return Ok(());
        };
        let item = &loaded.session.items[view.index];
        let current =
            self.study.codebook.get(code.as_str()).ok_or_else(|| {
                StudyError::Refused(format!("`{code}` is no longer in the codebook"))
            })?;
        let changed = with_example(current, &item.hunk);
        let rationale =
            suggestion_rationale(&loaded.session, &item.hunk, item.decision.as_ref(), current);
        let repo = self.repo.as_ref().ok_or_else(|| {
            StudyError::Refused(
                "the study is not a git repository: suggestions are branches".into(),
            )
        })?;
        let branch = suggest::create(
            repo,
            &self.author,
            &Slug::slugify(title)?,
            title,
            &rationale,
            &[(
                layout::code_file(&changed.id),
                Some(changed.to_toml().into_bytes()),
            )],
        )?;
        self.say(format!(
            "Suggested on {branch}, with the passage as an example"
        ));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::disagreement::{HunkLine, Span};

    fn s(id: &str) -> Slug {
        Slug::new(id).unwrap()
    }

    fn line(n: usize, only_a: &[&str], only_b: &[&str], both: &[&str]) -> HunkLine {
        let v = |l: &[&str]| l.iter().map(|c| s(c)).collect();
        HunkLine {
            line: n,
            text: format!("text {n}"),
            changed: !only_a.is_empty() || !only_b.is_empty(),
            only_a: v(only_a),
            only_b: v(only_b),
            both: v(both),
        }
    }

    fn hunk() -> Hunk {
        Hunk {
            transcript: s("t"),
            start_line: 3,
            end_line: 9,
            changed: Span { start: 4, end: 8 },
            lines: vec![
                line(3, &[], &[], &["x"]),
                line(4, &["x"], &[], &[]),
                line(5, &["x"], &["y"], &[]),
                line(6, &[], &["y"], &["x"]),
                line(7, &[], &[], &["y"]),
                line(8, &[], &["y"], &[]),
                line(9, &[], &["x"], &[]),
            ],
        }
    }

    #[test]
    fn the_checklist_has_each_coders_runs_of_each_code_at_stake() {
        let items = edit_items(&hunk(), &s("alice"), &s("bob"));
        let got: Vec<(String, usize, usize, &str, bool)> = items
            .iter()
            .map(|i| {
                (
                    i.segment.code.to_string(),
                    i.segment.start_line,
                    i.segment.end_line,
                    i.who.as_str(),
                    i.checked,
                )
            })
            .collect();
        // Line 3 and 9 are context: not part of the decision.
        assert_eq!(
            got,
            [
                ("x".into(), 4, 6, "alice", false),
                ("x".into(), 6, 6, "bob", false),
                ("y".into(), 7, 7, "alice", false),
                ("y".into(), 5, 8, "bob", false),
            ]
        );
    }

    #[test]
    fn enter_in_the_checklist_asks_for_the_rationale_with_the_kept_lines() {
        let mut items = edit_items(&hunk(), &s("alice"), &s("bob"));
        items[3].checked = true;
        let popup = Popup::Edit { items, selected: 0 };
        let (next, action) = popup.key(&KeyEvent::from(KeyCode::Enter));
        assert_eq!(action, None);
        let Some(Popup::Rationale {
            choice, segments, ..
        }) = next
        else {
            panic!("expected the rationale prompt, got {next:?}");
        };
        assert_eq!(choice, Choice::Edited);
        assert_eq!(segments, [Segment::new(s("y"), 5, 8)]);
    }

    #[test]
    fn the_example_is_the_passage_and_the_rationale_cites_the_disagreement() {
        let code = Code::new(s("x"), "Ex", "a definition");
        let h = hunk();
        let with = with_example(&code, &h);
        assert_eq!(with.examples.len(), 1);
        assert_eq!(with.examples[0].source, "t:4-8");
        assert_eq!(
            with.examples[0].quote,
            "text 4\ntext 5\ntext 6\ntext 7\ntext 8"
        );
        assert_eq!(with_example(&with, &h).examples.len(), 1, "added once");
        let session = Session {
            a: s("alice"),
            b: s("bob"),
            items: Vec::new(),
            transcripts: Vec::new(),
        };
        let text = suggestion_rationale(&session, &h, None, &code);
        assert!(
            text.starts_with(
                "While reconciling alice and bob, the two disagreed on Ex (x) in t:4-8: \
                 alice applied it on lines 4-6; bob applied it on line 6."
            ),
            "{text}"
        );
    }
}
