//! ripple's SQL support: rules that rewrite SQL consumers (tree-sitter), ALTER TABLE
//! migrations as change sets and DDL diffs (sqlparser).
//!
//! SQL analysis starts at [`prepare()`]: the text is masked, lexed and split into
//! statements, each modelled by the resolver ([`model`]). [`analyse_sql`] carries a
//! change set through it.

#![warn(missing_docs)]

mod analysis;
mod branches;
pub mod catalog;
pub mod change_checks;
pub mod coverage;
pub mod dbt;
pub mod dbt_seed;
pub mod dbt_yaml;
mod dialect;
mod embedded;
pub mod ids;
mod jinja_lists;
mod macros;
pub mod migration;
pub mod model;
mod placed;
mod prepare;
pub mod propagate;
mod resolve;
pub mod schema_diff;
mod source;
mod statements;
pub mod table_schema;
pub mod types;

pub use analysis::is_migration_file;
pub use dialect::{quoting_reason, write_new};
pub use embedded::looks_like_sql;
pub use prepare::{prepare, PrepareOptions, Prepared};

use ripple_core::{Lang, Rule, RuleContext, RuleOutput, SourceFile};
use std::sync::Arc;

/// The built-in SQL rules.
pub fn rules() -> Vec<Arc<dyn Rule>> {
    vec![Arc::new(SqlResolver { macros: macros::builtin().to_vec() })]
}

/// The SQL rules, with the dbt macros of the `dbt/*.yaml` files in each `--rules`
/// directory besides the built-in ones (`rules/dbt/`).
pub fn rules_with(dirs: &[std::path::PathBuf]) -> Result<Vec<Arc<dyn Rule>>, ripple_core::InputErrors> {
    let macros = macros::with_dirs(dirs)?;
    Ok(vec![Arc::new(SqlResolver { macros })])
}

/// The SQL resolver as a rule: analyses a file once and reports every part.
struct SqlResolver {
    /// The dbt macros whose string arguments are column names.
    macros: Vec<macros::MacroRule>,
}

impl Rule for SqlResolver {
    fn id(&self) -> &str {
        ids::RESOLVER.id
    }

    fn language(&self) -> Lang {
        Lang::Sql
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        if !ctx.changes.is_empty() {
            out.extend(analysis::analyse(file.path, file.text, ctx, &self.macros));
        }
    }
}

/// Runs the SQL resolver over SQL that is not a whole file (the SQL inside a host-language
/// string, as a [`ripple_core::Region`]'s text). Spans in the result are relative to
/// `text`; map them back with [`ripple_core::Region::map_output`]. `path` is the host file,
/// for path-based decisions such as historical migrations.
pub fn analyse_sql(path: &std::path::Path, text: &str, ctx: &RuleContext<'_>) -> RuleOutput {
    if ctx.changes.is_empty() {
        return RuleOutput::default();
    }
    analysis::analyse(path, text, ctx, macros::builtin())
}
