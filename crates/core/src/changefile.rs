//! Loading change files (YAML or JSON) with every error located at file:line:column.

use crate::change::ChangeSet;
use crate::error::{InputError, InputErrors};
use std::path::Path;

/// Parses and validates a change file's text. `path` is only used in messages.
pub fn parse_change_file(path: &Path, text: &str) -> Result<ChangeSet, InputErrors> {
    let _ = text;
    Err(InputError::file(path, "change files are not supported yet").into())
}

/// Reads and parses a change file.
pub fn load_change_file(path: &Path) -> Result<ChangeSet, InputErrors> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::file(path, format!("cannot read change file: {e}")))?;
    parse_change_file(path, &text)
}
