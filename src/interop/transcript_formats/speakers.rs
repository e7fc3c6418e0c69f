//! Speaker labels found by their formatting (bold in a word processor,
//! `**strong**` in Markdown) rewritten as the plain labels cbr splits turns on.

use crate::model::transcript::speaker_label;

/// The line for a paragraph that opens with `bold` text followed by `rest`,
/// when the bold text reads as a speaker's name: `NAME: rest`, or
/// `[Name Surname] rest` for names cbr only accepts in brackets. `None` when
/// the bold text is not a name (a bold sentence, a heading).
pub fn labelled(bold: &str, rest: &str) -> Option<String> {
    let trimmed = bold.trim();
    let had_colon = trimmed.ends_with(':');
    let name = trimmed.trim_end_matches(':').trim_end();
    let rest = rest.trim_start();
    let after_colon = rest.strip_prefix(':');
    let rest = after_colon.unwrap_or(rest).trim_start();
    // A bold line on its own is a heading unless it ends with a colon.
    if name.is_empty() || (rest.is_empty() && !had_colon && after_colon.is_none()) {
        return None;
    }
    let line = |label: String| {
        if rest.is_empty() {
            label
        } else {
            format!("{label} {rest}")
        }
    };
    let colon = line(format!("{name}:"));
    if speaker_label(&colon) == Some(name) {
        return Some(colon);
    }
    let capitalised = name
        .split_whitespace()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    let bracketed = line(format!("[{name}]"));
    (capitalised && speaker_label(&bracketed) == Some(name)).then_some(bracketed)
}

#[cfg(test)]
mod tests {
    use super::labelled;

    #[test]
    fn bold_names_become_labels() {
        assert_eq!(
            labelled("INT:", " Bonjour").as_deref(),
            Some("INT: Bonjour")
        );
        assert_eq!(labelled("INT", " Bonjour").as_deref(), Some("INT: Bonjour"));
        assert_eq!(labelled("P1", ": oui").as_deref(), Some("P1: oui"));
        assert_eq!(labelled("INT :", "").as_deref(), Some("INT:"));
        assert_eq!(
            labelled("Nadia Benali :", " Parfois.").as_deref(),
            Some("[Nadia Benali] Parfois.")
        );
    }

    #[test]
    fn bold_prose_is_left_alone() {
        assert_eq!(labelled("This is important.", " rest"), None);
        assert_eq!(labelled("INTRODUCTION", ""), None);
        assert_eq!(labelled("", "text"), None);
    }
}
