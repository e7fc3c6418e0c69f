//! A transcript open for coding: cursor, selection, search and the coder's
//! session. No drawing here; `doc_view` draws it.

use std::cell::Cell;

use crate::model::{LineRange, Segment, Slug, Transcript};
use crate::study::session::CodingSession;

/// Screen rows kept between the cursor line and the top or bottom edge.
const SCROLL_MARGIN: usize = 2;

pub struct Doc {
    pub transcript: Transcript,
    pub session: CodingSession,
    /// 1-based line under the cursor.
    pub cursor: usize,
    /// First line shown; kept so the cursor stays visible.
    pub top: Cell<usize>,
    /// Where `v` started the selection.
    pub anchor: Option<usize>,
    pub search: Option<String>,
    /// Text rows of the last frame, so page keys move by a screenful.
    pub page_rows: Cell<usize>,
    /// How far the pane of codes at the cursor could scroll in the last frame.
    pub info_max: Cell<usize>,
    /// The tab Esc returns to when the transcript was opened from another
    /// screen's list (the Codebook tab's segments), not from the transcript list.
    pub back_to: Option<crate::tui::action::Tab>,
    /// Rows the pane of codes at the cursor is scrolled by, and the line
    /// it was scrolled on: moving the cursor starts the pane at the top.
    pub info_scroll: (usize, usize),
}

impl Doc {
    pub fn new(transcript: Transcript, session: CodingSession, line: usize) -> Doc {
        let last = transcript.line_count().max(1);
        Doc {
            transcript,
            session,
            cursor: line.clamp(1, last),
            top: Cell::new(1),
            anchor: None,
            search: None,
            page_rows: Cell::new(10),
            info_max: Cell::new(0),
            back_to: None,
            info_scroll: (0, 0),
        }
    }

    pub fn id(&self) -> &Slug {
        &self.transcript.id
    }

    fn last_line(&self) -> usize {
        self.transcript.line_count().max(1)
    }

    /// How far the pane of codes is scrolled on the current line.
    pub fn info_offset(&self) -> usize {
        if self.info_scroll.0 == self.cursor {
            self.info_scroll.1
        } else {
            0
        }
    }

    /// Scrolls the pane of codes at the cursor; the drawing clamps it.
    pub fn scroll_info(&mut self, delta: isize) {
        let offset = self.info_offset().saturating_add_signed(delta);
        self.info_scroll = (self.cursor, offset.min(self.info_max.get()));
    }

    pub fn move_to(&mut self, line: usize) {
        let line = line.clamp(1, self.last_line());
        if line != self.cursor {
            self.info_scroll = (0, 0);
        }
        self.cursor = line;
    }

    pub fn move_by(&mut self, delta: isize) {
        let target = self.cursor.saturating_add_signed(delta);
        self.move_to(target);
    }

    /// Scrolls so that the cursor line is in view, given how many screen
    /// rows each line takes (`rows(n)`, wrapped). While the cursor stays
    /// clear of the edges nothing moves; past an edge the view jumps so the
    /// cursor line lands a quarter of the way in (vim's `scrolljump`). Each
    /// scroll repaints the whole text, so over a slow link holding `j`
    /// costs one repaint every few lines instead of one per line. Looks at
    /// no more lines than fit on the screen, however far the cursor jumped.
    pub fn scroll_into_view(&self, height: usize, rows: impl Fn(&str) -> usize) {
        if height == 0 {
            return;
        }
        // Drawing scrolls: the view's top is the one thing it moves.
        let mut top = self.top.get();
        self.scroll_from(&mut top, height, rows);
        self.top.set(top);
    }

    fn scroll_from(&self, top: &mut usize, height: usize, rows: impl Fn(&str) -> usize) {
        let last = self.last_line();
        let Doc {
            transcript, cursor, ..
        } = self;
        let cursor = *cursor;
        let rows = |n: usize| rows(transcript.line(n).unwrap_or("")).max(1);
        let margin = SCROLL_MARGIN.min(height / 6);
        let here = rows(cursor);
        let mut start = 0;
        if cursor >= *top {
            let mut n = *top;
            while n < cursor && start <= height {
                start += rows(n);
                n += 1;
            }
            let above_ok = start >= margin || *top == 1;
            let below_ok =
                start + here + margin <= height || (cursor == last && start + here <= height);
            if above_ok && below_ok {
                return;
            }
        }
        let target = if cursor >= *top && start + here + margin > height {
            // Down past the bottom edge: the cursor line a quarter of the way down.
            (height / 4).min(height.saturating_sub(here + margin))
        } else {
            // Up past the top edge: the cursor line three quarters of the way down.
            (height * 3 / 4).saturating_sub(here).max(margin)
        };
        *top = cursor;
        let mut above = 0;
        while *top > 1 && above + rows(*top - 1) <= target {
            above += rows(*top - 1);
            *top -= 1;
        }
        // Near the end, show the last line at the bottom rather than blank rows.
        let mut shown = 0;
        let mut n = *top;
        while n <= last && shown < height {
            shown += rows(n);
            n += 1;
        }
        while *top > 1 && shown + rows(*top - 1) <= height {
            shown += rows(*top - 1);
            *top -= 1;
        }
    }

    /// The selected lines, or the cursor line when nothing is selected.
    pub fn selection(&self) -> LineRange {
        let a = self.anchor.unwrap_or(self.cursor);
        LineRange {
            start: a.min(self.cursor),
            end: a.max(self.cursor),
        }
    }

    pub fn segments_at_cursor(&self) -> Vec<&Segment> {
        self.session.coding.at_line(self.cursor).collect()
    }

