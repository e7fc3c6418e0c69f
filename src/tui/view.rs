//! Draws the whole frame from `&App`: tabs, the current screen, the status
//! and hint bars, and any overlay. What drawing learns of the layout (the
//! transcript view's scroll, a frame too small) goes in `Cell`s; no file
//! or git access.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;

use crate::model::text::inert;

use crate::tui::action::Tab;
use crate::tui::app::App;
use crate::tui::context::{DrawCtx, Screen};
use crate::tui::draw::widgets;
use crate::tui::draw::wrap::{truncate, width, wrap};
use crate::tui::keymap;
use crate::tui::popups::help;
use crate::tui::popups::keys as popup_keys;
use crate::tui::popups::overlay::Overlay;
use crate::tui::theme::Theme;

/// Smallest usable terminal; below it a clear message replaces the UI.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    draw_area(frame.buffer_mut(), area, app);
}

pub fn draw_area(buf: &mut Buffer, area: Rect, app: &App) {
    let theme = app.theme;
    let small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
    app.too_small.set(small);
    if small {
        too_small(buf, area, &theme);
        return;
    }
    let [tabs, mut body, status, hints] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    if let Some(banner) = app.team.banner(app.coder()) {
        let [line, rest] = body.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
        ]));
        let style = theme.error().add_modifier(Modifier::REVERSED);
        widgets::row(buf, line.x, line.y, line.width, &inert(&banner), style);
        body = rest;
    }
    draw_tabs(buf, tabs, app.tab, &theme);
    let ctx = DrawCtx {
        study: &app.study,
        author: &app.author,
        theme: &app.theme,
    };
    let screen: &dyn Screen = match app.tab {
        Tab::Transcripts => &app.transcripts,
        Tab::Codebook => &app.codebook_screen,
        Tab::Agreement => &app.agreement,
        Tab::Suggestions => &app.suggestions,
        Tab::History => &app.history,
    };
    screen.draw(buf, body, &ctx);
    draw_long_flash(buf, body, status.width, app);
    draw_status(buf, status, app);
    draw_hints(buf, hints, app);
    match &app.overlay {
        None => {}
        Some(Overlay::Help { scroll }) => help::draw(buf, body, app.context(), *scroll, &theme),
        Some(Overlay::Picker(p)) => p.draw(buf, body, &app.study.codebook, &theme),
        Some(Overlay::Memo { code, input }) => {
            let name = app
                .study
                .codebook
                .resolve(code.as_str())
                .map_or(code.as_str(), |c| c.name.as_str());
            prompt(
                buf,
                body,
                &format!(" Memo on {name} (Enter saves, Esc cancels) "),
                |b, r| input.draw(b, r, &theme),
            );
        }
        Some(Overlay::Search(input)) => {
            prompt(buf, body, " Search (Enter) ", |b, r| {
                input.draw(b, r, &theme)
            });
        }
        Some(Overlay::Error(msg)) => {
            message_box(buf, body, " Problem (Esc to close) ", msg, &theme)
        }
        Some(Overlay::Info { title, text }) => message_box(buf, body, title, text, &theme),
        Some(Overlay::Confirm { question, .. }) => {
            message_box(buf, body, " Confirm (y yes · n no) ", question, &theme)
        }
        Some(Overlay::Reconcile(popup)) => popup.draw(buf, body, &theme),
        Some(Overlay::Ask(ask)) => ask.draw(buf, body, &theme),
        Some(Overlay::Menu(menu)) => menu.draw(buf, body, &theme),
    }
}

fn too_small(buf: &mut Buffer, area: Rect, theme: &Theme) {
    let lines = [
        "Terminal too small".to_string(),
        format!(
            "{}×{}: cbr needs {MIN_WIDTH}×{MIN_HEIGHT}",
            area.width, area.height
        ),
        "Enlarge the window, or q to quit".to_string(),
    ];
    for (i, line) in lines.iter().enumerate() {
        let y = area.y + area.height / 2 + i as u16;
        if y >= area.y + area.height || area.width == 0 {
            break;
        }
        let w = width(line).min(area.width as usize);
        let x = area.x + (area.width - w as u16) / 2;
        let style = if i == 0 { theme.error() } else { theme.plain() };
        buf.set_stringn(x, y.saturating_sub(1), line, area.width as usize, style);
    }
}

fn draw_tabs(buf: &mut Buffer, area: Rect, current: Tab, theme: &Theme) {
    let brand = "cbr ";
    let full: usize = Tab::ALL.iter().map(|t| t.title().len() + 5).sum();
    let narrow = full + brand.len() > area.width as usize;
    let mut x = area.x;
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let name = if narrow { tab.short() } else { tab.title() };
        let label = format!(" {} {name} ", i + 1);
        let style = if *tab == current {
            theme.tab_active()
        } else {
            theme.plain()
        };
        let (nx, _) = buf.set_stringn(x, area.y, &label, area.width as usize, style);
        x = nx + 1;
    }
    if x as usize + brand.len() > (area.x + area.width) as usize {
        return;
    }
    buf.set_stringn(
        area.x + area.width - brand.len() as u16,
        area.y,
        brand,
        brand.len(),
        theme.dim(),
    );
}

