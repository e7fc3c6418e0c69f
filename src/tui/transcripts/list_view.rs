//! Draws the transcript list: each transcript with the coder's progress
//! on it (not started, in progress with its segments, complete).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::tui::context::DrawCtx;
use crate::tui::draw::widgets;
use crate::tui::draw::wrap::truncate;
use crate::tui::transcripts::TranscriptsScreen;

impl TranscriptsScreen {
    /// The transcript list with the coder's progress on each.
    pub(super) fn draw_list(&self, buf: &mut Buffer, area: Rect, ctx: &DrawCtx) {
        let app = self;
        let theme = ctx.theme;
        let mut header = format!(
            "{} transcripts · your progress as {}",
            ctx.study.transcripts.len(),
            ctx.coder()
        );
        if let Some(note) = &self.list_note {
            header.push_str(&format!(" · {note}"));
        }
        buf.set_stringn(area.x, area.y, header, area.width as usize, theme.heading());
        if ctx.study.transcripts.is_empty() {
            buf.set_stringn(
                area.x,
                area.y + 2,
                "No transcript yet: `cbr import FILE...` adds some.",
                area.width as usize,
                theme.dim(),
            );
            return;
        }
        let rows = area.height.saturating_sub(1) as usize;
        let first = app.selected.saturating_sub(rows.saturating_sub(1));
        for (i, id) in ctx
            .study
            .transcripts
            .iter()
            .enumerate()
            .skip(first)
            .take(rows)
        {
            let y = area.y + 1 + (i - first) as u16;
            let p = app.progress.get(id).copied().unwrap_or_default();
            let (mark, state) = match (p.started, p.complete) {
                _ if !app.progress_loaded => ("·", "…"),
                (_, true) => ("●", "complete"),
                (true, false) => ("◐", "in progress"),
                _ => ("○", "not started"),
            };
            let segs = if p.started {
                format!(
                    "{} segment{}",
                    p.segments,
                    if p.segments == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            };
            let text = format!(
                " {mark} {:<28} {:<12} {segs}",
                truncate(id.as_str(), 28),
                state
            );
            let style = if i == app.selected {
                theme.cursor()
            } else {
                theme.plain()
            };
            widgets::row(buf, area.x, y, area.width, &text, style);
        }
    }
}
