//! Making untrusted transcript text safe to put on a terminal.
//!
//! Transcripts come from anywhere (pasted chat logs, exported documents),
//! so they may hold escape sequences that would recolour, move the cursor or
//! retitle the terminal, or bidirectional overrides that make text read
//! differently from what it is. Everything shown goes through [`inert`].

use std::borrow::Cow;

/// Columns a tab stands for: tabs are expanded so widths stay predictable.
pub const TAB_WIDTH: usize = 4;

/// Replaces control characters with visible, harmless notation: C0 controls
/// in caret form (ESC → `^[`), DEL as `^?`, C1 controls and bidi controls as
/// `<U+XXXX>`, and tabs as spaces. Returns the input unchanged (borrowed)
/// when there is nothing to replace, which is the common case.
pub fn inert(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_replacing) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str(&" ".repeat(TAB_WIDTH)),
            '\u{0}'..='\u{1f}' => {
                out.push('^');
                out.push((b'@' + c as u8) as char);
            }
            '\u{7f}' => out.push_str("^?"),
            c if needs_replacing(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`inert`] for text of several lines: each line made inert, the line
/// breaks kept (command output, error messages).
pub fn inert_lines(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && needs_replacing(c)) {
        return Cow::Borrowed(s);
    }
    let lines: Vec<Cow<'_, str>> = s.split('\n').map(inert).collect();
    Cow::Owned(lines.join("\n"))
}

/// Serialised JSON with the characters [`inert`] would replace (DEL, C1
/// controls, bidirectional controls) written as `\uXXXX` escapes. JSON
/// already escapes C0 controls; these others are legal raw, but would act
/// on a terminal showing the JSON. Only valid inside JSON strings, where
/// such characters can only occur.
pub fn json_escaped(json: &str) -> Cow<'_, str> {
    if !json.chars().any(|c| c != '\n' && needs_replacing(c)) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c != '\n' && needs_replacing(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_replacing(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Bidirectional embedding, override and isolate controls ("Trojan Source").
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// Characters that make a spreadsheet read a cell as a formula (or, for tab
/// and carriage return, shift it into one) when they come first.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV cell that Excel, LibreOffice or Sheets will show as text rather than
/// run: a cell starting with a formula character gets a leading `'`, the
/// spreadsheet convention for "this is text". [`spreadsheet_original`]
/// undoes it, so a file cbr wrote reads back to the same text.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    // Quotes already in front of a formula character get one more, so the
    // round trip stays exact for text that itself starts with `'=`.
    if cell.trim_start_matches('\'').starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The text a [`spreadsheet_safe`] cell stands for.
pub fn spreadsheet_original(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(inert("Très bien 👍 谢谢"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_become_visible() {
        assert_eq!(inert("a\u{1b}[31mred\u{7}"), "a^[[31mred^G");
        assert_eq!(inert("del\u{7f}"), "del^?");
        assert_eq!(inert("csi\u{9b}2J"), "csi<U+009B>2J");
        assert_eq!(inert("x\u{202e}evil"), "x<U+202E>evil");
        assert_eq!(inert("a\tb"), "a    b");
        assert_eq!(inert("cr\r"), "cr^M");
    }

    #[test]
    fn output_never_holds_a_control_character() {
        let all: String = (0u32..0x300).filter_map(char::from_u32).collect();
        assert!(!inert(&all).chars().any(|c| c.is_control()));
    }

    #[test]
    fn lines_keep_their_breaks_and_json_escapes_bidi() {
        assert_eq!(inert_lines("a\u{1b}]52;c;x\u{7}\nb"), "a^[]52;c;x^G\nb");
        let json = serde_json::to_string("x\u{202e}y\u{9b}").unwrap();
        let safe = json_escaped(&json);
        assert_eq!(safe, "\"x\\u202ey\\u009b\"");
        assert_eq!(
            serde_json::from_str::<String>(&safe).unwrap(),
            "x\u{202e}y\u{9b}"
        );
    }

    #[test]
    fn formula_cells_are_neutralised_and_read_back() {
        for cell in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'=x",
            "''=x",
        ] {
            let safe = spreadsheet_safe(cell);
            assert!(safe.starts_with('\''), "{cell:?} → {safe:?}");
            assert_eq!(spreadsheet_original(&safe), cell);
        }
        for cell in ["plain", "", "'quoted", "l'accueil", "1-2"] {
            assert_eq!(spreadsheet_safe(cell), cell);
            assert_eq!(spreadsheet_original(cell), cell);
        }
    }
}
