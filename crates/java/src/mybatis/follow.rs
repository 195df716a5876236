//! What follows a mapper's analysed SQL: `<resultMap>` `column=` attributes name output
//! columns of the queries that fill them, so they follow a rename when the output name
//! changes (a bare column under `--output-names propagate`, or a `*`, which cannot be
//! aliased); `resultType` mapping by column name is reported when an output name changes;
//! every other mention is placed by what the XML says it is (a comment, a Java name, or
//! text no rule read).

use super::mapper::{Mapper, Unit};
use super::xml::{Element, Node};
use crate::ids;
use crate::query::{self, Output};
use ripple_core::position::LineIndex;
use ripple_core::{
    Change, Confidence, Edit, OutputNames, Reason, RuleContext, RuleOutput, Severity, SourceFile,
};

/// A mapped result column: a `column=` attribute, or `@Result(column = "...")` in Java.
pub(crate) struct Column {
    pub value: String,
    /// The file span of the value.
    pub span: (usize, usize),
    /// The value is written as it is read (no entity, no escape).
    pub verbatim: bool,
    pub property: Option<String>,
}

/// A result column, for each change of its name: `outputs` tells what each query that
/// fills it outputs under that name, `doubt` whether a query's rewrite for a change was
/// refused or left in doubt.
pub(crate) fn result_column(
    column: &Column,
    outputs: &dyn Fn(&Change) -> Vec<Output>,
    doubt: &dyn Fn(usize) -> bool,
    ctx: &RuleContext<'_>,
    out: &mut RuleOutput,
) {
    let rule = ids::MYBATIS_RESULT_MAP.id;
    for (ci, change) in ctx.changes.iter() {
        let Some(old) = change.column() else { continue };
        if !old.matches(&column.value, false) {
            continue;
        }
        let outputs = outputs(change);
        let doubt = doubt(ci);
        let reads = |o: &Output| matches!(o, Output::Bare(_) | Output::Aliased(_) | Output::Star);
        let v = &column.value;
        if let Some(why) = outputs.iter().find_map(|o| match o {
            Output::Unknown(why) => Some(why),
            _ => None,
        }) {
            out.finding(
                column.span,
                rule,
                Some(ci),
                Severity::Review,
                format!(
                    "maps `{v}` from a query ripple cannot resolve for {change} ({why}); check it by hand"
                ),
            );
            continue;
        }
        match change {
            Change::DropColumn { table, .. } if outputs.iter().any(reads) => out.finding_for(
                Reason::DroppedRead,
                column.span,
                rule,
                Some(ci),
                Severity::Review,
                format!("`{v}` is dropped from {table} but this result map still maps it"),
            ),
            Change::ChangeType { .. } if outputs.iter().any(reads) => {
                let property =
                    column.property.as_deref().map(|p| format!(" to property `{p}`")).unwrap_or_default();
                out.finding_for(
                    Reason::TypeRisk,
                    column.span,
                    rule,
                    Some(ci),
                    Severity::Review,
                    format!(
                        "{change}: this result map maps `{v}`{property}, whose Java type may have to follow"
                    ),
                )
            }
            Change::RenameColumn { to, .. } => {
                // The output name each query gives the column once its SQL is rewritten.
                let renamed: Vec<Option<Confidence>> = outputs
                    .iter()
                    .map(|o| match o {
                        Output::Bare(c) if ctx.options.output_names == OutputNames::Propagate => Some(*c),
                        Output::Star => Some(Confidence::Likely),
                        _ => None,
                    })
                    .collect();
                if renamed.iter().all(Option::is_none) {
                    out.seen.push(column.span);
                } else if renamed.iter().any(Option::is_none) {
                    out.finding(column.span, rule, Some(ci), Severity::Review, format!("maps `{v}` for queries of which only some output `{}` after {change}; not rewritten", to.value));
                } else if doubt || !column.verbatim || to.value.contains(['"', '&', '<']) {
                    out.finding(column.span, rule, Some(ci), Severity::Review, format!("the query's output `{v}` becomes `{}`, but its SQL or this attribute could not be rewritten; not rewritten", to.value));
                } else {
                    let conf = if renamed.contains(&Some(Confidence::Likely)) {
                        Confidence::Likely
                    } else {
                        Confidence::Certain
                    };
                    out.edit(column.span, to.value.clone(), rule, ci, conf);
                }
            }
            _ => out.seen.push(column.span),
        }
    }
}

