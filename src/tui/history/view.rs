//! Drawing the History tab: the timeline, one change in full, the diff of
//! two versions (the re-check queue is in `recheck_view`). State only; no
//! file or git access.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::model::date::format_date;
use crate::study::history::{EntryKind, LogEntry};

use crate::tui::draw::diff_text::changes_paras;
use crate::tui::draw::loadable::{heading, ready};
use crate::tui::draw::styled::{self, Para, below};
use crate::tui::history::recheck_view::draw_recheck;
use crate::tui::history::{HistView, HistoryScreen, short};
use crate::tui::theme::Theme;

impl HistoryScreen {
    pub(super) fn draw_with(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        let h = self;
        match &h.view {
            HistView::Timeline => draw_timeline(buf, area, h, theme),
            HistView::Entry { scroll, max } => {
                let paras = match h.entries().ready() {
                    Some(entries) => entries.get(h.selected).map(|e| entry_paras(e, theme)),
                    None => None,
                };
                max.set(styled::draw_paras(
                    buf,
                    area,
                    &paras.unwrap_or_default(),
                    *scroll,
                ));
            }
            HistView::Diff {
                from,
                to,
                changes,
                scroll,
                max,
            } => {
                let title = format!("Codebook {} → {}", short(from), short(to));
                let Some(changes) = ready(buf, area, &title, changes, theme) else {
                    return;
                };
                let mut paras = vec![
                    Para::text(title, theme.heading()),
                    Para::text(format!("{} code(s) differ", changes.len()), theme.dim()),
                    Para::blank(),
                ];
                paras.extend(changes_paras(changes, theme, 0));
                max.set(styled::draw_paras(buf, area, &paras, *scroll));
            }
            HistView::Recheck => draw_recheck(buf, area, &h.recheck, h.recheck_selected, theme),
        }
    }
}

/// What kind of step an entry is, in a few words.
fn summary(entry: &LogEntry) -> String {
    let mut parts = Vec::new();
    match &entry.kind {
        EntryKind::Suggestion {
            suggestion_kind,
            suggested_by,
            approved_by,
            ..
        } => {
            let kind = suggestion_kind
                .map(|k| format!(" ({k})"))
                .unwrap_or_default();
            parts.push(format!("suggestion{kind} by {suggested_by}"));
            if !approved_by.is_empty() {
                parts.push(format!("approved by {}", approved_by.join(", ")));
            }
        }
        EntryKind::Commit { .. } => parts.push(format!("commit by {}", entry.author)),
    }
    for r in &entry.releases {
        parts.push(format!("released as {}", r.name));
    }
    let changed = entry.changes.len();
    if changed > 0 {
        parts.push(format!("{changed} code(s)"));
    }
    parts.join(" · ")
}

fn draw_timeline(buf: &mut Buffer, area: Rect, h: &HistoryScreen, theme: &Theme) {
    let title = match &h.code {
        Some((id, _)) => format!("History of {id} (following renames) · Esc: the whole codebook"),
        None => "Codebook history · m marks a version, d diffs it with another".to_string(),
    };
    let Some(entries) = ready(buf, area, &title, h.entries(), theme) else {
        return;
    };
    heading(buf, area, &title, theme);
    if entries.is_empty() {
        let text = "No change yet. Merged suggestions and releases appear here.";
        styled::draw_paras(buf, below(area, 2), &[Para::text(text, theme.dim())], 0);
        return;
    }
    let per = 2usize;
    let (first, fit) = styled::window(h.selected, area.height.saturating_sub(1), per);
    for (i, entry) in entries.iter().enumerate().skip(first).take(fit) {
        let y = area.y + 1 + ((i - first) * per) as u16;
        let marked = h.mark.as_deref() == Some(entry.commit.as_str());
        let line = format!(
            "{}{} {}  {}",
            if marked { "●" } else { " " },
            format_date(entry.when, 0),
            short(&entry.commit),
            entry.title()
        );
        let style = if i == h.selected {
            theme.cursor()
        } else {
            theme.bold()
        };
        styled::list_row(buf, area, y, &line, style);
        styled::line(
            buf,
            area,
            y + 1,
            &format!("  {}", summary(entry)),
            theme.dim(),
        );
    }
}

/// One entry in full: who, why, approvals, releases, and the diff.
fn entry_paras(entry: &LogEntry, theme: &Theme) -> Vec<Para> {
    let mut out = vec![
        Para::text(entry.title(), theme.heading()),
        Para::text(
            format!(
                "{} · {} · by {}",
                format_date(entry.when, 0),
                short(&entry.commit),
                entry.author
            ),
            theme.dim(),
        ),
        Para::text(summary(entry), theme.plain()),
    ];
    let label = match entry.kind {
        EntryKind::Suggestion { .. } => "Rationale",
        EntryKind::Commit { .. } => "Message",
    };
    let (why, more) = match &entry.kind {
        EntryKind::Suggestion {
            rationale,
            resolved,
            branch,
            ..
        } => {
            let mut more = vec![format!("from {branch}")];
            more.extend(resolved.iter().map(|r| format!("conflict resolved: {r}")));
            (rationale.clone(), more)
        }
        EntryKind::Commit { body, .. } => (body.clone(), Vec::new()),
    };
    out.extend(more.into_iter().map(|m| Para::text(m, theme.dim())));
    if !why.trim().is_empty() {
        out.push(Para::blank());
        out.push(Para::text(label, theme.bold()));
        out.extend(Para::prose(&why, theme.plain(), 2));
    }
    for r in &entry.releases {
        out.push(Para::blank());
        out.push(
            Para::text(format!("Release {}", r.name), theme.bold()).push(
                format!(
                    " by {}: {}",
                    r.tagger,
                    r.message.lines().next().unwrap_or("")
                ),
                theme.plain(),
            ),
        );
    }
    out.push(Para::blank());
    out.push(Para::text("Changes", theme.bold()));
    if entry.changes.is_empty() {
        out.push(Para::new(2).push("none to the codebook", theme.dim()));
    }
    out.extend(changes_paras(&entry.changes, theme, 2));
    out
}
