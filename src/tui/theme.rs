//! Styles. Named ANSI colours only (they follow the user's terminal theme,
//! light or dark, and survive tmux and 16-colour terminals); with
//! `NO_COLOR`, or on a terminal without colour (`TERM=dumb`, or one whose
//! terminfo reports fewer than 8 colours), every distinction is made with
//! bold, reverse, underline or letters.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

/// The palette codes without a colour of their own cycle through.
const CYCLE: [Color; 6] = [
    Color::Cyan,
    Color::Yellow,
    Color::Green,
    Color::Magenta,
    Color::Blue,
    Color::Red,
];

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything (see no-color.org) or
    /// the terminal cannot show colour.
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let term = std::env::var("TERM").ok();
        Theme {
            color: !no_color && colour_terminal(term.as_deref(), tput_colors),
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn plain(&self) -> Style {
        Style::new()
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn speaker(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn cursor(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn selection(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Blue).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        }
    }

    pub fn search_hit(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Yellow).fg(Color::Black)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
        }
    }

    pub fn heading(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn tab_active(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn bar(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// A code's stripe colour: its own `color`, else one picked from its
    /// position so neighbouring codes differ. `Reset` without colour.
    pub fn code(&self, color: Option<&str>, index: usize) -> Style {
        if !self.color {
            return Style::new().add_modifier(Modifier::BOLD);
        }
        let c = color
            .and_then(named_color)
            .unwrap_or(CYCLE[index % CYCLE.len()]);
        Style::new().fg(c)
    }
}

/// Whether a terminal called `term` shows colour: not when `TERM` is unset,
/// empty or `dumb`, nor when its terminfo entry (asked through `colors`)
/// reports fewer than 8 colours. A terminal terminfo does not know keeps
/// colour: guessing monochrome would take stripes' colours from everyone
/// on an unusual but capable terminal.
pub fn colour_terminal(term: Option<&str>, colors: impl FnOnce(&str) -> Option<i32>) -> bool {
    match term.map(str::trim) {
        None | Some("") | Some("dumb") => false,
        Some(term) => colors(term).is_none_or(|n| n >= 8),
    }
}

/// `tput colors` for `term` (-1 for a monochrome entry), or `None` when tput
/// is missing or does not know the terminal. ncurses ships tput wherever a
/// terminfo database is; no terminfo crate needed for one number.
fn tput_colors(term: &str) -> Option<i32> {
    let out = std::process::Command::new("tput")
        .args(["-T", term, "colors"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// Maps the colour names allowed in code files to terminal colours.
pub fn named_color(name: &str) -> Option<Color> {
    Some(match name {
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" => Color::Gray,
        "darkgray" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::codebook::COLORS;

    #[test]
    fn every_allowed_code_color_maps() {
        for name in COLORS {
            assert!(named_color(name).is_some(), "{name}");
        }
    }

    #[test]
    fn a_terminal_without_colour_is_recognised() {
        let never = |_: &str| -> Option<i32> { panic!("not asked") };
        assert!(!colour_terminal(None, never));
        assert!(!colour_terminal(Some(""), never));
        assert!(!colour_terminal(Some("dumb"), never));
        assert!(!colour_terminal(Some("xterm-mono"), |_| Some(-1)));
        assert!(!colour_terminal(Some("vt52"), |_| Some(2)));
        assert!(colour_terminal(Some("xterm"), |_| Some(8)));
        assert!(colour_terminal(Some("tmux-256color"), |_| Some(256)));
        assert!(colour_terminal(Some("unknown-term"), |_| None));
    }

    #[test]
    fn no_color_uses_no_colours() {
        let t = Theme { color: false };
        for s in [
            t.speaker(),
            t.selection(),
            t.code(Some("red"), 0),
            t.error(),
            t.dim(),
        ] {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
    }
}
