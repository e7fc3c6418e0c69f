//! Plain-text rendering of semantic diffs for the terminal: word diffs as
//! `[-removed-]{+added+}` (see [`plain`]), so output reads the same with or
//! without colour and survives copy and paste.

use crate::model::date::format_date;
use crate::model::diff::{CodeChange, CodeDiff, FieldChange, plain};

/// Indents every line after the first of a multi-line text.
fn indent(text: &str, by: &str) -> String {
    text.trim_end().replace('\n', &format!("\n{by}"))
}

/// The lines describing one code's changes, each starting with `pad`.
pub fn code_diff(diff: &CodeDiff, pad: &str) -> Vec<String> {
    let inner = format!("{pad}  ");
    diff.fields
        .iter()
        .map(|f| match f {
            FieldChange::Prose { field, words, .. } => {
                format!("{pad}{field}: {}", indent(&plain(words), &inner))
            }
            FieldChange::Value { field, old, new } => format!(
                "{pad}{field}: {} → {}",
                old.as_deref().unwrap_or("(none)"),
                new.as_deref().unwrap_or("(none)")
            ),
            FieldChange::List {
                field,
                added,
                removed,
            } => {
                let mut parts: Vec<String> = added.iter().map(|a| format!("+ {a}")).collect();
                parts.extend(removed.iter().map(|r| format!("- {r}")));
                format!("{pad}{field}: {}", parts.join(", "))
            }
        })
        .collect()
}

/// A heading line per changed code, then its field changes.
pub fn changes(changes: &[CodeChange], pad: &str) -> Vec<String> {
    let mut out = Vec::new();
    for change in changes {
        match change {
            CodeChange::Added { code } => {
                out.push(format!(
                    "{pad}+ {} ({}): {}",
                    code.id,
                    code.name,
                    code.definition.trim()
                ));
            }
            CodeChange::Removed { code } => out.push(format!("{pad}- {} ({})", code.id, code.name)),
            CodeChange::Changed { diff } => {
                let head = if diff.is_rename() {
                    format!("{pad}~ {} (was {})", diff.new_id, diff.old_id)
                } else {
                    format!("{pad}~ {}", diff.new_id)
                };
                out.push(head);
                out.extend(code_diff(diff, &format!("{pad}    ")));
            }
        }
    }
    out
}

/// One line per change: `~ id: definition, include`.
pub fn change_summary(change: &CodeChange) -> String {
    match change {
        CodeChange::Added { code } => format!("+ {}", code.id),
        CodeChange::Removed { code } => format!("- {}", code.id),
        CodeChange::Changed { diff } => {
            let fields: Vec<&str> = diff.fields.iter().map(|f| f.field().as_str()).collect();
            if diff.is_rename() {
                format!(
                    "~ {} (was {}): {}",
                    diff.new_id,
                    diff.old_id,
                    fields.join(", ")
                )
            } else {
                format!("~ {}: {}", diff.new_id, fields.join(", "))
            }
        }
    }
}

pub fn date(seconds: i64) -> String {
    format_date(seconds, 0)
}

/// How long ago, roughly: "today", "3 days ago", "2 months ago".
pub fn age(seconds: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(seconds, |d| d.as_secs() as i64);
    let days = (now - seconds).max(0) / 86_400;
    match days {
        0 => "today".to_string(),
        1 => "yesterday".to_string(),
        2..=59 => format!("{days} days ago"),
        60..=729 => format!("{} months ago", days / 30),
        _ => format!("{} years ago", days / 365),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diff::diff_code;
    use crate::model::{Code, Slug};

    #[test]
    fn renders_word_diffs_and_values() {
        let old = Code::new(Slug::new("a").unwrap(), "A", "Hostile words.");
        let mut new = old.clone();
        new.definition = "Hostile or scornful words.".into();
        new.parent = Some(Slug::new("violence").unwrap());
        let lines = code_diff(&diff_code(&old, &new), "  ");
        assert_eq!(
            lines,
            [
                "  parent: (none) → violence",
                "  definition: Hostile {+or scornful +}words."
            ]
        );
    }
}
