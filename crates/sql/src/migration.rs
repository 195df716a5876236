//! `.sql` migrations of ALTER TABLE statements as change sets.
//!
//! A migration runs in order, so a statement names the schema as the statements before it
//! left it; a change set names the schema as it was before any change. Each statement is
//! therefore read through the renames before it: `RENAME COLUMN a TO b` then
//! `ALTER COLUMN b TYPE bigint` is a rename of `a` and a type change of `a`.

use crate::statements::{self, ident, ident_position, table_name, Located};
use ripple_core::change::Origin;
use ripple_core::changefile::validate_changes;
use ripple_core::{Change, ChangeSet, Dialect, Ident, InputError, InputErrors, TableName};
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, RenameTableNameKind, Statement};
use std::path::Path;

/// Parses a migration's text into a change set. `path` is only used in messages.
pub fn parse_migration(path: &Path, text: &str, dialect: Dialect) -> Result<ChangeSet, InputErrors> {
    let parsed = statements::parse_file(path, text, dialect).map_err(InputErrors)?;
    let mut migration = Migration::default();
    for located in &parsed {
        migration.statement(located);
    }
    let mut errors: Vec<InputError> = migration
        .errors
        .drain(..)
        .map(|(o, message)| InputError::at(path, o.line, o.column, message))
        .collect();
    let set = migration.into_change_set();
    if set.is_empty() && errors.is_empty() {
        let message =
            "no schema change found: expected ALTER TABLE with RENAME COLUMN, ALTER COLUMN ... TYPE, \
                       CHANGE, MODIFY, DROP COLUMN or RENAME TO, or RENAME TABLE";
        return Err(InputError::file(path, message).into());
    }
    errors.extend(validate_changes(path, &set));
    if errors.is_empty() {
        Ok(set)
    } else {
        Err(InputErrors(errors))
    }
}

/// The changes so far, named as before the migration, and what the migration itself created
/// (changes to those are invisible to consumers of the old schema).
#[derive(Default)]
struct Migration {
    changes: Vec<(Change, Origin)>,
    created_tables: Vec<TableName>,
    /// Columns the migration added: (table before the migration, current column name).
    added_columns: Vec<(TableName, Ident)>,
    /// Statements that cannot be a change (a column renamed to itself), where they are.
    errors: Vec<(Origin, String)>,
}

/// A reference to a column as a statement names it.
struct ColumnRef<'a> {
    table: &'a TableName,
    column: &'a sqlparser::ast::Ident,
}

fn same(a: &Ident, b: &Ident) -> bool {
    a.matches(&b.value, b.quoted)
}

fn same_table(a: &TableName, b: &TableName) -> bool {
    a.parts.len() == b.parts.len() && a.parts.iter().zip(&b.parts).all(|(x, y)| same(x, y))
}

/// Does a table named in a statement (`reference`) denote `table`? A rename target is often
/// written without the schema (`RENAME TO customers`), so missing qualifiers agree.
fn denotes(reference: &TableName, table: &TableName) -> bool {
    reference.parts.iter().rev().zip(table.parts.iter().rev()).all(|(x, y)| same(x, y))
}

fn origin_of(column: &sqlparser::ast::Ident, fallback: &Located) -> Origin {
    let (line, column) = ident_position(column).unwrap_or((fallback.line, fallback.column));
    Origin { line, column }
}

impl Migration {
    fn statement(&mut self, located: &Located) {
        let start = Origin { line: located.line, column: located.column };
        match &located.statement {
            Statement::AlterTable(alter) => {
                let Some(mut table) = table_name(&alter.name) else { return };
                for op in &alter.operations {
                    if let Some(renamed) = self.operation(&table, op, located) {
                        table = renamed;
                    }
                }
            }
            Statement::RenameTable(renames) => {
                for r in renames {
                    if let (Some(from), Some(to)) = (table_name(&r.old_name), table_name(&r.new_name)) {
                        self.rename_table(&from, to, start.clone());
                    }
                }
            }
            Statement::CreateTable(create) => {
                if let Some(name) = table_name(&create.name) {
                    self.created_tables.push(name);
                }
            }
            _ => {}
        }
    }

