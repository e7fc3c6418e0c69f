//! Wording shared by messages on every screen, so that a range reads the
//! same way wherever it is named.

/// "line 7" for a one-line range, "lines 7–9" otherwise.
pub fn lines_label(start: usize, end: usize) -> String {
    if start == end {
        format!("line {start}")
    } else {
        format!("lines {start}–{end}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_is_singular() {
        assert_eq!(lines_label(7, 7), "line 7");
        assert_eq!(lines_label(7, 9), "lines 7–9");
    }
}
