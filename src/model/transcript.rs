//! Transcripts: verbatim text split into lines, speaker turns and the units
//! that agreement is counted over.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::slug::Slug;

/// What agreement is counted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    /// Every non-blank line.
    #[default]
    Line,
    /// Every speaker turn (text before the first speaker is one turn too).
    Turn,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Line => "line",
            UnitKind::Turn => "turn",
        }
    }
}

/// A span of lines, 1-based and inclusive, as everywhere in cbr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineRange {
    pub start: usize,
    pub end: usize,
}

impl LineRange {
    pub fn overlaps(&self, other: &LineRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

/// A speaker turn: the speaker's label and the lines it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub speaker: Option<String>,
    pub lines: LineRange,
}

/// Text that is not UTF-8, with the first bad byte's offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct NotUtf8 {
    pub offset: usize,
    pub line: usize,
    pub kind: Undecodable,
}

/// What a file that is not UTF-8 most likely is, for the advice given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undecodable {
    /// Text in an older 8-bit encoding (Windows-1252, Latin-1, ...).
    Legacy,
    /// UTF-16, recognised by its byte-order mark.
    Utf16,
    /// Not text at all (a NUL byte early on: a .docx, a PDF, an image).
    Binary,
}

impl NotUtf8 {
    /// The error for `bytes`, whose first bad byte is at `offset`.
    pub fn at(bytes: &[u8], offset: usize) -> NotUtf8 {
        let kind = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
            Undecodable::Utf16
        } else if bytes[..bytes.len().min(8000)].contains(&0) {
            Undecodable::Binary
        } else {
            Undecodable::Legacy
        };
        NotUtf8 {
            offset,
            line: 1 + bytes[..offset].iter().filter(|b| **b == b'\n').count(),
            kind,
        }
    }

    fn message(&self) -> String {
        let (offset, line) = (self.offset, self.line);
        match self.kind {
            Undecodable::Legacy => format!(
                "not valid UTF-8 at byte {offset} (line {line}); convert the file first, e.g. \
                 `iconv -f WINDOWS-1252 -t UTF-8 in.txt > out.txt`"
            ),
            Undecodable::Utf16 => "this file is UTF-16 (it starts with a UTF-16 byte-order mark), \
                 not UTF-8; convert it first, e.g. `iconv -f UTF-16 -t UTF-8 in.txt > out.txt`, \
                 or save it as \"UTF-8\" from your editor"
                .to_string(),
            Undecodable::Binary => format!(
                "this is a binary file, not text (a NUL byte near the start, first bad byte at \
                 {offset}); export the document as plain UTF-8 text (.txt) first"
            ),
        }
    }
}

/// A transcript's text, split into lines once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    pub id: Slug,
    lines: Vec<String>,
    hash: String,
    turns: Vec<Turn>,
}

/// Hash recorded in coding files so that edited transcripts are noticed.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256:");
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

impl Transcript {
    /// Decodes and splits a transcript file's bytes; refuses anything not UTF-8.
    pub fn from_bytes(id: Slug, bytes: &[u8]) -> Result<Self, NotUtf8> {
        let text = std::str::from_utf8(bytes).map_err(|e| NotUtf8::at(bytes, e.valid_up_to()))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<String> = text
            .lines()
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect();
        let turns = split_turns(&lines);
        Ok(Transcript {
            id,
            hash: content_hash(bytes),
            lines,
            turns,
        })
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Line `n`, 1-based.
    pub fn line(&self, n: usize) -> Option<&str> {
        n.checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .map(String::as_str)
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    pub fn hash(&self) -> &str {
        &self.hash
    }

    pub fn turns(&self) -> &[Turn] {
        &self.turns
    }

    /// The turn that contains line `n`.
    pub fn turn_at(&self, n: usize) -> Option<&Turn> {
        let i = self.turns.partition_point(|t| t.lines.end < n);
        self.turns.get(i).filter(|t| t.lines.start <= n)
    }

    /// The units agreement is counted over, in text order.
    pub fn units(&self, kind: UnitKind) -> Vec<LineRange> {
        match kind {
            UnitKind::Line => self
                .lines
                .iter()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, _)| LineRange {
                    start: i + 1,
                    end: i + 1,
                })
                .collect(),
            UnitKind::Turn => self.turns.iter().map(|t| t.lines).collect(),
        }
    }
}

