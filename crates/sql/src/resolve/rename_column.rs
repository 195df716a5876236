//! `rename_column`: column references that bind with certainty to the changed table are
//! renamed (unqualified, by table name, by alias); a bare select-list item keeps the
//! query's output name unless output names propagate. Whatever binds uncertainly is a
//! finding.
//!
//! Every rewrite is re-bound against the schema after the change: an unqualified reference
//! whose new name another source in view would also answer to (a joined table, an outer
//! query of a correlated subquery, a CTE or derived table) is qualified with the changed
//! table's alias or name; where that is not possible, or the changed table itself already
//! has a column of the new name, or the query would return two columns of the same name,
//! nothing is rewritten and a `sql/capture` finding says why.

use super::bind::{source_label, table_match, Binder, Binding};
use super::column_usage::{report_binding, star_and_using_findings};
use super::names::{ref_parts, render, NamePart};
use super::output::{Output, Owner};
use super::scope::{ColumnRef, Model, Place, ScopeId, Source, SourceKind, MAX_STAR_DEPTH};
use crate::dialect::QuotedLiterals;
use crate::ids;
use ripple_core::{Change, ChangeSet, Dialect, Ident, OutputNames, RuleContext, Severity, TableName};

pub const RULE: &str = ids::RENAME_COLUMN.id;
pub const CAPTURE: &str = ids::CAPTURE.id;

/// What the change set makes of one column.
#[derive(Debug, Clone, PartialEq, Eq)]
enum After {
    Same,
    Renamed(Ident),
    Dropped,
}

/// The fate of a column under the change set (each change reads the names as they were
/// before the set): `is_table` says whether a change's table is the column's table,
/// `is_column` whether a change's column is this one.
fn after(
    changes: &ChangeSet,
    is_table: impl Fn(&TableName) -> bool,
    is_column: impl Fn(&Ident) -> bool,
) -> After {
    for (_, c) in changes.iter() {
        match c {
            Change::RenameColumn { table, from, to } if is_table(table) && is_column(from) => {
                return After::Renamed(to.clone())
            }
            Change::DropColumn { table, column } if is_table(table) && is_column(column) => {
                return After::Dropped
            }
            _ => {}
        }
    }
    After::Same
}

fn same_ident(a: &Ident, b: &Ident) -> bool {
    a.matches(&b.value, b.quoted)
}

fn same_table(a: &TableName, b: &TableName) -> bool {
    a.parts.len() == b.parts.len() && a.parts.iter().zip(&b.parts).all(|(x, y)| same_ident(x, y))
}

fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

struct Renamer<'a, 'm> {
    model: &'m Model,
    ctx: &'a RuleContext<'a>,
    binder: Binder<'m>,
    table: &'a TableName,
    from: &'a Ident,
    to: &'a Ident,
}

/// How an unqualified reference can take the new name.
enum Safety {
    /// As it stands: nothing else in view answers to the new name.
    Bare,
    /// With this qualifier in front.
    Qualify(String),
    /// Not at all; why.
    Unsafe(String),
}

impl Renamer<'_, '_> {
    /// Why the changed table cannot take the new name at all, if it cannot: the catalog
    /// lists a column of that name (or another change renames one onto it), or this
    /// statement already reads a column of that name from the table.
    fn self_clash(&self, original: &str, quoted: QuotedLiterals) -> Option<String> {
        let (table, from, to) = (self.table, self.from, self.to);
        let parts: Vec<(&str, bool)> = table.parts.iter().map(|p| (p.value.as_str(), p.quoted)).collect();
        if let Some(cols) = self.ctx.catalog.columns_of(&parts) {
            for col in cols.iter().filter(|c| !same_ident(from, c)) {
                let fate = after(self.ctx.changes, |t| same_table(t, table), |f| same_ident(f, col));
                match fate {
                    After::Same if same_ident(to, col) => {
                        return Some(format!("{table} already has a column {to} (catalog)"))
                    }
                    After::Renamed(n) if same_ident(to, &n) => {
                        return Some(format!("the change set also renames {table}.{col} to {to}"))
                    }
                    _ => {}
                }
            }
        }
        for r in &self.model.columns {
            // A double-quoted name that may be a string proves nothing.
            if !r.name.is(to) || (r.from_literal && quoted != QuotedLiterals::Identifier) {
                continue;
            }
            // A column of the new name that the change set renames or drops is no clash
            // (a swap of two names).
            if after(self.ctx.changes, |t| same_table(t, table), |f| r.name.is(f)) != After::Same {
                continue;
            }
            if let Binding::Changed(_) = self.binder.bind(r, table, to) {
                return Some(format!(
                    "this statement already reads a column `{}` of {table} (line {})",
                    r.name.value,
                    line_of(original, r.name.span.0)
                ));
            }
        }
        None
    }

