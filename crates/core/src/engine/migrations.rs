//! Stage: migrations are not only history. A repo that manages its schema with a migration
//! tool needs a new migration when the change set changes a table its migrations define:
//! said once per repo at review severity, naming the tool, with the ALTER statements for it
//! in the repo's dialect (the plan's `suggested_migration`).

use crate::catalog::Catalog;
use crate::change::{Change, ChangeSet, Ident, TableName};
use crate::config::Config;
use crate::edit::Severity;
use crate::ids;
use crate::layout::MigrationTool;
use crate::options::Dialect;
use crate::plan::{PlanFinding, SuggestedMigration};
use crate::reason::Reason;
use crate::relevance::{names_table, names_word};
use crate::source::SourceText;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The finding and the suggested migration of each root whose migrations define a changed
/// table, from the relevant files (a migration that defines a changed table names it).
pub(super) fn needed(
    roots: &[PathBuf],
    files: &[Arc<SourceText>],
    changes: &ChangeSet,
    dialect: Dialect,
    config: &Config,
    catalog: &Catalog,
    write: &dyn Fn(&Ident, Dialect) -> String,
) -> (Vec<PlanFinding>, Vec<SuggestedMigration>) {
    // Per root: the tool, its first migration that defines a changed table, and the changes.
    let mut repos: Vec<(&Path, MigrationTool, &SourceText, Vec<usize>)> = Vec::new();
    for source in files {
        let file = &source.file;
        // The PATH argument the file was found under (`.` is left out of reported paths).
        let dot = Path::new(".");
        let root = roots.iter().map(PathBuf::as_path).find(|r| file.path.starts_with(r)).unwrap_or(dot);
        let Some(tool) = MigrationTool::of(root, &file.relative) else { continue };
        if tool == MigrationTool::DbtSnapshot {
            continue; // a snapshot records a table's rows, it does not define the table
        }
        let django = if tool == MigrationTool::Django {
            django_tables(&file.relative, source.text())
        } else {
            Vec::new()
        };
        let defined: Vec<usize> = changes
            .iter()
            .filter(|(_, c)| {
                defines(source.text(), c) || django.iter().any(|t| names_word(t, &c.table().name().value))
            })
            .map(|(i, _)| i)
            .collect();
        if defined.is_empty() {
            continue;
        }
        match repos.iter_mut().find(|r| r.0 == root) {
            Some(repo) => {
                repo.3.extend(defined);
                repo.3.sort_unstable();
                repo.3.dedup();
            }
            None => repos.push((root, tool, source, defined)),
        }
    }
    let mut findings = Vec::new();
    let mut suggested = Vec::new();
    for (root, tool, first, defined) in repos {
        let dialect = config.dialect_of(&first.file.relative).unwrap_or(dialect);
        // A table's renamed last: the statements before it still name it by its old name.
        let mut ordered: Vec<&Change> = defined.iter().filter_map(|&i| changes.changes.get(i)).collect();
        ordered.sort_by_key(|c| matches!(c, Change::RenameTable { .. }));
        let statements: Vec<String> = ordered
            .into_iter()
            .flat_map(|c| {
                let mut out = vec![alter(c, dialect, write)];
                out.extend(owned_sequences(c, dialect, catalog, write));
                out
            })
            .collect();
        let tables: Vec<String> = {
            let mut t: Vec<String> = defined
                .iter()
                .filter_map(|&i| changes.changes.get(i))
                .map(|c| c.table().to_string())
                .collect();
            t.dedup();
            t
        };
        findings.push(PlanFinding {
            path: first.file.path.clone(),
            line: 0,
            column: 0,
            rule: ids::MIGRATION_NEEDED.id.into(),
            change: defined.first().copied(),
            severity: Severity::Review,
            reason: Reason::MigrationNeeded,
            message: format!(
                "this repo manages its schema with {}, whose migrations define {}: the change set needs a new migration \
                 (`suggested_migration` in the JSON plan): {}",
                tool.name(),
                tables.join(", "),
                statements.join(" ")
            ),
        });
        suggested.push(SuggestedMigration {
            root: root.to_path_buf(),
            tool: tool.name().to_string(),
            dialect,
            statements,
        });
    }
    (findings, suggested)
}

/// Does a migration's text define the table a change is about (`CREATE TABLE`, Alembic's
/// `create_table`, Liquibase's `createTable`, Django's `CreateModel`)?
fn defines(text: &str, change: &Change) -> bool {
    let lower = text.to_ascii_lowercase();
    let creates =
        ["create table", "create_table", "createtable", "createmodel"].iter().any(|c| lower.contains(c));
    creates && (names_word(text, &change.table().name().value) || names_table(text, change.table(), true))
}

/// The tables a Django migration creates without naming them: `CreateModel(name="Book")`
/// in `catalog/migrations/` is `catalog_book` (an explicit `db_table` is named in the text).
fn django_tables(relative: &Path, text: &str) -> Vec<String> {
    let mut dirs = relative.components().rev().skip(1).map(|c| c.as_os_str().to_string_lossy());
    let app = dirs.by_ref().skip_while(|d| d != "migrations").nth(1);
    let Some(app) = app else { return Vec::new() };
    text.split("CreateModel(")
        .skip(1)
        .filter_map(|call| {
            let rest = call.trim_start().strip_prefix("name")?.trim_start().strip_prefix('=')?.trim_start();
            let quote = rest.chars().next().filter(|q| matches!(q, '"' | '\''))?;
            let name = rest[1..].split(quote).next()?;
            let plain = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
            plain.then(|| format!("{app}_{}", name.to_lowercase()))
        })
        .collect()
}

