//! ripple's SQL support: rules that rewrite SQL consumers (tree-sitter), ALTER TABLE
//! migrations as change sets and DDL diffs (sqlparser).

pub mod catalog;
pub mod dbt_yaml;
pub mod dialect;
pub mod embedded;
pub mod ids;
pub mod migration;
pub mod propagate;
pub mod rules;
pub mod schema_diff;
pub mod types;

pub use embedded::looks_like_sql;
mod statements;

use ripple_core::Rule;
use std::sync::Arc;

/// The built-in SQL rules.
pub fn rules() -> Vec<Arc<dyn Rule>> {
    rules::all()
}

/// Runs the SQL resolver over SQL that is not a whole file (the SQL inside a host-language
/// string, as a [`ripple_core::Region`]'s text). Spans in the result are relative to
/// `text`; map them back with [`ripple_core::Region::map_output`]. `path` is the host file,
/// for path-based decisions such as historical migrations.
pub fn analyse_sql(
    path: &std::path::Path,
    text: &str,
    ctx: &ripple_core::RuleContext<'_>,
) -> ripple_core::RuleOutput {
    let mut out = ripple_core::RuleOutput::default();
    if ctx.changes.is_empty() {
        return out;
    }
    for part in rules::analysis::analyse(path, text, ctx).outputs {
        out.extend(part);
    }
    out
}