    /// Could `src` answer to the new name once the change set applies? Unknown columns
    /// count as yes.
    fn may_have_new_name(&self, src: &Source) -> bool {
        let model = self.model;
        match src.kind {
            SourceKind::Table(t) => {
                let tr = &model.tables[t];
                if tr.is_jinja() {
                    return true;
                }
                let Some(cols) = self.ctx.catalog.columns_of(&ref_parts(&tr.parts)) else { return true };
                cols.iter().any(|c| {
                    match after(self.ctx.changes, |tk| table_match(model, t, tk).is_some(), |f| same_ident(f, c)) {
                        After::Same => same_ident(self.to, c),
                        After::Renamed(n) => same_ident(self.to, &n),
                        After::Dropped => false,
                    }
                })
            }
            SourceKind::Cte(_) | SourceKind::Derived(_) => match model.outputs_of(src.kind) {
                Some(names) => names.iter().any(|n| {
                    n.is(self.to)
                        || (self.binder.output_names == OutputNames::Propagate
                            && self.ctx.changes.iter().any(|(_, c)| {
                                // An output renamed through by another change may take the name.
                                matches!(c, Change::RenameColumn { from, to, .. } if n.is(from) && same_ident(self.to, to))
                            }))
                }),
                None => true,
            },
            SourceKind::Unknown => true,
        }
    }

    /// The sources behind the stars that pass the changed column on to `src` which would
    /// answer to the new name too: the stars would then pass on two columns of that name.
    fn star_capturers(&self, src: &Source, depth: usize) -> Vec<String> {
        let model = self.model;
        let body = match src.kind {
            SourceKind::Cte(k) => model.ctes[k].body,
            SourceKind::Derived(b) => b,
            _ => None,
        };
        let Some(body) = body.filter(|_| depth < MAX_STAR_DEPTH) else { return Vec::new() };
        let mut who = Vec::new();
        if model.scopes[body].items.iter().any(|i| i.output.as_ref().is_some_and(|o| o.is(self.to))) {
            who.push(format!("the select list of {}", source_label(model, src)));
        }
        for star in model.stars_of(body) {
            for behind in model.star_sources(star) {
                if self.binder.source_is_changed(behind, self.table).is_some() {
                    continue;
                }
                if self.binder.passes_changed(behind, self.table, self.from) {
                    who.extend(self.star_capturers(behind, depth + 1));
                } else if self.may_have_new_name(behind) {
                    who.push(format!("`{}`", source_label(model, behind)));
                }
            }
        }
        who
    }

