//! ripple's SQL support: rules that rewrite SQL consumers (tree-sitter), ALTER TABLE
//! migrations as change sets and DDL diffs (sqlparser).

pub mod catalog;
pub mod migration;
pub mod rules;
pub mod schema_diff;
mod statements;

use ripple_core::Rule;
use std::sync::Arc;

/// The built-in SQL rules.
pub fn rules() -> Vec<Arc<dyn Rule>> {
    rules::all()
}
