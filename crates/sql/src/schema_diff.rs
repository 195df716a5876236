//! `ripple schema-diff OLD.sql NEW.sql`: a change file derived from two DDL versions.
//!
//! Only what the DDL proves is applied: dropped and retyped columns, and a table that
//! reappears under a new name with exactly the same columns. A guess (a column dropped and
//! another of the same type added at the same place: probably a rename) is written as a
//! commented-out suggestion for a human to accept.

use crate::statements::{self, ident, table_name};
use ripple_core::{Dialect, Ident, InputErrors, TableName};
use sqlparser::ast::Statement;
use std::fmt::Write as _;
use std::path::Path;

/// Compares two DDL texts and returns a change file (YAML) with comments for what it
/// cannot decide.
pub fn schema_diff(
    old_path: &Path,
    old: &str,
    new_path: &Path,
    new: &str,
    dialect: Dialect,
) -> Result<String, InputErrors> {
    let old_tables = tables(old_path, old, dialect);
    let new_tables = tables(new_path, new, dialect);
    let (old_tables, new_tables) = match (old_tables, new_tables) {
        (Ok(o), Ok(n)) => (o, n),
        (o, n) => {
            let errors = o.err().into_iter().chain(n.err()).flatten().collect();
            return Err(InputErrors(errors));
        }
    };
    let entries = diff(&old_tables, &new_tables);
    Ok(render(&entries, old_path, new_path))
}

struct Table {
    name: TableName,
    columns: Vec<Column>,
}

struct Column {
    name: Ident,
    ty: String,
}

fn tables(path: &Path, text: &str, dialect: Dialect) -> Result<Vec<Table>, Vec<ripple_core::InputError>> {
    let parsed = statements::parse_file(path, text, dialect)?;
    let tables = parsed.iter().filter_map(|located| match &located.statement {
        Statement::CreateTable(create) => Some(Table {
            name: table_name(&create.name)?,
            columns: create
                .columns
                .iter()
                .map(|c| Column { name: ident(&c.name), ty: c.data_type.to_string() })
                .collect(),
        }),
        _ => None,
    });
    Ok(tables.collect())
}

/// One piece of the output, in order.
enum Entry {
    /// A change to apply: its YAML fields after `kind`.
    Apply(&'static str, Vec<(&'static str, String)>),
    /// A suggestion, written commented out under an explanation.
    Suggest(String, Vec<(&'static str, Vec<(&'static str, String)>)>),
    /// Something with no change kind, listed for the reader.
    Note(String),
}

fn same(a: &Ident, b: &Ident) -> bool {
    a.matches(&b.value, b.quoted)
}

fn same_table(a: &TableName, b: &TableName) -> bool {
    a.parts.len() == b.parts.len() && a.parts.iter().zip(&b.parts).all(|(x, y)| same(x, y))
}

/// sqlparser prints types uniformly; case and spacing still vary with how they were written.
fn same_type(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    norm(a) == norm(b)
}

fn same_columns(a: &Table, b: &Table) -> bool {
    a.columns.len() == b.columns.len()
        && a.columns.iter().zip(&b.columns).all(|(x, y)| same(&x.name, &y.name) && same_type(&x.ty, &y.ty))
}

fn diff(old: &[Table], new: &[Table]) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut renamed_to = Vec::new();
    for table in old {
        match new.iter().find(|n| same_table(&n.name, &table.name)) {
            Some(after) => entries.extend(diff_columns(table, after)),
            None => entries.push(gone_table(table, old, new, &mut renamed_to)),
        }
    }
    for table in new {
        let known = old.iter().any(|o| same_table(&o.name, &table.name));
        if !known && !renamed_to.iter().any(|t| same_table(t, &table.name)) {
            entries
                .push(Entry::Note(format!("added table: {} (no change kind; nothing to carry)", table.name)));
        }
    }
    entries
}

/// A table missing from NEW: renamed when exactly one new table has the same columns and no
/// other missing table could claim it.
fn gone_table(table: &Table, old: &[Table], new: &[Table], renamed_to: &mut Vec<TableName>) -> Entry {
    let is_new = |t: &&Table| !old.iter().any(|o| same_table(&o.name, &t.name));
    let candidates: Vec<&Table> = new.iter().filter(is_new).filter(|t| same_columns(table, t)).collect();
    if let [target] = candidates.as_slice() {
        let rivals = old
            .iter()
            .filter(|o| !new.iter().any(|n| same_table(&n.name, &o.name)))
            .filter(|o| same_columns(o, target))
            .count();
        if rivals == 1 {
            renamed_to.push(target.name.clone());
            let fields = vec![("from", table.name.to_string()), ("to", target.name.to_string())];
            return Entry::Apply("rename_table", fields);
        }
    }
    Entry::Note(format!("dropped table: {} (no change kind; its readers need review)", table.name))
}