    fn safety(&self, c: &ColumnRef, sink: &Output<'_>) -> Safety {
        if c.owner.is_some() {
            return Safety::Bare;
        }
        let via = match c.scope {
            Some(scope) if !c.qualifier.is_empty() => self.model.source_named(scope, &c.qualifier),
            _ => self.binder.changed_source(c, self.table, self.from),
        };
        if let Some((x, i)) = via {
            let who = self.star_capturers(&self.model.scopes[x].sources[i], 0);
            if !who.is_empty() {
                return Safety::Unsafe(format!(
                    "`{}` would become `{}`, but the star also passes on a `{}` from {}; not rewritten: name the column in that SELECT",
                    c.name.value,
                    self.to.value,
                    self.to.value,
                    who.join(" and ")
                ));
            }
        }
        if !c.qualifier.is_empty() {
            return Safety::Bare;
        }
        let (Some(scope), Some((x, i))) = (c.scope, via) else {
            return Safety::Bare;
        };
        let model = self.model;
        let mut capturers = Vec::new();
        let mut s = Some(scope);
        while let Some(id) = s {
            for (j, src) in model.scopes[id].sources.iter().enumerate() {
                if (id, j) != (x, i) && self.may_have_new_name(src) {
                    let outer = if id == scope { "" } else { " (enclosing query)" };
                    capturers.push(format!("`{}`{outer}", source_label(model, src)));
                }
            }
            if id == x {
                break;
            }
            s = model.scopes[id].parent;
        }
        // ORDER BY / GROUP BY prefer an output of that name (in most dialects): an output
        // that is, after the change, named like the new name and holds another value
        // would take the reference.
        if c.place == Place::Sort && self.other_output_named_new(scope, None) {
            capturers.push("another output column of this SELECT".to_string());
        }
        if capturers.is_empty() {
            return Safety::Bare;
        }
        let who = capturers.join(" and ");
        let unsafe_because = |why: String| {
            Safety::Unsafe(format!(
                "`{}` would become `{}`, a name {who} also has, so it would bind there; {why}; not rewritten: qualify it by hand",
                c.name.value, self.to.value
            ))
        };
        let src = &model.scopes[x].sources[i];
        let (parts, span): (Vec<NamePart>, (usize, usize)) = match (&src.alias, src.kind) {
            (Some(a), _) => (vec![a.clone()], a.span),
            (None, SourceKind::Table(t)) => {
                let tr = &model.tables[t];
                if tr.is_jinja() || tr.parts.is_empty() {
                    return unsafe_because(
                        "its table is named by a Jinja expression, so ripple cannot qualify it".into(),
                    );
                }
                let renamed = self.ctx.changes.iter().any(
                    |(_, ch)| matches!(ch, Change::RenameTable { from, .. } if table_match(model, t, from).is_some()),
                );
                if renamed {
                    return unsafe_because(format!(
                        "qualifying it with `{}` would clash with the table rename in the same change set",
                        tr.parts.last().map(|p| p.value.as_str()).unwrap_or("")
                    ));
                }
                let span = (tr.parts[0].span.0, tr.parts[tr.parts.len() - 1].span.1);
                (tr.parts.clone(), span)
            }
            // A chain of stars over the changed table, by its CTE's name.
            (None, SourceKind::Cte(k)) => (vec![model.ctes[k].name.clone()], model.ctes[k].name.span),
            _ => {
                return Safety::Unsafe(format!("`{}` cannot be qualified here; not rewritten", c.name.value))
            }
        };
        let text = sink.text(span);
        if text.is_empty() || sink.source.masked.touches(span.0, span.1) {
            return unsafe_because("its table's name is not plain code here".into());
        }
        // The qualifier must bind, from where the reference stands, to the changed table.
        if model.source_named(scope, &parts) != Some((x, i)) {
            return unsafe_because(format!("`{text}` names another source from where it stands"));
        }
        Safety::Qualify(text.to_string())
    }

    /// Does a select-list item of `scope` other than the reference itself (`index`) or
    /// another reference to the changed column return a column named like the new name
    /// once the change set applies?
    fn other_output_named_new(&self, scope: ScopeId, index: Option<usize>) -> bool {
        let propagate = self.binder.output_names == OutputNames::Propagate;
        self.model.scopes[scope].items.iter().any(|it| {
            if let Some(k) = it.column {
                let r = &self.model.columns[k];
                // The changed column itself, under whatever output name, is the same value.
                if Some(k) == index
                    || (r.name.is(self.from)
                        && matches!(self.binder.bind(r, self.table, self.from), Binding::Changed(_)))
                {
                    return false;
                }
            }
            let Some(k) = it.column.filter(|_| !it.explicit_alias) else {
                return it.output.as_ref().is_some_and(|o| o.is(self.to));
            };
            let r = &self.model.columns[k];
            let renamed = self.ctx.changes.iter().find_map(|(_, ch)| match ch {
                Change::RenameColumn { table, from, to }
                    if propagate
                        && r.name.is(from)
                        && matches!(self.binder.bind(r, table, from), Binding::Changed(_)) =>
                {
                    Some(to.clone())
                }
                _ => None,
            });
            match renamed {
                Some(n) => same_ident(self.to, &n),
                None => r.name.is(self.to),
            }
        })
    }

    /// With output names propagating, a bare item renamed to a name another item of the
    /// same SELECT returns would make two outputs of one name.
    fn duplicate_output(&self, index: usize, c: &ColumnRef) -> Option<String> {
        if self.binder.output_names != OutputNames::Propagate || !c.bare_item || c.place != Place::Item {
            return None;
        }
        let scope: ScopeId = c.scope?;
        self.other_output_named_new(scope, Some(index)).then(|| {
            format!(
                "output names propagate, and this SELECT would then return two columns named `{}`; not rewritten: alias one of them",
                self.to.value
            )
        })
    }
}

