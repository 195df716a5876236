//! Macros as data: dbt macros whose string arguments are column names
//! (`dbt_utils.star(from=ref('m'), except=['a'])`), read from the YAML files of `rules/dbt/`
//! (format in docs/RULES.md). A renamed column passed to one follows the rename when the
//! relation it belongs to is the changed table: a `ref()`/`source()` argument naming it, or,
//! for a macro that stands in a select list, the only source the column can come from there.
//! Any other use of a changed column there is a review finding; columns of another relation
//! are left alone.

use crate::dbt::yaml::{get, items, str_of};
use crate::ids;
use crate::resolve::bind::{Binder, Binding};
use crate::resolve::names::NamePart;
use crate::resolve::output::{Output, Owner};
use crate::resolve::scope::{ColumnRef, Model};
use crate::source::jinja::BlockKind;
use crate::source::jinja_calls::{self, Call, Value};
use ripple_core::{Change, Confidence, Ident, RuleContext, Severity, TableName};
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::sync::OnceLock;

/// The built-in macro files, embedded.
const BUILTIN: &[(&str, &str)] =
    &[("rules/dbt/dbt_utils.yaml", include_str!("../../../rules/dbt/dbt_utils.yaml"))];

/// One macro whose arguments name columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MacroRule {
    /// The name as called, dotted (`dbt_utils.star`).
    pub name: String,
    /// The arguments that are a column name or a list of them.
    pub columns: Vec<ArgSpec>,
    /// Whose columns they are.
    pub of: Relation,
}

/// Where an argument is: by keyword, by position among the positional arguments, or every
/// positional argument from a position on (`rest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArgSpec {
    pub keyword: Option<String>,
    pub position: Option<usize>,
    pub rest: bool,
}

/// The relation whose columns a macro's column arguments name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Relation {
    /// An argument holding `ref('m')` or `source('s', 't')`.
    Argument(ArgSpec),
    /// The sources of the SELECT the call stands in.
    Select,
}

/// The built-in macro rules.
pub(crate) fn builtin() -> &'static [MacroRule] {
    static RULES: OnceLock<Vec<MacroRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        BUILTIN
            .iter()
            .flat_map(|(path, text)| parse(text).unwrap_or_else(|e| panic!("{path}: {e}")))
            .collect()
    })
}

/// The built-in macro rules, then those of the `dbt/*.yaml` files in each `--rules`
/// directory (a later macro of the same name replaces an earlier one).
pub(crate) fn with_dirs(dirs: &[std::path::PathBuf]) -> Result<Vec<MacroRule>, ripple_core::InputErrors> {
    let mut rules = builtin().to_vec();
    let mut errors = Vec::new();
    for dir in dirs {
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir.join("dbt"))
            .map(|it| it.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|f| f.extension().is_some_and(|e| e == "yaml" || e == "yml"));
        files.sort();
        for f in files {
            let parsed = std::fs::read_to_string(&f).map_err(|e| e.to_string()).and_then(|t| parse(&t));
            match parsed {
                Ok(more) => {
                    for r in more {
                        rules.retain(|x| x.name != r.name);
                        rules.push(r);
                    }
                }
                Err(e) => errors.push(ripple_core::InputError::file(&f, e)),
            }
        }
    }
    if errors.is_empty() {
        Ok(rules)
    } else {
        Err(ripple_core::InputErrors(errors))
    }
}

