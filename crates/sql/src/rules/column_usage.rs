//! Uses of a changed column that are reported, never rewritten: references to a dropped
//! column, casts of a column whose type changes, `SELECT *` and `USING`/NATURAL joins whose
//! meaning shifts, and references that cannot be bound with certainty.

use super::analysis::{Owner, QuotedLiterals, Sink};
use super::resolve::{Binder, Binding};
use super::scope::{ColumnRef, Model, Place};
use ripple_core::{Change, Ident, RuleContext, Severity, TableName};

pub fn run(
    model: &Model,
    ctx: &RuleContext<'_>,
    quoted: QuotedLiterals,
    change: usize,
    c: &Change,
    sink: &mut Sink<'_>,
) {
    let binder = Binder { model, catalog: ctx.catalog, output_names: ctx.options.output_names };
    let owner = Owner::ColumnUsage;
    match c {
        Change::DropColumn { table, column } => {
            for r in &model.columns {
                if !r.name.is(column) || (r.from_literal && quoted == QuotedLiterals::String) {
                    continue;
                }
                match binder.bind(r, table, column) {
                    Binding::Changed(_) => {
                        let what = match r.place {
                            Place::Ddl => "this index or constraint uses it",
                            Place::InsertColumn => "this INSERT writes it",
                            Place::SetTarget => "this UPDATE writes it",
                            _ => "this reference will fail",
                        };
                        sink.finding(
                            owner,
                            r.name.span,
                            "sql/dropped-column",
                            Some(change),
                            Severity::Review,
                            format!("column {table}.{column} is dropped; {what}"),
                        );
                    }
                    other => report_binding(owner, other, r, change, "dropped", sink),
                }
            }
            star_and_using_findings(model, &binder, change, table, column, "dropped", owner, sink);
            for &t in &model.positional_inserts {
                if super::resolve::table_match(model, t, table).is_some() {
                    sink.finding(
                        owner,
                        model.tables[t].span,
                        "sql/dropped-column",
                        Some(change),
                        Severity::Review,
                        format!("INSERT without a column list relies on the column order of {table}, which loses {column}"),
                    );
                }
            }
        }
        Change::ChangeType { table, column, to, .. } => {
            for r in &model.columns {
                if !r.in_cast || !r.name.is(column) || (r.from_literal && quoted == QuotedLiterals::String) {
                    continue;
                }
                match binder.bind(r, table, column) {
                    Binding::Changed(_) => sink.finding(
                        owner,
                        r.name.span,
                        "sql/type-change-cast",
                        Some(change),
                        Severity::Review,
                        format!("{table}.{column} changes type to {to}; check that this cast still holds"),
                    ),
                    other => report_binding(owner, other, r, change, &format!("changing type to {to}"), sink),
                }
            }
        }
        _ => {}
    }
}

/// Findings for a binding that is neither the changed column nor certainly something else.
pub fn report_binding(
    owner: Owner,
    b: Binding,
    r: &ColumnRef,
    change: usize,
    what: &str,
    sink: &mut Sink<'_>,
) {
    match b {
        Binding::Ambiguous(candidates) => sink.finding(
            owner,
            r.name.span,
            "sql/ambiguous-column",
            Some(change),
            Severity::Review,
            format!(
                "unqualified `{}` could belong to {}; the changed column is being {what}: qualify it (not rewritten)",
                r.name.value,
                candidates.join(" or ")
            ),
        ),
        Binding::Unresolved(msg) => {
            sink.finding(owner, r.name.span, "sql/unresolved-column", Some(change), Severity::Review, msg)
        }
        Binding::Changed(_) | Binding::Other => {}
    }
}

/// `SELECT *` / `t.*` over the changed table, and `USING` / NATURAL joins that involve it.
#[allow(clippy::too_many_arguments)]
pub fn star_and_using_findings(
    model: &Model,
    binder: &Binder<'_>,
    change: usize,
    table: &TableName,
    column: &Ident,
    what: &str,
    owner: Owner,
    sink: &mut Sink<'_>,
) {
    for s in &model.stars {
        let sc = &model.scopes[s.scope];
        if sc.in_exists {
            continue;
        }
        let changed = if s.qualifier.is_empty() {
            sc.sources.iter().any(|src| binder.source_is_changed(src, table).is_some())
        } else {
            model.source_named(s.scope, &s.qualifier).is_some_and(|(si, i)| {
                binder.source_is_changed(&model.scopes[si].sources[i], table).is_some()
            })
        };
        if changed {
            sink.finding(
                owner,
                s.span,
                "sql/select-star",
                Some(change),
                Severity::Review,
                format!("the result shape changes: * includes {table}.{column}, which is {what}"),
            );
        }
    }
    for u in &model.usings {
        if u.name.as_ref().is_some_and(|n| !n.is(column)) {
            continue;
        }
        let sc = &model.scopes[u.scope];
        if !sc.sources.iter().any(|src| binder.source_is_changed(src, table).is_some()) {
            continue;
        }
        let msg = match &u.name {
            Some(n) => format!(
                "USING ({}) joins on {table}.{column}, which is {what}; rewrite the join by hand",
                n.value
            ),
            None => format!(
                "NATURAL join over {table}, whose column {column} is {what}: the join condition changes"
            ),
        };
        sink.finding(owner, u.span, "sql/using-join", Some(change), Severity::Review, msg);
    }
}
