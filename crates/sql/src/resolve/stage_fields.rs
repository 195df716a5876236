//! Snowflake loads from a stage: `COPY INTO t FROM (SELECT $1:user_name FROM @stage)` reads a
//! field of the staged files, which are data; a field spelling a changed column of `t` is
//! never edited (the files keep their fields), and reported so the load is checked.

use super::bind::table_match;
use super::output::{Output, Owner};
use super::scope::Model;
use crate::ids;
use ripple_core::{Change, Severity};

pub fn run(model: &Model, change: usize, c: &Change, sink: &mut Output<'_>) {
    let Some(column) = c.column() else { return };
    for (t, field) in &model.stage_fields {
        if !field.is(column) || table_match(model, *t, c.table()).is_none() {
            continue;
        }
        let what = match c {
            Change::RenameColumn { to, .. } => format!("is renamed to {to}"),
            Change::DropColumn { .. } => "is dropped".to_string(),
            Change::ChangeType { to, .. } => format!("changes type to {to}"),
            Change::RenameTable { .. } => continue,
        };
        sink.finding(
            Owner::ColumnUsage,
            field.span,
            ids::UNRESOLVED_COLUMN.id,
            Some(change),
            Severity::Review,
            format!(
                "`{}` is a field of the staged files this loads into {}, whose column {column} {what}; the files keep their fields: not rewritten, check the load and the stage",
                field.value,
                c.table()
            ),
        );
    }
}