    /// Moves to the start of the next (or previous) segment; false if none.
    pub fn jump_segment(&mut self, forward: bool) -> bool {
        let starts = self.session.coding.segments.iter().map(|s| s.start_line);
        let target = if forward {
            starts.filter(|&s| s > self.cursor).min()
        } else {
            starts.filter(|&s| s < self.cursor).max()
        };
        target.map(|t| self.move_to(t)).is_some()
    }

    /// Moves to the next line (after or before the cursor, wrapping round)
    /// containing the search text, case-insensitively; false if none.
    pub fn search_step(&mut self, forward: bool) -> bool {
        let Some(query) = self.search.as_ref().map(|q| q.to_lowercase()) else {
            return false;
        };
        if query.is_empty() {
            return false;
        }
        let n = self.transcript.line_count();
        for step in 1..=n {
            let line = if forward {
                (self.cursor - 1 + step) % n + 1
            } else {
                (self.cursor - 1 + n - step % n) % n + 1
            };
            if self
                .transcript
                .line(line)
                .is_some_and(|l| l.to_lowercase().contains(&query))
            {
                self.move_to(line);
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Coding;

    fn doc(text: &str) -> Doc {
        let t = Transcript::from_bytes(Slug::new("t").unwrap(), text.as_bytes()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let author = crate::study::git::Author::new(Slug::new("alice").unwrap(), "a@x.invalid");
        crate::study::init::init(dir.path(), "T", &author).unwrap();
        let study = crate::study::Study::open(dir.path()).unwrap();
        let mut session = CodingSession::open(&study, &Slug::new("alice").unwrap(), &t).unwrap();
        session.coding = Coding::new(t.id.clone(), t.hash());
        session.coding.segments = vec![
            Segment::new(Slug::new("a").unwrap(), 2, 3),
            Segment::new(Slug::new("b").unwrap(), 5, 5),
        ];
        Doc::new(t, session, 1)
    }

    #[test]
    fn selection_is_ordered_either_way() {
        let mut d = doc("1\n2\n3\n4\n5\n");
        d.move_to(4);
        d.anchor = Some(4);
        d.move_to(2);
        assert_eq!(d.selection(), LineRange { start: 2, end: 4 });
    }

    #[test]
    fn segment_jumps() {
        let mut d = doc("1\n2\n3\n4\n5\n");
        assert!(d.jump_segment(true));
        assert_eq!(d.cursor, 2);
        assert!(d.jump_segment(true));
        assert_eq!(d.cursor, 5);
        assert!(!d.jump_segment(true));
        assert!(d.jump_segment(false));
        assert_eq!(d.cursor, 2);
        assert_eq!(d.segments_at_cursor().len(), 1);
    }

    #[test]
    fn search_wraps_around_and_ignores_case() {
        let mut d = doc("Bonjour\nrien\nÉcoute BONJOUR\n");
        d.search = Some("bonjour".into());
        assert!(d.search_step(true));
        assert_eq!(d.cursor, 3);
        assert!(d.search_step(true));
        assert_eq!(d.cursor, 1);
        assert!(d.search_step(false));
        assert_eq!(d.cursor, 3);
        d.search = Some("absent".into());
        assert!(!d.search_step(true));
    }

    fn numbered(n: usize) -> Doc {
        let text: String = (1..=n).map(|i| format!("{i}\n")).collect();
        doc(&text)
    }

    #[test]
    fn no_scroll_while_clear_of_the_edges_then_a_jump() {
        let mut d = numbered(100);
        d.scroll_into_view(12, |_: &str| 1);
        assert_eq!(d.top.get(), 1);
        for _ in 0..9 {
            d.move_by(1);
            d.scroll_into_view(12, |_: &str| 1);
            assert_eq!(
                d.top.get(),
                1,
                "cursor {} still clear of the bottom",
                d.cursor
            );
        }
        d.move_by(1); // line 11: within the two-row margin of a 12-row view
        d.scroll_into_view(12, |_: &str| 1);
        assert_eq!(d.top.get(), 8, "cursor a quarter of the way down");
        d.move_by(-2); // line 9: one row from the top
        d.scroll_into_view(12, |_: &str| 1);
        assert_eq!(
            (d.cursor, d.top.get()),
            (9, 1),
            "back up: three quarters down"
        );
    }

    #[test]
    fn wrapped_lines_count_in_rows_and_far_jumps_fill_the_screen() {
        let mut d = numbered(10_000);
        // A line's text is its number: even lines wrap to three rows.
        let rows = |l: &str| {
            if l.parse::<usize>().unwrap() % 2 == 0 {
                3
            } else {
                1
            }
        };
        d.move_to(10_000);
        d.scroll_into_view(15, rows);
        // The last seven lines take 1+3+1+3+1+3+... rows: 3+1+3+1+3+1+3 = 15.
        assert_eq!(d.top.get(), 9_994);
        d.move_to(1);
        d.scroll_into_view(15, rows);
        assert_eq!(d.top.get(), 1);
        d.move_to(5_000);
        d.scroll_into_view(15, rows);
        let before: usize = (d.top.get()..5_000).map(|n| rows(&n.to_string())).sum();
        assert!((1..=3).contains(&before), "{before} rows above the cursor");
    }

    #[test]
    fn cursor_stays_in_the_text() {
        let mut d = doc("1\n2\n");
        d.move_by(-5);
        assert_eq!(d.cursor, 1);
        d.move_by(50);
        assert_eq!(d.cursor, 2);
    }
}