/// Reads a macro file: `macros:`, a list of `{macro, columns, of}`.
pub(crate) fn parse(text: &str) -> Result<Vec<MacroRule>, String> {
    let docs = MarkedYaml::load_from_str(text).map_err(|e| e.to_string())?;
    let doc = docs.first().ok_or("empty file")?;
    let mut out = Vec::new();
    for (n, m) in items(get(doc, "macros")).iter().enumerate() {
        let name = get(m, "macro")
            .and_then(str_of)
            .ok_or(format!("macros[{n}]: `macro:` (its name) is required"))?;
        let columns: Vec<ArgSpec> =
            items(get(m, "columns")).iter().map(|a| arg_spec(a, n)).collect::<Result<_, _>>()?;
        if columns.is_empty() {
            return Err(format!("macros[{n}] ({name}): `columns:` lists the arguments that name columns"));
        }
        let of = match get(m, "of") {
            Some(v) if str_of(v) == Some("select") => Relation::Select,
            Some(v) => Relation::Argument(arg_spec(v, n)?),
            None => return Err(format!("macros[{n}] ({name}): `of:` (`select` or an argument) is required")),
        };
        out.push(MacroRule { name: name.to_string(), columns, of });
    }
    Ok(out)
}

/// A scalar's text: a string, or a number or boolean as written.
fn scalar(node: Option<&MarkedYaml<'_>>) -> Option<String> {
    match &node?.data {
        YamlData::Value(Scalar::Integer(i)) => Some(i.to_string()),
        YamlData::Value(Scalar::Boolean(b)) => Some(b.to_string()),
        _ => str_of(node?).map(str::to_string),
    }
}

fn arg_spec(node: &MarkedYaml<'_>, n: usize) -> Result<ArgSpec, String> {
    let keyword = get(node, "keyword").and_then(str_of).map(str::to_string);
    let position = match scalar(get(node, "position")) {
        Some(p) => {
            Some(p.parse::<usize>().map_err(|_| format!("macros[{n}]: `position:` is a number from 0"))?)
        }
        None => None,
    };
    let rest = scalar(get(node, "rest")).as_deref() == Some("true");
    if keyword.is_none() && position.is_none() {
        return Err(format!("macros[{n}]: an argument has a `keyword:`, a `position:` or both"));
    }
    Ok(ArgSpec { keyword, position, rest })
}

/// The string literals a call passes in the arguments `spec` names.
fn literals<'c>(call: &'c Call, spec: &ArgSpec) -> Vec<(&'c str, (usize, usize))> {
    let mut values: Vec<&Value> = call.arg(spec.position, spec.keyword.as_deref()).into_iter().collect();
    if let (true, Some(p)) = (spec.rest, spec.position) {
        values = call.rest(p).collect();
    }
    let mut out = Vec::new();
    for v in values {
        match v {
            Value::Str(s, span) => out.push((s.as_str(), *span)),
            Value::List(items, _) => {
                out.extend(items.iter().filter_map(|i| match i {
                    Value::Str(s, span) => Some((s.as_str(), *span)),
                    _ => None,
                }));
            }
            _ => {}
        }
    }
    out
}

/// The table a `ref()` / `source()` value names; `None` for anything else.
fn relation_of(v: &Value) -> Option<TableName> {
    let Value::Call(c) = v else { return None };
    let strs: Option<Vec<&str>> = c
        .args
        .iter()
        .map(|a| match &a.value {
            Value::Str(s, _) if a.key.is_none() => Some(s.as_str()),
            _ => None,
        })
        .collect();
    match (c.name.as_str(), strs?.as_slice()) {
        ("ref", [.., m]) => Some(TableName { parts: vec![Ident::new(m.to_string())] }),
        ("source", [s, t]) => {
            Some(TableName { parts: vec![Ident::new(s.to_string()), Ident::new(t.to_string())] })
        }
        _ => None,
    }
}

/// The literals of `text` that known macros take as column names: the SQL rule decides
/// what becomes of them.
pub(crate) fn governed(text: &str) -> Vec<(usize, usize)> {
    governed_by(text, builtin())
}

/// [`governed`] by the macros `rules` describe.
pub(crate) fn governed_by(text: &str, rules: &[MacroRule]) -> Vec<(usize, usize)> {
    let masked = crate::source::jinja::mask(text);
    let mut out = Vec::new();
    for b in masked.blocks.iter().filter(|b| b.kind != BlockKind::Comment) {
        for call in jinja_calls::calls(text, b.start + 2, b.end - 2) {
            for rule in rules.iter().filter(|r| r.name == call.name) {
                out.extend(rule.columns.iter().flat_map(|s| literals(&call, s)).map(|(_, sp)| sp));
            }
        }
    }
    out
}

