//! Table columns from DDL: `--catalog` files and the CREATE TABLE / CREATE VIEW / ALTER
//! TABLE ADD COLUMN statements found in scanned repos. The resolver uses them to bind
//! unqualified columns in joins; a table or view whose columns cannot all be named is left
//! out, since a partial column list would prove an absence that is not there.

use crate::statements::{ident, parse_lenient, table_name};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use ripple_core::{CatalogSource, CatalogTable, Dialect, Ident, InputError, InputErrors, Lang};
use sqlparser::ast::{AlterTableOperation, Expr, Query, SelectItem, SetExpr, Statement};
use std::path::Path;
use std::sync::LazyLock;

/// The tables a DDL text defines.
pub fn tables_of(text: &str, dialect: Dialect) -> Vec<CatalogTable> {
    let mut tables: Vec<CatalogTable> = Vec::new();
    for statement in parse_lenient(&without_meta_commands(text), dialect) {
        match statement {
            Statement::CreateTable(create) => {
                let Some(name) = table_name(&create.name) else { continue };
                let columns = if !create.columns.is_empty() {
                    Some(create.columns.iter().map(|c| ident(&c.name)).collect())
                } else {
                    create.query.as_deref().and_then(outputs)
                };
                if let Some(columns) = columns {
                    tables.push(CatalogTable { name, columns });
                }
            }
            Statement::CreateView(view) => {
                let Some(name) = table_name(&view.name) else { continue };
                let columns = if view.columns.is_empty() {
                    outputs(&view.query)
                } else {
                    Some(view.columns.iter().map(|c| ident(&c.name)).collect())
                };
                if let Some(columns) = columns {
                    tables.push(CatalogTable { name, columns });
                }
            }
            Statement::AlterTable(alter) => {
                let Some(name) = table_name(&alter.name) else { continue };
                let added: Vec<Ident> = alter
                    .operations
                    .iter()
                    .filter_map(|op| match op {
                        AlterTableOperation::AddColumn { column_def, .. } => Some(ident(&column_def.name)),
                        _ => None,
                    })
                    .collect();
                // Only extends a table defined earlier: an ALTER alone does not list every column.
                if let Some(t) = tables.iter_mut().find(|t| t.name == name) {
                    t.columns.extend(added);
                }
            }
            _ => {}
        }
    }
    tables
}

/// psql meta-commands (`\set`, `\connect`) end at the end of their line, not at a
/// semicolon: blank them so they do not swallow the statement that follows.
fn without_meta_commands(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| if line.trim_start().starts_with('\\') { "\n" } else { line })
        .collect()
}

/// The output names of a query, if every one of them is known.
fn outputs(query: &Query) -> Option<Vec<Ident>> {
    let mut body = query.body.as_ref();
    loop {
        match body {
            SetExpr::Select(select) => {
                return select
                    .projection
                    .iter()
                    .map(|item| match item {
                        SelectItem::ExprWithAlias { alias, .. } => Some(ident(alias)),
                        SelectItem::UnnamedExpr(Expr::Identifier(i)) => Some(ident(i)),
                        SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts)) => parts.last().map(ident),
                        _ => None,
                    })
                    .collect();
            }
            SetExpr::Query(q) => body = q.body.as_ref(),
            // A set operation takes its names from its first branch.
            SetExpr::SetOperation { left, .. } => body = left.as_ref(),
            _ => return None,
        }
    }
}

/// Loads `--catalog` files. A file that defines no table at all is an error: it is most
/// likely not the DDL the user meant to give.
pub fn load_catalog_files(
    paths: &[std::path::PathBuf],
    dialect: Dialect,
) -> Result<Vec<CatalogTable>, InputErrors> {
    let mut tables = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let found = tables_of(&text, dialect);
                if found.is_empty() {
                    errors.push(no_tables(path));
                }
                tables.extend(found);
            }
            Err(e) => errors.push(InputError::file(path, format!("cannot read catalog: {e}"))),
        }
    }
    if errors.is_empty() {
        Ok(tables)
    } else {
        Err(InputErrors(errors))
    }
}

fn no_tables(path: &Path) -> InputError {
    InputError::file(path, "no CREATE TABLE or CREATE VIEW that ripple can read: is this the schema's DDL?")
}

/// The catalog source for scanned `.sql` files.
pub struct SqlCatalogSource;

static CREATE: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new().ascii_case_insensitive(true).build(["create"]).expect("one literal pattern")
});

/// Words that may follow CREATE in a statement that defines a table or a view.
const DEFINING: [&str; 14] = [
    "table",
    "view",
    "or",
    "materialized",
    "temp",
    "temporary",
    "external",
    "transient",
    "unlogged",
    "global",
    "local",
    "recursive",
    "secure",
    "dynamic",
];

impl CatalogSource for SqlCatalogSource {
    fn language(&self) -> Lang {
        Lang::Sql
    }

    fn may_define(&self, bytes: &[u8]) -> bool {
        CREATE.find_iter(bytes).any(|m| {
            let before_ok = m.start() == 0 || !is_word(bytes[m.start() - 1]);
            let rest = &bytes[m.end()..];
            let skipped = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            if !before_ok || skipped == 0 {
                return false;
            }
            let word: Vec<u8> =
                rest[skipped..].iter().take_while(|b| is_word(**b)).map(|b| b.to_ascii_lowercase()).collect();
            DEFINING.iter().any(|d| d.as_bytes() == word.as_slice())
        })
    }

    fn collect(&self, text: &str, dialect: Dialect) -> Vec<CatalogTable> {
        tables_of(text, dialect)
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(tables: &[CatalogTable]) -> Vec<String> {
        tables
            .iter()
            .map(|t| {
                let cols: Vec<&str> = t.columns.iter().map(|c| c.value.as_str()).collect();
                format!("{}({})", t.name, cols.join(", "))
            })
            .collect()
    }

    #[test]
    fn tables_views_and_added_columns() {
        let ddl = "\\set ON_ERROR_STOP on\nCREATE TABLE users (id BIGINT, user_name TEXT);\n\
                   ALTER TABLE users ADD COLUMN age INT;\n\
                   CREATE VIEW active AS SELECT u.id, user_name AS login FROM users u;\n\
                   CREATE VIEW opaque AS SELECT * FROM users;\n\
                   CREATE TABLE analytics.orders AS SELECT id, total FROM raw_orders;";
        assert_eq!(
            names(&tables_of(ddl, Dialect::Generic)),
            vec!["users(id, user_name, age)", "active(id, login)", "analytics.orders(id, total)"]
        );
    }

    #[test]
    fn only_files_with_defining_ddl_are_read() {
        let s = SqlCatalogSource;
        assert!(s.may_define(b"create table x (a int)"));
        assert!(s.may_define(b"CREATE OR REPLACE VIEW v AS SELECT 1"));
        assert!(s.may_define(b"-- x\nCreate\n  Materialized view v as select 1"));
        assert!(!s.may_define(b"create_engine(url)"));
        assert!(!s.may_define(b"CREATE INDEX i ON t (a)"));
        assert!(!s.may_define(b"select created_at from t"));
    }
}
