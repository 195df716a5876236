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
#[path = "schema_diff_tests.rs"]
mod tests;
