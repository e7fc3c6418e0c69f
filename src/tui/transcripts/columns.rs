//! How an open transcript shares the terminal: the text, the code names in
//! its margin, and the pane of codes at the cursor. Each grows with the
//! terminal, while an 80×24 screen keeps the widths it always had.

use ratatui::layout::{Constraint, Layout, Rect};

/// From this width the pane of codes goes beside the text, taking a
/// quarter: from here that still leaves the text ~70 columns and the code
/// names 44, as the pane below does on 120 columns. (Beside from 110, as it
/// was, 120 columns left the text ~60 and cut the names at 14.)
pub const SIDE_PANE_MIN_WIDTH: u16 = 160;
/// The side pane's bounds around its share (a quarter): narrower, a
/// definition wraps every few words; wider, its lines are hard to follow.
const SIDE_MIN: u16 = 36;
const SIDE_MAX: u16 = 60;
/// Rows of the pane below the text, at least, before it grows with the height.
const BELOW_MIN_ROWS: u16 = 6;
/// The text gets this many columns before the margin grows past its
/// minimum: on 80 columns the text keeps its 58 or so, as it always had.
const TEXT_FIRST: u16 = 60;
/// A readable measure: on wider rows the eye loses its place going back
/// to the start of the next one. Columns past it stay blank.
const MEASURE: u16 = 100;
/// The margin's width on a narrow terminal, where names are cut to fit.
const MARGIN_MIN: u16 = 16;
/// Text narrower than this is not worth drawing.
const TEXT_MIN: u16 = 8;

/// Where the text (with its gutter and margin) and the pane of codes go.
pub struct Panes {
    pub text: Rect,
    pub info: Rect,
    /// The pane is beside the text rather than below it.
    pub side: bool,
}

/// Wide: the pane on the right, a column apart, a quarter of the width;
/// narrow: below the text, a quarter of the height (at most a third).
pub fn panes(area: Rect) -> Panes {
    let side = area.width >= SIDE_PANE_MIN_WIDTH;
    let [text, info] = if side {
        let width = (area.width / 4).clamp(SIDE_MIN, SIDE_MAX);
        let [text, _gap, info] = area.layout(&Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(width),
        ]));
        [text, info]
    } else {
        let rows = (area.height / 4).max(BELOW_MIN_ROWS).min(area.height / 3);
        area.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(rows),
        ]))
    };
    Panes { text, info, side }
}

/// The columns of the text area: line numbers and stripes, the text, and
/// the margin of code names a column after it.
#[derive(Debug, PartialEq, Eq)]
pub struct Columns {
    pub gutter: Rect,
    pub text: Rect,
    pub margin: Rect,
}

/// Splits `area` for a gutter `gutter` columns wide and margin labels up
/// to `label` columns. The text comes first up to `TEXT_FIRST` columns,
/// then the margin grows until the labels are whole (to two fifths of the
/// room), then the text up to the measure. None when the text would be
/// too narrow to read.
pub fn columns(area: Rect, gutter: u16, label: u16) -> Option<Columns> {
    let room = area.width.saturating_sub(gutter.saturating_add(1));
    let most = room
        .saturating_sub(TEXT_FIRST)
        .min(room / 5 * 2)
        .max(room.saturating_sub(MEASURE))
        .max(MARGIN_MIN);
    let margin = label.clamp(MARGIN_MIN, most);
    let text = room.saturating_sub(margin).min(MEASURE);
    if text < TEXT_MIN {
        return None;
    }
    let [gutter, text, _gap, margin, _rest] = area.layout(&Layout::horizontal([
        Constraint::Length(gutter),
        Constraint::Length(text),
        Constraint::Length(1),
        Constraint::Length(margin),
        Constraint::Fill(1),
    ]));
    Some(Columns {
        gutter,
        text,
        margin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(width: u16, gutter: u16, label: u16) -> Option<(u16, u16)> {
        columns(Rect::new(0, 0, width, 20), gutter, label).map(|c| (c.text.width, c.margin.width))
    }

    #[test]
    fn eighty_columns_keep_the_text_and_margin_they_had() {
        // Before the widths grew: the margin 16, the text the rest less a gap.
        for gutter in 4..9 {
            for label in [5, 16, 30, 60] {
                assert_eq!(
                    widths(80, gutter, label),
                    Some((80 - gutter - 17, 16)),
                    "gutter {gutter}, label {label}"
                );
            }
        }
        assert_eq!(widths(60, 5, 30), Some((38, 16)));
        assert_eq!(widths(28, 5, 30), None);
    }

    #[test]
    fn wider_the_labels_get_whole_then_the_text_grows_to_the_measure() {
        // 120 columns, the pane below: a 29-column label whole, the rest text.
        assert_eq!(widths(120, 5, 29), Some((85, 29)));
        // A very long name stops at two fifths of the room.
        assert_eq!(widths(120, 5, 53), Some((70, 44)));
        // Short labels keep the margin's minimum.
        assert_eq!(widths(120, 5, 8), Some((98, 16)));
        // Past the measure the text stops and the rest stays blank.
        let c = columns(Rect::new(3, 2, 200, 10), 5, 29).unwrap();
        assert_eq!((c.text.x, c.text.width), (8, MEASURE));
        assert_eq!((c.margin.x, c.margin.width), (109, 29));
        // A long label takes what the measure leaves when that is more.
        assert_eq!(widths(200, 5, 120), Some((100, 94)));
    }

    #[test]
    fn the_side_pane_takes_its_share_from_a_width_on() {
        let area = |w| Rect::new(0, 1, w, 37);
        let below = panes(area(SIDE_PANE_MIN_WIDTH - 1));
        assert!(!below.side);
        assert_eq!((below.info.width, below.info.height), (159, 9));
        let side = panes(area(SIDE_PANE_MIN_WIDTH));
        assert!(side.side);
        assert_eq!((side.text.width, side.info.width), (119, 40));
        assert_eq!(panes(area(200)).info.width, 50);
        assert_eq!(panes(area(140)).info.height, 9);
        assert_eq!(panes(area(400)).info.width, SIDE_MAX);
        // 80×24 keeps its six rows below the text.
        assert_eq!(panes(Rect::new(0, 1, 80, 21)).info.height, 6);
        assert_eq!(panes(Rect::new(0, 1, 60, 9)).info.height, 3);
    }
}
