//! The TOML draft of a suggestion that an author edits in `$EDITOR`: a
//! title, a rationale and the code (for a split, also the new code).

use serde::{Deserialize, Serialize};

use super::codebook::Code;

/// What the author fills in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub title: String,
    pub rationale: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Code>,
    /// Split only: the code that takes over part of `code`'s meaning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_code: Option<Code>,
}

impl Draft {
    /// The draft as a file to edit, with `help` as comment lines on top.
    pub fn render(&self, help: &str) -> String {
        let mut out: String = help.lines().map(|l| format!("# {l}\n")).collect();
        out.push('\n');
        out.push_str(&toml::to_string_pretty(self).expect("a draft always serialises"));
        out
    }

    /// Parses an edited draft; an empty title or rationale is an error
    /// (the suggestion would be unreadable in the history).
    pub fn parse(text: &str) -> Result<Draft, DraftError> {
        let draft: Draft = toml::from_str(text).map_err(DraftError::Toml)?;
        if draft.title.trim().is_empty() {
            return Err(DraftError::Empty("title"));
        }
        if draft.rationale.trim().is_empty() {
            return Err(DraftError::Empty("rationale"));
        }
        Ok(draft)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("{0}")]
    Toml(toml::de::Error),
    #[error("the {0} is empty; say in a few words what changes and why")]
    Empty(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Slug;

    #[test]
    fn render_then_parse_round_trips() {
        let mut code = Code::new(Slug::new("threats").unwrap(), "Threats", "Threats.");
        code.description = "Two\nlines".into();
        let d = Draft {
            title: "Clarify threats".into(),
            rationale: "We disagreed.".into(),
            code: Some(code),
            new_code: None,
        };
        let text = d.render("Edit, save, close.\nLines with # are ignored.");
        assert!(text.starts_with("# Edit, save, close.\n# Lines"));
        assert_eq!(Draft::parse(&text).unwrap(), d);
    }

    #[test]
    fn bad_drafts_are_refused() {
        let e = Draft::parse("title = 'x'\nrationale = 'y'\n[code]\nid = 'a'\nname = 'A'\n")
            .unwrap_err();
        assert!(e.to_string().contains("definition"), "{e}");
        let e = Draft::parse("title = ' '\nrationale = 'y'\n").unwrap_err();
        assert!(e.to_string().contains("title is empty"), "{e}");
    }
}
