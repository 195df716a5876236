//! `{% set cols = ['a', 'b'] %}` lists looped over with `{% for c in cols %}` (or a list
//! written in the loop itself): where the loop's body uses `{{ c }}` as a column, each string
//! of the list is a column name there. One that binds to the changed column in every use
//! follows a rename, and leaves the list (with its comma) when dropped; one used in any other
//! way, or bound otherwise in some use, is a review finding; another table's column is left
//! alone.

use crate::ids;
use crate::macros::{Tally, Verdict};
use crate::model::Model;
use crate::resolve::names::NamePart;
use crate::resolve::output::{Output, Owner};
use crate::resolve::scope::ColumnRef;
use crate::source::jinja::BlockKind;
use crate::source::jinja_calls::{value_in, Value};
use ripple_core::{Change, RuleContext, Severity};

/// A list of string literals: each item's content span, in order.
struct List {
    items: Vec<(String, (usize, usize))>,
}

/// Carries the changes into the list literals the file's loops read as column names;
/// `readings` gives the models of the statement that render a byte range.
pub(crate) fn run<'m>(
    readings: &dyn Fn(usize, usize) -> Vec<&'m Model>,
    ctx: &RuleContext<'_>,
    sink: &mut Output<'_>,
) {
    let source = sink.source;
    let text = source.original.as_str();
    let blocks = &source.masked.blocks;
    let inner = |i: usize| {
        let b = &blocks[i];
        let s = text.get(b.start + 2..b.end - 2).unwrap_or("");
        let t = s.trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        let lead = s.len() - s.trim_start_matches(|c: char| c == '-' || c == '+' || c.is_whitespace()).len();
        (t, b.start + 2 + lead)
    };
    // The lists set by name, and where each is.
    let mut sets: Vec<(String, List)> = Vec::new();
    for (i, _) in blocks.iter().enumerate().filter(|(_, b)| b.kind == BlockKind::Statement) {
        let (t, at) = inner(i);
        let Some(rest) = t.strip_prefix("set ") else { continue };
        let Some(eq) = rest.find('=') else { continue };
        if let Some(list) = list_at(text, at + 4 + eq + 1, at + t.len()) {
            sets.push((rest[..eq].trim().to_string(), list));
        }
    }
    // Each loop over a list: the loop variable, the list, and the body's blocks.
    let mut uses: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
    let mut set_used: Vec<bool> = vec![false; sets.len()];
    for (i, _) in blocks.iter().enumerate().filter(|(_, b)| b.kind == BlockKind::Statement) {
        let (t, at) = inner(i);
        let Some(rest) = t.strip_prefix("for ") else { continue };
        let Some((var, over)) = rest.split_once(" in ") else { continue };
        let var = var.trim();
        if !var.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
            continue;
        }
        let over_at = at + 4 + rest.find(" in ").unwrap_or(0) + 4;
        let list = match sets.iter().position(|(n, _)| n == over.trim()) {
            Some(k) => {
                set_used[k] = true;
                k
            }
            None => match list_at(text, over_at, at + t.len()) {
                Some(l) => {
                    sets.push((String::new(), l));
                    set_used.push(true);
                    sets.len() - 1
                }
                None => continue,
            },
        };
        let Some(end) = loop_end(blocks, i, &inner) else { continue };
        let body = (i + 1..end)
            .filter(|&j| blocks[j].kind == BlockKind::Expression && inner(j).0 == var)
            .map(|j| (blocks[j].start, blocks[j].end));
        uses.push((list, body.collect()));
    }
    for (k, (name, list)) in sets.iter().enumerate() {
        if !set_used[k] {
            continue;
        }
        // A list also read in any other way than a loop is not only column names.
        let elsewhere = !name.is_empty()
            && blocks.iter().enumerate().any(|(i, b)| {
                let (t, _) = inner(i);
                b.kind != BlockKind::Comment
                    && !t.starts_with("set ")
                    && !t.starts_with("for ")
                    && words(t).any(|w| w == name)
            });
        let spans: Vec<(usize, usize)> =
            uses.iter().filter(|(l, _)| *l == k).flat_map(|(_, v)| v.iter().copied()).collect();
        for (n, (value, lit)) in list.items.iter().enumerate() {
            for (i, change) in ctx.changes.iter() {
                let Some(column) = change.column() else { continue };
                if !column.matches(value, false) {
                    continue;
                }
                let verdict = if elsewhere {
                    Verdict::Unknown(format!("the list {name} is also read other than by a loop"))
                } else {
                    judge(&spans, value, readings, change, ctx)
                };
                let table = change.table();
                let rule = ids::JINJA_LIST_COLUMN.id;
                match (verdict, change) {
                    (Verdict::Other, _) => {}
                    (Verdict::Changed(conf), Change::RenameColumn { to, .. })
                        if to.value.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') =>
                    {
                        sink.jinja_edit(Owner::RenameColumn, *lit, to.value.clone(), rule, i, conf);
                    }
                    (Verdict::Changed(conf), Change::DropColumn { .. }) if list.items.len() > 1 => {
                        let quoted = |k: usize| (list.items[k].1 .0 - 1, list.items[k].1 .1 + 1);
                        let span = match list.items.get(n + 1) {
                            Some(_) => (quoted(n).0, quoted(n + 1).0),
                            None => (quoted(n - 1).1, quoted(n).1),
                        };
                        sink.jinja_edit(Owner::ColumnUsage, span, String::new(), rule, i, conf);
                    }
                    (Verdict::Changed(_), _) => sink.finding(
                        Owner::ColumnUsage,
                        *lit,
                        rule,
                        Some(i),
                        Severity::Review,
                        format!("'{value}' is column {column} of {table} where the loop reads it ({}); update it by hand", change.kind()),
                    ),
                    (Verdict::Unknown(why), _) => sink.finding(
                        Owner::ColumnUsage,
                        *lit,
                        rule,
                        Some(i),
                        Severity::Review,
                        format!("'{value}' spells column {column} of {table}, but {why}; if it names that column, update it by hand"),
                    ),
                }
            }
        }
    }
}