    /// Applies one ALTER TABLE operation; returns the table's new name if it was renamed.
    fn operation(&mut self, table: &TableName, op: &AlterTableOperation, at: &Located) -> Option<TableName> {
        use AlterTableOperation as Op;
        match op {
            Op::RenameColumn { old_column_name, new_column_name } => {
                self.rename_column(ColumnRef { table, column: old_column_name }, new_column_name, at);
            }
            Op::AlterColumn { column_name, op: AlterColumnOperation::SetDataType { data_type, .. } } => {
                let origin = origin_of(column_name, at);
                self.change_type(ColumnRef { table, column: column_name }, data_type.to_string(), origin);
            }
            Op::ChangeColumn { old_name, new_name, data_type, .. } => {
                if ident(old_name) != ident(new_name) {
                    self.rename_column(ColumnRef { table, column: old_name }, new_name, at);
                }
                // The new name is current once renamed; the old one is where the change is written.
                let origin = origin_of(old_name, at);
                self.change_type(ColumnRef { table, column: new_name }, data_type.to_string(), origin);
            }
            Op::ModifyColumn { col_name, data_type, .. } => {
                let origin = origin_of(col_name, at);
                self.change_type(ColumnRef { table, column: col_name }, data_type.to_string(), origin);
            }
            Op::DropColumn { column_names, .. } => {
                for column in column_names {
                    self.drop_column(ColumnRef { table, column }, at);
                }
            }
            Op::AddColumn { column_def, .. } => {
                let original = self.original_table(table);
                self.added_columns.push((original, ident(&column_def.name)));
            }
            Op::RenameTable { table_name: RenameTableNameKind::To(to) | RenameTableNameKind::As(to) } => {
                let to = table_name(to)?;
                self.rename_table(table, to.clone(), Origin { line: at.line, column: at.column });
                return Some(to);
            }
            _ => {}
        }
        None
    }

    /// The index of the table rename whose target is `current`, if any.
    fn table_rename(&self, current: &TableName) -> Option<usize> {
        self.changes
            .iter()
            .rposition(|(c, _)| matches!(c, Change::RenameTable { to, .. } if denotes(current, to)))
    }

    /// The table's name before the migration.
    fn original_table(&self, current: &TableName) -> TableName {
        match self.table_rename(current).map(|i| &self.changes[i].0) {
            Some(Change::RenameTable { from, .. }) => from.clone(),
            _ => current.clone(),
        }
    }

    fn is_created(&self, current: &TableName) -> bool {
        self.created_tables.iter().any(|t| denotes(current, t))
    }

    fn rename_table(&mut self, current: &TableName, to: TableName, origin: Origin) {
        if let Some(created) = self.created_tables.iter_mut().find(|t| denotes(current, t)) {
            *created = to;
            return;
        }
        match self.table_rename(current) {
            Some(i) => {
                let back =
                    matches!(&self.changes[i].0, Change::RenameTable { from, .. } if denotes(&to, from));
                if back {
                    self.changes.remove(i);
                } else if let Change::RenameTable { to: target, .. } = &mut self.changes[i].0 {
                    *target = to;
                }
            }
            None => self.changes.push((Change::RenameTable { from: current.clone(), to }, origin)),
        }
    }

    /// The column as it was before the migration: its table and name, and the index of the
    /// rename that gave it its current name. `None` when the migration made the column or
    /// its table, so consumers of the old schema cannot know it.
    fn original_column(&self, r: &ColumnRef) -> Option<(TableName, Ident, Option<usize>)> {
        if self.is_created(r.table) {
            return None;
        }
        let table = self.original_table(r.table);
        let current = ident(r.column);
        if self.added_columns.iter().any(|(t, c)| same_table(t, &table) && same(c, &current)) {
            return None;
        }
        let rename = self.changes.iter().rposition(|(c, _)| {
            matches!(c, Change::RenameColumn { table: t, to, .. } if same_table(t, &table) && same(to, &current))
        });
        let original = match rename.map(|i| &self.changes[i].0) {
            Some(Change::RenameColumn { from, .. }) => from.clone(),
            _ => current,
        };
        Some((table, original, rename))
    }

