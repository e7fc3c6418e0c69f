//! Text tables for the terminal: columns padded to the widest cell by
//! display width (an accent typed as a combining mark takes no column, a
//! wide character two), so what is printed lines up whatever the names.

use unicode_width::UnicodeWidthStr;

/// `rows` as lines of columns two spaces apart, the columns in `right`
/// aligned right. A row shorter than the others ends in a note that runs
/// on past the columns (such as "no transcript coded under it"): it is
/// not counted in its column's width.
pub(crate) fn lines(rows: &[Vec<String>], right: &[usize]) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for r in rows {
        let counted = if r.len() < columns {
            r.len().saturating_sub(1)
        } else {
            r.len()
        };
        for (w, cell) in widths.iter_mut().zip(&r[..counted]) {
            *w = (*w).max(cell.width());
        }
    }
    rows.iter()
        .map(|r| {
            let cells: Vec<String> = r
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (cell, &w))| {
                    let pad = " ".repeat(w.saturating_sub(cell.width()));
                    if right.contains(&i) {
                        format!("{pad}{cell}")
                    } else {
                        format!("{cell}{pad}")
                    }
                })
                .collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect()
}

/// Prints [`lines`].
pub(crate) fn print(rows: &[Vec<String>], right: &[usize]) {
    for line in lines(rows, right) {
        outln!("{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn pads_by_display_width_and_lets_a_short_rows_note_run_on() {
        let rows = [
            row(&["release", "n", "agree", "α"]),
            // "révisé" typed with combining accents: 8 chars, 6 columns.
            row(&["re\u{301}vise\u{301}", "3", "98.4%", "0.594"]),
            row(&["v1", "0", "no transcript coded under it"]),
            row(&["日本", "12", "50.0%", "0.1"]),
        ];
        assert_eq!(
            lines(&rows, &[1]),
            [
                "release   n  agree  α",
                "re\u{301}vise\u{301}    3  98.4%  0.594",
                "v1        0  no transcript coded under it",
                "日本     12  50.0%  0.1",
            ]
        );
    }
}
