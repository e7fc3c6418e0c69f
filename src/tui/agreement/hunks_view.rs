//! A code's list of disagreements in the Agreement tab: one row per hunk
//! between the pair, where it is, who applied the code at stake, and
//! whether it is decided. `Enter` on one opens the reconciliation view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::text::inert;
use crate::model::{Codebook, Slug};

use crate::tui::agreement::chart::put;
use crate::tui::agreement::job::Loaded;
use crate::tui::agreement::tab::HunkList;
use crate::tui::draw::widgets;
use crate::tui::draw::wrap::truncate;
use crate::tui::theme::Theme;

pub(super) fn hunk_list(
    buf: &mut Buffer,
    area: Rect,
    loaded: &Loaded,
    list: &HunkList,
    codebook: &Codebook,
    theme: &Theme,
) {
    let w = area.width as usize;
    let session = &loaded.session;
    let what = match &list.code {
        Some(code) => codebook
            .get(code.as_str())
            .map_or(code.to_string(), |c| format!("{} ({code})", c.name)),
        None => "every code".to_string(),
    };
    let title = format!(
        " {}: {} disagreement(s) between {} (-) and {} (+)",
        inert(&what),
        list.items.len(),
        session.a,
        session.b
    );
    put(
        buf,
        area.x,
        area.y,
        w,
        &truncate(&title, w),
        theme.heading(),
    );
    put(
        buf,
        area.x,
        area.y + 1,
        w,
        " Enter reconciles the one chosen · Esc back to the table",
        theme.dim(),
    );
    let rows_h = area.height.saturating_sub(2) as usize;
    let first = list.selected.saturating_sub(rows_h.saturating_sub(1));
    for (row, &index) in list.items.iter().enumerate().skip(first).take(rows_h) {
        let item = &session.items[index];
        let h = &item.hunk;
        let status = match &item.decision {
            Some(d) => format!(
                "[x] {:<12}",
                crate::tui::reconcile::hunk::choice_words(d.choice)
            ),
            None => format!(
                "[ ] {:<12}",
                sides(h, list.code.as_ref(), &session.a, &session.b)
            ),
        };
        let at = format!("{}:{}-{}", h.transcript, h.changed.start, h.changed.end);
        let preview = h
            .core()
            .find(|l| l.changed)
            .map(|l| inert(&l.text).into_owned())
            .unwrap_or_default();
        let text = format!(" {status} {at:<22} {preview}");
        let style = if row == list.selected {
            theme.cursor()
        } else {
            theme.plain()
        };
        let y = area.y + 2 + (row - first) as u16;
        widgets::row(buf, area.x, y, area.width, &truncate(&text, w), style);
    }
}

/// Who applied the code at stake: "-alice", "+bob" or both.
fn sides(
    hunk: &crate::model::disagreement::Hunk,
    code: Option<&Slug>,
    a: &Slug,
    b: &Slug,
) -> String {
    let applies = |only: fn(&crate::model::disagreement::HunkLine) -> &Vec<Slug>| {
        hunk.core()
            .any(|l| code.map_or(!only(l).is_empty(), |c| only(l).contains(c)))
    };
    match (applies(|l| &l.only_a), applies(|l| &l.only_b)) {
        (true, true) => "both differ".to_string(),
        (true, false) => format!("-{a}"),
        (false, true) => format!("+{b}"),
        (false, false) => String::new(),
    }
}