fn draw_status(buf: &mut Buffer, area: Rect, app: &App) {
    let theme = &app.theme;
    buf.set_stringn(
        area.x,
        area.y,
        " ".repeat(area.width as usize),
        area.width as usize,
        theme.bar(),
    );
    let mut left = format!(
        " {} │ {}",
        truncate(&inert(&app.study.config.title), 28),
        app.coder()
    );
    if let Some(team) = app.team.status_text() {
        left.push_str(&format!(" │ {team}"));
    }
    // The open transcript is only news on the tab that shows it.
    let open = app
        .transcripts
        .doc
        .as_ref()
        .zip(app.transcripts.open_state());
    if let Some((doc, state)) = open.filter(|_| app.tab == Tab::Transcripts) {
        left.push_str(&format!(
            " │ {} L{}/{} {state}",
            doc.id(),
            doc.cursor,
            doc.transcript.line_count()
        ));
    }
    let right = match &app.flash {
        Some((msg, _)) if flash_fits(msg, area.width) => format!("{} ", inert(msg)),
        _ => String::new(),
    };
    let room = (area.width as usize).saturating_sub(width(&right) + 1);
    buf.set_stringn(area.x, area.y, truncate(&left, room), room, theme.bar());
    let rw = width(&right).min(area.width as usize);
    buf.set_stringn(
        area.x + area.width - rw as u16,
        area.y,
        &right,
        rw,
        theme.bar(),
    );
}

/// Whether a message fits the status bar beside at least its first column.
fn flash_fits(msg: &str, cols: u16) -> bool {
    width(&inert(msg)) + 2 <= cols as usize
}

/// Most rows a message too long for the status bar takes above it.
const FLASH_ROWS: usize = 4;

/// A message wider than the status bar is wrapped at word boundaries onto
/// rows just above it, over the bottom of the screen until the next key,
/// instead of being cut mid-word at the edge.
fn draw_long_flash(buf: &mut Buffer, body: Rect, cols: u16, app: &App) {
    let Some((msg, _)) = &app.flash else { return };
    if flash_fits(msg, cols) || body.height == 0 {
        return;
    }
    let msg = inert(msg);
    let text_cols = (cols as usize).saturating_sub(2).max(1);
    let ranges = wrap(&msg, text_cols, 0);
    let room = FLASH_ROWS.min(body.height as usize);
    let mut rows: Vec<String> = ranges
        .iter()
        .take(room)
        .map(|r| msg[r.clone()].trim_end().to_string())
        .collect();
    if ranges.len() > room
        && let Some(last) = rows.last_mut()
    {
        // What does not fit ends in an ellipsis rather than vanishing.
        let rest = msg[ranges[room - 1].start..].trim_end();
        *last = truncate(rest, text_cols);
    }
    let top = body.y + body.height - rows.len() as u16;
    for (i, row) in rows.iter().enumerate() {
        widgets::row(
            buf,
            body.x,
            top + i as u16,
            cols,
            &format!(" {row}"),
            app.theme.bar(),
        );
    }
}

fn draw_hints(buf: &mut Buffer, area: Rect, app: &App) {
    let theme = &app.theme;
    let context = app.context();
    let mut x = area.x;
    let end = area.x + area.width;
    let items: Vec<(String, String)> = match &app.overlay {
        Some(Overlay::Picker(_)) => popup_keys::hints(popup_keys::PICKER),
        Some(Overlay::Confirm { .. }) => popup_keys::hints(popup_keys::CONFIRM),
        Some(Overlay::Reconcile(popup)) => popup.hints(),
        Some(Overlay::Help { .. }) => popup_keys::hints(popup_keys::HELP),
        Some(Overlay::Memo { .. } | Overlay::Search(_) | Overlay::Ask(_)) => {
            popup_keys::hints(popup_keys::PROMPT)
        }
        Some(Overlay::Menu(_)) => popup_keys::hints(popup_keys::MENU),
        Some(Overlay::Error(_) | Overlay::Info { .. }) => popup_keys::hints(popup_keys::MESSAGE),
        None => keymap::for_context(context)
            .filter(|b| !b.hint.is_empty())
            .map(|b| (b.label(), b.hint.to_string()))
            .collect(),
    };
    for (key, desc) in &items {
        let (key, desc) = (key.as_str(), desc.as_str());
        let need = width(key) + 1 + width(desc) + 2;
        if x as usize + need > end as usize {
            break;
        }
        let (nx, _) = buf.set_stringn(x, area.y, key, width(key), theme.key());
        let (nx, _) = buf.set_stringn(nx + 1, area.y, desc, width(desc), theme.dim());
        x = nx + 2;
    }
}

fn prompt(buf: &mut Buffer, area: Rect, title: &str, draw_input: impl FnOnce(&mut Buffer, Rect)) {
    let inner = widgets::popup(buf, area, area.width.saturating_sub(4).max(20), 3, title);
    draw_input(buf, inner);
}

fn message_box(buf: &mut Buffer, area: Rect, title: &str, msg: &str, theme: &Theme) {
    let w = area.width.saturating_sub(4).clamp(20, 76);
    // Paragraphs are wrapped once to size the box, then drawn into it.
    let height: usize = msg
        .lines()
        .map(|l| wrap(&inert(l), w as usize - 2, 2).len())
        .sum();
    let inner = widgets::popup(buf, area, w, height as u16 + 2, title);
    let mut y = inner.y;
    for line in msg.lines() {
        match widgets::paragraph(buf, inner, y, line, theme.plain(), 2) {
            Some(next) => y = next,
            None => break,
        }
    }
}
