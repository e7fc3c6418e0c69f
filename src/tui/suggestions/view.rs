//! Drawing the Suggestions tab: the list, one suggestion (header, rationale,
//! semantic diff, impact, timeline), its affected passages, and its
//! conflicts side by side. State only; no file or git access.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::model::date::{age, format_date, now};
use crate::study::suggest::{Event, Mergeability, Suggestion, Verdict};

use crate::tui::background::Loadable;
use crate::tui::context::DrawCtx;
use crate::tui::draw::diff_text::changes_paras;
use crate::tui::draw::loadable::{heading, ready};
use crate::tui::draw::styled::{self, Para, below};
use crate::tui::suggestions::panes::{draw_conflict, draw_passages};
use crate::tui::suggestions::review::merge_blocker;
use crate::tui::suggestions::tab::{Loaded, SuggestScreen, View};
use crate::tui::theme::Theme;

fn state_style(s: &Suggestion, theme: &Theme) -> Style {
    match s.mergeable {
        _ if !s.rejected_by.is_empty() => theme.error(),
        Mergeability::Clean => theme.ok(),
        _ => theme.error(),
    }
}

fn comments(n: usize) -> String {
    match n {
        1 => "1 comment".to_string(),
        n => format!("{n} comments"),
    }
}

impl SuggestScreen {
    pub(super) fn draw_with(&self, buf: &mut Buffer, area: Rect, ctx: &DrawCtx) {
        let theme = ctx.theme;
        let now = self.clock.unwrap_or_else(now);
        let required = ctx.study.config.approvals_required;
        let Some(open) = self.open.as_ref() else {
            draw_list(buf, area, &self.list, self.selected, required, now, theme);
            return;
        };
        let Some(loaded) = ready(buf, area, &open.branch, &open.data, theme) else {
            return;
        };
        match open.view {
            View::Diff => {
                let paras = detail_paras(loaded, required, now, theme);
                let max = styled::draw_paras(buf, area, &paras, open.scroll);
                open.max_scroll.set(max);
            }
            View::Passages(i) => draw_passages(buf, area, loaded, i, theme),
            View::Conflicts(i) => draw_conflict(buf, area, loaded, i, theme),
        }
    }
}

fn draw_list(
    buf: &mut Buffer,
    area: Rect,
    list: &Loadable<Vec<Suggestion>>,
    selected: usize,
    required: u32,
    now: i64,
    theme: &Theme,
) {
    let Some(all) = ready(buf, area, "Open suggestions", list, theme) else {
        return;
    };
    heading(
        buf,
        area,
        &format!(
            "{} open suggestion(s) · merging needs {required} approval(s)",
            all.len()
        ),
        theme,
    );
    if all.is_empty() {
        let hint = "Nothing to review. In the Codebook tab, s on a code suggests a change.";
        styled::draw_paras(buf, below(area, 2), &[Para::text(hint, theme.dim())], 0);
        return;
    }
    // Title, facts, state, and a blank row between suggestions.
    let per = 4usize;
    let (first, fit) = styled::window(selected, area.height.saturating_sub(1), per);
    for (i, s) in all.iter().enumerate().skip(first).take(fit) {
        let y = area.y + 1 + ((i - first) * per) as u16;
        let style = if i == selected {
            theme.cursor()
        } else {
            theme.bold()
        };
        styled::list_row(buf, area, y, &format!(" {}", s.title), style);
        let facts = format!(
            "   {} · {} · {} · approvals {}/{required} · {}",
            s.author,
            s.kind.map_or("change", |k| k.as_str()),
            age(s.created, now),
            s.approvals.len(),
            comments(s.comments),
        );
        styled::line(buf, area, y + 1, &facts, theme.dim());
        let state = format!("   {}", s.state());
        styled::line(buf, area, y + 2, &state, state_style(s, theme));
    }
}

/// Everything about one suggestion, top to bottom.
fn detail_paras(loaded: &Loaded, required: u32, now: i64, theme: &Theme) -> Vec<Para> {
    let d = &loaded.detail;
    let s = &d.suggestion;
    let mut out = vec![
        Para::text(&s.title, theme.heading()),
        Para::text(
            format!(
                "{} · {} · by {}, {} ({})",
                s.kind.map_or("change", |k| k.as_str()),
                s.branch,
                s.author,
                format_date(s.created, 0),
                age(s.created, now)
            ),
            theme.dim(),
        ),
        Para::text(
            format!(
                "approvals {}/{required}{} · {} · ",
                s.approvals.len(),
                if s.approvals.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", s.approvals.join(", "))
                },
                comments(s.comments)
            ),
            theme.plain(),
        )
        .push(s.state(), state_style(s, theme)),
    ];
    out.push(match merge_blocker(loaded, required) {
        None => Para::text("Ready to merge: m", theme.ok()),
        Some(why) => Para::text(format!("Not mergeable yet: {why}"), theme.dim()),
    });
    if !loaded.open_conflicts.is_empty() {
        out.push(Para::text(
            format!(
                "{} open conflict(s) with main: C shows them side by side",
                loaded.open_conflicts.len()
            ),
            theme.error(),
        ));
    }
    if !s.rationale.is_empty() {
        out.push(Para::blank());
        out.push(Para::text("Rationale", theme.bold()));
        out.extend(Para::prose(&s.rationale, theme.plain(), 2));
    }
    out.push(Para::blank());
    out.push(Para::text("Changes", theme.bold()));
    out.extend(changes_paras(&d.changes, theme, 2));
    out.push(Para::blank());
    out.push(Para::text("Impact on coded segments", theme.bold()).push(
        if loaded.passages().is_empty() {
            ""
        } else {
            " · p lists the passages"
        },
        theme.dim(),
    ));
    for ci in &loaded.impacts {
        let per = ci.per_coder(" · ");
        out.push(
            Para::new(2)
                .push(format!("{}: ", ci.code), theme.bold())
                .push(per, theme.plain()),
        );
    }
    if loaded.impacts.is_empty() {
        out.push(Para::new(2).push("no existing code is affected", theme.dim()));
    }
    if let Some(note) = &loaded.blind_note {
        out.push(Para::new(2).push(note.clone(), theme.dim()));
    }
    out.push(Para::blank());
    out.push(Para::text("Timeline", theme.bold()));
    for event in &d.timeline {
        out.push(event_para(event, theme));
    }
    out
}

fn event_para(event: &Event, theme: &Theme) -> Para {
    let (when, who, verb, text, style) = match event {
        Event::Proposed { author, when, .. } => (*when, author, "proposed", "", theme.plain()),
        Event::Amended {
            author, when, note, ..
        } => (*when, author, "amended", note.as_str(), theme.plain()),
        Event::Reviewed(r) => {
            let (verb, style) = match r.verdict {
                Verdict::Approve => ("approved", theme.ok()),
                Verdict::Comment => ("commented", theme.plain()),
                Verdict::Reject => ("rejected", theme.error()),
            };
            (r.when, &r.reviewer, verb, r.text.as_str(), style)
        }
    };
    let said = if text.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", text.trim().replace('\n', " "))
    };
    Para::new(2)
        .push(format!("{}  ", format_date(when, 0)), theme.dim())
        .push(format!("{who} {verb}"), style)
        .push(said, theme.plain())
}
