//! Colour and layout choices for human output, decided once by term.rs.

use anstyle::{AnsiColor, Effects, Style as Ansi};

use crate::model::Severity;

#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Emit ANSI colours.
    pub color: bool,
    /// Width to fit tables into, when writing to a terminal.
    pub width: Option<u16>,
}

impl Style {
    /// `text` in the colour of severity `s`.
    pub fn paint_severity(&self, s: Severity, text: &str) -> String {
        let style = match s {
            Severity::Critical => Ansi::new()
                .fg_color(Some(AnsiColor::Red.into()))
                .effects(Effects::BOLD),
            Severity::High => Ansi::new().fg_color(Some(AnsiColor::Red.into())),
            Severity::Medium => Ansi::new().fg_color(Some(AnsiColor::Yellow.into())),
            Severity::Low => Ansi::new().fg_color(Some(AnsiColor::Blue.into())),
            Severity::Info => Ansi::new().effects(Effects::DIMMED),
        };
        self.paint(style, text)
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint(Ansi::new().effects(Effects::BOLD), text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint(Ansi::new().effects(Effects::DIMMED), text)
    }

    pub fn good(&self, text: &str) -> String {
        self.paint(Ansi::new().fg_color(Some(AnsiColor::Green.into())), text)
    }

    pub fn bad(&self, text: &str) -> String {
        self.paint(Ansi::new().fg_color(Some(AnsiColor::Red.into())), text)
    }

    fn paint(&self, style: Ansi, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }
}
