//! The built-in SQL rule. One analysis per file (statements isolated, Jinja and bind
//! parameters masked, a query model per statement) carries every change through each
//! statement; its edits and findings name the part of the analysis that made them:
//!
//! - `sql/rename-table`: table references and qualified column prefixes.
//! - `sql/rename-column`: column references in queries and DML.
//! - `sql/ddl`: CREATE TABLE / CREATE INDEX / ALTER TABLE following the change.
//! - `sql/column-usage`: findings for dropped columns and casts of retyped columns.
//! - `sql/statements`: statements that cannot be analysed but mention a changed name.

pub mod analysis;
pub mod column_usage;
pub mod ddl;
pub mod fallback;
pub mod jinja;
pub mod lex;
pub mod names;
pub mod rename_column;
pub mod rename_table;
pub mod resolve;
pub mod scope;
pub mod statements;

use ripple_core::{Lang, Rule, RuleContext, RuleOutput, SourceFile};
use std::sync::Arc;

/// The SQL resolver as a rule: analyses a file once and reports every part.
struct SqlResolver;

impl Rule for SqlResolver {
    fn id(&self) -> &str {
        "sql/resolver"
    }

    fn language(&self) -> Lang {
        Lang::Sql
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        out.extend(crate::analyse_sql(file.path, file.text, ctx));
    }
}

pub fn all() -> Vec<Arc<dyn Rule>> {
    vec![Arc::new(SqlResolver)]
}
