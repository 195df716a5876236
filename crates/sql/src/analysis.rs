//! The analysis of one SQL text: prepared (Jinja and bind parameters masked, statements
//! isolated and modelled), then every change is carried through each statement by the
//! resolver's passes, which write into one [`Output`].

use crate::branches;
use crate::ids;
use crate::macros::MacroRule;
use crate::model::Model;
use crate::prepare::{prepare, PrepareOptions};
use crate::resolve::output::{Output, Owner};
use crate::resolve::scope::StatementKind;
use crate::resolve::statements::{Branches, Parsed, Unit};
use crate::resolve::{
    column_usage, ddl, fallback, model_drop, model_outputs, owned_sequences, rename_column, rename_table,
    stage_fields,
};
use crate::{jinja_lists, macros, placed};
use ripple_core::{relevance, Change, RuleContext, RuleOutput, Severity, TableName};
use std::path::Path;

/// Analyses one SQL text: its edits and findings, part by part.
pub(crate) fn analyse(
    path: &Path,
    text: &str,
    ctx: &RuleContext<'_>,
    macro_rules: &[MacroRule],
) -> RuleOutput {
    let prepared = prepare(text, &PrepareOptions::of(ctx));
    let source = prepared.source();
    let mut sink = Output::new(source);
    let count = prepared.units().len();
    for (k, unit) in prepared.units().iter().enumerate() {
        let last = k + 1 == count;
        match &unit.branches {
            Branches::None => analyse_unit(path, unit, last, ctx, &mut sink),
            Branches::Each(each) => {
                branches::analyse(unit, each, &mut sink, |u, sink| analyse_unit(path, u, last, ctx, sink))
            }
            Branches::TooMany(n) => too_many_branches(path, unit, *n, ctx, &mut sink),
        }
    }
    // Column names Jinja passes as strings: to known macros, and in lists loops read.
    let units = prepared.units();
    let readings = |start: usize, end: usize| -> Vec<&Model> {
        let Some(unit) = units.iter().find(|u| u.span.0 <= start && end <= u.span.1) else {
            return Vec::new();
        };
        match &unit.branches {
            Branches::None => model_of(unit).into_iter().collect(),
            // Every way that renders the range must be read, or none is taken.
            Branches::Each(each) => each
                .iter()
                .filter(|(v, _)| v.is_live(start, end))
                .map(|(_, u)| model_of(u))
                .collect::<Option<Vec<_>>>()
                .unwrap_or_default(),
            Branches::TooMany(_) => Vec::new(),
        }
    };
    placed::report_rename(path, text, ctx, &mut sink);
    macros::run(&readings, macro_rules, ctx, &mut sink);
    jinja_lists::run(&readings, ctx, &mut sink);
    owned_sequences::check(ctx, &mut sink);
    // A function or procedure body is SQL (or PL/pgSQL) kept in a string: not analysed,
    // but never passed over in silence.
    for &(start, end) in &source.lexed.dollar_bodies {
        let inside: Vec<_> = ctx.names.mentions(&text[start.min(text.len())..end.min(text.len())]);
        if let Some(m) = inside.first() {
            let span = (start + m.start, start + m.end);
            let mut names: Vec<String> = Vec::new();
            for m in &inside {
                let word = sink.text((start + m.start, start + m.end)).to_string();
                if !names.iter().any(|n| n.eq_ignore_ascii_case(&word)) {
                    names.push(word);
                }
            }
            let name = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            let body = if text.as_bytes().get(start) == Some(&b'$') {
                "a dollar-quoted function or procedure body"
            } else {
                "a function body in a string (JavaScript or another language)"
            };
            sink.finding(
                Owner::Statements,
                span,
                ids::UNANALYSED_BODY.id,
                None,
                Severity::Review,
                format!("{name} mentioned in {body}, which ripple does not analyse: check it by hand"),
            );
        }
    }
    sink.finish(is_migration_file(path))
}

