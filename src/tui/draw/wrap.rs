//! Wrapping lines to a display width, by terminal columns rather than
//! bytes or chars, so accents, CJK and emoji keep columns aligned.
//!
//! Widths are counted per grapheme cluster, the unit ratatui draws one
//! cell (or two) for: "❤️" is a heart and a variation selector, two chars
//! of widths 1 and 0, but ratatui draws it two columns wide, and a row
//! must never be cut between the two.

use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;

/// Columns one grapheme cluster takes on screen, as ratatui counts them.
/// A cluster holding a control character is not drawn at all.
fn cluster_width(g: &str) -> usize {
    if g.chars().any(char::is_control) {
        0
    } else {
        g.cell_width() as usize
    }
}

/// Characters that are always a grapheme cluster of their own, one column
/// wide: printable ASCII, and the Latin-1 and Latin Extended letters
/// below the combining marks (U+0300), without the soft hyphen. Most
/// transcript lines (French with its accents) hold nothing else, and
/// finding cluster boundaries was a third of drawing a frame.
fn simple(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}'..='\u{2ff}') && c != '\u{ad}'
}

/// The clusters of `s` with their byte offsets; one per char when every
/// char is [`simple`].
fn clusters(s: &str) -> Box<dyn Iterator<Item = (usize, &str)> + '_> {
    if s.chars().all(simple) {
        Box::new(s.char_indices().map(|(i, c)| (i, &s[i..i + c.len_utf8()])))
    } else {
        Box::new(s.grapheme_indices(true))
    }
}

/// Display width of a string in terminal columns.
pub fn width(s: &str) -> usize {
    if s.chars().all(simple) {
        return s.chars().count();
    }
    s.graphemes(true).map(cluster_width).sum()
}

/// Splits `text` into rows: the first `width` columns wide, the next ones
/// `width - indent` wide (a hanging indent). Breaks after a space when it
/// can, inside a word when it must. Returns byte ranges into `text`.
pub fn wrap(text: &str, cols: usize, indent: usize) -> Vec<std::ops::Range<usize>> {
    let cols = cols.max(1);
    let indent = hanging(cols, indent);
    let mut rows = Vec::new();
    let mut start = 0;
    let mut used = 0;
    let mut last_space: Option<usize> = None;
    let mut limit = cols;
    for (i, g) in clusters(text) {
        let w = cluster_width(g);
        if used + w > limit && used > 0 {
            // Break after the last space only if what follows it fits the
            // next (indented) row; otherwise break right here.
            let end = match last_space {
                Some(s) if s > start && width(&text[s..i]) + w <= cols - indent => s,
                _ => i,
            };
            rows.push(start..end);
            start = end;
            used = width(&text[start..i]);
            last_space = None;
            limit = cols - indent;
        }
        used += w;
        if g == " " {
            last_space = Some(i + 1);
        }
    }
    rows.push(start..text.len());
    rows
}

/// The hanging indent actually used for `cols` columns: never more than
/// half the row, so continuation rows keep room for text.
pub fn hanging(cols: usize, indent: usize) -> usize {
    indent.min(cols.max(1).saturating_sub(1) / 2)
}

/// Cuts `s` to at most `max` columns, adding `…` when it had to cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for (_, g) in clusters(s) {
        let w = cluster_width(g);
        if used + w + 1 > max {
            break;
        }
        used += w;
        out.push_str(g);
    }
    if max > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, w: usize, indent: usize) -> Vec<&str> {
        wrap(text, w, indent)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn breaks_after_spaces_with_hanging_indent() {
        assert_eq!(
            rows("one two three four", 9, 2),
            ["one two ", "three ", "four"]
        );
    }

    #[test]
    fn breaks_long_words_by_columns() {
        assert_eq!(rows("abcdefghij", 4, 0), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn wide_characters_count_two_columns() {
        assert_eq!(width("谢谢"), 4);
        assert_eq!(rows("谢谢你好", 5, 0), ["谢谢", "你好"]);
        assert_eq!(width("é"), 1);
        assert_eq!(width("e\u{301}"), 1, "combining accent takes no column");
    }

    /// Columns ratatui advances drawing `s`: what `width` must agree with.
    fn drawn(s: &str) -> usize {
        let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 60, 1));
        buf.set_stringn(0, 0, s, 60, ratatui::style::Style::default())
            .0 as usize
    }

    #[test]
    fn widths_agree_with_what_ratatui_draws() {
        for s in [
            "plain",
            "❤️ love",
            "e\u{301}te\u{301}",
            "謝謝 你好",
            "👍🏽 ok",
            "👩‍👩‍👧 family",
            "🇫🇷 drapeau",
            "ｶﾞ",
        ] {
            assert_eq!(width(s), drawn(s), "{s:?}");
        }
        assert_eq!(width("❤️"), 2, "heart with emoji presentation");
        assert_eq!(width("❤"), 1, "heart alone is text presentation");
    }

    /// The shortcut for plain text counts what the cluster rules and
    /// ratatui count, for every character it takes.
    #[test]
    fn simple_characters_are_clusters_of_one_column() {
        let all: Vec<char> = (' '..='\u{2ff}').filter(|c| simple(*c)).collect();
        for c in &all {
            let s = c.to_string();
            assert_eq!(
                s.graphemes(true).map(cluster_width).sum::<usize>(),
                1,
                "{c:?}"
            );
            assert_eq!(drawn(&s), 1, "{c:?}");
        }
        let text: String = all.iter().collect();
        assert_eq!(text.graphemes(true).count(), all.len());
        assert_eq!(width(&text), all.len());
    }

    #[test]
    fn rows_never_split_a_grapheme_cluster() {
        // Eight columns: three hearts (6) then a fourth does not fit.
        let text = "❤️❤️❤️❤️";
        let rows = rows(text, 7, 0);
        assert_eq!(rows, ["❤️❤️❤️", "❤️"]);
        // A combining accent stays with its letter at the break.
        assert_eq!(wrap("abce\u{301}f", 4, 0).len(), 2);
        assert_eq!(rows_of("abce\u{301}f", 4), ["abce\u{301}", "f"]);
        assert_eq!(rows_of("漢字漢字", 5), ["漢字", "漢字"]);
        assert_eq!(truncate("❤️❤️❤️", 4), "❤️…");
        assert_eq!(truncate("ae\u{301}bc", 3), "ae\u{301}…");
    }

    fn rows_of(text: &str, w: usize) -> Vec<&str> {
        rows(text, w, 0)
    }

    #[test]
    fn empty_line_is_one_row() {
        assert_eq!(rows("", 10, 2), [""]);
    }

    #[test]
    fn truncate_marks_the_cut() {
        assert_eq!(truncate("Verbal violence", 8), "Verbal …");
        assert_eq!(truncate("short", 8), "short");
        assert_eq!(width(&truncate("谢谢谢谢", 5)), 5);
    }

    #[test]
    fn rows_of_wide_text_keep_every_character_within_their_width() {
        let text = format!("P: {}", "漢字".repeat(30));
        for cols in [20, 49, 50, 51, 57, 58] {
            let rows = wrap(&text, cols, 3);
            let joined: String = rows.iter().map(|r| &text[r.clone()]).collect();
            assert_eq!(joined, text, "cols {cols}");
            for (i, r) in rows.iter().enumerate() {
                let limit = if i == 0 { cols } else { cols - 3 };
                assert!(
                    width(&text[r.clone()]) <= limit,
                    "cols {cols} row {i}: {}",
                    &text[r.clone()]
                );
            }
        }
    }
}
