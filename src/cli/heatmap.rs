//! A count matrix as a heat-map table that fits 80 columns: columns are
//! named by letters (with a legend), each cell shows its count and a shade
//! (` ░▒▓█` by quarter of the largest count), so it reads the same without
//! colour; on a colour terminal the strongest cells are also bold and
//! reversed. Wide matrices are printed in blocks of columns.

use crate::model::analysis::counts::Matrix;
use crate::model::text::inert;

use super::diff::Palette;

const WIDTH: usize = 80;
const SHADES: [char; 5] = [' ', '░', '▒', '▓', '█'];

/// `A`, `B`, … `Z`, `AA`, `AB`, …
pub fn letter(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push((b'A' + (i % 26) as u8) as char);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.iter().rev().collect()
}

/// The shade of a count: 0 for none, else 1–4 by quarter of `max`.
pub fn level(n: usize, max: usize) -> usize {
    if n == 0 || max == 0 {
        0
    } else {
        (n * 4).div_ceil(max).clamp(1, 4)
    }
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        format!("{s:width$}")
    } else {
        let cut: String = s.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}

/// The table's lines. `square`: rows and columns are the same codes (rows
/// then carry their letter and no legend is needed). Rows whose total is
/// zero are left out and counted in a last line.
pub fn render(m: &Matrix, square: bool, palette: Palette) -> Vec<String> {
    // Co-occurrence: the diagonal (a code with itself) would dwarf every
    // pair, so shades scale to the largest pair and the diagonal is plain.
    let max = if square {
        (0..m.rows.len())
            .flat_map(|r| {
                (0..m.columns.len())
                    .filter(move |&c| c != r)
                    .map(move |c| (r, c))
            })
            .map(|(r, c)| m.cells[r][c])
            .max()
            .unwrap_or(0)
    } else {
        m.max()
    };
    let keep: Vec<usize> = (0..m.rows.len()).filter(|&r| m.totals[r] > 0).collect();
    let digits = m
        .cells
        .iter()
        .flatten()
        .chain(&m.totals)
        .max()
        .map_or(1, |n| n.to_string().len());
    let cell = (digits + 2).max(letter(m.columns.len().saturating_sub(1)).len() + 1);
    let prefix = if square {
        letter(m.rows.len().saturating_sub(1)).len() + 1
    } else {
        0
    };
    let label = keep
        .iter()
        .map(|&r| m.rows[r].chars().count() + prefix)
        .max()
        .unwrap_or(4)
        .clamp(4, 30);
    let total = digits.max(5) + 1;
    let per_block = ((WIDTH - label - total) / cell).max(1);
    let mut out = Vec::new();
    let columns: Vec<usize> = (0..m.columns.len()).collect();
    for (b, block) in columns.chunks(per_block).enumerate() {
        if b > 0 {
            out.push(String::new());
        }
        let mut head = " ".repeat(label);
        for &c in block {
            head.push_str(&format!("{:>cell$}", letter(c)));
        }
        if b == 0 {
            head.push_str(&format!("{:>total$}", "total"));
        }
        out.push(head);
        for &r in &keep {
            let name = if square {
                format!("{:<w$}{}", letter(r), inert(&m.rows[r]), w = prefix)
            } else {
                inert(&m.rows[r]).into_owned()
            };
            let mut line = truncate(&name, label);
            for &c in block {
                let n = m.cells[r][c];
                let diagonal = square && r == c;
                let lv = if diagonal { 0 } else { level(n, max) };
                let text = if diagonal {
                    format!("{:>w$} ", n, w = cell - 1)
                } else if n == 0 {
                    format!("{:>w$}", "·", w = cell)
                } else {
                    format!("{:>w$}{}", n, SHADES[lv], w = cell - 1)
                };
                line.push_str(&match lv {
                    4 => palette.paint("1;7", &text),
                    3 => palette.paint("1", &text),
                    _ => text,
                });
            }
            if b == 0 {
                line.push_str(&format!("{:>total$}", m.totals[r]));
            }
            out.push(line.trim_end().to_string());
        }
    }
    if !square {
        out.push(String::new());
        let legend: Vec<String> = m
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} {}", letter(i), inert(c)))
            .collect();
        let mut line = String::new();
        for item in legend {
            if !line.is_empty() && line.chars().count() + 3 + item.chars().count() > WIDTH {
                out.push(line);
                line = String::new();
            }
            if !line.is_empty() {
                line.push_str("   ");
            }
            line.push_str(&item);
        }
        out.push(line);
    }
    out.push(String::new());
    out.push(format!(
        "Shades: ░ up to ¼ of the largest {} ({max}), ▒ up to ½, ▓ up to ¾, █ above.",
        if square { "pair" } else { "count" }
    ));
    if square {
        out.push("The diagonal (unshaded) is each code's own count.".into());
    }
    let dropped = m.rows.len() - keep.len();
    if dropped > 0 {
        out.push(format!(
            "{dropped} code(s) with no count left out (--format csv or json lists every code)."
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_levels() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
        assert_eq!(level(0, 8), 0);
        assert_eq!(level(1, 8), 1);
        assert_eq!(level(5, 8), 3);
        assert_eq!(level(8, 8), 4);
    }
}
