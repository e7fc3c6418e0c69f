use proptest::prelude::*;

use super::*;
use crate::model::Slug;

fn seg(start: usize, end: usize) -> Segment {
    Segment::new(Slug::new("c").unwrap(), start, end)
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

#[test]
fn a_fixed_typo_keeps_its_segment_and_an_insertion_moves_the_rest() {
    let old = lines("INT: hello\nP: I work at the Fanal since 2018\nP: the door\nINT: ok");
    let new =
        lines("INT: hello\nNEW LINE\nP: I work at the Fanal since 2019\nP: the door\nINT: ok");
    let map = LineMap::new(&old, &new);
    assert_eq!(map.fate(2), Some(Fate::Edited));
    assert_eq!(map.segment(&seg(2, 2), &new).1, Outcome::Edited);
    let (moved, outcome) = map.segment(&seg(3, 4), &new);
    assert_eq!(
        (moved.start_line, moved.end_line, outcome),
        (4, 5, Outcome::Moved)
    );
    assert_eq!(map.outcome(&seg(1, 1)), Outcome::Unchanged);
    // An insertion inside a segment changes its words.
    assert_eq!(map.outcome(&seg(1, 2)), Outcome::Recheck);
}

#[test]
fn deleted_and_rewritten_lines_go_to_recheck_at_their_best_place() {
    let old = lines("a one\nb two\nc three\nd four");
    let new = lines("a one\nZZZZZZZZZZZZ\nd four");
    let map = LineMap::new(&old, &new);
    assert_eq!(map.fate(2), Some(Fate::Rewritten));
    assert_eq!(map.fate(3), Some(Fate::Rewritten));
    let (moved, outcome) = map.segment(&seg(2, 3), &new);
    assert_eq!((moved.start_line, moved.end_line), (2, 2));
    assert_eq!(outcome, Outcome::Recheck);

    let gone = lines("a one\nd four");
    let map = LineMap::new(&old, &gone);
    assert_eq!(map.fate(2), Some(Fate::Deleted));
    assert_eq!(map.range(2, 3), (2, 2));
    assert_eq!(map.range(1, 4), (1, 2));
    assert_eq!(map.outcome(&seg(1, 4)), Outcome::Recheck);
}

#[test]
fn a_column_span_on_an_edited_line_is_rechecked_and_kept_inside_the_line() {
    let old = lines("P: Karim came at noon");
    let new = lines("P: Sam came at noon");
    let map = LineMap::new(&old, &new);
    let mut s = seg(1, 1);
    s.start_col = Some(4);
    s.end_col = Some(21);
    let (moved, outcome) = map.segment(&s, &new);
    assert_eq!(outcome, Outcome::Recheck);
    assert_eq!(moved.end_col, Some(19));
}

#[test]
fn citations_follow_their_lines() {
    let old = lines("a\nb\nc\nd");
    let new = lines("x\na\nb\nc\nd");
    let map = LineMap::new(&old, &new);
    let (text, n) = rewrite_citations(
        "see interview-01:2 and interview-01:3-4, not interview-011:2 or pre-interview-01:2",
        "interview-01",
        &map,
    );
    assert_eq!(
        text,
        "see interview-01:3 and interview-01:4-5, not interview-011:2 or pre-interview-01:2"
    );
    assert_eq!(n, 2);
    assert_eq!(
        rewrite_citations("interview-01: no line", "interview-01", &map).1,
        0
    );
    assert!(LineMap::new(&old, &old).is_identity());
}

#[test]
fn tally_summary_reads_like_a_sentence() {
    let mut t = Tally::default();
    t.add(Outcome::Moved);
    t.add(Outcome::Recheck);
    assert_eq!(t.summary(), "1 moved, 0 changed, 1 needs re-check");
}

/// One edit to a list of lines; each line remembers which old line it is
/// (if any). New text never shares a character with old text, so a changed
/// line is always a rewrite, never an edit.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, String),
    Delete(usize),
    Change(usize, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    let novel = "[A-Z]{1,12}";
    prop_oneof![
        (any::<usize>(), novel).prop_map(|(i, t)| Edit::Insert(i, t)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), novel).prop_map(|(i, t)| Edit::Change(i, t)),
    ]
}

proptest! {
    #[test]
    fn unchanged_segments_keep_their_text_and_changed_ones_are_queued(
        words in prop::collection::vec("[a-z ]{0,20}", 1..40),
        edits in prop::collection::vec(edit(), 0..12),
        spans in prop::collection::vec((any::<usize>(), 0usize..5), 1..20),
    ) {
        let old: Vec<String> = words.iter().enumerate().map(|(i, w)| format!("o{i} {w}")).collect();
        let mut now: Vec<(Option<usize>, String)> =
            old.iter().cloned().enumerate().map(|(i, l)| (Some(i), l)).collect();
        for e in edits {
            match e {
                Edit::Insert(at, t) => { let at = at % (now.len() + 1); now.insert(at, (None, t)); }
                Edit::Delete(at) if now.len() > 1 => { let at = at % now.len(); now.remove(at); }
                Edit::Delete(_) => {}
                Edit::Change(at, t) => { let at = at % now.len(); now[at] = (None, t); }
            }
        }
        let new: Vec<String> = now.iter().map(|(_, l)| l.clone()).collect();
        let map = LineMap::new(&old, &new);
        for (start, len) in spans {
            let s = 1 + start % old.len();
            let e = (s + len).min(old.len());
            let positions: Vec<Option<usize>> = (s - 1..e)
                .map(|i| now.iter().position(|(o, _)| *o == Some(i)))
                .collect();
            let kept_together = positions.iter().all(Option::is_some)
                && positions.windows(2).all(|w| w[1] == w[0].map(|p| p + 1));
            let (moved, outcome) = map.segment(&seg(s, e), &new);
            prop_assert!(moved.start_line <= moved.end_line);
            prop_assert!(moved.end_line <= new.len());
            if kept_together {
                prop_assert!(matches!(outcome, Outcome::Unchanged | Outcome::Moved));
                prop_assert_eq!(
                    passage(&new, moved.start_line, moved.end_line),
                    passage(&old, s, e)
                );
            } else {
                prop_assert_eq!(outcome, Outcome::Recheck);
            }
        }
    }
}