/// How the loop bodies at `spans` (the `{{ c }}` blocks) read `value`: the changed column
/// in every use and every reading, another column in all, or unknown.
fn judge<'m>(
    spans: &[(usize, usize)],
    value: &str,
    readings: &dyn Fn(usize, usize) -> Vec<&'m Model>,
    change: &Change,
    ctx: &RuleContext<'_>,
) -> Verdict {
    let (table, Some(column)) = (change.table(), change.column()) else { return Verdict::Other };
    let mut tally = Tally::default();
    for &block in spans {
        let models = readings(block.0, block.1);
        if models.is_empty() {
            return Verdict::Unknown("the statement that uses it could not be read".into());
        }
        for model in models {
            let Some(at) = model.columns.iter().find(|c| c.name.span == block) else {
                return Verdict::Unknown("the loop uses it other than as a column".into());
            };
            let probe = ColumnRef {
                name: NamePart { value: value.to_string(), quote: None, span: block, exact: false },
                ..at.clone()
            };
            if let Err(v) = tally.bind(model, &probe, table, column, ctx) {
                return v;
            }
        }
    }
    tally.verdict("the loop reads it as a column of another table too")
}

/// The list of plain strings written as `text[from..to]`.
fn list_at(text: &str, from: usize, to: usize) -> Option<List> {
    let Some(Value::List(items, _)) = value_in(text, from, to) else { return None };
    let items: Option<Vec<(String, (usize, usize))>> = items
        .into_iter()
        .map(|v| match v {
            Value::Str(s, span) => Some((s, span)),
            _ => None,
        })
        .collect();
    items.filter(|i| !i.is_empty()).map(|items| List { items })
}

/// The index of the `{% endfor %}` closing the loop opened by block `open`.
fn loop_end<'t>(
    blocks: &[crate::source::jinja::Block],
    open: usize,
    inner: &dyn Fn(usize) -> (&'t str, usize),
) -> Option<usize> {
    let mut depth = 0usize;
    for (j, b) in blocks.iter().enumerate().skip(open + 1) {
        if b.kind != BlockKind::Statement {
            continue;
        }
        let t = inner(j).0;
        if t.starts_with("for ") {
            depth += 1;
        } else if t == "endfor" {
            if depth == 0 {
                return Some(j);
            }
            depth -= 1;
        }
    }
    None
}

fn words(t: &str) -> impl Iterator<Item = &str> {
    t.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').filter(|w| !w.is_empty())
}
