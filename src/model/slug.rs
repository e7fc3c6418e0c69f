//! Validated identifiers for codes, coders and transcripts.
//!
//! Ids end up as file and folder names (`codings/<coder>/<transcript>.toml`),
//! so a permissive id is a path-traversal hole. A slug is therefore
//! deliberately narrow: lowercase ASCII letters, digits and single hyphens.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Longest accepted slug; long enough for descriptive code ids, short enough for file names.
pub const MAX_LEN: usize = 64;

/// A validated id (see the module docs for the rules).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

/// Why a string is not a slug; the message says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{id}` is not a valid id: {reason} (use lowercase letters a-z, digits and single hyphens, starting with a letter, e.g. `alice` or `interview-03`)"
)]
pub struct SlugError {
    pub id: String,
    pub reason: &'static str,
}

impl Slug {
    pub fn new(s: &str) -> Result<Self, SlugError> {
        let fail = |reason| {
            Err(SlugError {
                id: s.to_string(),
                reason,
            })
        };
        if s.is_empty() {
            return fail("it is empty");
        }
        if s.len() > MAX_LEN {
            return fail("it is longer than 64 characters");
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return fail("it must start with a lowercase letter");
        }
        if let Some(bad) = s
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return match bad {
                '/' | '\\' | '.' => fail("it contains a path character"),
                c if c.is_ascii_uppercase() => fail("it contains an uppercase letter"),
                ' ' => fail("it contains a space"),
                _ => fail("it contains a character other than a-z, 0-9 and -"),
            };
        }
        if s.ends_with('-') || s.contains("--") {
            return fail("hyphens must separate words (no trailing or double hyphen)");
        }
        Ok(Slug(s.to_string()))
    }

    /// Turns free text (a file name, a person's name) into the closest slug,
    /// e.g. `Entretien Élodie 03.txt` → `entretien-elodie-03`.
    pub fn slugify(text: &str) -> Result<Self, SlugError> {
        let mut out = String::new();
        for c in text.chars().flat_map(fold_accent) {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        while out.ends_with('-') {
            out.pop();
        }
        if out.starts_with(|c: char| c.is_ascii_digit()) {
            out.insert_str(0, "t-");
        }
        if out.len() > MAX_LEN {
            // Cut between words (`…-towards-users`, not `…-towards-users-focu`),
            // inside one only when a single word is longer than a slug.
            let cut = match out[..=MAX_LEN].rfind('-') {
                Some(hyphen) if hyphen > 0 => hyphen,
                _ => MAX_LEN,
            };
            out.truncate(cut);
        }
        while out.ends_with('-') {
            out.pop();
        }
        Slug::new(&out)
    }

    /// `self` with `-n` at the end, shortened between words if need be so
    /// the number always fits: adding " 2" to a title that was cut at the
    /// maximum length gives the same slug again, and a loop looking for a
    /// free one never ends.
    pub fn numbered(&self, n: usize) -> Slug {
        let suffix = format!("-{n}");
        let room = MAX_LEN.saturating_sub(suffix.len()).max(1);
        let mut stem = self.0.as_str();
        if stem.len() > room {
            stem = match stem[..=room].rfind('-') {
                Some(hyphen) if hyphen > 0 => &stem[..hyphen],
                _ => &stem[..room],
            };
        }
        let stem = stem.trim_end_matches('-');
        Slug(format!("{stem}{suffix}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Latin letters with diacritics fold to their base letter so French names slug well.
fn fold_accent(c: char) -> impl Iterator<Item = char> {
    let folded: &str = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' | 'À' | 'Â' | 'Ä' | 'Á' => "a",
        'ç' | 'Ç' => "c",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'î' | 'ï' | 'í' | 'ì' | 'Î' | 'Ï' => "i",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'Ô' | 'Ö' => "o",
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => "u",
        'ñ' | 'Ñ' => "n",
        'ÿ' => "y",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        _ => "",
    };
    let single = folded.is_empty().then_some(c);
    folded.chars().chain(single)
}

impl TryFrom<String> for Slug {
    type Error = SlugError;
    fn try_from(s: String) -> Result<Self, SlugError> {
        Slug::new(&s)
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> String {
        s.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for Slug {
    fn borrow(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_slugs() {
        for ok in ["a", "verbal-violence", "interview-03", "x1-y2"] {
            assert!(Slug::new(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_path_traversal_and_separators() {
        let err = Slug::new("../../etc").unwrap_err();
        assert_eq!(err.reason, "it must start with a lowercase letter");
        assert!(err.to_string().contains("`../../etc` is not a valid id"));
        assert_eq!(
            Slug::new("codes/evil").unwrap_err().reason,
            "it contains a path character"
        );
        assert_eq!(
            Slug::new("a..b").unwrap_err().reason,
            "it contains a path character"
        );
    }

    #[test]
    fn refuses_other_bad_shapes() {
        assert!(Slug::new("").is_err());
        assert!(Slug::new("Alice").is_err());
        assert!(Slug::new("a b").is_err());
        assert!(Slug::new("a--b").is_err());
        assert!(Slug::new("a-").is_err());
        assert!(Slug::new("1abc").is_err());
        assert!(Slug::new(&"a".repeat(65)).is_err());
        assert!(Slug::new("café").is_err());
    }

    #[test]
    fn slugify_cuts_a_long_title_between_words() {
        let sl = |t: &str| Slug::slugify(t).unwrap().as_str().to_string();
        let title = "Clarify verbal violence: threats from neighbours towards users focus group";
        let slug = sl(title);
        assert!(slug.len() <= MAX_LEN, "{slug}");
        assert_eq!(
            slug,
            "clarify-verbal-violence-threats-from-neighbours-towards-users"
        );
        // A word exactly at the limit is kept whole.
        let exact = format!("{} more", "a".repeat(MAX_LEN));
        assert_eq!(sl(&exact), "a".repeat(MAX_LEN));
        let one_word = "b".repeat(MAX_LEN + 10);
        assert_eq!(sl(&one_word), "b".repeat(MAX_LEN));
    }

    #[test]
    fn slugify_folds_accents_and_punctuation() {
        assert_eq!(
            Slug::slugify("Entretien Élodie 03.txt").unwrap().as_str(),
            "entretien-elodie-03-txt"
        );
        assert_eq!(Slug::slugify("Cœur  — ça!").unwrap().as_str(), "coeur-ca");
        assert_eq!(
            Slug::slugify("2024 notes").unwrap().as_str(),
            "t-2024-notes"
        );
        assert!(Slug::slugify("???").is_err());
    }

    #[test]
    fn serde_refuses_bad_ids() {
        #[derive(Deserialize)]
        struct W {
            #[allow(dead_code)]
            id: Slug,
        }
        let err = toml::from_str::<W>("id = \"a/b\"").err().unwrap();
        assert!(err.message().contains("path character"));
        assert!(err.span().is_some());
    }

    #[test]
    fn numbered_slugs_differ_even_at_the_maximum_length() {
        let long = Slug::slugify(&"word ".repeat(30)).unwrap();
        assert_eq!(long.as_str().len(), 64);
        let mut seen = std::collections::BTreeSet::from([long.clone()]);
        for n in 2..200 {
            let s = long.numbered(n);
            assert!(Slug::new(s.as_str()).is_ok(), "{s} is not a valid slug");
            assert!(s.as_str().ends_with(&format!("-{n}")));
            assert!(seen.insert(s), "numbered({n}) repeated an earlier slug");
        }
        let one_word = Slug::new(&"a".repeat(64)).unwrap();
        assert_eq!(one_word.numbered(12).as_str().len(), 64);
        assert_eq!(Slug::new("care").unwrap().numbered(2).as_str(), "care-2");
    }
}