/// What to make of one literal (a macro's argument, or an item of a list a loop reads): the
/// changed column, another one, or unknown and why.
pub(crate) enum Verdict {
    Changed(Confidence),
    Other,
    Unknown(String),
}

/// The bindings of one literal, as a column written where it is used, in each reading of
/// the statements that use it.
#[derive(Default)]
pub(crate) struct Tally {
    changed: Vec<Confidence>,
    others: usize,
}

impl Tally {
    /// Binds `probe` in `model`; `Err` with the verdict when that leaves the literal unknown.
    pub(crate) fn bind(
        &mut self,
        model: &Model,
        probe: &ColumnRef,
        table: &TableName,
        column: &Ident,
        ctx: &RuleContext<'_>,
    ) -> Result<(), Verdict> {
        let binder = Binder { model, catalog: ctx.catalog, output_names: ctx.options.output_names };
        match binder.bind(probe, table, column) {
            Binding::Changed(c) => self.changed.push(c),
            Binding::Other => self.others += 1,
            Binding::Ambiguous(who) => {
                return Err(Verdict::Unknown(format!("it could be a column of {}", who.join(" or "))))
            }
            Binding::Unresolved(why) => return Err(Verdict::Unknown(why)),
        }
        Ok(())
    }

    /// What every binding says together; `mixed` says why a literal that is the changed
    /// column in some bindings only is unknown.
    pub(crate) fn verdict(&self, mixed: &str) -> Verdict {
        match (self.changed.iter().min(), self.others) {
            (Some(&c), 0) => Verdict::Changed(c),
            (Some(_), _) => Verdict::Unknown(mixed.into()),
            (None, _) => Verdict::Other,
        }
    }
}