fn diff_columns(before: &Table, after: &Table) -> Vec<Entry> {
    let t = before.name.to_string();
    let find = |table: &Table, name: &Ident| table.columns.iter().position(|c| same(&c.name, name));
    let added: Vec<usize> =
        (0..after.columns.len()).filter(|&i| find(before, &after.columns[i].name).is_none()).collect();
    let mut paired = Vec::new();
    let mut entries = Vec::new();
    for (i, column) in before.columns.iter().enumerate() {
        let c = column.name.to_string();
        match find(after, &column.name) {
            Some(j) if !same_type(&column.ty, &after.columns[j].ty) => {
                let fields = vec![
                    ("table", t.clone()),
                    ("column", c),
                    ("from", column.ty.clone()),
                    ("to", after.columns[j].ty.clone()),
                ];
                entries.push(Entry::Apply("change_type", fields));
            }
            Some(_) => {}
            None => {
                let successor =
                    after.columns.get(i).filter(|n| added.contains(&i) && same_type(&n.ty, &column.ty));
                match successor {
                    Some(next) => {
                        paired.push(i);
                        entries.push(probable_rename(&t, column, next));
                    }
                    None => {
                        entries.push(Entry::Apply("drop_column", vec![("table", t.clone()), ("column", c)]))
                    }
                }
            }
        }
    }
    for &i in added.iter().filter(|i| !paired.contains(i)) {
        let c = &after.columns[i];
        entries.push(Entry::Note(format!(
            "added column: {t}.{} {} (no change kind; nothing to carry)",
            c.name, c.ty
        )));
    }
    entries
}

fn probable_rename(table: &str, old: &Column, new: &Column) -> Entry {
    let why = format!("probable rename: {table}.{} -> {} (uncomment to apply)", old.name, new.name);
    let rename =
        vec![("table", table.to_string()), ("from", old.name.to_string()), ("to", new.name.to_string())];
    let drop = vec![("table", table.to_string()), ("column", old.name.to_string())];
    Entry::Suggest(why, vec![("rename_column", rename), ("drop_column", drop)])
}

fn render(entries: &[Entry], old_path: &Path, new_path: &Path) -> String {
    let mut out = format!(
        "# Change file derived by `ripple schema-diff` from {} to {}.\n",
        old_path.display(),
        new_path.display()
    );
    let applies = entries.iter().any(|e| matches!(e, Entry::Apply(..)));
    if entries.is_empty() {
        out.push_str(
            "# No differences: both versions define the same tables, columns and types.\nchanges: []\n",
        );
        return out;
    }
    if applies {
        out.push_str("changes:\n");
    } else {
        out.push_str(
            "# Nothing is applied by default: to accept a suggestion, replace `[]` with it.\nchanges: []\n",
        );
    }
    for entry in entries {
        match entry {
            Entry::Apply(kind, fields) => write_change(&mut out, "  ", kind, fields),
            Entry::Note(text) => {
                let _ = writeln!(out, "  # {text}");
            }
            Entry::Suggest(why, options) => write_suggestion(&mut out, why, options),
        }
    }
    out
}

fn write_suggestion(out: &mut String, why: &str, options: &[(&'static str, Vec<(&'static str, String)>)]) {
    let _ = writeln!(out, "  # {why}");
    for (n, (kind, fields)) in options.iter().enumerate() {
        if n > 0 {
            out.push_str("  # or, if it is not a rename, uncomment this instead:\n");
        }
        write_change(out, "  # ", kind, fields);
    }
}

