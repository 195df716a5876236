//! ripple's Python support: the SQL inside Python strings (plain, raw, byte, triple-quoted,
//! concatenated, f-strings and `.format` templates with their holes masked), carried
//! through the SQL resolver and mapped back byte for byte; and the code that reads the
//! query's rows by column name. APIs that name tables and columns directly (PySpark,
//! pandas, SQLAlchemy, Django) are rule files under `rules/python/`.
//!
//! Python plugs into ripple as a [`Host`]: see [`Python`].

#![warn(missing_docs)]

mod attribute_names;
mod django;
mod embedded;
mod flow;
mod host;
pub mod ids;
mod literal;
mod prose;
mod pyspark;
mod scope;
mod sql;
mod sqlmodel;

use ripple_core::Host;
use std::sync::Arc;

pub use host::Python;

/// The id of the embedded-SQL rule, under which the reads of a query's results are reported.
pub const RULE: &str = ids::EMBEDDED_SQL.id;

/// The Python host.
pub fn host() -> Arc<dyn Host> {
    Arc::new(Python)
}

/// A lone (possibly qualified) name: a table, not a statement.
pub(crate) fn is_bare_name(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '"' | '`'))
}
