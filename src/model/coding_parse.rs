//! Reading a coding file quickly.
//!
//! Coding files are most of what a study holds (900 files, 42 MB of TOML
//! in the generated large study) and parsing them with the `toml` crate
//! was 70 % of `cbr agree`. cbr writes them in one fixed shape
//! (`Coding::to_toml`): a few `key = value` lines, then `[[segments]]`
//! tables of bare keys, basic strings, integers and booleans. This module
//! reads exactly that shape in one pass and gives up (`None`) on anything
//! else — comments, literal or multi-line strings, inline tables,
//! decisions, a key twice, an unknown key, a bad id — so that the `toml`
//! crate then reads the file and reports any error as it always has. A
//! file read here therefore gives the same `Coding` as the `toml` crate
//! would (a property test holds the two together).

use super::coding::{Coding, Segment};
use super::slug::Slug;

/// Parses a coding file: the fast reader when the file has cbr's own
/// shape, the `toml` crate otherwise (and for every error message).
pub fn parse_coding(text: &str) -> Result<Coding, toml::de::Error> {
    match fast(text) {
        Some(coding) => Ok(coding),
        None => toml::from_str(text),
    }
}

/// A value as it may appear in a coding file's canonical shape.
enum Value {
    Str(String),
    Int(usize),
    Bool(bool),
}

/// Which table the following `key = value` lines belong to.
enum Table {
    Top,
    Segment(PartialSegment),
}

#[derive(Default)]
struct PartialSegment {
    code: Option<Slug>,
    start_line: Option<usize>,
    end_line: Option<usize>,
    start_col: Option<usize>,
    end_col: Option<usize>,
    memo: Option<String>,
    codebook: Option<String>,
    rationale: Option<String>,
    decided_by: Option<String>,
}

impl PartialSegment {
    fn finish(self) -> Option<Segment> {
        Some(Segment {
            code: self.code?,
            start_line: self.start_line?,
            end_line: self.end_line?,
            start_col: self.start_col,
            end_col: self.end_col,
            memo: self.memo,
            codebook: self.codebook,
            rationale: self.rationale,
            decided_by: self.decided_by,
        })
    }

    fn set(&mut self, key: &str, value: Value) -> Option<()> {
        match (key, value) {
            ("code", Value::Str(s)) => once(&mut self.code, Slug::new(&s).ok()?),
            ("start_line", Value::Int(n)) => once(&mut self.start_line, n),
            ("end_line", Value::Int(n)) => once(&mut self.end_line, n),
            ("start_col", Value::Int(n)) => once(&mut self.start_col, n),
            ("end_col", Value::Int(n)) => once(&mut self.end_col, n),
            ("memo", Value::Str(s)) => once(&mut self.memo, s),
            ("codebook", Value::Str(s)) => once(&mut self.codebook, s),
            ("rationale", Value::Str(s)) => once(&mut self.rationale, s),
            ("decided_by", Value::Str(s)) => once(&mut self.decided_by, s),
            _ => None,
        }
    }
}

/// Sets a field that must not have been set already (TOML refuses a key
/// given twice).
fn once<T>(field: &mut Option<T>, value: T) -> Option<()> {
    if field.is_some() {
        return None;
    }
    *field = Some(value);
    Some(())
}

/// The fast reader: `None` as soon as the text leaves the canonical shape.
fn fast(text: &str) -> Option<Coding> {
    let mut transcript: Option<Slug> = None;
    let mut hash: Option<String> = None;
    let mut complete: Option<bool> = None;
    let mut segments = Vec::new();
    let mut table = Table::Top;
    for line in text.split('\n') {
        if line.is_empty() {
            continue;
        }
        if line == "[[segments]]" {
            if let Table::Segment(done) =
                std::mem::replace(&mut table, Table::Segment(Default::default()))
            {
                segments.push(done.finish()?);
            }
            continue;
        }
        let (key, value) = key_value(line)?;
        match &mut table {
            Table::Segment(segment) => segment.set(key, value)?,
            Table::Top => match (key, value) {
                ("transcript", Value::Str(s)) => once(&mut transcript, Slug::new(&s).ok()?)?,
                ("transcript_hash", Value::Str(s)) => once(&mut hash, s)?,
                ("complete", Value::Bool(b)) => once(&mut complete, b)?,
                _ => return None,
            },
        }
    }
    if let Table::Segment(last) = table {
        segments.push(last.finish()?);
    }
    // A TUI session holds every coder's codings: no room to grow.
    segments.shrink_to_fit();
    Some(Coding {
        transcript: transcript?,
        transcript_hash: hash.unwrap_or_default(),
        complete: complete.unwrap_or_default(),
        segments,
        decisions: Vec::new(),
    })
}

/// `key = value` with a bare key and nothing after the value.
fn key_value(line: &str) -> Option<(&str, Value)> {
    // A key holds no `=`, so the first one is the separator.
    let eq = line.find('=')?;
    let key = line[..eq].strip_suffix(' ')?;
    let rest = line[eq + 1..].strip_prefix(' ')?;
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return None;
    }
    let value = match rest.as_bytes().first()? {
        b'"' => Value::Str(basic_string(&rest[1..])?),
        b'0'..=b'9' => Value::Int(integer(rest)?),
        _ if rest == "true" => Value::Bool(true),
        _ if rest == "false" => Value::Bool(false),
        _ => return None,
    };
    Some((key, value))
}

/// A decimal integer as TOML writes it: no sign, no leading zero, no
/// underscore, and small enough for an `i64` (TOML's integers).
fn integer(digits: &str) -> Option<usize> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) || (digits.len() > 1 && digits.starts_with('0'))
    {
        return None;
    }
    let n: i64 = digits.parse().ok()?;
    usize::try_from(n).ok()
}

/// The rest of a basic string after its opening quote, which must end the
/// line with its closing quote.
fn basic_string(rest: &str) -> Option<String> {
    // Most strings (ids, hashes, plain memos) have no escape: copied whole.
    let plain = rest
        .bytes()
        .position(|b| b == b'"' || b == b'\\' || (b < 0x20 && b != b'\t') || b == 0x7f)?;
    if rest.as_bytes()[plain] == b'"' {
        return (plain + 1 == rest.len()).then(|| rest[..plain].to_string());
    }
    let mut out = String::with_capacity(rest.len());
    out.push_str(&rest[..plain]);
    let mut chars = rest[plain..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return chars.as_str().is_empty().then_some(out),
            '\\' => out.push(escape(&mut chars)?),
            // TOML allows no control character but tab in a basic string.
            '\t' => out.push(c),
            c if c.is_control() && (c as u32) < 0x80 => return None,
            c => out.push(c),
        }
    }
    None
}

fn escape(chars: &mut std::str::Chars) -> Option<char> {
    Some(match chars.next()? {
        '"' => '"',
        '\\' => '\\',
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'u' => hex(chars, 4)?,
        'U' => hex(chars, 8)?,
        _ => return None,
    })
}

fn hex(chars: &mut std::str::Chars, len: usize) -> Option<char> {
    let digits: String = chars.by_ref().take(len).collect();
    if digits.len() != len || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    char::from_u32(u32::from_str_radix(&digits, 16).ok()?)
}

#[cfg(test)]
#[path = "coding_parse_tests.rs"]
mod tests;