/// Attributes whose value is a Java name (a type, a property, an OGNL test, a mapper id),
/// never a database name.
const JAVA_ATTRS: [&str; 17] = [
    "namespace",
    "id",
    "refid",
    "type",
    "property",
    "javaType",
    "ofType",
    "resultType",
    "parameterType",
    "resultMap",
    "select",
    "test",
    "collection",
    "item",
    "keyProperty",
    "typeHandler",
    "extends",
];

#[derive(Default)]
pub(crate) struct Follow {
    result_maps: Vec<(String, Vec<Column>)>,
    /// Each result map that extends another: (map, the map it extends).
    extends: Vec<(String, String)>,
    java_names: Vec<(usize, usize)>,
    params: Vec<(usize, usize)>,
    comments: Vec<(usize, usize)>,
    /// Per unit: the changes whose rewrite of it was refused or left in doubt.
    doubtful: Vec<Vec<usize>>,
}

impl Follow {
    pub fn new(root: &Element, mapper: &Mapper<'_>, comments: Vec<(usize, usize)>) -> Self {
        let result_maps = mapper
            .result_maps
            .iter()
            .map(|rm| {
                let columns = rm
                    .columns
                    .iter()
                    .map(|(a, property)| Column {
                        value: a.value.clone(),
                        span: a.span,
                        verbatim: a.verbatim,
                        property: property.map(str::to_string),
                    })
                    .collect();
                (rm.id.to_string(), columns)
            })
            .collect();
        let extends = mapper
            .result_maps
            .iter()
            .filter_map(|rm| Some((rm.id.to_string(), rm.extends?.to_string())))
            .collect();
        let mut java_names = Vec::new();
        java_attrs(root, &mut java_names);
        Follow {
            result_maps,
            extends,
            java_names,
            params: mapper.params.clone(),
            comments,
            doubtful: Vec::new(),
        }
    }

    pub fn analysed(&mut self, index: usize, _edits: &[Edit], mapped: &RuleOutput) {
        self.doubtful.resize(index + 1, Vec::new());
        // That a `*` changes the result's shape is what a result map follows, not a doubt.
        let doubt = |f: &&ripple_core::Finding| f.rule != ripple_sql::ids::SELECT_STAR.id;
        self.doubtful[index] = mapped.findings.iter().filter(doubt).filter_map(|f| f.change).collect();
    }

    pub fn finish(&self, file: &SourceFile<'_>, units: &[Unit], ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        let analysed: Vec<query::Analysed> =
            units.iter().map(|u| query::analyse(u.region.text(), ctx)).collect();
        for (id, columns) in &self.result_maps {
            let maps = self.extending(id);
            let users: Vec<usize> =
                (0..units.len()).filter(|&i| units[i].result_maps.iter().any(|m| maps.contains(m))).collect();
            if users.is_empty() {
                continue;
            }
            for column in columns {
                let doubt =
                    |ci: usize| users.iter().any(|&u| self.doubtful.get(u).is_some_and(|d| d.contains(&ci)));
                let outputs = |change: &Change| {
                    users.iter().map(|&u| analysed[u].output(&column.value, change, ctx)).collect()
                };
                result_column(column, &outputs, &doubt, ctx, out);
            }
        }
        for (i, unit) in units.iter().enumerate() {
            match &unit.result_type {
                Some(class) if unit.result_maps.is_empty() && !is_scalar(class) => {
                    auto_mapping(class, unit, &analysed[i], ctx, out)
                }
                _ => {}
            }
        }
        self.place_mentions(file, ctx, out);
    }

    /// `id` and the result maps that extend it, directly or not.
    fn extending(&self, id: &str) -> Vec<String> {
        let mut maps = vec![id.to_string()];
        let mut i = 0;
        while i < maps.len() && maps.len() <= self.extends.len() + 1 {
            let parent = maps[i].clone();
            let children: Vec<String> = self
                .extends
                .iter()
                .filter(|(c, p)| *p == parent && !maps.contains(c))
                .map(|(c, _)| c.clone())
                .collect();
            maps.extend(children);
            i += 1;
        }
        maps
    }