/// Does a statement ripple cannot model need a person? When it is about a change: it names
/// a renamed table, or a changed column and that column's table. In the file that defines a
/// changed table (a model named after it) any mention counts, and so does a changed column
/// in a dbt macro, whose tables are its arguments.
fn unmodelled_is_about(path: &Path, unit: &Unit, ctx: &RuleContext<'_>, sink: &Output<'_>) -> bool {
    let words: Vec<&str> = unit.mentions.iter().map(|m| sink.text((m.start, m.end))).collect();
    if relevance::change_about(ctx.changes, &words, sink.text(unit.span), false).is_some() {
        return true;
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let in_macros = path.components().any(|c| c.as_os_str() == "macros");
    // A star (`SELECT *`, `UPDATE SET *`, `INSERT *`) over a changed table carries its changed
    // column without naming it.
    let star = sink.text(unit.span).contains('*');
    ctx.changes.iter().any(|(_, c)| {
        let column = |w: &&str| c.column().is_some_and(|col| col.matches(w, false));
        let table = |w: &&str| c.table().name().matches(w, false);
        c.table().name().matches(stem, false)
            || (in_macros && words.iter().any(column))
            || (star && c.column().is_some() && words.iter().any(table))
    })
}

/// The model with its `{{ this }}` resolved to the dbt model the file defines (a `.sql`
/// file under `models/` or `snapshots/`, named by its stem); `None` when it has none or the
/// file is not a model, where `{{ this }}` stays a Jinja-built table.
fn this_resolved(path: &Path, model: &Model) -> Option<Model> {
    let sql = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("sql"));
    let in_project =
        path.components().any(|c| matches!(c.as_os_str().to_str(), Some("models" | "snapshots")));
    let stem = path.file_stem()?.to_str()?;
    if !sql || !in_project || !model.tables.iter().any(|t| t.this) {
        return None;
    }
    let mut m = model.clone();
    for t in m.tables.iter_mut().filter(|t| t.this) {
        t.jinja = Some(TableName { parts: vec![ripple_core::Ident::new(stem)] });
        t.jinja_unknown = false;
    }
    Some(m)
}

fn model_of(unit: &Unit) -> Option<&Model> {
    match &unit.parsed {
        Parsed::Model(m) => Some(m.as_ref()),
        Parsed::Unparsed => None,
    }
}

/// A statement with more ways through its Jinja control flow than ripple analyses.
fn too_many_branches(path: &Path, unit: &Unit, n: usize, ctx: &RuleContext<'_>, sink: &mut Output<'_>) {
    let first = unit.mentions.first().map(|m| (m.start, m.end)).unwrap_or(unit.span);
    let severity = if unmodelled_is_about(path, unit, ctx, sink) { Severity::Review } else { Severity::Info };
    let (name, max) = (sink.text(first).to_string(), crate::source::jinja_flow::MAX_VARIANTS);
    sink.finding(
        Owner::Statements,
        first,
        ids::UNPARSED_STATEMENT.id,
        None,
        severity,
        format!("this statement was not analysed: its Jinja `if`s and `for`s make {n} ways through it, more than the {max} ripple reads; its mention of `{name}` was not checked"),
    );
}

