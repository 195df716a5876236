//! A SQL file that defines a table by its place (a table layout, `core::table_layout`): its
//! final query is the table, as a dbt model's is. A column change of the table is carried
//! into that query by `resolve/model_outputs.rs`; a rename of the table cannot be: the path
//! names it, so the file (or its folder) must move, which is reported, never done.

use crate::catalog::placed_statement;
use crate::ids;
use crate::resolve::output::{Output, Owner};
use ripple_core::table_layout::names;
use ripple_core::{Change, RuleContext, Severity, TableName};
use std::path::Path;

/// A rename of the table the file defines: a finding at the file's final statement, with
/// where the file or folder goes. Nothing when the file holds no query (it does not define
/// the table, whatever its path).
pub(crate) fn report_rename(path: &Path, text: &str, ctx: &RuleContext<'_>, sink: &mut Output<'_>) {
    let Some(placed) = ctx.placed else { return };
    let renames: Vec<(usize, &TableName, &TableName)> = ctx
        .changes
        .iter()
        .filter_map(|(i, c)| match c {
            Change::RenameTable { from, to } if names(from, &placed.table) => Some((i, from, to)),
            _ => None,
        })
        .collect();
    if renames.is_empty() || placed_statement(text, ctx.options.dialect).is_none() {
        return;
    }
    let at = first_code(text);
    let table = &placed.table;
    for (i, from, to) in renames {
        let msg = match placed.layout.moved(path, to) {
            Some((old, new)) => format!(
                "table {from} is renamed to {to}; this file defines it by its place ({table}, layout `{}`): move {} to {}; ripple does not move files of a layout",
                placed.layout.pattern,
                old.display(),
                new.display()
            ),
            None => format!("table {from} is renamed to {to}; this file defines it by its place ({table}): move it to the new table's place"),
        };
        sink.finding(Owner::RenameTable, (at, at), ids::LAYOUT_MOVE.id, Some(i), Severity::Review, msg);
    }
}

/// Does the file define `table` by its place?
pub(crate) fn defines(ctx: &RuleContext<'_>, table: &TableName) -> bool {
    ctx.placed.is_some_and(|p| names(table, &p.table))
}

/// The byte where the file's code starts: after leading blank lines and `--` / `#` comments.
fn first_code(text: &str) -> usize {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with("--") || t.starts_with('#') {
            at += line.len();
            continue;
        }
        return at + (line.len() - t.len());
    }
    0
}
