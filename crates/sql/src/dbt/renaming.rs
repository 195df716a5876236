//! What renaming one dataset takes, in either mode of a rename (`rename.rs` renames the
//! dataset, `alias.rs` gives it an alias): the edits, the file moved, the places left for a
//! human, and why a dataset is not renamed.

use super::{Located, Node};
use ripple_core::Edit;
use std::path::PathBuf;

/// What renaming one dataset takes: edits by file, and the file to move.
#[derive(Debug, Default)]
pub(crate) struct Work {
    pub edits: Vec<(PathBuf, Edit)>,
    pub moved: Option<(PathBuf, PathBuf)>,
    /// Places left for a human: `dbt_project.yml` keys that configure the node by name.
    pub notes: Vec<Located>,
}

/// Why a dataset is not renamed: a place and a reason.
pub(crate) type Blocker = (Located, String);

/// Where a dataset is defined, for a finding about it.
pub(crate) fn at_node(node: &Node) -> Located {
    node.yaml.clone().unwrap_or_else(|| node.defined_at.clone())
}

/// A name that is a file name and a plain dbt name: letters, digits, `_`.
pub(crate) fn plain_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}
