//! DDL follows the change: column definitions of the changed table's CREATE TABLE are
//! renamed, retyped or removed, and ALTER TABLE clauses naming the column follow a rename.
//! An ALTER TABLE that performs a change is the migration itself and is left as written.

use super::bind::table_match;
use super::list_removal::removal;
use super::names::render;
use super::output::{Output, Owner};
use super::scope::{AlterAction, ColumnDef, Model};
use crate::ids;
use crate::source::lex::Lexed;
use crate::types::SqlType;
use ripple_core::{Change, Confidence, Dialect, Ident, RuleContext, Severity, TableName};

const RULE: &str = ids::DDL.id;

/// Reports an ALTER TABLE statement that performs one of the changes; returns whether
/// it did (the statement is then left alone entirely).
pub fn migration_statement(model: &Model, ctx: &RuleContext<'_>, sink: &mut Output<'_>) -> bool {
    let mut found = false;
    for (t, action) in &model.alters {
        for (i, change) in ctx.changes.iter() {
            if table_match(model, *t, change.table()).is_none() {
                continue;
            }
            let performs = match (action, change) {
                (AlterAction::RenameColumn { old, new }, Change::RenameColumn { from, to, .. }) => {
                    old.is(from) && new.is(to)
                }
                (AlterAction::DropColumn { name }, Change::DropColumn { column, .. }) => name.is(column),
                (
                    AlterAction::AlterColumn { name, type_span: Some(ts) },
                    Change::ChangeType { column, to, .. },
                ) => name.is(column) && same_type(sink.text(*ts), to),
                (AlterAction::RenameTable { to: parts }, Change::RenameTable { to, .. }) => {
                    parts.last().is_some_and(|p| p.is(to.name()))
                }
                _ => false,
            };
            if performs {
                found = true;
                sink.finding(
                    Owner::Ddl,
                    model.tables[*t].span,
                    ids::MIGRATION_STATEMENT.id,
                    Some(i),
                    Severity::Info,
                    format!("this statement performs the change ({change}); migrations are left as written"),
                );
            }
        }
    }
    found
}

fn defs_of<'m>(model: &'m Model, table: &TableName, column: &Ident) -> Vec<(&'m ColumnDef, Confidence)> {
    model
        .defs
        .iter()
        .filter(|d| d.name.is(column))
        .filter_map(|d| table_match(model, d.table, table).map(|c| (d, c)))
        .collect()
}

pub fn rename_column(
    model: &Model,
    change: usize,
    table: &TableName,
    from: &Ident,
    to: &Ident,
    _lexed: &Lexed,
    sink: &mut Output<'_>,
) {
    for (d, conf) in defs_of(model, table, from) {
        // Renaming onto a column the table already has would make the DDL invalid.
        let clash = model.defs.iter().any(|o| o.list == d.list && o.name.is(to));
        if clash {
            sink.finding(
                Owner::Ddl,
                d.name.span,
                RULE,
                Some(change),
                Severity::Review,
                format!("{table} already defines a column {to}; `{}` was not renamed", d.name.value),
            );
        } else {
            let (span, text) =
                aligned_rename(&sink.source.original, d, render(to, &d.name, sink.source.dialect));
            sink.edit(Owner::Ddl, span, text, RULE, change, conf);
        }
    }
    for (t, action) in &model.alters {
        let Some(conf) = table_match(model, *t, table) else { continue };
        match action {
            AlterAction::AlterColumn { name, .. } | AlterAction::DropColumn { name } if name.is(from) => {
                sink.edit(Owner::Ddl, name.span, render(to, name, sink.source.dialect), RULE, change, conf);
            }
            AlterAction::RenameColumn { old, new } if old.is(from) => sink.finding(
                Owner::Ddl,
                old.span,
                RULE,
                Some(change),
                Severity::Review,
                format!(
                    "this renames {table}.{from} to {}, but the change set renames it to {to}",
                    new.value
                ),
            ),
            _ => {}
        }
    }
}