    /// Mentions no rule accounted for, placed by what the XML says they are.
    fn place_mentions(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        let index = LineIndex::new(file.text);
        let rule = ids::MYBATIS_UNANALYSED_MENTION.id;
        let mut lines: Vec<(usize, u8)> = Vec::new();
        let inside = |spans: &[(usize, usize)], at: usize| spans.iter().any(|&(s, e)| s <= at && at < e);
        let mut found = Vec::new();
        for m in file.mentions(ctx.names) {
            if out.accounts_for(m.start, m.end) {
                continue;
            }
            let word = &file.text[m.start..m.end];
            let kind = if inside(&self.comments, m.start) {
                0
            } else if inside(&self.params, m.start) || inside(&self.java_names, m.start) {
                1
            } else {
                2
            };
            let line = index.line_col(m.start).0;
            if lines.contains(&(line, kind)) {
                continue;
            }
            lines.push((line, kind));
            let change = ctx.changes.iter().find_map(|(i, c)| {
                let hit = c.table().name().value.eq_ignore_ascii_case(word)
                    || c.column().is_some_and(|col| col.value.eq_ignore_ascii_case(word));
                hit.then_some(i)
            });
            found.push((m.start, m.end, kind, word.to_string(), change));
        }
        for (start, end, kind, word, change) in found {
            let (severity, reason, message) = match kind {
                0 => (Severity::Info, Reason::Comment, format!("`{word}` mentioned in an XML comment; left as written")),
                1 => (
                    Severity::Info,
                    Reason::HostName,
                    format!("`{word}` in a Java name (a parameter, property, type or test), not a database name; left as written"),
                ),
                _ => (
                    Severity::Review,
                    Reason::UntiedString,
                    format!("`{word}` in mapper XML that ripple could not tie to a statement's SQL: check it by hand"),
                ),
            };
            out.finding_for(reason, (start, end), rule, change, severity, message);
        }
    }
}

/// A query whose rows are mapped onto a class by column name: a rename that changes the
/// output name (a bare column under `propagate`, or `*`) leaves a property unfilled.
fn auto_mapping(
    class: &str,
    unit: &Unit,
    analysed: &query::Analysed,
    ctx: &RuleContext<'_>,
    out: &mut RuleOutput,
) {
    for (ci, change) in ctx.changes.iter() {
        let Change::RenameColumn { from: column, to, .. } = change else { continue };
        let renamed = match analysed.output(&column.value, change, ctx) {
            Output::Bare(_) => ctx.options.output_names == OutputNames::Propagate,
            Output::Star => true,
            _ => false,
        };
        if renamed {
            let at = unit.span;
            out.finding_for(
                Reason::ManualEdit,
                (at.0, at.0),
                ids::MYBATIS_RESULT_MAP.id,
                Some(ci),
                Severity::Review,
                format!("rows are mapped onto `{class}` by column name, and the output `{}` becomes `{}`: map it by hand (a <resultMap> or an alias)", column.value, to.value),
            );
        }
    }
}

/// A `resultType` that receives one column whatever its name (`int`, `string`, `java.lang.Long`).
fn is_scalar(class: &str) -> bool {
    const ALIASES: [&str; 16] = [
        "string",
        "byte",
        "long",
        "short",
        "int",
        "integer",
        "double",
        "float",
        "boolean",
        "char",
        "character",
        "date",
        "decimal",
        "bigdecimal",
        "biginteger",
        "object",
    ];
    let alias = class.trim_start_matches('_').to_ascii_lowercase();
    ALIASES.contains(&alias.as_str()) || class.starts_with("java.lang.") || class.starts_with("java.math.")
}

fn java_attrs(el: &Element, out: &mut Vec<(usize, usize)>) {
    out.extend(el.attrs.iter().filter(|a| JAVA_ATTRS.contains(&a.name.as_str())).map(|a| a.span));
    for n in &el.children {
        if let Node::Element(child) = n {
            java_attrs(child, out);
        }
    }
}
