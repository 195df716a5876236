//! `rename_table`: table names in FROM/JOIN/DML/DDL and qualified column prefixes that
//! denote the changed table itself (never an alias that happens to share its name, never
//! a CTE that shadows it).

use super::bind::{table_match, wildcard_covers};
use super::names::{display_parts, render, same_qualifiers, NamePart};
use super::output::{Output, Owner};
use super::scope::{Model, ScopeId, SourceKind};
use crate::ids;
use ripple_core::{Confidence, Dialect, Reason, Severity, TableName};

const RULE: &str = ids::RENAME_TABLE.id;

/// A byte span and its replacement.
/// New text for the bytes of one part (or of a whole dotted reference) of a table name.
struct TextEdit {
    span: (usize, usize),
    text: String,
}

pub fn run(model: &Model, change: usize, from: &TableName, to: &TableName, sink: &mut Output<'_>) {
    if let Some(capturer) = captured_by(model, from, to) {
        report_capture(model, change, from, to, &capturer, sink);
        return;
    }
    for (t, tr) in model.tables.iter().enumerate() {
        if let Some(j) = &tr.jinja {
            if j.name().matches(&from.name().value, from.name().quoted) {
                sink.finding(
                    Owner::RenameTable,
                    tr.span,
                    RULE,
                    Some(change),
                    Severity::Review,
                    format!("this Jinja reference stands for {j}; ripple never edits Jinja: if it is table {from}, rename it in the dbt model or source definition"),
                );
            }
            continue;
        }
        if let Some(conf) = table_match(model, t, from) {
            apply(&tr.parts, from, to, change, conf, sink);
        } else if let Some(w) = wildcard_covers(model, t, from) {
            // `events_*` reads every table its prefix names: the renamed one leaves it, or
            // stays in it, by its new name.
            sink.finding(
                Owner::RenameTable,
                tr.span,
                RULE,
                Some(change),
                Severity::Review,
                format!("the wildcard table `{w}` may read {from}, which becomes {to}; not rewritten: check the tables it matches and any _TABLE_SUFFIX filter"),
            );
        }
    }
    for c in &model.columns {
        if let (Some(scope), false) = (c.scope, c.qualifier.is_empty()) {
            qualifier(model, scope, &c.qualifier, from, to, change, sink);
        }
    }
    for s in &model.stars {
        if !s.qualifier.is_empty() {
            qualifier(model, s.scope, &s.qualifier, from, to, change, sink);
        }
    }
}

/// Something in the statement already answers to the new name: a CTE (a non-recursive
/// CTE's own body would read the table, a recursive one itself, and dialects differ on
/// which), an alias, or another table. Renaming here would change what names bind to.
fn captured_by(model: &Model, from: &TableName, to: &TableName) -> Option<String> {
    let new = to.name();
    if let Some(c) = model.ctes.iter().find(|c| c.name.is(new)) {
        return Some(format!("the CTE `{}`", c.name.value));
    }
    let alias =
        model.scopes.iter().flat_map(|s| &s.sources).filter_map(|s| s.alias.as_ref()).find(|a| a.is(new));
    if let Some(a) = alias {
        return Some(format!("the alias `{}`", a.value));
    }
    let other = model.tables.iter().enumerate().find(|(t, tr)| {
        !tr.is_jinja() && tr.parts.last().is_some_and(|p| p.is(new)) && table_match(model, *t, from).is_none()
    });
    other.map(|(_, tr)| format!("the table `{}`", display_parts(&tr.parts)))
}

/// One finding per reference that would have been renamed.
fn report_capture(
    model: &Model,
    change: usize,
    from: &TableName,
    to: &TableName,
    capturer: &str,
    sink: &mut Output<'_>,
) {
    for (t, tr) in model.tables.iter().enumerate() {
        if !tr.is_jinja() && table_match(model, t, from).is_some() {
            sink.finding_for(
                Owner::RenameTable,
                Reason::Capture,
                tr.span,
                RULE,
                Some(change),
                Severity::Review,
                format!(
                    "table {from} becomes {to}, but {capturer} in this statement already answers to `{}`; not rewritten: rename one of them by hand",
                    to.name().value
                ),
            );
        }
    }
}

/// A column or star qualifier: rewritten when it names the changed table itself (an
/// unaliased table source), left alone when it names an alias.
fn qualifier(
    model: &Model,
    scope: ScopeId,
    q: &[NamePart],
    from: &TableName,
    to: &TableName,
    change: usize,
    sink: &mut Output<'_>,
) {
    match model.source_named(scope, q) {
        Some((s, i)) => {
            let src = &model.scopes[s].sources[i];
            // A qualifier naming a Jinja relation follows the Jinja, which is never edited
            // (the reference itself is reported).
            if let (None, SourceKind::Table(t)) = (&src.alias, src.kind) {
                if model.tables[t].is_jinja() {
                    return;
                }
                if let Some(conf) = table_match(model, t, from) {
                    apply(q, from, to, change, conf, sink);
                }
            }
        }
        None => {
            if q.last().is_some_and(|l| l.is(from.name())) {
                sink.finding(
                    Owner::RenameTable,
                    (q[0].span.0, q[q.len() - 1].span.1),
                    RULE,
                    Some(change),
                    Severity::Review,
                    format!(
                        "qualifier `{}` names no table or alias in scope here; not rewritten",
                        display_parts(q)
                    ),
                );
            }
        }
    }
}

fn apply(
    parts: &[NamePart],
    from: &TableName,
    to: &TableName,
    change: usize,
    conf: Confidence,
    sink: &mut Output<'_>,
) {
    match rename_parts(parts, from, to, sink.source.dialect) {
        Ok(edits) => {
            for TextEdit { span, text } in edits {
                sink.edit(Owner::RenameTable, span, text, RULE, change, conf);
            }
        }
        Err(msg) => {
            let span = (parts[0].span.0, parts[parts.len() - 1].span.1);
            sink.finding(Owner::RenameTable, span, RULE, Some(change), Severity::Review, msg);
        }
    }
}

/// The edits that turn a reference to `from` into one to `to`: only the last part when
/// the schema stays; every differing part when the reference spells out the schema.
fn rename_parts(
    parts: &[NamePart],
    from: &TableName,
    to: &TableName,
    dialect: Dialect,
) -> Result<Vec<TextEdit>, String> {
    let Some(last) = parts.last() else { return Ok(Vec::new()) };
    if same_qualifiers(from, to) {
        return Ok(vec![TextEdit { span: last.span, text: render(to.name(), last, dialect) }]);
    }
    if from.parts.len() == to.parts.len() && parts.len() >= to.parts.len() {
        let mut edits = Vec::new();
        for (p, new) in parts.iter().rev().zip(to.parts.iter().rev()) {
            if !p.is(new) {
                edits.push(TextEdit { span: p.span, text: render(new, p, dialect) });
            }
        }
        return Ok(edits);
    }
    if parts.len() == from.parts.len() {
        let text: Vec<String> = to.parts.iter().map(|p| render(p, last, dialect)).collect();
        return Ok(vec![TextEdit { span: (parts[0].span.0, last.span.1), text: text.join(".") }]);
    }
    Err(format!(
        "table {from} becomes {to} in another schema; this reference `{}` does not say its schema, so it was not rewritten",
        display_parts(parts)
    ))
}