fn write_change(out: &mut String, prefix: &str, kind: &str, fields: &[(&'static str, String)]) {
    let _ = writeln!(out, "{prefix}- kind: {kind}");
    for (name, value) in fields {
        let _ = writeln!(out, "{prefix}  {name}: {}", yaml_scalar(value));
    }
}

/// A YAML scalar that reads back as this exact string: plain when that is safe, otherwise
/// single-quoted.
fn yaml_scalar(s: &str) -> String {
    let plain_char = |c: char| c.is_ascii_alphanumeric() || " _.,()$-".contains(c);
    let starts_well = s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    let keyword =
        ["true", "false", "null", "yes", "no", "on", "off"].contains(&s.to_ascii_lowercase().as_str());
    let plain = starts_well && !keyword && s.chars().all(plain_char) && !s.ends_with(' ');
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ripple_core::changefile::parse_change_file;
    use ripple_core::Change;

    fn run(old: &str, new: &str) -> String {
        match schema_diff(Path::new("old.sql"), old, Path::new("new.sql"), new, Dialect::Generic) {
            Ok(yaml) => yaml,
            Err(e) => panic!("{e}"),
        }
    }

    const OLD: &str = "
CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  user_name VARCHAR(64) NOT NULL,
  age INT,
  legacy_flag BOOLEAN
);
CREATE INDEX users_age ON users (age);
CREATE TABLE accounts (id BIGINT, owner TEXT);
CREATE TABLE audit (id BIGINT);
";

    const NEW: &str = "
CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  username VARCHAR(64) NOT NULL,
  age BIGINT,
  email TEXT
);
CREATE TABLE customers (id BIGINT, owner TEXT);
CREATE TABLE events (id BIGINT, at TIMESTAMP);
";

    #[test]
    fn derives_changes_and_suggestions() {
        let yaml = run(OLD, NEW);
        let expected = "\
# Change file derived by `ripple schema-diff` from old.sql to new.sql.
changes:
  # probable rename: users.user_name -> username (uncomment to apply)
  # - kind: rename_column
  #   table: users
  #   from: user_name
  #   to: username
  # or, if it is not a rename, uncomment this instead:
  # - kind: drop_column
  #   table: users
  #   column: user_name
  - kind: change_type
    table: users
    column: age
    from: INT
    to: BIGINT
  - kind: drop_column
    table: users
    column: legacy_flag
  # added column: users.email TEXT (no change kind; nothing to carry)
  - kind: rename_table
    from: accounts
    to: customers
  # dropped table: audit (no change kind; its readers need review)
  # added table: events (no change kind; nothing to carry)
";
        assert_eq!(yaml, expected);
    }

    #[test]
    fn output_loads_as_a_change_file() {
        let yaml = run(OLD, NEW);
        let set = parse_change_file(Path::new("diff.yaml"), &yaml).unwrap();
        let kinds: Vec<&str> = set.changes.iter().map(Change::kind_name).collect();
        assert_eq!(kinds, vec!["change_type", "drop_column", "rename_table"]);
    }

    #[test]
    fn accepted_suggestion_loads_too() {
        let yaml = run(OLD, NEW);
        let accepted: String = yaml
            .lines()
            .skip_while(|l| !l.contains("probable rename"))
            .skip(1)
            .take(4)
            .map(|l| format!("{}\n", l.replacen("# ", "", 1)))
            .collect();
        let set = parse_change_file(Path::new("diff.yaml"), &format!("changes:\n{accepted}")).unwrap();
        assert_eq!(set.changes[0].to_string(), "rename column users.user_name to username");
    }

    #[test]
    fn no_differences() {
        let yaml = run(OLD, OLD);
        assert_eq!(
            yaml,
            "# Change file derived by `ripple schema-diff` from old.sql to new.sql.\n\
         # No differences: both versions define the same tables, columns and types.\nchanges: []\n"
        );
    }

    #[test]
    fn only_suggestions_leave_an_empty_list() {
        let yaml = run("CREATE TABLE t (a INT, b TEXT);", "CREATE TABLE t (a INT, c TEXT);");
        assert!(yaml.contains("replace `[]` with it.\nchanges: []\n  # probable rename: t.b -> c"), "{yaml}");
    }

    #[test]
    fn quoted_and_qualified_names_round_trip() {
        let old = "CREATE TABLE analytics.\"Orders\" (\"Total\" NUMERIC(10, 2), note TEXT);";
        let new = "CREATE TABLE analytics.\"Orders\" (\"Total\" NUMERIC(12, 2));";
        let yaml = run(old, new);
        assert!(yaml.contains("    table: 'analytics.\"Orders\"'\n    column: '\"Total\"'\n"), "{yaml}");
        let set = parse_change_file(Path::new("diff.yaml"), &yaml).unwrap();
        assert_eq!(
            set.changes[0].to_string(),
            "change type of analytics.\"Orders\".\"Total\" from NUMERIC(10,2) to NUMERIC(12,2)"
        );
        assert_eq!(set.changes[1].to_string(), "drop column analytics.\"Orders\".note");
    }

    #[test]
    fn ambiguous_table_renames_are_not_guessed() {
        let old = "CREATE TABLE a (id INT); CREATE TABLE b (id INT);";
        let new = "CREATE TABLE c (id INT);";
        let yaml = run(old, new);
        assert!(!yaml.contains("rename_table"), "{yaml}");
        assert!(yaml.contains("# dropped table: a") && yaml.contains("# added table: c"), "{yaml}");
    }

    #[test]
    fn mysql_ddl() {
        let old =
            "CREATE TABLE `users` (`id` INT AUTO_INCREMENT PRIMARY KEY, `nick` VARCHAR(20)) ENGINE=InnoDB;";
        let new = "CREATE TABLE `users` (`id` BIGINT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;";
        let set = parse_change_file(Path::new("d.yaml"), &run(old, new)).unwrap();
        let shown: Vec<String> = set.changes.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            vec!["change type of \"users\".\"id\" from INT to BIGINT", "drop column \"users\".\"nick\""]
        );
    }

    #[test]
    fn unparsable_ddl_is_an_error_in_that_file() {
        let err = schema_diff(
            Path::new("old.sql"),
            "CREATE TABLE t (a INT);",
            Path::new("new.sql"),
            "CREATE TABLE t (a INT,;",
            Dialect::Postgres,
        )
        .unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert!(err.0[0].to_string().starts_with("new.sql:1:"), "{}", err.0[0]);
    }
}
