//! What the reconciliation view derives from a disagreement hunk: the
//! checklist of an edited decision (each code at stake over the lines each
//! coder applied it on), and for a codebook suggestion the passage as an
//! example and a rationale that cites the disagreement.

use crate::model::codebook::Example;
use crate::model::coding::{Choice, Decision};
use crate::model::disagreement::Hunk;
use crate::model::{Code, Segment, Slug};

/// One line of the edit checklist: a code at stake over the lines one (or
/// both) of the coders applied it on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditItem {
    pub segment: Segment,
    /// Who applied it there: "alice", "bob" or "alice, bob".
    pub who: String,
    pub checked: bool,
}

/// A decision in the words the keys use (`a keep A's`, `o both`…), so the
/// prompt, the status line and the list say what the key said. The
/// consensus files keep their own names (`keep-first`…).
pub fn choice_words(choice: Choice) -> &'static str {
    match choice {
        Choice::KeepFirst => "keep A's",
        Choice::KeepSecond => "keep B's",
        Choice::KeepBoth => "both",
        Choice::Neither => "neither",
        Choice::Edited => "edited",
    }
}

/// Runs of consecutive lines of `lines` (sorted), as (first, last).
fn runs(lines: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &l in lines {
        match out.last_mut() {
            Some((_, last)) if *last + 1 == l => *last = l,
            _ => out.push((l, l)),
        }
    }
    out
}

/// The hunk's lines (between its first and last changed line) on which
/// coder A (`first`) or B applied `code`.
fn applied_on(hunk: &Hunk, code: &Slug, first: bool) -> Vec<usize> {
    hunk.core()
        .filter(|l| {
            let own = if first { &l.only_a } else { &l.only_b };
            own.contains(code) || l.both.contains(code)
        })
        .map(|l| l.line)
        .collect()
}

/// The checklist of an edited decision: each segment of a code at stake
/// each coder drew into the hunk, whole. What both drew alike starts kept.
pub fn edit_items(hunk: &Hunk, a: &Slug, b: &Slug) -> Vec<EditItem> {
    let mut items: Vec<EditItem> = Vec::new();
    for code in hunk.codes_at_stake() {
        for (drawn, coder) in hunk.drawn.iter().zip([a, b]) {
            for seg in drawn.iter().filter(|s| s.code == code) {
                match items.iter_mut().find(|i| &i.segment == seg) {
                    Some(item) => {
                        item.who = format!("{a}, {b}");
                        item.checked = true;
                    }
                    None => items.push(EditItem {
                        segment: seg.clone(),
                        who: coder.to_string(),
                        checked: false,
                    }),
                }
            }
        }
    }
    items
}

/// "34-35, 38" or "did not apply it".
fn where_applied(lines: &[usize]) -> String {
    let parts: Vec<String> = runs(lines)
        .into_iter()
        .map(|(s, e)| {
            if s == e {
                s.to_string()
            } else {
                format!("{s}-{e}")
            }
        })
        .collect();
    match parts.len() {
        0 => "did not apply it".to_string(),
        1 => format!(
            "applied it on line{} {}",
            if lines.len() > 1 { "s" } else { "" },
            parts[0]
        ),
        _ => format!("applied it on lines {}", parts.join(", ")),
    }
}

/// The `transcript:start-end` a hunk is known by.
pub fn hunk_source(hunk: &Hunk) -> String {
    format!(
        "{}:{}-{}",
        hunk.transcript, hunk.changed.start, hunk.changed.end
    )
}

/// Why the suggestion is made: the disagreement between coders `a` and
/// `b` it comes from, cited, with the decision taken on it if any.
pub fn suggestion_rationale(
    [a, b]: [&Slug; 2],
    hunk: &Hunk,
    decision: Option<&Decision>,
    code: &Code,
) -> String {
    let mut text = format!(
        "While reconciling {a} and {b}, the two disagreed on {} ({}) in {}: {a} {}; {b} {}.",
        code.name,
        code.id,
        hunk_source(hunk),
        where_applied(&applied_on(hunk, &code.id, true)),
        where_applied(&applied_on(hunk, &code.id, false)),
    );
    if let Some(d) = decision {
        // Outside the meeting "A" means nothing: name the coder.
        let decided = match d.choice {
            Choice::KeepFirst => format!("to keep {a}'s codes"),
            Choice::KeepSecond => format!("to keep {b}'s codes"),
            Choice::KeepBoth => "to keep both coders' codes".into(),
            Choice::Neither => "to keep neither coder's codes".into(),
            Choice::Edited => "on an edited set of codes".into(),
        };
        text.push_str(&format!(" The team decided {decided} ({})", d.decided_by));
        if d.rationale.is_empty() {
            text.push('.');
        } else {
            text.push_str(&format!(": {}", d.rationale));
        }
    }
    text.push_str(
        "\n\nThe passage is added as an example of that decision, so that the definition settles cases like it.",
    );
    text
}

