//! Semantic diffs as styled paragraphs: prose fields as word diffs (removed
//! words red and struck through, added ones green and underlined; without
//! colour also bracketed `[-…-]` / `{+…+}` so they read on any terminal),
//! lists as added and removed items, single values old → new.

use ratatui::style::{Color, Modifier, Style};

use crate::model::diff::{CodeChange, FieldChange, WordOp, Words};

use crate::tui::draw::styled::Para;
use crate::tui::theme::Theme;

pub fn removed(theme: &Theme) -> Style {
    let s = Style::new().add_modifier(Modifier::CROSSED_OUT);
    if theme.color { s.fg(Color::Red) } else { s }
}

pub fn added(theme: &Theme) -> Style {
    let s = Style::new().add_modifier(Modifier::UNDERLINED);
    if theme.color { s.fg(Color::Green) } else { s }
}

/// A word diff as styled runs.
pub fn word_spans(words: &[Words], theme: &Theme) -> Vec<(String, Style)> {
    words
        .iter()
        .map(|w| {
            let (open, close, style) = match w.op {
                WordOp::Same => ("", "", theme.plain()),
                WordOp::Removed => ("[-", "-]", removed(theme)),
                WordOp::Added => ("{+", "+}", added(theme)),
            };
            if theme.color {
                (w.text.clone(), style)
            } else {
                (format!("{open}{}{close}", w.text), style)
            }
        })
        .collect()
}

/// One field's change, as paragraphs indented by `indent`.
pub fn field_paras(change: &FieldChange, theme: &Theme, indent: u16) -> Vec<Para> {
    let label = format!("{}: ", change.field());
    match change {
        FieldChange::Prose { words, .. } => {
            // A text's final newline would read as an empty changed line.
            let mut words = words.clone();
            if let Some(last) = words.last_mut() {
                last.text.truncate(last.text.trim_end().len());
            }
            let mut spans = vec![(label, theme.bold())];
            spans.extend(word_spans(&words, theme));
            Para::lines(spans, indent, 2)
        }
        FieldChange::Value { old, new, .. } => {
            let none = "(none)".to_string();
            vec![
                Para::new(indent)
                    .push(label, theme.bold())
                    .push(old.as_ref().unwrap_or(&none), removed(theme))
                    .push(" → ", theme.plain())
                    .push(new.as_ref().unwrap_or(&none), added(theme)),
            ]
        }
        FieldChange::List {
            added: a,
            removed: r,
            ..
        } => {
            let mut out = vec![Para::new(indent).push(label, theme.bold())];
            for item in a {
                out.push(Para::new(indent + 2).push(format!("+ {item}"), added(theme)));
            }
            for item in r {
                out.push(Para::new(indent + 2).push(format!("- {item}"), removed(theme)));
            }
            out
        }
    }
}

/// A heading per changed code, then its field changes.
pub fn changes_paras(changes: &[CodeChange], theme: &Theme, indent: u16) -> Vec<Para> {
    let mut out = Vec::new();
    for change in changes {
        match change {
            CodeChange::Added { code } => {
                out.push(
                    Para::new(indent)
                        .push(format!("+ {} ({})", code.id, code.name), added(theme))
                        .push(format!(": {}", code.definition.trim()), theme.plain()),
                );
            }
            CodeChange::Removed { code } => out.push(
                Para::new(indent).push(format!("- {} ({})", code.id, code.name), removed(theme)),
            ),
            CodeChange::Changed { diff } => {
                let head = if diff.is_rename() {
                    format!("~ {} (was {})", diff.new_id, diff.old_id)
                } else {
                    format!("~ {}", diff.new_id)
                };
                out.push(Para::new(indent).push(head, theme.heading()));
                for field in &diff.fields {
                    out.extend(field_paras(field, theme, indent + 2));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diff::word_diff;

    #[test]
    fn without_colour_the_words_are_bracketed() {
        let words = word_diff("Hostile words.", "Hostile or scornful words.");
        let spans = word_spans(&words, &Theme { color: false });
        let text: String = spans.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(text, "Hostile {+or scornful +}words.");
        assert!(spans.iter().all(|(_, s)| s.fg.is_none()));
        let coloured = word_spans(&words, &Theme { color: true });
        assert_eq!(
            coloured[1],
            ("or scornful ".to_string(), added(&Theme { color: true }))
        );
    }
}