    /// Follows a column the migration added to its new name or out of existence.
    fn added_column_mut(&mut self, r: &ColumnRef) -> Option<usize> {
        let table = self.original_table(r.table);
        let current = ident(r.column);
        self.added_columns.iter().position(|(t, c)| same_table(t, &table) && same(c, &current))
    }

    fn rename_column(&mut self, r: ColumnRef, new: &sqlparser::ast::Ident, at: &Located) {
        if let Some(i) = self.added_column_mut(&r) {
            self.added_columns[i].1 = ident(new);
            return;
        }
        let Some((table, original, rename)) = self.original_column(&r) else { return };
        let to = ident(new);
        match rename {
            Some(i) if same(&original, &to) => {
                self.changes.remove(i);
            }
            Some(i) => {
                if let Change::RenameColumn { to: target, .. } = &mut self.changes[i].0 {
                    *target = to;
                }
            }
            // As in a change file: a no-op rename is a mistake, not a change to carry through.
            None if same(&original, &to) => {
                self.errors.push((origin_of(new, at), format!("`{table}.{original}` is renamed to itself")));
            }
            None => {
                let change = Change::RenameColumn { table, from: original, to };
                self.changes.push((change, origin_of(r.column, at)));
            }
        }
    }

    fn change_type(&mut self, r: ColumnRef, ty: String, origin: Origin) {
        let Some((table, original, _)) = self.original_column(&r) else { return };
        let earlier = self.changes.iter_mut().find(|(c, _)| {
            matches!(c, Change::ChangeType { table: t, column, .. } if same_table(t, &table) && same(column, &original))
        });
        match earlier {
            // The last type a migration gives a column is the one consumers will see.
            Some((Change::ChangeType { to, .. }, _)) => *to = ty,
            _ => {
                let change = Change::ChangeType { table, column: original, from: None, to: ty };
                self.changes.push((change, origin));
            }
        }
    }

    fn drop_column(&mut self, r: ColumnRef, at: &Located) {
        if let Some(i) = self.added_column_mut(&r) {
            self.added_columns.remove(i);
            return;
        }
        let Some((table, original, _)) = self.original_column(&r) else { return };
        // A rename or type change of a column that is then dropped no longer matters.
        self.changes.retain(|(c, _)| {
            let column_change = !matches!(c, Change::RenameTable { .. } | Change::DropColumn { .. });
            !(column_change
                && same_table(c.table(), &table)
                && c.column().is_some_and(|col| same(col, &original)))
        });
        self.changes.push((Change::DropColumn { table, column: original }, origin_of(r.column, at)));
    }

    fn into_change_set(self) -> ChangeSet {
        let (changes, origins) = self.changes.into_iter().unzip();
        ChangeSet { changes, origins }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, dialect: Dialect) -> ChangeSet {
        match parse_migration(Path::new("m.sql"), text, dialect) {
            Ok(set) => set,
            Err(e) => panic!("{e}"),
        }
    }

    /// Each change as its display text with its line and column.
    fn described(text: &str, dialect: Dialect) -> Vec<String> {
        let set = parse(text, dialect);
        set.changes.iter().zip(&set.origins).map(|(c, o)| format!("{}:{}: {c}", o.line, o.column)).collect()
    }