/// `code` with the hunk's passage added as an example (once).
pub fn with_example(code: &Code, hunk: &Hunk) -> Code {
    let source = hunk_source(hunk);
    let mut code = code.clone();
    if !code.examples.iter().any(|e| e.source == source) {
        let quote: Vec<&str> = hunk
            .core()
            .map(|l| l.text.trim())
            .filter(|t| !t.is_empty())
            .collect();
        code.examples.push(Example {
            quote: quote.join("\n"),
            source,
        });
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Segment;
    use crate::model::disagreement::{HunkLine, Span};

    fn s(id: &str) -> Slug {
        Slug::new(id).unwrap()
    }

    fn line(n: usize, only_a: &[&str], only_b: &[&str], both: &[&str]) -> HunkLine {
        let v = |l: &[&str]| l.iter().map(|c| s(c)).collect();
        HunkLine {
            line: n,
            text: format!("text {n}"),
            changed: !only_a.is_empty() || !only_b.is_empty(),
            only_a: v(only_a),
            only_b: v(only_b),
            both: v(both),
        }
    }

    fn hunk() -> Hunk {
        Hunk {
            transcript: s("t"),
            start_line: 3,
            end_line: 9,
            changed: Span { start: 4, end: 8 },
            lines: vec![
                line(3, &[], &[], &["x"]),
                line(4, &["x"], &[], &[]),
                line(5, &["x"], &["y"], &[]),
                line(6, &[], &["y"], &["x"]),
                line(7, &[], &[], &["y"]),
                line(8, &[], &["y"], &[]),
                line(9, &[], &["x"], &[]),
            ],
            // Whole, as drawn: alice's x starts on context line 3.
            drawn: [
                vec![seg("x", 3, 6), seg("y", 7, 7)],
                vec![seg("x", 6, 6), seg("y", 5, 8)],
            ],
        }
    }

    fn seg(code: &str, start: usize, end: usize) -> Segment {
        Segment::new(s(code), start, end)
    }

    #[test]
    fn the_checklist_has_each_coders_runs_of_each_code_at_stake() {
        let items = edit_items(&hunk(), &s("alice"), &s("bob"));
        let got: Vec<(String, usize, usize, &str, bool)> = items
            .iter()
            .map(|i| {
                (
                    i.segment.code.to_string(),
                    i.segment.start_line,
                    i.segment.end_line,
                    i.who.as_str(),
                    i.checked,
                )
            })
            .collect();
        // Whole segments, even where they reach past the changed lines.
        assert_eq!(
            got,
            [
                ("x".into(), 3, 6, "alice", false),
                ("x".into(), 6, 6, "bob", false),
                ("y".into(), 7, 7, "alice", false),
                ("y".into(), 5, 8, "bob", false),
            ]
        );
    }

    #[test]
    fn the_example_is_the_passage_and_the_rationale_cites_the_disagreement() {
        let code = Code::new(s("x"), "Ex", "a definition");
        let h = hunk();
        let with = with_example(&code, &h);
        assert_eq!(with.examples.len(), 1);
        assert_eq!(with.examples[0].source, "t:4-8");
        assert_eq!(
            with.examples[0].quote,
            "text 4\ntext 5\ntext 6\ntext 7\ntext 8"
        );
        assert_eq!(with_example(&with, &h).examples.len(), 1, "added once");
        let text = suggestion_rationale([&s("alice"), &s("bob")], &h, None, &code);
        assert!(
            text.starts_with(
                "While reconciling alice and bob, the two disagreed on Ex (x) in t:4-8: \
                 alice applied it on lines 4-6; bob applied it on line 6."
            ),
            "{text}"
        );
        let decision = Decision {
            coders: [s("alice"), s("bob")],
            start_line: 4,
            end_line: 8,
            choice: crate::model::coding::Choice::KeepSecond,
            rationale: "Only line 6 is about x".into(),
            decided_by: "claire".into(),
            present: Vec::new(),
        };
        let text = suggestion_rationale([&s("alice"), &s("bob")], &h, Some(&decision), &code);
        assert!(
            text.contains(
                "bob applied it on line 6. The team decided to keep bob's codes (claire): Only line 6 is about x\n\n"
            ),
            "{text}"
        );
    }
}
