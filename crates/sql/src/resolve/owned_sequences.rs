//! Sequences named after a renamed table: `users_id_seq` is the name Postgres gives the
//! sequence a serial or identity column of `users` owns, read by `nextval('...')`,
//! `setval(...)` and `ALTER SEQUENCE`. A table rename leaves the sequence's name as it was,
//! unless the migration renames it too, and a schema built afresh from the renamed DDL
//! names it after the new table: which one a script meets is not in the SQL, so each
//! mention is a finding, never an edit.

use super::output::{Output, Owner};
use crate::ids;
use ripple_core::{Change, ChangeSet, Severity};

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Reports every `<table>_<column>_seq` of a renamed table outside comments.
pub fn check(changes: &ChangeSet, sink: &mut Output<'_>) {
    let source = sink.source;
    let text = source.masked.text.as_bytes();
    for (i, change) in changes.iter() {
        let Change::RenameTable { from, to } = change else { continue };
        let prefix = format!("{}_", from.name().value.to_ascii_lowercase());
        let mut at = 0;
        while at + prefix.len() <= text.len() {
            let start = at;
            at += 1;
            if (start > 0 && is_word(text[start - 1]))
                || !text[start..start + prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
            {
                continue;
            }
            let end = start + text[start..].iter().take_while(|&&b| is_word(b)).count();
            let word = String::from_utf8_lossy(&text[start..end]).to_ascii_lowercase();
            let column = word[prefix.len()..].strip_suffix("_seq").filter(|c| !c.is_empty());
            at = end.max(at);
            if column.is_none() || source.lexed.comments_in(start, end) {
                continue;
            }
            let new = format!("{}{}", to.name().value, &source.original[start + prefix.len() - 1..end]);
            let name = &source.original[start..end];
            sink.finding(
                Owner::RenameTable,
                (start, end),
                ids::RENAME_TABLE.id,
                Some(i),
                Severity::Review,
                format!(
                    "`{name}` is named after table {from}, which is renamed to {to}; Postgres keeps a sequence's name when its table is renamed: rename the sequence to `{new}` in the migration and here together, or leave both as they are"
                ),
            );
        }
    }
}
