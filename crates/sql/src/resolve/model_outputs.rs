//! A dbt model's own outputs: a column change of the model a file defines changes the query
//! that produces the column. A `.sql` file defines the model its stem names (`ref('stem')`),
//! when it is a dbt model (it reads `ref()` / `source()`, or lies under `models/`) and does not
//! read a dataset of its own name. The output is found at the select item of the final
//! query that names it, followed through `*` over CTEs and derived tables to where the name
//! is produced: an alias is renamed there, a bare column gains one.
//!
//! A column that may come through a star over another dataset or a macro is the upstream
//! dataset's, not produced here: nothing is edited (the dbt stage decides what its readers'
//! edits mean). A name the model reads again after producing it is reported, never half
//! renamed.

use super::bind::{Binder, Binding};
use super::names::{render, NamePart};
use super::output::{Output, Owner};
use super::scope::{Model, Place, ScopeId, SourceKind, StatementKind, MAX_STAR_DEPTH};
use crate::ids;
use ripple_core::{Change, Confidence, Ident, RuleContext, Severity, TableName};
use std::path::Path;

/// Where a model's output column gets its name.
#[derive(Debug, Clone)]
pub(crate) enum Producer {
    /// `expr AS name`: the alias.
    Alias(NamePart),
    /// A bare column reference (index into `Model::columns`) that names the output.
    Bare(usize),
}

/// What looking for an output name found.
pub(crate) enum Found {
    /// Produced here, in this scope.
    At(ScopeId, Producer),
    /// Not an output of this query.
    Absent,
    /// Possibly passed through from another dataset (a star over it, a macro).
    Through,
    /// Produced in a way ripple does not rewrite; why.
    Unclear(String),
}

/// Is `path` (whose statement is `model`) the dbt model named by `table`, or the query of a
/// file whose place (a table layout) names `table`?
pub(crate) fn defines(path: &Path, ctx: &RuleContext<'_>, model: &Model, table: &TableName) -> bool {
    if let Some(placed) = ctx.placed.filter(|_| crate::placed::defines(ctx, table)) {
        return model.kind() == StatementKind::Query
            && model.output.is_some()
            && !reads(model, &placed.table);
    }
    let [name] = &table.parts[..] else { return false };
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let sql_file = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("sql"));
    if !sql_file
        || !name.matches(stem, false)
        || model.kind() != StatementKind::Query
        || model.output.is_none()
    {
        return false;
    }
    let in_models = path.components().any(|c| c.as_os_str() == "models");
    let reads_dbt = model.tables.iter().any(|t| t.is_jinja());
    // A model that reads a dataset of its own name (a staging model over a source table of
    // that name) is that dataset's reader; the change is ambiguous there.
    let reads_itself = model.tables.iter().filter(|t| !t.this).any(|t| {
        t.jinja.as_ref().is_some_and(|j| name.matches(&j.name().value, false))
            || t.parts.last().is_some_and(|p| p.is(name))
    });
    (in_models || reads_dbt) && !reads_itself
}

/// Does the statement read `table` (an incremental query over its own earlier rows)? Then
/// its references to the table are a reader's, and its outputs are not renamed for it.
pub(crate) fn reads(model: &Model, table: &TableName) -> bool {
    model.tables.iter().any(|t| {
        let parts: Vec<(&str, bool)> = t.parts.iter().map(|p| (p.value.as_str(), p.quoted())).collect();
        !parts.is_empty() && table.matches_parts(&parts) != ripple_core::TableMatch::No
    })
}

/// Renames output `from` of the model to `to`, where it is produced.
pub(crate) fn rename(
    model: &Model,
    ctx: &RuleContext<'_>,
    change: usize,
    (table, from, to): (&TableName, &Ident, &Ident),
    sink: &mut Output<'_>,
) {
    let Some(output) = model.output else { return };
    let (scope, producer) = match find(model, output, from, 0) {
        // A bare column that another rename of the set rewrites already names the output
        // after it (output names propagating, the model's rename is derived from it).
        Found::At(_, Producer::Bare(k)) if renamed_by_another(model, ctx, k) => return,
        Found::At(scope, producer) => (scope, producer),
        Found::Absent | Found::Through => return,
        Found::Unclear(why) => {
            let at = model.scopes[output].list.elements.first().copied().unwrap_or((0, 0));
            let msg = format!("column {from} of model {table} is renamed to {to}, but {why}; rename it in the model by hand");
            sink.finding(
                Owner::RenameColumn,
                at,
                ids::UNRESOLVED_COLUMN.id,
                Some(change),
                Severity::Review,
                msg,
            );
            return;
        }
    };
    let at = match &producer {
        Producer::Alias(alias) => alias.span,
        Producer::Bare(k) => model.columns[*k].name.span,
    };
    if let Some(why) = refusal(model, scope, &producer, from, to, &sink.source.original) {
        let msg = format!("column {from} of model {table} is renamed to {to}, but {why}; not rewritten");
        sink.finding(Owner::RenameColumn, at, ids::CAPTURE.id, Some(change), Severity::Review, msg);
        return;
    }
    let rule = ids::RENAME_COLUMN.id;
    match producer {
        Producer::Alias(alias) => {
            let new = render(to, &alias, sink.source.dialect);
            sink.edit(Owner::RenameColumn, alias.span, new, rule, change, Confidence::Certain);
        }
        Producer::Bare(k) => {
            let name = &model.columns[k].name;
            let as_kw = if model.upper_keywords { "AS" } else { "as" };
            let new = format!(" {as_kw} {}", render(to, name, sink.source.dialect));
            let end = name.span.1;
            sink.edit(Owner::RenameColumn, (end, end), new, rule, change, Confidence::Certain);
        }
    }
}