/// Renames a column definition keeping the column where its type starts when the list
/// is laid out in aligned columns (more than one space after the name).
fn aligned_rename(text: &str, d: &ColumnDef, new: String) -> ((usize, usize), String) {
    let end = d.name.span.1;
    let gap = text[end..].bytes().take_while(|&b| b == b' ').count();
    let rest = &text[end + gap..];
    if gap < 2 || rest.starts_with(['\n', '\r']) || rest.is_empty() {
        return (d.name.span, new);
    }
    let old_len = end - d.name.span.0;
    let width = (old_len + gap).saturating_sub(new.chars().count()).max(1);
    ((d.name.span.0, end + gap), format!("{new}{}", " ".repeat(width)))
}

pub fn change_type(
    model: &Model,
    change: usize,
    table: &TableName,
    column: &Ident,
    from: Option<&str>,
    to: &str,
    sink: &mut Output<'_>,
) {
    let dialect = sink.source.dialect;
    for (d, conf) in defs_of(model, table, column) {
        let Some(ts) = d.type_span else { continue };
        let current = sink.text(ts).to_string();
        if same_type(&current, to) {
            continue;
        }
        if let Some(f) = from {
            let serial_of_from = serial_bits(&current).is_some_and(|b| integer_bits(f) == Some(b));
            if !same_type(&current, f) && !serial_of_from {
                sink.finding(
                    Owner::Ddl,
                    ts,
                    RULE,
                    Some(change),
                    Severity::Review,
                    format!("{table}.{column} is declared {current}, not {f} as the change expects; type not changed"),
                );
                continue;
            }
        }
        let after_type = sink.text((ts.1, d.span.1.max(ts.1))).to_string();
        let written = match numbering(&current, &after_type, to, dialect) {
            Numbering::Plain => to.to_string(),
            Numbering::Serial(name) if same_type(name, &current) => continue,
            Numbering::Serial(name) => name.to_string(),
            Numbering::Lost(why) => {
                let msg = format!("{table}.{column} is {why}; as {to} it would lose that: type not changed, change the numbering by hand");
                sink.finding(Owner::Ddl, ts, RULE, Some(change), Severity::Review, msg);
                continue;
            }
        };
        sink.edit(Owner::Ddl, ts, in_case_of(&written, &current), RULE, change, conf);
    }
    for (t, action) in &model.alters {
        if table_match(model, *t, table).is_none() {
            continue;
        }
        if let AlterAction::AlterColumn { name, type_span: Some(ts) } = action {
            if name.is(column) && !same_type(sink.text(*ts), to) {
                let current = sink.text(*ts).to_string();
                sink.finding(
                    Owner::Ddl,
                    *ts,
                    RULE,
                    Some(change),
                    Severity::Review,
                    format!("this sets {table}.{column} to {current}, but the change set makes it {to}"),
                );
            }
        }
    }
}

pub fn drop_column(
    model: &Model,
    change: usize,
    table: &TableName,
    column: &Ident,
    lexed: &Lexed,
    sink: &mut Output<'_>,
) {
    for (d, conf) in defs_of(model, table, column) {
        match removal(&model.def_lists[d.list], d.element, lexed, &sink.source.original) {
            Ok(spans) => {
                for s in spans {
                    sink.edit(Owner::Ddl, s, String::new(), RULE, change, conf);
                }
            }
            Err(why) => sink.finding(
                Owner::Ddl,
                d.name.span,
                RULE,
                Some(change),
                Severity::Review,
                format!("column {table}.{column} is dropped, but its definition was not removed: {why}"),
            ),
        }
    }
    for (t, action) in &model.alters {
        if table_match(model, *t, table).is_none() {
            continue;
        }
        if let AlterAction::AlterColumn { name, .. } | AlterAction::RenameColumn { old: name, .. } = action {
            if name.is(column) {
                sink.finding(
                    Owner::Ddl,
                    name.span,
                    ids::DROPPED_COLUMN.id,
                    Some(change),
                    Severity::Review,
                    format!("column {table}.{column} is dropped; this ALTER TABLE still changes it"),
                );
            }
        }
    }
}