/// Carries the changes through the known macro calls in the file's Jinja expressions;
/// `readings` gives the models of the statement that render a byte range.
pub(crate) fn run<'m>(
    readings: &dyn Fn(usize, usize) -> Vec<&'m Model>,
    rules: &[MacroRule],
    ctx: &RuleContext<'_>,
    sink: &mut Output<'_>,
) {
    let source = sink.source;
    let text = source.original.as_str();
    let blocks: Vec<(usize, usize)> = source
        .masked
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Expression)
        .map(|b| (b.start, b.end))
        .collect();
    for (start, end) in blocks {
        for call in jinja_calls::calls(text, start + 2, end - 2) {
            for rule in rules.iter().filter(|r| r.name == call.name) {
                for spec in &rule.columns {
                    for (value, lit) in literals(&call, spec) {
                        carry(rule, &call, value, lit, (start, end), readings, ctx, sink);
                    }
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn carry<'m>(
    rule: &MacroRule,
    call: &Call,
    value: &str,
    lit: (usize, usize),
    block: (usize, usize),
    models: &dyn Fn(usize, usize) -> Vec<&'m Model>,
    ctx: &RuleContext<'_>,
    sink: &mut Output<'_>,
) {
    // `'l.license_id'`: a column behind its table's alias; only the name after the dot is
    // the column's.
    let (qualifier, bare) = match value.rsplit_once('.') {
        Some((q, c)) if !q.is_empty() && plain(q) => (Some(q), c),
        _ => (None, value),
    };
    let lit = (lit.1 - bare.len(), lit.1);
    let value = bare;
    for (i, change) in ctx.changes.iter() {
        let Some(column) = change.column() else { continue };
        if !column.matches(value, false) {
            continue;
        }
        let table = change.table();
        let verdict = match &rule.of {
            Relation::Argument(_) if qualifier.is_some() => {
                Verdict::Unknown("it is qualified, and its relation is another argument".into())
            }
            Relation::Argument(spec) => {
                match call.arg(spec.position, spec.keyword.as_deref()).and_then(relation_of) {
                    Some(t) if t.name().matches(&table.name().value, table.name().quoted) => {
                        Verdict::Changed(Confidence::Likely)
                    }
                    Some(_) => Verdict::Other,
                    None => Verdict::Unknown(
                        "its relation argument is not a ref() or source() ripple can read".into(),
                    ),
                }
            }
            Relation::Select => {
                in_select(block, qualifier, value, models(block.0, block.1), table, column, ctx)
            }
        };
        let name = &rule.name;
        match (verdict, change) {
            (Verdict::Other, _) => {}
            (Verdict::Changed(conf), Change::RenameColumn { to, .. }) if plain(&to.value) => {
                sink.jinja_edit(Owner::RenameColumn, lit, to.value.clone(), ids::DBT_MACRO_COLUMN.id, i, conf);
            }
            (Verdict::Changed(_), Change::RenameColumn { to, .. }) => sink.finding(
                Owner::RenameColumn,
                lit,
                ids::DBT_MACRO_COLUMN.id,
                Some(i),
                Severity::Review,
                format!("'{value}' names column {column} of {table} in {name}(); its new name {to} needs quoting there, which ripple does not write; update it by hand"),
            ),
            (Verdict::Changed(_), _) => sink.finding(
                Owner::ColumnUsage,
                lit,
                ids::DBT_MACRO_COLUMN.id,
                Some(i),
                Severity::Review,
                format!("'{value}' names column {column} of {table} in {name}(), which the change affects ({}); check it", change.kind()),
            ),
            (Verdict::Unknown(why), _) => sink.finding(
                Owner::ColumnUsage,
                lit,
                ids::DBT_MACRO_COLUMN.id,
                Some(i),
                Severity::Review,
                format!("'{value}' is a column name in {name}(), but {why}; if it is column {column} of {table}, update it by hand"),
            ),
        }
    }
}

/// A name Jinja can carry as written: letters, digits and `_`.
fn plain(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whose column `value` is, for a call standing at `block` in a select list: bound as a
/// column written there would be, in each reading of the statement that renders it.
fn in_select(
    block: (usize, usize),
    qualifier: Option<&str>,
    value: &str,
    models: Vec<&Model>,
    table: &TableName,
    column: &Ident,
    ctx: &RuleContext<'_>,
) -> Verdict {
    if models.is_empty() {
        return Verdict::Unknown("the statement around it could not be read".into());
    }
    let mut tally = Tally::default();
    for model in &models {
        let Some(at) = model.columns.iter().find(|c| c.name.span == block && c.qualifier.is_empty()) else {
            return Verdict::Unknown("ripple does not read the call as a select-list expression".into());
        };
        let part = |v: &str| NamePart { value: v.to_string(), quote: None, span: block, exact: false };
        let probe = ColumnRef {
            name: part(value),
            qualifier: qualifier.map(part).into_iter().collect(),
            ..at.clone()
        };
        if let Err(v) = tally.bind(model, &probe, table, column, ctx) {
            return v;
        }
    }
    tally.verdict("it is a column of the changed table in one way through the Jinja around it only")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_macros_read() {
        let star = builtin().iter().find(|r| r.name == "dbt_utils.star").unwrap();
        assert_eq!(
            star.columns[0],
            ArgSpec { keyword: Some("except".into()), position: Some(2), rest: false }
        );
        assert_eq!(
            star.of,
            Relation::Argument(ArgSpec { keyword: Some("from".into()), position: Some(0), rest: false })
        );
        let key = builtin().iter().find(|r| r.name == "dbt_utils.surrogate_key").unwrap();
        assert!(key.columns[0].rest && key.of == Relation::Select);
        assert!(parse("macros:\n  - macro: m\n    of: select\n").is_err());
    }
}