/// A dropped or retyped output of the model: a finding where it is produced, since the
/// model's query is what must change (its readers are reported where they read it).
pub(crate) fn report(
    model: &Model,
    change: usize,
    (table, column): (&TableName, &Ident),
    (rule, what): (&str, &str),
    sink: &mut Output<'_>,
) {
    let Some(output) = model.output else { return };
    let Found::At(_, producer) = find(model, output, column, 0) else { return };
    let at = match &producer {
        Producer::Alias(alias) => alias.span,
        Producer::Bare(k) => model.columns[*k].name.span,
    };
    let msg = format!("column {column} of model {table} {what}; this is where the model produces it: change its query by hand");
    sink.finding(Owner::ColumnUsage, at, rule, Some(change), Severity::Review, msg);
}

/// Does another rename of the change set rewrite column reference `k`?
fn renamed_by_another(model: &Model, ctx: &RuleContext<'_>, k: usize) -> bool {
    let binder = Binder { model, catalog: ctx.catalog, output_names: ctx.options.output_names };
    let c = &model.columns[k];
    ctx.changes.iter().any(|(_, ch)| match ch {
        Change::RenameColumn { table, from, .. } => {
            matches!(binder.bind(c, table, from), Binding::Changed(_))
        }
        _ => false,
    })
}

/// Where output `name` of `scope` is produced.
pub(crate) fn find(model: &Model, scope: ScopeId, name: &Ident, depth: usize) -> Found {
    if depth > MAX_STAR_DEPTH {
        return Found::Through;
    }
    let sc = &model.scopes[scope];
    let named: Vec<_> = sc.items.iter().filter(|it| it.output.as_ref().is_some_and(|o| o.is(name))).collect();
    match named[..] {
        [item] => {
            return match (&item.output, item.column) {
                (Some(alias), _) if item.explicit_alias => Found::At(scope, Producer::Alias(alias.clone())),
                (_, Some(k)) if model.columns[k].bare_item => Found::At(scope, Producer::Bare(k)),
                _ => Found::Unclear(format!("its select item names {name} implicitly")),
            }
        }
        [_, _, ..] => return Found::Unclear(format!("the query returns several columns named {name}")),
        [] => {}
    }
    let mut found = Vec::new();
    let mut through = false;
    for item in &sc.items {
        let Some(star) = item.star else {
            // An item whose name is unknown (a macro call) may be this column.
            through |= item.output.is_none();
            continue;
        };
        for src in model.star_sources(&model.stars[star]) {
            let body = match src.kind {
                SourceKind::Cte(c) if model.ctes[c].columns.iter().any(|col| col.is(name)) => {
                    return Found::Unclear(format!(
                        "CTE {} names {name} in its column list",
                        model.ctes[c].name.value
                    ))
                }
                SourceKind::Cte(c) if !model.ctes[c].columns.is_empty() => continue,
                SourceKind::Cte(c) => model.ctes[c].body,
                SourceKind::Derived(b) => b,
                SourceKind::Table(_) | SourceKind::Unknown => None,
            };
            match body.map(|b| find(model, b, name, depth + 1)) {
                Some(Found::At(s, p)) => found.push((s, p)),
                Some(Found::Absent) => {}
                Some(Found::Unclear(why)) => return Found::Unclear(why),
                Some(Found::Through) | None => through = true,
            }
        }
    }
    match (found.len(), through) {
        (0, false) => Found::Absent,
        (0, true) => Found::Through,
        (1, false) => {
            let (s, p) = found.remove(0);
            Found::At(s, p)
        }
        _ => Found::Unclear(format!("{name} may come from several places of the query")),
    }
}

/// Why the output cannot simply take the new name, if it cannot: the query already returns
/// a column of the new name, or reads the old name again after producing it (from a CTE's
/// result, or an ORDER BY naming the alias), which the rename would leave dangling.
fn refusal(
    model: &Model,
    scope: ScopeId,
    producer: &Producer,
    from: &Ident,
    to: &Ident,
    text: &str,
) -> Option<String> {
    let sc = &model.scopes[scope];
    if sc.items.iter().any(|it| it.output.as_ref().is_some_and(|o| o.is(to))) {
        return Some(format!("its query already returns a column named {to}"));
    }
    let own = match producer {
        Producer::Bare(k) => Some(*k),
        Producer::Alias(_) => None,
    };
    let reread = model.columns.iter().enumerate().find(|(k, c)| {
        if Some(*k) == own || !c.name.is(from) {
            return false;
        }
        match c.scope {
            // Within the producing SELECT a name reads its inputs, except where ORDER BY or
            // GROUP BY may name the output alias.
            Some(s) if s == scope => c.place == Place::Sort && own.is_none(),
            // Elsewhere it may read the produced column (a CTE's result).
            _ => model.is_body(scope),
        }
    });
    reread.map(|(_, c)| {
        let line = text.get(..c.name.span.0).unwrap_or(text).matches('\n').count() + 1;
        format!("the model reads `{}` again on line {line}", c.name.value)
    })
}
