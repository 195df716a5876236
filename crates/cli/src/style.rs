//! Terminal colors: `--color`, then the environment as anstream reads it (`NO_COLOR`,
//! `CLICOLOR_FORCE`, `CLICOLOR`, `TERM=dumb`), then whether stdout is a terminal.

use crate::args::ColorArg;
use anstream::{AutoStream, ColorChoice};
use anstyle::{AnsiColor, Effects};

#[derive(Clone, Copy)]
pub struct Style {
    enabled: bool,
}

impl Style {
    /// Colors for stdout.
    pub fn for_stdout(choice: ColorArg) -> Self {
        let enabled = match choice {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => AutoStream::choice(&std::io::stdout()) != ColorChoice::Never,
        };
        Style { enabled }
    }

    fn paint(&self, style: anstyle::Style, text: &str) -> String {
        if self.enabled {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    fn color(&self, color: AnsiColor, text: &str) -> String {
        self.paint(color.on_default(), text)
    }

    pub fn bold(&self, t: &str) -> String {
        self.paint(Effects::BOLD.into(), t)
    }
    pub fn red(&self, t: &str) -> String {
        self.color(AnsiColor::Red, t)
    }
    pub fn green(&self, t: &str) -> String {
        self.color(AnsiColor::Green, t)
    }
    pub fn yellow(&self, t: &str) -> String {
        self.color(AnsiColor::Yellow, t)
    }
    pub fn cyan(&self, t: &str) -> String {
        self.color(AnsiColor::Cyan, t)
    }
    pub fn dim(&self, t: &str) -> String {
        self.paint(Effects::DIMMED.into(), t)
    }
}
