//! A dropped output column of a dbt model: its select item leaves the model's final query
//! (or the CTE that produces it, passed on by `*`), with its comma, when the query is modelled with certainty and nothing else in the file
//! uses the name (another item, a filter, a CTE, a Jinja argument). Otherwise it stays a
//! finding where the model produces it. Readers through `ref()` are reported where they
//! read it (`column_usage`); the dbt stage removes the column's YAML entry when the item goes.

use super::list_removal::removal;
use super::model_outputs::{find, Found, Producer};
use super::output::{Output, Owner};
use super::scope::{Model, Place, ScopeId};
use crate::ids;
use ripple_core::{Confidence, Ident, Severity, TableName};

/// Removes output `column` from the model's final query, or reports where it is produced.
pub(crate) fn drop_output(
    model: &Model,
    change: usize,
    (table, column): (&TableName, &Ident),
    sink: &mut Output<'_>,
) {
    let Some(output) = model.output else { return };
    let Found::At(scope, producer) = find(model, output, column, 0) else { return };
    let at = match &producer {
        Producer::Alias(alias) => alias.span,
        Producer::Bare(k) => model.columns[*k].name.span,
    };
    let text = sink.source.original.as_str();
    let why = match removable(model, scope, column, text) {
        Ok(k) => match removal(&model.scopes[scope].list, k, &sink.source.lexed, text) {
            Ok(spans) => {
                for s in spans {
                    sink.edit(
                        Owner::ColumnUsage,
                        s,
                        String::new(),
                        ids::DROPPED_COLUMN.id,
                        change,
                        Confidence::Certain,
                    );
                }
                return;
            }
            Err(why) => why,
        },
        Err(why) => why,
    };
    let msg = format!(
        "column {column} of model {table} is dropped; this is where the model produces it, and it was not removed ({why}): change its query by hand"
    );
    sink.finding(Owner::ColumnUsage, at, ids::DROPPED_COLUMN.id, Some(change), Severity::Review, msg);
}

/// The index of the item of `scope` (the final query, or a CTE or subquery it passes on by
/// `*`) that produces `column`, when removing it changes nothing else; else why not.
fn removable(model: &Model, scope: ScopeId, column: &Ident, text: &str) -> Result<usize, String> {
    if let Some(word) = control_flow(text) {
        return Err(format!("a Jinja `{word}` shapes the model"));
    }
    let sc = &model.scopes[scope];
    if sc.in_set_operation || sc.positional_sort {
        return Err("its query is a set operation or sorts by position".into());
    }
    if sc.list.elements.len() != sc.items.len()
        || sc.items.iter().any(|i| i.star.is_some() || i.output.is_none())
    {
        return Err("not every column of its query is named".into());
    }
    let named: Vec<usize> =
        (0..sc.items.len()).filter(|&k| sc.items[k].output.as_ref().is_some_and(|o| o.is(column))).collect();
    let [k] = named[..] else { return Err(format!("its query names {column} several times")) };
    let element = sc.list.elements[k];
    let inside = |span: (usize, usize)| element.0 <= span.0 && span.1 <= element.1;
    if let Some(c) = model.columns.iter().find(|c| c.name.is(column) && !inside(c.name.span)) {
        let line = text.get(..c.name.span.0).unwrap_or(text).matches('\n').count() + 1;
        let what = if c.place == Place::Sort { "sorts or groups by it" } else { "reads it" };
        return Err(format!("the model {what} on line {line}"));
    }
    // Jinja is masked for the query model: a macro argument or `except=[...]` naming it.
    let rest = format!("{}{}", &text[..element.0], &text[element.1..]);
    if crate::dbt::spells(&rest, &column.value) {
        return Err(format!("the model spells {column} elsewhere"));
    }
    Ok(k)
}

/// The first Jinja statement of `text` that is not a `set`: a loop or branch may make
/// columns of its own.
fn control_flow(text: &str) -> Option<String> {
    text.match_indices("{%").find_map(|(i, _)| {
        let rest = text[i + 2..].trim_start_matches(['-', '+']).trim_start();
        let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        (!matches!(word.as_str(), "set" | "endset")).then_some(word)
    })
}
