//! `.sql` migrations of ALTER TABLE statements as change sets.

use ripple_core::{ChangeSet, Dialect, InputError, InputErrors};
use std::path::Path;

/// Parses a migration's text into a change set. `path` is only used in messages.
pub fn parse_migration(path: &Path, text: &str, dialect: Dialect) -> Result<ChangeSet, InputErrors> {
    let _ = (text, dialect);
    Err(InputError::file(path, "migrations are not supported yet").into())
}
