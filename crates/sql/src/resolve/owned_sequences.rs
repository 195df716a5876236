//! Sequences named after a renamed table: `users_id_seq` is the name Postgres gives the
//! sequence a serial or identity column of `users` owns, read by `nextval('...')`,
//! `setval(...)`, `currval(...)` and `ALTER SEQUENCE`. When the table owns the sequence (a
//! serial or identity column in the catalog or in this text's own DDL, or an `OWNED BY`
//! here), the sequence is renamed with its table: the mention follows, as the migration that
//! renames the table renames the sequence too. Any other `<table>_<column>_seq` may be
//! another sequence of that name: a finding, never an edit.

use super::output::{Output, Owner};
use crate::ids;
use ripple_core::{CatalogTable, Change, Confidence, Ident, RuleContext, Severity, TableName};

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Follows or reports every `<table>_<column>_seq` of a renamed table outside comments.
pub fn check(ctx: &RuleContext<'_>, sink: &mut Output<'_>) {
    let source = sink.source;
    let text = source.masked.text.as_bytes();
    // This text's own tables, parsed only when a sequence name turns up.
    let mut own: Option<Vec<CatalogTable>> = None;
    for (i, change) in ctx.changes.iter() {
        let Change::RenameTable { from, to } = change else { continue };
        owned_by_targets(from, to, i, sink);
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
            let Some(column) = column else { continue };
            if source.lexed.comments_in(start, end) {
                continue;
            }
            let new_name = &to.name().value;
            let new = format!("{new_name}{}", &source.original[start + prefix.len() - 1..end]);
            let name = &source.original[start..end];
            let own = own.get_or_insert_with(|| crate::catalog::tables_of(&source.original, source.dialect));
            let owned = owns(ctx, own, from, column, &source.original);
            let plain =
                !to.name().quoted && crate::dialect::quoting_reason(new_name, source.dialect).is_none();
            if owned && plain {
                let span = (start, start + prefix.len() - 1);
                sink.edit(
                    Owner::RenameTable,
                    span,
                    new_name.clone(),
                    ids::RENAME_TABLE.id,
                    i,
                    Confidence::Certain,
                );
                continue;
            }
            let why = if owned {
                format!("{from} owns it, but `{new_name}` cannot be part of a plain name")
            } else {
                format!("ripple cannot tell that {from} owns it (no serial or identity column `{column}` of {from} in the catalog or here, no `OWNED BY`)")
            };
            sink.finding(
                Owner::RenameTable,
                (start, end),
                ids::RENAME_TABLE.id,
                Some(i),
                Severity::Review,
                format!(
                    "`{name}` is named after table {from}, which is renamed to {to}, but {why}: if the migration renames the sequence to `{new}`, rename it here too"
                ),
            );
        }
    }
}

/// Does `table` own the sequence of its column `column`: a serial or identity column of it
/// in the catalog or in this text's DDL, or an `OWNED BY table.column` in this text?
fn owns(ctx: &RuleContext<'_>, own: &[CatalogTable], table: &TableName, column: &str, text: &str) -> bool {
    let serial = |t: &CatalogTable| t.serial.iter().any(|c| c.value.eq_ignore_ascii_case(column));
    let parts: Vec<(&str, bool)> = table.parts.iter().map(|p| (p.value.as_str(), p.quoted)).collect();
    if ctx.catalog.table(&parts).is_some_and(serial) {
        return true;
    }
    let same = |t: &&CatalogTable| t.name.matches_parts(&parts) != ripple_core::TableMatch::No;
    if own.iter().filter(same).any(serial) {
        return true;
    }
    owned_by(text, table.name(), column)
}

/// Does the text say `OWNED BY [schema.]table.column`?
fn owned_by(text: &str, table: &Ident, column: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.match_indices("owned by").any(|(at, m)| {
        let rest = &text[at + m.len()..];
        let target: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '"' | '$'))
            .collect();
        let parts: Vec<&str> = target.split('.').map(|p| p.trim_matches('"')).collect();
        matches!(parts.as_slice(), [.., t, c] if table.matches(t, false) && c.eq_ignore_ascii_case(column))
    })
}

/// `OWNED BY [schema.]old.column` follows the table rename, so that the statement that
/// ties a renamed sequence to its table is never half-renamed.
fn owned_by_targets(from: &TableName, to: &TableName, i: usize, sink: &mut Output<'_>) {
    let source = sink.source;
    let new_name = &to.name().value;
    if to.name().quoted || crate::dialect::quoting_reason(new_name, source.dialect).is_some() {
        return;
    }
    let text = &source.original;
    let lower = text.to_ascii_lowercase();
    let mut edits = Vec::new();
    for (at, m) in lower.match_indices("owned by") {
        let rest = &text[at + m.len()..];
        let start = at + m.len() + (rest.len() - rest.trim_start().len());
        let len = text[start..].chars().take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.')).count();
        let target = &text[start..start + len];
        let parts: Vec<&str> = target.split('.').collect();
        let [.., t, _] = parts.as_slice() else { continue };
        if source.lexed.comments_in(at, start + len) || !from.name().matches(t, false) {
            continue;
        }
        let table_start = start + target.len() - parts.last().map_or(0, |c| c.len() + 1) - t.len();
        edits.push((table_start, table_start + t.len()));
    }
    for span in edits {
        sink.edit(Owner::RenameTable, span, new_name.clone(), ids::RENAME_TABLE.id, i, Confidence::Certain);
    }
}
