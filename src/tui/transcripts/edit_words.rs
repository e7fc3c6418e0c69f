//! Saying what an undo or redo changed ("Undid: applied Humour to line 7"),
//! from the coding before and after, so that nobody presses `u` blind.

use crate::model::{Codebook, Coding, Segment};

use crate::tui::draw::words::lines_label;

/// The edit that took `from` to `to`, in words: segments applied or
/// removed, memos changed, the completion mark. "an edit" when nothing a
/// person would name differs.
pub fn describe(from: &Coding, to: &Coding, codebook: &Codebook) -> String {
    let name = |s: &Segment| {
        codebook
            .resolve(s.code.as_str())
            .map_or(s.code.to_string(), |c| c.name.clone())
    };
    let same_place = |a: &Segment, b: &Segment| a.code == b.code && a.lines() == b.lines();
    let mut parts = Vec::new();
    for s in &to.segments {
        match from.segments.iter().find(|f| same_place(f, s)) {
            None => parts.push(format!(
                "applied {} to {}",
                name(s),
                lines_label(s.start_line, s.end_line)
            )),
            Some(f) if f.memo != s.memo => parts.push(format!(
                "memo on {} at {}",
                name(s),
                lines_label(s.start_line, s.end_line)
            )),
            Some(_) => {}
        }
    }
    for f in &from.segments {
        if !to.segments.iter().any(|s| same_place(f, s)) {
            parts.push(format!(
                "removed {} from {}",
                name(f),
                lines_label(f.start_line, f.end_line)
            ));
        }
    }
    match (from.complete, to.complete) {
        (false, true) => parts.push("marked the transcript complete".into()),
        (true, false) => parts.push("reopened the transcript".into()),
        _ => {}
    }
    if parts.is_empty() {
        "an edit".into()
    } else {
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Code, Slug};

    fn seg(code: &str, a: usize, b: usize) -> Segment {
        Segment::new(Slug::new(code).unwrap(), a, b)
    }

    #[test]
    fn names_each_change() {
        let book = Codebook::from_codes([Code::new(Slug::new("humour").unwrap(), "Humour", "d")]);
        let mut before = Coding::new(Slug::new("t1").unwrap(), "h");
        let mut after = before.clone();
        after.segments.push(seg("humour", 7, 7));
        assert_eq!(describe(&before, &after, &book), "applied Humour to line 7");
        assert_eq!(
            describe(&after, &before, &book),
            "removed Humour from line 7"
        );
        before.segments.push(seg("humour", 7, 7));
        after.segments[0].memo = Some("why".into());
        after.complete = true;
        assert_eq!(
            describe(&before, &after, &book),
            "memo on Humour at line 7; marked the transcript complete"
        );
        assert_eq!(describe(&before, &before, &book), "an edit");
    }
}