/// What a type change does to a column numbered automatically.
enum Numbering {
    /// The column is not numbered automatically: write the new type.
    Plain,
    /// A Postgres serial column becomes the serial of the new type's width.
    Serial(&'static str),
    /// The numbering would be lost: what the column is.
    Lost(String),
}

/// A serial pseudo-type (Postgres: an integer whose default comes from a sequence it
/// owns) keeps its meaning only as the serial of another integer width; an identity or
/// AUTO_INCREMENT column only with an integer type.
fn numbering(current: &str, after_type: &str, to: &str, dialect: Dialect) -> Numbering {
    let target = integer_bits_in(to, dialect);
    if let Some(bits) = serial_bits(current) {
        let serial = match (dialect, target) {
            (Dialect::Postgres | Dialect::Generic, Some(16)) => Some("smallserial"),
            (Dialect::Postgres | Dialect::Generic, Some(32)) => Some("serial"),
            (Dialect::Postgres | Dialect::Generic, Some(64)) => Some("bigserial"),
            _ => None,
        };
        return match serial {
            Some(s) => Numbering::Serial(s),
            None => Numbering::Lost(format!(
                "{current}, a {bits}-bit integer whose default comes from the sequence it owns"
            )),
        };
    }
    let lower = after_type.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').collect();
    let numbered = ["identity", "auto_increment", "autoincrement"].into_iter().find(|k| words.contains(k));
    match numbered {
        Some(k) if target.is_none() => {
            Numbering::Lost(format!("numbered by {}, which needs an integer type", k.to_ascii_uppercase()))
        }
        _ => Numbering::Plain,
    }
}

/// The width of a serial pseudo-type.
fn serial_bits(t: &str) -> Option<u32> {
    match canonical_type(t).as_str() {
        "smallserial" | "serial2" => Some(16),
        "serial" | "serial4" => Some(32),
        "bigserial" | "serial8" => Some(64),
        _ => None,
    }
}

/// The width of an integer type (a serial counts as its integer).
fn integer_bits(t: &str) -> Option<u32> {
    integer_bits_in(t, Dialect::Postgres)
}

fn integer_bits_in(t: &str, dialect: Dialect) -> Option<u32> {
    match SqlType::parse(t, dialect) {
        SqlType::Integer { bits } => Some(bits),
        SqlType::Decimal { precision: Some(_), scale: 0 } if dialect == Dialect::Snowflake => Some(64),
        _ => None,
    }
}

/// Compares SQL type texts ignoring case, whitespace and common synonyms.
pub fn same_type(a: &str, b: &str) -> bool {
    canonical_type(a) == canonical_type(b)
}

fn canonical_type(t: &str) -> String {
    let s: String = t.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase();
    let s = match s.as_str() {
        "integer" | "int4" => "int".to_string(),
        "int8" => "bigint".to_string(),
        "int2" => "smallint".to_string(),
        "bool" => "boolean".to_string(),
        "float8" => "double precision".to_string(),
        "float4" => "real".to_string(),
        _ => s.replace("character varying", "varchar"),
    };
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Writes `to` in the letter case of `like` when `like` is all one case.
fn in_case_of(to: &str, like: &str) -> String {
    let has_lower = like.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = like.bytes().any(|b| b.is_ascii_uppercase());
    match (has_lower, has_upper) {
        (true, false) => to.to_ascii_lowercase(),
        (false, true) => to.to_ascii_uppercase(),
        _ => to.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_compare_loosely() {
        assert!(same_type("BIGINT", "bigint"));
        assert!(same_type("numeric(10, 2)", "NUMERIC(10,2)"));
        assert!(same_type("integer", "INT"));
        assert!(same_type("character  varying(20)", "varchar(20)"));
        assert!(!same_type("int", "bigint"));
        assert_eq!(in_case_of("BIGINT", "int"), "bigint");
        assert_eq!(in_case_of("bigint", "INT"), "BIGINT");
    }
}
