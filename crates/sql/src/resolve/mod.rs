//! The SQL resolver: a query model per statement (scopes, sources, column references,
//! DDL elements), built from tree-sitter or, where tree-sitter cannot read a statement,
//! from sqlparser; what a column reference binds to; and the passes that carry each change
//! through a model:
//!
//! - `sql/rename-table`: table references and qualified column prefixes.
//! - `sql/rename-column`: column references in queries and DML.
//! - `model_outputs`: a dbt model's own output column, where the model produces it;
//!   `model_drop`: a dropped one leaves the model's final query.
//! - `sql/ddl`: CREATE TABLE / CREATE INDEX / ALTER TABLE following the change.
//! - `sql/column-usage`: findings for dropped columns and casts of retyped columns, and
//!   the removal of a dropped column from the lists that name it (`drop_lists`).
//! - `stage_fields`: fields of staged files a Snowflake COPY loads into a changed table.

pub(crate) mod bind;
pub(crate) mod column_usage;
pub(crate) mod ddl;
pub(crate) mod drop_lists;
pub(crate) mod fallback;
pub(crate) mod list_removal;
pub(crate) mod model_drop;
pub(crate) mod model_outputs;
pub(crate) mod names;
pub(crate) mod output;
pub(crate) mod owned_sequences;
pub(crate) mod rename_column;
pub(crate) mod rename_table;
pub(crate) mod scope;
pub(crate) mod stage_fields;
pub(crate) mod statements;