#[allow(clippy::too_many_arguments)]
pub fn run(
    model: &Model,
    ctx: &RuleContext<'_>,
    quoted: QuotedLiterals,
    change: usize,
    table: &TableName,
    from: &Ident,
    to: &Ident,
    sink: &mut Output<'_>,
) {
    let binder = Binder { model, catalog: ctx.catalog, output_names: ctx.options.output_names };
    let ddl = model.kind().is_ddl();
    let (owner, rule) = if ddl { (Owner::Ddl, ids::DDL.id) } else { (Owner::RenameColumn, RULE) };
    let as_kw = if model.upper_keywords { "AS" } else { "as" };
    let renamer = Renamer {
        model,
        ctx,
        binder: Binder { model, catalog: ctx.catalog, output_names: ctx.options.output_names },
        table,
        from,
        to,
    };
    let mark = sink.mark();
    // Why the statement cannot be rewritten consistently, if it cannot: its edits are then
    // withdrawn.
    let mut refused: Option<((usize, usize), String)> = None;
    let propagate = ctx.options.output_names == OutputNames::Propagate;
    // Output names propagate: the output of a CTE or derived table renamed, and the first
    // reference left as it was (the statement is then rewritten entirely or not at all).
    let mut body_renamed = false;
    let mut left: Option<(usize, usize)> = None;
    // The first reference of the changed column (or one that may be it) left as it was.
    let mut half: Option<(usize, usize)> = None;
    let mut clash: Option<Option<String>> = None;
    for (index, c) in model.columns.iter().enumerate() {
        if !c.name.is(from) || (c.from_literal && quoted == QuotedLiterals::String) {
            continue;
        }
        match binder.bind(c, table, from) {
            Binding::Changed(conf) => {
                if c.from_literal && quoted == QuotedLiterals::Uncertain {
                    sink.finding(
                        owner,
                        c.name.span,
                        ids::UNRESOLVED_COLUMN.id,
                        Some(change),
                        Severity::Review,
                        format!(
                            "\"{}\" reads as a column of {table} but may be a string in this file's dialect (it uses backticks); not rewritten, set --dialect",
                            c.name.value
                        ),
                    );
                    left.get_or_insert(c.name.span);
                    half.get_or_insert(c.name.span);
                    continue;
                }
                let clash = clash.get_or_insert_with(|| renamer.self_clash(&sink.source.original, quoted));
                if let Some(why) = clash {
                    let msg = format!("{table}.{from} cannot become {to}: {why}; not rewritten");
                    sink.finding(owner, c.name.span, CAPTURE, Some(change), Severity::Review, msg);
                    left.get_or_insert(c.name.span);
                    half.get_or_insert(c.name.span);
                    continue;
                }
                let qualifier = match renamer.safety(c, sink) {
                    Safety::Bare => None,
                    Safety::Qualify(q) => Some(q),
                    Safety::Unsafe(msg) => {
                        sink.finding(owner, c.name.span, CAPTURE, Some(change), Severity::Review, msg);
                        left.get_or_insert(c.name.span);
                        half.get_or_insert(c.name.span);
                        continue;
                    }
                };
                if let Some(msg) = renamer.duplicate_output(index, c) {
                    sink.finding(owner, c.name.span, CAPTURE, Some(change), Severity::Review, msg);
                    left.get_or_insert(c.name.span);
                    half.get_or_insert(c.name.span);
                    continue;
                }
                let names_output = c.place == Place::Item
                    && (c.bare_item
                        || !matches!(named_after(model, index, Dialect::Postgres), NamedAfter::No));
                body_renamed |= propagate && names_output && c.scope.is_some_and(|s| model.is_body(s));
                let written = render(to, &c.name, sink.source.dialect);
                let new = match qualifier {
                    Some(q) => format!("{q}.{written}"),
                    None => written,
                };
                let keep_output = c.bare_item
                    && c.place == Place::Item
                    && ctx.options.output_names == OutputNames::Preserve;
                let text =
                    if keep_output { format!("{new} {as_kw} {}", sink.text(c.name.span)) } else { new };
                if ctx.options.output_names == OutputNames::Preserve {
                    match named_after(model, index, sink.source.dialect) {
                        NamedAfter::No => {}
                        NamedAfter::EndsAt(end) => {
                            let alias = format!(" {as_kw} {}", sink.text(c.name.span));
                            sink.edit(owner, (end, end), alias, rule, change, conf);
                        }
                        NamedAfter::Unknown => {
                            refused.get_or_insert((c.name.span, format!(
                                "the select item around `{}` is named after the column, and ripple cannot tell where it ends to keep that name with an alias (add one by hand)",
                                c.name.value
                            )));
                            continue;
                        }
                    }
                }
                sink.edit(owner, c.name.span, text, rule, change, conf);
            }
            other => {
                if matches!(other, Binding::Ambiguous(_) | Binding::Unresolved(_)) {
                    left.get_or_insert(c.name.span);
                }
                // An unresolved name may be an output column (`ORDER BY` of a set
                // operation); an ambiguous one may well be the changed column.
                if matches!(other, Binding::Ambiguous(_)) {
                    half.get_or_insert(c.name.span);
                }
                report_binding(owner, other, c, change, &format!("renamed to {to}"), sink)
            }
        }
    }
    if body_renamed && refused.is_none() {
        refused = left.map(|at| (at, "a reference to the renamed output of a CTE or derived table is not rewritten (output names propagate), so the statement would not run".to_string()));
        if refused.is_none() {
            refused = joined_on_renamed_output(model, &binder, table, from);
        }
    }
    // A reference of the old name left as it was (ambiguous, unresolved, unsafe to rename)
    // beside rewritten ones would half-rename the statement: its rewrites go back to findings,
    // and the reference keeps its own.
    if refused.is_none() {
        if let Some(at) = half.filter(|_| sink.edits_since(mark).next().is_some()) {
            let source = sink.source;
            let original = &source.original;
            let line = line_of(original, at.0);
            let column = at.0 - original[..at.0].rfind('\n').map_or(0, |n| n + 1) + 1;
            let name = sink.text(at);
            sink.withdraw_since(mark, |e| {
                format!(
                    "would rewrite this to {:?}, but `{name}` at {line}:{column} cannot be rewritten with certainty, and the statement would be half-renamed; nothing in it was rewritten for {table}.{from}",
                    e.replacement
                )
            });
        }
    }
    if let Some((at, why)) = refused {
        sink.withdraw_since(mark, |e| {
            format!(
                "would rewrite this to {:?}, but {why}; nothing in this statement was rewritten",
                e.replacement
            )
        });
        let msg =
            format!("{table}.{from} is renamed to {to}, but {why}; nothing in this statement was rewritten");
        sink.finding(owner, at, ids::UNRESOLVED_COLUMN.id, Some(change), Severity::Review, msg);
    }
    star_and_using_findings(model, &binder, change, table, from, &format!("renamed to {to}"), owner, sink);
}