/// `last`: the unit is the file's last statement, which defines a dbt model.
fn analyse_unit(path: &Path, unit: &Unit, last: bool, ctx: &RuleContext<'_>, sink: &mut Output<'_>) {
    let source = sink.source;
    let (quoted, lexed) = (source.quoted, &source.lexed);
    let first = unit.mentions.first().map(|m| (m.start, m.end)).unwrap_or(unit.span);
    let first_name = sink.text(first).to_string();
    let severity = if unmodelled_is_about(path, unit, ctx, sink) { Severity::Review } else { Severity::Info };
    let model = match &unit.parsed {
        Parsed::Unparsed => {
            sink.finding(
                Owner::Statements,
                first,
                ids::UNPARSED_STATEMENT.id,
                None,
                severity,
                match &unit.refusal {
                    Some(why) => format!("this statement was not analysed: {why}; its mention of `{first_name}` was not checked"),
                    None => format!(
                        "this statement could not be parsed, so its mention of `{first_name}` was not checked"
                    ),
                },
            );
            return;
        }
        Parsed::Model(m) => m,
    };
    let resolved = this_resolved(path, model);
    let model = resolved.as_ref().unwrap_or(model);
    if model.kind() == StatementKind::Other {
        sink.finding(
            Owner::Statements,
            first,
            ids::UNSUPPORTED_STATEMENT.id,
            None,
            severity,
            format!("ripple does not analyse this kind of statement; its mention of `{first_name}` was not checked"),
        );
        return;
    }
    if ddl::migration_statement(model, ctx, sink) {
        return;
    }
    for p in &unit.unclaimed {
        sink.finding(
            Owner::Statements,
            p.span,
            ids::UNANALYSED_MENTION.id,
            None,
            Severity::Review,
            format!("`{}` stands where ripple does not resolve names; not checked", p.value),
        );
    }
    let mark = sink.mark();
    for (i, change) in ctx.changes.iter() {
        stage_fields::run(model, i, change, sink);
        match change {
            Change::RenameTable { from, to } => rename_table::run(model, i, from, to, sink),
            Change::RenameColumn { table, from, to } => {
                rename_column::run(model, ctx, quoted, i, table, from, to, sink);
                ddl::rename_column(model, i, table, from, to, lexed, sink);
                if last && model_outputs::defines(path, ctx, model, table) {
                    model_outputs::rename(model, ctx, i, (table, from, to), sink);
                } else if last && placed::defines(ctx, table) && model_outputs::reads(model, table) {
                    let msg = format!("this file defines {table} by its place and reads it too; its output column {from} is not renamed to {to}: rename it by hand");
                    sink.finding(Owner::RenameColumn, first, ids::CAPTURE.id, Some(i), Severity::Review, msg);
                }
            }
            Change::DropColumn { table, column } => {
                column_usage::run(model, ctx, quoted, i, change, sink);
                ddl::drop_column(model, i, table, column, lexed, sink);
                if last && model_outputs::defines(path, ctx, model, table) {
                    model_drop::drop_output(model, i, (table, column), sink);
                }
            }
            Change::ChangeType { table, column, from, to } => {
                column_usage::run(model, ctx, quoted, i, change, sink);
                ddl::change_type(model, i, table, column, from.as_deref(), to, sink);
                if last && model_outputs::defines(path, ctx, model, table) {
                    let what = format!("changes type to {to}");
                    model_outputs::report(model, i, (table, column), (ids::TYPE_CHANGE_CAST.id, &what), sink);
                }
            }
        }
    }
    if let Some(d) = unit.fallback {
        fallback::verify::check(sink, unit.span, d, mark);
    }
}

/// Files of historical migrations: under a `migrations`, `migration`, `migrate`, `flyway`
/// or `alembic` directory, or named like `V12__x.sql`, `0001_x.sql` / `20240101_x.sql`
/// (four digits or more: `01_load.py` is a pipeline step, not a migration) or
/// `x.up.sql` / `x.down.sql`.
pub fn is_migration_file(path: &Path) -> bool {
    let in_dir = path.parent().is_some_and(|p| {
        p.components().any(|c| {
            let s = c.as_os_str().to_string_lossy().to_ascii_lowercase();
            matches!(s.as_str(), "migrations" | "migration" | "migrate" | "flyway" | "alembic")
        })
    });
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let flyway =
        name.strip_prefix(['V', 'v']).and_then(|rest| rest.split_once("__")).is_some_and(|(v, _)| {
            v.starts_with(|c: char| c.is_ascii_digit())
                && v.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '_')
        });
    let numbered = {
        let d = name.bytes().take_while(|b| b.is_ascii_digit()).count();
        d >= 4 && name[d..].starts_with('_')
    };
    let lower = name.to_ascii_lowercase();
    let up_down = lower.ends_with(".up.sql") || lower.ends_with(".down.sql");
    in_dir || flyway || numbered || up_down
}

#[cfg(test)]
mod tests {
    use super::is_migration_file;
    use std::path::Path;

    #[test]
    fn historical_migrations_by_place_and_name() {
        let yes = [
            "db/migrations/add_users.sql",
            "app/migrations/0002_auto.py",
            "alembic/versions/3f2a_add_users.py",
            "sql/V12__rename.sql",
            "sql/0001_init.sql",
            "sql/20240101120000_init.sql",
            "sql/000003_users.up.sql",
        ];
        let no =
            ["jobs/01_load_customers.py", "models/02_transform.sql", "etl/load_users.py", "sql/v2_users.sql"];
        for p in yes {
            assert!(is_migration_file(Path::new(p)), "{p}");
        }
        for p in no {
            assert!(!is_migration_file(Path::new(p)), "{p}");
        }
    }
}
