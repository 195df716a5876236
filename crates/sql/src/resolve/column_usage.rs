//! Uses of a changed column that are reported: references to a dropped column (removed
//! instead where `drop_lists` can take it out of every list that names it), uses of a
//! column whose type changes that the new type may break (judged with the type lattice of
//! `crate::types`), `SELECT *` and `USING`/NATURAL joins whose meaning shifts, and
//! references that cannot be bound with certainty.

use super::bind::{Binder, Binding};
use super::drop_lists;
use super::output::{Output, Owner};
use super::scope::{ColumnRef, Model, Place, UseKind};
use crate::dialect::{facts, QuotedLiterals};
use crate::ids;
use crate::types::{shift, Class, Literal, Shift, SqlType};
use ripple_core::{Change, Dialect, Ident, RuleContext, Severity, TableName};

pub fn run(
    model: &Model,
    ctx: &RuleContext<'_>,
    quoted: QuotedLiterals,
    change: usize,
    c: &Change,
    sink: &mut Output<'_>,
) {
    let binder = Binder { model, catalog: ctx.catalog, output_names: ctx.options.output_names };
    let owner = Owner::ColumnUsage;
    match c {
        Change::DropColumn { table, column } => {
            let (lexed, text) = (&sink.source.lexed, sink.source.original.as_str());
            let removal = drop_lists::plan(model, &binder, ctx.catalog, quoted, table, column, lexed, text);
            let covered = removal.as_ref().map(|r| r.covered.clone()).unwrap_or_default();
            let positional_removed = removal.as_ref().is_some_and(|r| r.positional);
            if let Some(r) = removal {
                // One edit over all the removals: it applies whole or, where some byte of
                // it cannot be edited (a parameter, a host string's escape), not at all.
                let (span, text) = without(&sink.source.original, r.spans);
                sink.edit(owner, span, text, ids::DROPPED_COLUMN.id, change, r.confidence);
                for span in r.result_items {
                    sink.finding(
                        owner,
                        span,
                        ids::DROPPED_COLUMN.id,
                        Some(change),
                        Severity::Review,
                        format!("column {table}.{column} is dropped and removed from this result, which has one column fewer: check the code that reads it by position"),
                    );
                }
            }
            for (i, r) in model.columns.iter().enumerate() {
                if !r.name.is(column)
                    || (r.from_literal && quoted == QuotedLiterals::String)
                    || covered.contains(&i)
                {
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
                            ids::DROPPED_COLUMN.id,
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
                if !positional_removed && super::bind::table_match(model, t, table).is_some() {
                    sink.finding(
                        owner,
                        model.tables[t].span,
                        ids::DROPPED_COLUMN.id,
                        Some(change),
                        Severity::Review,
                        format!("INSERT without a column list relies on the column order of {table}, which loses {column}"),
                    );
                }
            }
        }
        Change::ChangeType { table, column, from, to } => {
            type_change(model, ctx, quoted, &binder, change, table, column, from.as_deref(), to, sink);
        }
        _ => {}
    }
}

/// The span from the first to the last of `spans` (disjoint) and its text without them.
fn without(original: &str, mut spans: Vec<(usize, usize)>) -> ((usize, usize), String) {
    spans.sort();
    let start = spans.first().map_or(0, |s| s.0);
    let end = spans.iter().map(|s| s.1).max().unwrap_or(start);
    let mut text = String::new();
    let mut at = start;
    for (s, e) in spans {
        text.push_str(original.get(at..s.max(at)).unwrap_or(""));
        at = at.max(e);
    }
    ((start, end), text)
}

/// Findings for a binding that is neither the changed column nor certainly something else.
pub fn report_binding(
    owner: Owner,
    b: Binding,
    r: &ColumnRef,
    change: usize,
    what: &str,
    sink: &mut Output<'_>,
) {
    match b {
        Binding::Ambiguous(candidates) => sink.finding(
            owner,
            r.name.span,
            ids::AMBIGUOUS_COLUMN.id,
            Some(change),
            Severity::Review,
            format!(
                "unqualified `{}` could belong to {}; the changed column is being {what}: qualify it (not rewritten)",
                r.name.value,
                candidates.join(" or ")
            ),
        ),
        Binding::Unresolved(msg) => {
            sink.finding(owner, r.name.span, ids::UNRESOLVED_COLUMN.id, Some(change), Severity::Review, msg)
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
    sink: &mut Output<'_>,
) {
    for s in &model.stars {
        let sc = &model.scopes[s.scope];
        // A star whose result only readers naming columns see changes nothing by itself;
        // nor does one whose EXCEPT leaves the column out.
        if sc.in_exists || !model.passes_out(s.scope) || s.except.iter().any(|n| n.is(column)) {
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
                ids::SELECT_STAR.id,
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
        sink.finding(owner, u.span, ids::USING_JOIN.id, Some(change), Severity::Review, msg);
    }
}

/// One finding about a typed use: rule, severity, message.
type TypeFinding = (&'static str, Severity, String);

/// Findings for the uses of a column whose type changes. Nothing is reported where the
/// lattice shows nothing can break (a widening change read plainly, compared with numbers,
/// summed); a use the lattice cannot judge keeps the generic `sql/type-change-cast`.
#[allow(clippy::too_many_arguments)]
fn type_change(
    model: &Model,
    ctx: &RuleContext<'_>,
    quoted: QuotedLiterals,
    binder: &Binder<'_>,
    change: usize,
    table: &TableName,
    column: &Ident,
    from: Option<&str>,
    to: &str,
    sink: &mut Output<'_>,
) {
    let dialect = ctx.options.dialect;
    let new = SqlType::parse(to, dialect);
    let old = from.map(|f| SqlType::parse(f, dialect));
    let moved = shift(old.as_ref(), &new);
    let judge = Judge { table, column, to, new: &new, old: old.as_ref(), moved, dialect };
    for (i, r) in model.columns.iter().enumerate() {
        if !r.name.is(column) || (r.from_literal && quoted == QuotedLiterals::String) {
            continue;
        }
        let uses: Vec<_> = model.type_uses.iter().filter(|u| u.column == i).collect();
        let write = matches!(r.place, Place::InsertColumn | Place::SetTarget);
        let untyped_cast = r.in_cast && !uses.iter().any(|u| matches!(u.kind, UseKind::Cast { .. }));
        if uses.is_empty() && !untyped_cast && !(write && moved == Shift::Narrowing) {
            continue;
        }
        match binder.bind(r, table, column) {
            Binding::Changed(_) => {}
            other => {
                let what = format!("changing type to {to}");
                report_binding(Owner::ColumnUsage, other, r, change, &what, sink);
                continue;
            }
        }
        let mut found: Vec<TypeFinding> = Vec::new();
        for u in &uses {
            let expr = sink.text(u.span).split_whitespace().collect::<Vec<_>>().join(" ");
            found.extend(judge.use_of(&u.kind, &expr));
        }
        if untyped_cast && moved != Shift::Same {
            found.push((
                ids::TYPE_CHANGE_CAST.id,
                Severity::Review,
                format!("{table}.{column} changes type to {to}; check that this cast still holds"),
            ));
        }
        if write && moved == Shift::Narrowing {
            let was = from.unwrap_or("?");
            found.push((
                ids::TYPE_NARROWING_WRITE.id,
                Severity::Review,
                format!(
                    "{table}.{column} narrows from {was} to {to}: the values written here must fit ({})",
                    loss(&new)
                ),
            ));
        }
        for (rule, sev, msg) in found {
            sink.finding(Owner::ColumnUsage, r.name.span, rule, Some(change), sev, msg);
        }
    }
}

struct Judge<'a> {
    table: &'a TableName,
    column: &'a Ident,
    to: &'a str,
    new: &'a SqlType,
    old: Option<&'a SqlType>,
    moved: Shift,
    dialect: Dialect,
}

impl Judge<'_> {
    /// Was the old type already of a class for which `check` holds? Unknown counts as no.
    fn old_was(&self, check: impl Fn(Class) -> bool) -> bool {
        self.old.is_some_and(|o| check(o.class()))
    }

    /// A use of the column beside a literal (a comparison, a COALESCE fallback): the literal
    /// must suit the new type, and a literal of the old type that still converts now
    /// compares (or yields) in another domain.
    fn with_literal(&self, literal: &str, expr: &str, verb: &str) -> Option<TypeFinding> {
        let (table, column, to, new) = (self.table, self.column, self.to, self.new);
        let nc = new.class();
        let lit = Literal::of(literal);
        let mut fits = lit.suits(new);
        if !facts(self.dialect).strings_compare_as_numbers
            && matches!(lit, Literal::String(_))
            && matches!(nc, Class::Integer | Class::Decimal | Class::Float | Class::Boolean)
        {
            fits = Some(false);
        }
        if self.old.is_some_and(|o| lit.suits(o) == Some(false)) {
            return None;
        }
        if fits != Some(false) {
            return self.domain_change(&lit, literal, expr, verb);
        }
        let why = match (&lit, nc) {
            (Literal::String(_), Class::Temporal) => {
                format!("{literal} does not read as a plain {new} value (a time of day would be dropped or the text is not a date)")
            }
            (Literal::String(_), _) => {
                format!("{literal} does not read as {} value", nc.with_article())
            }
            (_, Class::Text) => {
                "text compared with a number fails in Postgres and compares as numbers in MySQL".to_string()
            }
            _ => format!("{} does not suit {} column", lit.describe(), nc.with_article()),
        };
        Some((
            ids::TYPE_LITERAL_MISMATCH.id,
            Severity::Review,
            format!("{table}.{column} becomes {to}, but `{expr}` {verb} {}: {why}", lit.describe()),
        ))
    }

    /// `literal` suits the old type and converts to the new one, whose values compare
    /// otherwise: as numbers or dates instead of text, or the other way round.
    fn domain_change(&self, lit: &Literal, literal: &str, expr: &str, verb: &str) -> Option<TypeFinding> {
        let old = self.old?;
        let (was, now) = (old.class().compares_as()?, self.new.class().compares_as()?);
        // Text and dates are written as string literals; numbers are not.
        let written_for_old = matches!(lit, Literal::String(_)) && !old.class().is_numeric();
        if was == now || !written_for_old || lit.suits(old) != Some(true) {
            return None;
        }
        let example = match (old.class(), self.new.class()) {
            (Class::Text, n) if n.is_numeric() => {
                " (as text, '9' > '10' and '042' <> '42'; as numbers, neither holds)"
            }
            (_, Class::Text) => " (as text, '2024-1-5' > '2024-01-10')",
            _ => "",
        };
        let (table, column, to) = (self.table, self.column, self.to);
        Some((
            ids::TYPE_LITERAL_MISMATCH.id,
            Severity::Review,
            format!(
                "{table}.{column} becomes {to}, and `{expr}` {verb} {} written for its old type ({literal}): values now compare as {now}, not as {was}{example}",
                lit.describe()
            ),
        ))
    }

    fn use_of(&self, kind: &UseKind, expr: &str) -> Option<TypeFinding> {
        let (table, column, to, new) = (self.table, self.column, self.to, self.new);
        let nc = new.class();
        match kind {
            UseKind::Cast { target, direct } => {
                let target_ty = SqlType::parse(target, self.dialect);
                match target_ty.holds(new) {
                    Some(true) => None,
                    _ if self.moved == Shift::Same => None,
                    // Lossy before and the column did not grow: the change adds no risk.
                    Some(false)
                        if self.old.is_some_and(|o| target_ty.holds(o) == Some(false) && o.holds(new) == Some(true)) =>
                    {
                        None
                    }
                    Some(false) if *direct => Some((
                        ids::TYPE_NARROWING_CAST.id,
                        Severity::Review,
                        format!(
                            "{table}.{column} becomes {to}; `{expr}` casts it to {target}, which does not hold every {to} value ({target_ty} < {new}): {}",
                            loss(&target_ty)
                        ),
                    )),
                    Some(false) => Some((
                        ids::TYPE_CHANGE_CAST.id,
                        Severity::Review,
                        format!(
                            "{table}.{column} becomes {to} inside `{expr}`, cast to {target}, which does not hold every {to} value; check that the cast still holds"
                        ),
                    )),
                    None => Some((
                        ids::TYPE_CHANGE_CAST.id,
                        Severity::Review,
                        format!(
                            "{table}.{column} changes type to {to}; ripple cannot tell whether the cast to {target} in `{expr}` still holds: check it"
                        ),
                    )),
                }
            }
            UseKind::Compare { literal } => self.with_literal(literal, expr, "compares it with"),
            UseKind::Coalesce { literal } => self.with_literal(literal, expr, "falls back to"),
            UseKind::Concat => {
                if nc == Class::Text || nc == Class::Other || self.old_was(|c| c != Class::Text) {
                    return None;
                }
                let how = if expr.contains("||") {
                    "Postgres needs a text operand beside it, MySQL reads `||` as OR, and "
                } else {
                    ""
                };
                Some((
                    ids::TYPE_TEXT_OP.id,
                    Severity::Review,
                    format!(
                        "{table}.{column} becomes {to}, which is not text: `{expr}` concatenates it as text ({how}the text's exact form, such as leading zeros, is lost)"
                    ),
                ))
            }
            UseKind::Like => {
                if nc == Class::Text || nc == Class::Other || self.old_was(|c| c != Class::Text) {
                    return None;
                }
                Some((
                    ids::TYPE_TEXT_OP.id,
                    Severity::Review,
                    format!(
                        "{table}.{column} becomes {to}, which is not text: `{expr}` needs text (Postgres refuses it; other dialects convert implicitly)"
                    ),
                ))
            }
            UseKind::Arithmetic { op } => {
                if nc.is_numeric() {
                    let int_div = |t: &SqlType| t.class() == Class::Integer;
                    let divides = op == "/"
                        && facts(self.dialect).integer_division
                        && self.old.is_some_and(|o| o.class().is_numeric() && int_div(o) != int_div(new));
                    return divides.then(|| {
                        let now = if int_div(new) {
                            "integer division (the fraction is dropped)"
                        } else {
                            "exact division"
                        };
                        (
                            ids::TYPE_NUMERIC_OP.id,
                            Severity::Review,
                            format!("{table}.{column} becomes {to}: `{expr}` is now {now} in Postgres"),
                        )
                    });
                }
                let breaks = match nc {
                    Class::Other => false,
                    // Date arithmetic is common: only a column known to have been a number.
                    Class::Temporal => self.old_was(Class::is_numeric),
                    _ => !self.old_was(|c| !c.is_numeric() && c != Class::Temporal),
                };
                breaks.then(|| {
                    (
                        ids::TYPE_NUMERIC_OP.id,
                        Severity::Review,
                        format!(
                            "{table}.{column} becomes {to}, which is not a number: `{expr}` ({op}) needs one"
                        ),
                    )
                })
            }
            UseKind::Aggregate { func } => {
                if nc.is_numeric() || nc == Class::Other || self.old_was(|c| !c.is_numeric()) {
                    return None;
                }
                Some((
                    ids::TYPE_NUMERIC_OP.id,
                    Severity::Review,
                    format!(
                        "{table}.{column} becomes {to}, which is not a number: `{expr}` needs one ({} takes numbers)",
                        func.to_uppercase()
                    ),
                ))
            }
        }
    }
}

/// What a value that does not fit `ty` loses.
fn loss(ty: &SqlType) -> &'static str {
    match ty.class() {
        Class::Integer => "values out of its range fail",
        Class::Decimal => "values out of its range fail, extra decimals are rounded",
        Class::Text => "longer values are cut or rejected, depending on the dialect",
        Class::Temporal => "the time of day is dropped",
        _ => "some values do not fit",
    }
}
