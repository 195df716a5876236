//! Duplicate and contradictory changes, checked the same way for change files and
//! migrations. Every change names the schema as it was before the change set, so a swap
//! (`a`→`b`, `b`→`a`) and a rename plus a type change of one column are both fine.

use crate::change::{Change, ChangeSet, Ident, TableName};
use crate::error::InputError;
use std::collections::HashMap;
use std::path::Path;

/// One error per change that repeats or contradicts an earlier one, located at the later
/// change (from `set.origins`, or the whole file when they are missing) and naming the
/// earlier one's line.
pub fn validate_changes(path: &Path, set: &ChangeSet) -> Vec<InputError> {
    let mut errors = Vec::new();
    // Changes can only clash when they share a key (below), so each change is compared with
    // the earlier ones that share one: linear in the size of the change set, not quadratic.
    let mut by_key: HashMap<(u8, String), Vec<usize>> = HashMap::new();
    for (i, later) in set.changes.iter().enumerate() {
        let keys = keys(later);
        let mut earlier: Vec<usize> = keys.iter().filter_map(|k| by_key.get(k)).flatten().copied().collect();
        earlier.sort_unstable();
        earlier.dedup();
        let found = earlier.into_iter().find_map(|j| conflict(&set.changes[j], later, &place(set, j)));
        if let Some(message) = found {
            errors.push(match set.origins.get(i) {
                Some(o) => InputError::at(path, o.line, o.column, message),
                None => InputError::file(path, message),
            });
        }
        for k in keys {
            by_key.entry(k).or_default().push(i);
        }
    }
    errors
}

/// What two clashing changes have in common, case folded (every match of names ignores
/// ASCII case at least): the column changed (`c`), the new name of a renamed column (`r`),
/// the old and new name of a renamed table (`f`, `t`).
fn keys(change: &Change) -> Vec<(u8, String)> {
    let table =
        |t: &TableName| t.parts.iter().map(|p| p.value.to_ascii_lowercase()).collect::<Vec<_>>().join("\0");
    let column = |t: &TableName, c: &Ident| format!("{}\0\0{}", table(t), c.value.to_ascii_lowercase());
    match change {
        Change::RenameTable { from, to } => vec![(b'f', table(from)), (b't', table(to))],
        Change::RenameColumn { table: t, from, to } => vec![(b'c', column(t, from)), (b'r', column(t, to))],
        Change::ChangeType { table: t, column: c, .. } | Change::DropColumn { table: t, column: c } => {
            vec![(b'c', column(t, c))]
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changefile::parse_change_file;
    use crate::error::InputErrors;

    fn parse(text: &str) -> Result<ChangeSet, InputErrors> {
        parse_change_file(Path::new("changes.yaml"), text)
    }

    /// The one error of a change file, as `line:column: message`.
    fn one_error(text: &str) -> String {
        let errors = parse(text).expect_err("expected an error").0;
        assert_eq!(errors.len(), 1, "{errors:#?}");
        format!("{}:{}: {}", errors[0].line, errors[0].column, errors[0].message)
    }

    fn table(raw: &str) -> TableName {
        TableName::parse(raw)
    }

    #[test]
    fn duplicate_change() {
        assert_eq!(
        one_error(
            "changes:\n  - {kind: drop_column, table: users, column: a}\n  - {kind: drop_column, table: USERS, column: A}\n"
        ),
        "3:5: duplicate change: drop column USERS.A is already given at line 2"
    );
    }

    fn contradiction(first: &str, second: &str) -> String {
        one_error(&format!("changes:\n  - {first}\n  - {second}\n"))
    }

    #[test]
    fn two_renames_of_one_column() {
        assert_eq!(
            contradiction(
                "{kind: rename_column, table: users, from: a, to: b}",
                "{kind: rename_column, table: users, from: a, to: c}"
            ),
            "3:5: column `users.a` is renamed twice: to `c` here and to `b` at line 2"
        );
    }

    #[test]
    fn rename_and_drop_of_one_column() {
        assert_eq!(
            contradiction(
                "{kind: rename_column, table: users, from: a, to: b}",
                "{kind: drop_column, table: users, column: a}"
            ),
            "3:5: column `users.a` is dropped here but renamed at line 2"
        );
        assert_eq!(
            contradiction(
                "{kind: drop_column, table: users, column: a}",
                "{kind: rename_column, table: users, from: a, to: b}"
            ),
            "3:5: column `users.a` is renamed here but dropped at line 2"
        );
    }

    #[test]
    fn two_type_changes_of_one_column() {
        assert_eq!(
            contradiction(
                "{kind: change_type, table: users, column: age, to: BIGINT}",
                "{kind: change_type, table: users, column: age, to: TEXT}"
            ),
            "3:5: the type of `users.age` is changed twice: to TEXT here and to BIGINT at line 2"
        );
    }

    #[test]
    fn type_change_of_a_dropped_column() {
        assert_eq!(
            contradiction(
                "{kind: drop_column, table: users, column: age}",
                "{kind: change_type, table: users, column: age, to: TEXT}"
            ),
            "3:5: the type of `users.age` is changed here but the column is dropped at line 2"
        );
    }

    #[test]
    fn two_columns_renamed_to_one_name() {
        assert_eq!(
            contradiction(
                "{kind: rename_column, table: users, from: a, to: c}",
                "{kind: rename_column, table: users, from: b, to: c}"
            ),
            "3:5: columns `users.a` (at line 2) and `users.b` are both renamed to `c`"
        );
    }

    #[test]
    fn two_renames_of_one_table() {
        assert_eq!(
            contradiction(
                "{kind: rename_table, from: users, to: a}",
                "{kind: rename_table, from: users, to: b}"
            ),
            "3:5: table `users` is renamed twice: to `b` here and to `a` at line 2"
        );
    }

    #[test]
    fn two_tables_renamed_to_one_name() {
        assert_eq!(
            contradiction("{kind: rename_table, from: a, to: c}", "{kind: rename_table, from: b, to: c}"),
            "3:5: tables `a` (at line 2) and `b` are both renamed to `c`"
        );
    }

    #[test]
    fn quoted_names_are_distinct_by_case() {
        let text = "changes:\n  - {kind: drop_column, table: users, column: '\"A\"'}\n  - {kind: drop_column, table: users, column: '\"a\"'}\n";
        assert!(parse(text).is_ok());
    }

    #[test]
    fn swap_and_rename_with_type_change_are_valid() {
        let text = "changes:
  - {kind: rename_column, table: users, from: a, to: b}
  - {kind: rename_column, table: users, from: b, to: a}
  - {kind: change_type, table: users, column: a, to: BIGINT}
  - {kind: rename_table, from: t1, to: t2}
  - {kind: rename_table, from: t2, to: t1}
";
        assert_eq!(parse(text).unwrap().changes.len(), 5);
    }

    #[test]
    fn validate_without_origins_names_change_numbers() {
        let set = ChangeSet::new(vec![
            Change::DropColumn { table: table("t"), column: Ident::new("c") },
            Change::DropColumn { table: table("t"), column: Ident::new("c") },
        ]);
        let errs = validate_changes(Path::new("m.sql"), &set);
        assert_eq!(
            errs[0].to_string(),
            "m.sql: duplicate change: drop column t.c is already given at change 1"
        );
    }
}
