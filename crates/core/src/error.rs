//! Errors in what the user gave ripple: change files, catalogs, migrations, paths.
//! They end a run with exit code 2 and always name the file and, when known, the line.

use std::fmt;
use std::path::{Path, PathBuf};

/// A mistake in something the user gave ripple, located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file.
    pub path: PathBuf,
    /// 1-based; 0 when the error is about the file as a whole.
    pub line: usize,
    /// 1-based; 0 with `line`.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl InputError {
    /// An error at a line and column of `path`.
    pub fn at(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        InputError { path: path.to_path_buf(), line, column, message: message.into() }
    }

    /// An error about `path` as a whole.
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        Self::at(path, 0, 0, message)
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(f, "{}:{}:{}: {}", self.path.display(), self.line, self.column, self.message)
        }
    }
}

impl std::error::Error for InputError {}

/// Reads a text file the user gave: a failure to read is `{cannot}: {why}` about the file, a
/// byte that is not UTF-8 an error at its line and column.
pub fn read_text(path: &Path, cannot: &str) -> Result<String, InputError> {
    let bytes = std::fs::read(path).map_err(|e| InputError::file(path, format!("{cannot}: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or("");
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let byte = e.as_bytes()[at];
        InputError::at(path, line, column, format!("not UTF-8 text: byte 0x{byte:02x}"))
    })
}

/// Several input errors found at once (a change file is checked whole before ripple stops).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputErrors(pub Vec<InputError>);

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}

impl From<InputError> for InputErrors {
    fn from(e: InputError) -> Self {
        InputErrors(vec![e])
    }
}