    fn errors(text: &str, dialect: Dialect) -> Vec<String> {
        match parse_migration(Path::new("m.sql"), text, dialect) {
            Ok(set) => panic!("expected errors, got {set:?}"),
            Err(e) => e.0.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn postgres_migration() {
        let text = r#"-- 2024_05_01: rename user_name
BEGIN;
SET statement_timeout = 0;
CREATE TABLE audit_log (id bigserial PRIMARY KEY, note text);
ALTER TABLE analytics.users RENAME COLUMN user_name TO username;
ALTER TABLE analytics.users ALTER COLUMN age TYPE bigint USING age::bigint;
ALTER TABLE "Orders" ALTER COLUMN "Total" SET DATA TYPE numeric(12, 2);
ALTER TABLE users DROP COLUMN IF EXISTS legacy_flag, ADD COLUMN email text;
ALTER TABLE audit_log RENAME COLUMN note TO message;
ALTER TABLE accounts RENAME TO customers;
COMMIT;
"#;
        assert_eq!(
            described(text, Dialect::Postgres),
            vec![
                "5:43: rename column analytics.users.user_name to username",
                "6:42: change type of analytics.users.age to BIGINT",
                "7:35: change type of \"Orders\".\"Total\" to NUMERIC(12,2)",
                "8:41: drop column users.legacy_flag",
                "10:1: rename table accounts to customers",
            ]
        );
    }

    #[test]
    fn mysql_migration() {
        let text = "ALTER TABLE `users` CHANGE COLUMN `user_name` `username` VARCHAR(64) NOT NULL;
ALTER TABLE users MODIFY age BIGINT UNSIGNED;
ALTER TABLE orders DROP COLUMN legacy, DROP notes, ADD INDEX idx_total (total);
RENAME TABLE accounts TO customers, logs TO events;
";
        let set = parse(text, Dialect::Mysql);
        assert_eq!(
            set.changes[0],
            Change::RenameColumn {
                table: TableName { parts: vec![Ident { value: "users".into(), quoted: true }] },
                from: Ident { value: "user_name".into(), quoted: true },
                to: Ident { value: "username".into(), quoted: true },
            }
        );
        assert_eq!(
            described(text, Dialect::Mysql),
            vec![
                "1:35: rename column \"users\".\"user_name\" to \"username\"",
                "1:35: change type of \"users\".\"user_name\" to VARCHAR(64)",
                "2:26: change type of users.age to BIGINT UNSIGNED",
                "3:32: drop column orders.legacy",
                "3:45: drop column orders.notes",
                "4:1: rename table accounts to customers",
                "4:1: rename table logs to events",
            ]
        );
    }

    #[test]
    fn mysql_change_without_a_new_name_is_a_type_change() {
        let text = "ALTER TABLE users CHANGE age age BIGINT;";
        assert_eq!(described(text, Dialect::Mysql), vec!["1:26: change type of users.age to BIGINT"]);
    }

    #[test]
    fn bigquery_migration() {
        let text = "ALTER TABLE mydataset.users RENAME COLUMN user_name TO username;
ALTER TABLE mydataset.users ALTER COLUMN age SET DATA TYPE NUMERIC;
ALTER TABLE `proj-1.mydataset.users` DROP COLUMN IF EXISTS legacy;
ALTER TABLE mydataset.old_events RENAME TO events;
";
        assert_eq!(
            described(text, Dialect::Bigquery),
            vec![
                "1:43: rename column mydataset.users.user_name to username",
                "2:42: change type of mydataset.users.age to NUMERIC",
                "3:60: drop column \"proj-1\".\"mydataset\".\"users\".legacy",
                "4:1: rename table mydataset.old_events to events",
            ]
        );
    }

    #[test]
    fn snowflake_migration() {
        let text = "ALTER TABLE db.public.users RENAME COLUMN user_name TO username;
ALTER TABLE db.public.users ALTER COLUMN age SET DATA TYPE NUMBER(38, 0);
ALTER TABLE IF EXISTS db.public.users DROP COLUMN legacy;
ALTER TABLE db.public.old_orders RENAME TO db.public.orders;
";
        assert_eq!(
            described(text, Dialect::Snowflake),
            vec![
                "1:43: rename column db.public.users.user_name to username",
                "2:42: change type of db.public.users.age to NUMBER(38, 0)",
                "3:51: drop column db.public.users.legacy",
                "4:1: rename table db.public.old_orders to db.public.orders",
            ]
        );
    }

    #[test]
    fn generic_picks_the_dialect_that_parses() {
        let mysql = "ALTER TABLE `users` MODIFY COLUMN age BIGINT;";
        assert_eq!(described(mysql, Dialect::Generic), vec!["1:35: change type of \"users\".age to BIGINT"]);
        let postgres = "ALTER TABLE \"users\" RENAME \"a\" TO b;";
        assert_eq!(described(postgres, Dialect::Generic), vec!["1:28: rename column \"users\".\"a\" to b"]);
    }

    #[test]
    fn later_statements_are_read_through_earlier_renames() {
        let text = "ALTER TABLE users RENAME COLUMN age TO age_years;
ALTER TABLE users ALTER COLUMN age_years TYPE bigint;
ALTER TABLE users RENAME TO customers;
ALTER TABLE customers RENAME COLUMN age_years TO years;
ALTER TABLE customers DROP COLUMN legacy;
";
        assert_eq!(
            described(text, Dialect::Postgres),
            vec![
                "1:33: rename column users.age to years",
                "2:32: change type of users.age to BIGINT",
                "3:1: rename table users to customers",
                "5:35: drop column users.legacy",
            ]
        );
    }

    #[test]
    fn swap_through_a_temporary_name() {
        let text = "ALTER TABLE t RENAME COLUMN a TO tmp;
ALTER TABLE t RENAME COLUMN b TO a;
ALTER TABLE t RENAME COLUMN tmp TO b;
";
        assert_eq!(
            described(text, Dialect::Postgres),
            vec!["1:29: rename column t.a to b", "2:29: rename column t.b to a"]
        );
    }

    #[test]
    fn renamed_then_dropped_is_a_drop_of_the_old_name() {
        let text = "ALTER TABLE t RENAME COLUMN a TO b; ALTER TABLE t DROP COLUMN b;";
        assert_eq!(described(text, Dialect::Postgres), vec!["1:63: drop column t.a"]);
    }

    #[test]
    fn changes_to_what_the_migration_created_are_invisible() {
        let text = "CREATE TABLE fresh (a int);
ALTER TABLE fresh RENAME COLUMN a TO b;
ALTER TABLE users ADD COLUMN email text;
ALTER TABLE users RENAME COLUMN email TO mail;
ALTER TABLE users DROP COLUMN mail;
ALTER TABLE users DROP COLUMN old;
";
        assert_eq!(described(text, Dialect::Postgres), vec!["6:31: drop column users.old"]);
    }

    #[test]
    fn unparsable_statements_are_located() {
        let text = "ALTER TABLE users RENAME COLUMN a TO b;\nALTER TABLE users FROBNICATE c;\nALTER TABLE users DROP COLUMN;\n";
        let errs = errors(text, Dialect::Postgres);
        assert_eq!(errs.len(), 2, "{errs:#?}");
        assert!(errs[0].starts_with("m.sql:2:19: cannot parse statement: Expected: "), "{}", errs[0]);
        assert!(errs[1].starts_with("m.sql:3:30: cannot parse statement: Expected: "), "{}", errs[1]);
    }

    #[test]
    fn tokenizer_errors_are_located() {
        let errs = errors("ALTER TABLE t DROP COLUMN a;\nSELECT 'open;\n", Dialect::Postgres);
        assert_eq!(errs, vec!["m.sql:2:8: cannot read SQL: Unterminated string literal"]);
    }

    #[test]
    fn no_change_is_an_error() {
        let errs = errors(
            "-- nothing yet\nCREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;\n",
            Dialect::Postgres,
        );
        assert_eq!(
            errs,
            vec![
            "m.sql: no schema change found: expected ALTER TABLE with RENAME COLUMN, ALTER COLUMN ... TYPE, \
             CHANGE, MODIFY, DROP COLUMN or RENAME TO, or RENAME TABLE"
        ]
        );
    }

    #[test]
    fn a_column_renamed_to_itself_is_an_error() {
        let text = "ALTER TABLE t DROP COLUMN b;\nALTER TABLE users RENAME COLUMN user_name TO user_name;\n";
        assert_eq!(
            errors(text, Dialect::Postgres),
            vec!["m.sql:2:46: `users.user_name` is renamed to itself"]
        );
        let swap = "ALTER TABLE t RENAME COLUMN a TO tmp;\nALTER TABLE t RENAME COLUMN tmp TO a;\nALTER TABLE t DROP COLUMN b;\n";
        assert_eq!(described(swap, Dialect::Postgres), vec!["3:27: drop column t.b"]);
    }

    #[test]
    fn contradictions_are_validated() {
        let text = "ALTER TABLE t RENAME COLUMN a TO c;\nALTER TABLE t RENAME COLUMN b TO c;\n";
        assert_eq!(
            errors(text, Dialect::Postgres),
            vec!["m.sql:2:29: columns `t.a` (at line 1) and `t.b` are both renamed to `c`"]
        );
    }
}
