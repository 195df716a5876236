//! Terminal colors: ANSI escapes when writing to a terminal, nothing when piped.

use std::io::IsTerminal;

use crate::args::ColorArg;

#[derive(Clone, Copy)]
pub struct Style {
    enabled: bool,
}

impl Style {
    /// Colors for stdout: `--color`, then NO_COLOR, then whether stdout is a terminal.
    pub fn for_stdout(choice: ColorArg) -> Self {
        let enabled = match choice {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
        };
        Style { enabled }
    }

    fn wrap(&self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, t: &str) -> String {
        self.wrap("1", t)
    }
    pub fn red(&self, t: &str) -> String {
        self.wrap("31", t)
    }
    pub fn green(&self, t: &str) -> String {
        self.wrap("32", t)
    }
    pub fn yellow(&self, t: &str) -> String {
        self.wrap("33", t)
    }
    pub fn cyan(&self, t: &str) -> String {
        self.wrap("36", t)
    }
    pub fn dim(&self, t: &str) -> String {
        self.wrap("2", t)
    }
}
