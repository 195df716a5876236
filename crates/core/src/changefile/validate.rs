//! Duplicate and contradictory changes, checked the same way for change files and
//! migrations. Every change names the schema as it was before the change set, so a swap
//! (`a`→`b`, `b`→`a`) and a rename plus a type change of one column are both fine.

use crate::change::{Change, ChangeSet, Ident, TableName};
use crate::error::InputError;
use std::path::Path;

/// One error per change that repeats or contradicts an earlier one, located at the later
/// change (from `set.origins`, or the whole file when they are missing) and naming the
/// earlier one's line.
pub fn validate_changes(path: &Path, set: &ChangeSet) -> Vec<InputError> {
    let mut errors = Vec::new();
    for (i, later) in set.changes.iter().enumerate() {
        let earlier = set.changes[..i].iter().enumerate();
        let found = earlier.filter_map(|(j, e)| conflict(e, later, &place(set, j))).next();
        if let Some(message) = found {
            errors.push(match set.origins.get(i) {
                Some(o) => InputError::at(path, o.line, o.column, message),
                None => InputError::file(path, message),
            });
        }
    }
    errors
}

/// How to point at the `index`th change in a message.
fn place(set: &ChangeSet, index: usize) -> String {
    match set.origins.get(index) {
        Some(o) => format!("line {}", o.line),
        None => format!("change {}", index + 1),
    }
}

fn same_table(a: &TableName, b: &TableName) -> bool {
    a.parts.len() == b.parts.len() && a.parts.iter().zip(&b.parts).all(|(x, y)| same(x, y))
}

fn same(a: &Ident, b: &Ident) -> bool {
    a.matches(&b.value, b.quoted)
}

/// Types compare ignoring case and spacing (`varchar(10)` is `VARCHAR(10)`).
fn same_type(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase();
    norm(a) == norm(b)
}

fn equivalent(a: &Change, b: &Change) -> bool {
    use Change::*;
    match (a, b) {
        (RenameColumn { table: t1, from: f1, to: o1 }, RenameColumn { table: t2, from: f2, to: o2 }) => {
            same_table(t1, t2) && same(f1, f2) && same(o1, o2)
        }
        (
            ChangeType { table: t1, column: c1, from: f1, to: o1 },
            ChangeType { table: t2, column: c2, from: f2, to: o2 },
        ) => {
            let from_agrees = match (f1, f2) {
                (Some(x), Some(y)) => same_type(x, y),
                (None, None) => true,
                _ => false,
            };
            same_table(t1, t2) && same(c1, c2) && same_type(o1, o2) && from_agrees
        }
        (DropColumn { table: t1, column: c1 }, DropColumn { table: t2, column: c2 }) => {
            same_table(t1, t2) && same(c1, c2)
        }
        (RenameTable { from: f1, to: o1 }, RenameTable { from: f2, to: o2 }) => {
            same_table(f1, f2) && same_table(o1, o2)
        }
        _ => false,
    }
}

/// Why `later` cannot stand with `earlier` (written at `at`), if it cannot.
fn conflict(earlier: &Change, later: &Change, at: &str) -> Option<String> {
    if equivalent(earlier, later) {
        return Some(format!("duplicate change: {later} is already given at {at}"));
    }
    column_conflict(earlier, later, at).or_else(|| table_conflict(earlier, later, at))
}

fn column_conflict(earlier: &Change, later: &Change, at: &str) -> Option<String> {
    use Change::*;
    let (t, c) = (later.table(), later.column()?);
    let same_column = same_table(earlier.table(), t) && earlier.column().is_some_and(|e| same(e, c));
    let message = match (earlier, later) {
        (RenameColumn { to: a, .. }, RenameColumn { to: b, .. }) if same_column => {
            format!("column `{t}.{c}` is renamed twice: to `{b}` here and to `{a}` at {at}")
        }
        (RenameColumn { table, from, to: a }, RenameColumn { to: b, .. })
            if same_table(table, t) && same(a, b) =>
        {
            format!("columns `{t}.{from}` (at {at}) and `{t}.{c}` are both renamed to `{b}`")
        }
        (RenameColumn { .. }, DropColumn { .. }) if same_column => {
            format!("column `{t}.{c}` is dropped here but renamed at {at}")
        }
        (DropColumn { .. }, RenameColumn { .. }) if same_column => {
            format!("column `{t}.{c}` is renamed here but dropped at {at}")
        }
        (ChangeType { to: a, .. }, ChangeType { to: b, .. }) if same_column => {
            format!("the type of `{t}.{c}` is changed twice: to {b} here and to {a} at {at}")
        }
        (ChangeType { .. }, DropColumn { .. }) if same_column => {
            format!("column `{t}.{c}` is dropped here but its type is changed at {at}")
        }
        (DropColumn { .. }, ChangeType { .. }) if same_column => {
            format!("the type of `{t}.{c}` is changed here but the column is dropped at {at}")
        }
        _ => return None,
    };
    Some(message)
}

fn table_conflict(earlier: &Change, later: &Change, at: &str) -> Option<String> {
    let (Change::RenameTable { from: f1, to: t1 }, Change::RenameTable { from: f2, to: t2 }) =
        (earlier, later)
    else {
        return None;
    };
    if same_table(f1, f2) {
        return Some(format!("table `{f2}` is renamed twice: to `{t2}` here and to `{t1}` at {at}"));
    }
    if same_table(t1, t2) {
        return Some(format!("tables `{f1}` (at {at}) and `{f2}` are both renamed to `{t2}`"));
    }
    None
}
