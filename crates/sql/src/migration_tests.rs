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
fn contradictions_are_validated() {
    let text = "ALTER TABLE t RENAME COLUMN a TO c;\nALTER TABLE t RENAME COLUMN b TO c;\n";
    assert_eq!(
        errors(text, Dialect::Postgres),
        vec!["m.sql:2:29: columns `t.a` (at line 1) and `t.b` are both renamed to `c`"]
    );
}