/// A `USING` list or NATURAL join over a CTE or derived table whose output the change
/// renames: the other side keeps the old name, so the join would no longer match.
fn joined_on_renamed_output(
    model: &Model,
    binder: &Binder<'_>,
    table: &TableName,
    from: &Ident,
) -> Option<((usize, usize), String)> {
    model.usings.iter().find_map(|u| {
        if u.name.as_ref().is_some_and(|n| !n.is(from)) {
            return None;
        }
        let src = model.scopes[u.scope].sources.iter().find(|s| binder.passes_changed(s, table, from))?;
        let what = match &u.name {
            Some(n) => format!("USING ({})", n.value),
            None => "a NATURAL join".to_string(),
        };
        Some((
            u.span,
            format!(
                "{what} joins on the output `{from}` of {}, which output names propagate would rename while the other side keeps it",
                source_label(model, src)
            ),
        ))
    })
}

/// Whether a column reference names the output of the select item around it.
enum NamedAfter {
    No,
    /// Yes, and the item's expression ends here.
    EndsAt(usize),
    /// Yes, but where the item ends is not known.
    Unknown,
}

/// Does reference `index` give its name to an unaliased cast, COLLATE or parenthesised
/// item? Postgres (and the common ground when no dialect is known) names such an item
/// after the column; MySQL, Snowflake, BigQuery and Spark name it after its text or not
/// at all, which a rename changes whatever ripple does.
fn named_after(model: &Model, index: usize, dialect: Dialect) -> NamedAfter {
    if !matches!(dialect, Dialect::Postgres | Dialect::Generic) {
        return NamedAfter::No;
    }
    let Some(scope) = model.columns[index].scope else { return NamedAfter::No };
    let item = model.scopes[scope].items.iter().find_map(|it| it.named_after.filter(|(k, _)| *k == index));
    match item {
        None => NamedAfter::No,
        Some((_, Some(end))) => NamedAfter::EndsAt(end),
        Some((_, None)) => NamedAfter::Unknown,
    }
}