/// The speaker label a line opens with: `NAME: text` or `[NAME] text`.
///
/// To avoid reading "Note: ..." prose as a speaker, a `NAME:` label must be
/// at most three words and 30 characters, start with an uppercase letter or
/// digit, and be entirely uppercase unless it is a single word.
pub fn speaker_label(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix('[') {
        let end = rest.find(']')?;
        let name = rest[..end].trim();
        return plausible_name(name, true).then_some(name);
    }
    let colon = trimmed.find(':')?;
    let name = &trimmed[..colon];
    let after = &trimmed[colon + 1..];
    if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
        return None; // "10:30" or "http://"
    }
    plausible_name(name, false).then_some(name)
}

fn plausible_name(name: &str, bracketed: bool) -> bool {
    let words = name.split_whitespace().count();
    let first_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let chars_ok = name
        .chars()
        .all(|c| c.is_alphanumeric() || " .'_-".contains(c));
    let case_ok = bracketed || words == 1 || !name.chars().any(char::is_lowercase);
    (1..=3).contains(&words) && name.chars().count() <= 30 && first_ok && chars_ok && case_ok
}

fn split_turns(lines: &[String]) -> Vec<Turn> {
    let mut turns: Vec<Turn> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        match speaker_label(line) {
            Some(name) => turns.push(Turn {
                speaker: Some(name.to_string()),
                lines: LineRange { start: n, end: n },
            }),
            None => match turns.last_mut() {
                Some(turn) => turn.lines.end = n,
                None if line.trim().is_empty() => {}
                None => turns.push(Turn {
                    speaker: None,
                    lines: LineRange { start: n, end: n },
                }),
            },
        }
    }
    // Trailing blank lines belong to no one; trimming them keeps units tight.
    for turn in &mut turns {
        while turn.lines.end > turn.lines.start && lines[turn.lines.end - 1].trim().is_empty() {
            turn.lines.end -= 1;
        }
    }
    turns
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Transcript {
        Transcript::from_bytes(Slug::new("t").unwrap(), text.as_bytes()).unwrap()
    }

    #[test]
    fn splits_lines_with_crlf_and_bom() {
        let tr = t("\u{feff}one\r\ntwo\n\nfour\n");
        assert_eq!(tr.lines(), ["one", "two", "", "four"]);
        assert_eq!(tr.line(2), Some("two"));
        assert_eq!(tr.line(0), None);
        assert_eq!(tr.line(5), None);
    }

    #[test]
    fn speaker_labels() {
        assert_eq!(speaker_label("INT: Bonjour"), Some("INT"));
        assert_eq!(speaker_label("Nadia: oui"), Some("Nadia"));
        assert_eq!(
            speaker_label("[MODÉRATRICE] On commence ?"),
            Some("MODÉRATRICE")
        );
        assert_eq!(speaker_label("P2:"), Some("P2"));
        assert_eq!(speaker_label("At 10:30 we opened"), None);
        assert_eq!(speaker_label("see http://x"), None);
        assert_eq!(speaker_label("The point is: nobody came"), None);
        assert_eq!(speaker_label("plain text"), None);
    }

    #[test]
    fn turns_continue_until_next_speaker() {
        let tr = t("Preamble\nINT: q1\nmore\n\nP: a1\n\nINT: q2\n");
        let spans: Vec<_> = tr
            .turns()
            .iter()
            .map(|t| (t.speaker.clone(), t.lines.start, t.lines.end))
            .collect();
        assert_eq!(
            spans,
            [
                (None, 1, 1),
                (Some("INT".into()), 2, 3),
                (Some("P".into()), 5, 5),
                (Some("INT".into()), 7, 7)
            ]
        );
        assert_eq!(tr.turn_at(3).unwrap().lines.start, 2);
        assert!(tr.turn_at(4).is_none());
    }

    #[test]
    fn units_skip_blank_lines() {
        let tr = t("a\n\n  \nb\n");
        let lines: Vec<_> = tr.units(UnitKind::Line).iter().map(|r| r.start).collect();
        assert_eq!(lines, [1, 4]);
    }

    #[test]
    fn refuses_non_utf8_with_offset_and_line() {
        let err = Transcript::from_bytes(Slug::new("t").unwrap(), b"ok\nd\xe9j\xe0").unwrap_err();
        assert_eq!(err.offset, 4);
        assert_eq!(err.line, 2);
        assert!(err.to_string().contains("iconv"));
    }

    #[test]
    fn hash_is_stable_sha256() {
        assert_eq!(
            content_hash(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