/// The statement that makes `change`, in `dialect`, its names written by `write` (quoted
/// where the dialect needs it).
fn alter(change: &Change, dialect: Dialect, write: &dyn Fn(&Ident, Dialect) -> String) -> String {
    let name = |n: &Ident| write(n, dialect);
    let table = |t: &TableName| t.parts.iter().map(name).collect::<Vec<_>>().join(".");
    match change {
        Change::RenameColumn { table: t, from, to } => {
            format!("ALTER TABLE {} RENAME COLUMN {} TO {};", table(t), name(from), name(to))
        }
        Change::DropColumn { table: t, column } => {
            format!("ALTER TABLE {} DROP COLUMN {};", table(t), name(column))
        }
        Change::ChangeType { table: t, column, to, .. } => {
            let (t, column) = (table(t), name(column));
            match dialect {
                Dialect::Mysql => format!("ALTER TABLE {t} MODIFY COLUMN {column} {to};"),
                Dialect::Snowflake | Dialect::Bigquery => {
                    format!("ALTER TABLE {t} ALTER COLUMN {column} SET DATA TYPE {to};")
                }
                Dialect::Postgres | Dialect::Spark | Dialect::Generic => {
                    format!("ALTER TABLE {t} ALTER COLUMN {column} TYPE {to};")
                }
            }
        }
        Change::RenameTable { from, to } => match dialect {
            Dialect::Mysql => format!("RENAME TABLE {} TO {};", table(from), table(to)),
            _ => format!("ALTER TABLE {} RENAME TO {};", table(from), table(to)),
        },
    }
}

/// Postgres keeps a sequence's name when its table is renamed, while the scripts that read
/// `<table>_<column>_seq` follow the rename (the SQL resolver renames the sequences of serial
/// and identity columns): the migration renames each such sequence of the catalog's table.
fn owned_sequences(
    change: &Change,
    dialect: Dialect,
    catalog: &Catalog,
    write: &dyn Fn(&Ident, Dialect) -> String,
) -> Vec<String> {
    let Change::RenameTable { from, to } = change else { return Vec::new() };
    if dialect != Dialect::Postgres {
        return Vec::new();
    }
    let parts: Vec<(&str, bool)> = from.parts.iter().map(|p| (p.value.as_str(), p.quoted)).collect();
    let Some(table) = catalog.table(&parts) else { return Vec::new() };
    let schema: String =
        from.parts[..from.parts.len() - 1].iter().map(|p| format!("{}.", write(p, dialect))).collect();
    table
        .serial
        .iter()
        .map(|column| {
            let sequence =
                |t: &Ident| Ident { value: format!("{}_{}_seq", t.value, column.value), quoted: t.quoted };
            format!(
                "ALTER SEQUENCE {schema}{} RENAME TO {};",
                write(&sequence(from.name()), dialect),
                write(&sequence(to.name()), dialect)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::{Ident, TableName};

    #[test]
    fn django_migrations_create_their_apps_tables() {
        let text = "migrations.CreateModel(\n    name='Book',\n    fields=[]),\nmigrations.CreateModel(name=\"BookInstance\")";
        let tables = django_tables(Path::new("site/catalog/migrations/0001_initial.py"), text);
        assert_eq!(tables, ["catalog_book", "catalog_bookinstance"]);
        assert!(django_tables(Path::new("migrations/0001_initial.py"), text).is_empty());
    }

    #[test]
    fn alter_statements_by_dialect() {
        let alter = |c: &Change, d| alter(c, d, &|n: &Ident, _| n.to_string());
        let t = || TableName::parse("pets");
        let retype =
            Change::ChangeType { table: t(), column: Ident::new("type_id"), from: None, to: "BIGINT".into() };
        assert_eq!(alter(&retype, Dialect::Postgres), "ALTER TABLE pets ALTER COLUMN type_id TYPE BIGINT;");
        assert_eq!(alter(&retype, Dialect::Mysql), "ALTER TABLE pets MODIFY COLUMN type_id BIGINT;");
        assert_eq!(
            alter(&retype, Dialect::Snowflake),
            "ALTER TABLE pets ALTER COLUMN type_id SET DATA TYPE BIGINT;"
        );
        let rename = Change::RenameTable { from: t(), to: TableName::parse("animals") };
        assert_eq!(alter(&rename, Dialect::Mysql), "RENAME TABLE pets TO animals;");
        assert_eq!(alter(&rename, Dialect::Generic), "ALTER TABLE pets RENAME TO animals;");
        let drop = Change::DropColumn { table: t(), column: Ident::new("name") };
        assert_eq!(alter(&drop, Dialect::Bigquery), "ALTER TABLE pets DROP COLUMN name;");
    }
}
