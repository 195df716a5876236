//! The seam between the engine and the assembled toolkit: the CLI talks to a `Toolkit`,
//! and the `ripple` facade provides one with every language crate plugged in. This keeps
//! the CLI free of language crates and the language crates free of the CLI.

use crate::catalog::Catalog;
use crate::change::ChangeSet;
use crate::engine::RuleSet;
use crate::error::InputErrors;
use crate::rule::Dialect;
use std::path::{Path, PathBuf};

pub trait Toolkit: Sync {
    /// The rules to run: the built-in ones, plus (and overridden by) rule files in `extra`.
    fn rules(&self, extra: &[PathBuf]) -> Result<RuleSet, InputErrors>;

    /// Loads `--changes`: a YAML/JSON change file, or a `.sql` migration of ALTER TABLE
    /// statements.
    fn load_changes(&self, path: &Path, dialect: Dialect) -> Result<ChangeSet, InputErrors>;

    /// Loads `--catalog` DDL files.
    fn load_catalog(&self, paths: &[PathBuf], dialect: Dialect) -> Result<Catalog, InputErrors>;

    /// Derives a change file (YAML text) from two versions of a schema's DDL.
    fn schema_diff(&self, old: &Path, new: &Path, dialect: Dialect) -> Result<String, InputErrors>;
}
