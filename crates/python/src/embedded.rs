//! The SQL strings of a Python file for the embedded-SQL driver, and the follow-up on
//! each: the code that reads the query's rows by column name.

use crate::sql::{self, Found, Why};
use crate::{literal, RULE};
use ripple_core::host::{Evidence, SqlString};
use ripple_core::region::EscapeError;
use ripple_core::SqlStrings;
use ripple_core::{
    Change, Confidence, Dialect, Edit, OutputNames, RuleContext, RuleOutput, Severity, SourceFile,
};
use ripple_sql::model::{Binder, StatementKind};

/// The SQL strings of one Python file.
pub(crate) struct PythonSql<'f> {
    src: &'f str,
    found: Vec<Found<'f>>,
    /// Per string: `spark.sql(...)` runs Spark SQL (`USING DELTA`, backquotes) whatever the
    /// file's other SQL looks like.
    spark: Vec<bool>,
}

impl<'f> PythonSql<'f> {
    pub(crate) fn discover(file: &'f SourceFile<'_>, ctx: &RuleContext<'_>) -> Self {
        let src = file.text;
        let mentions: Vec<(usize, usize)> =
            file.mentions(ctx.names).iter().map(|m| (m.start, m.end)).collect();
        let found: Vec<Found<'f>> = sql::discover(file.tree().root_node(), src, &mentions)
            .into_iter()
            .filter(|found| {
                let text = found.lit.region.text();
                // `pd.read_sql("users", conn)` names a table, not a query: rule files handle it.
                (found.why != Why::Shape || ripple_sql::looks_like_sql(text)) && !crate::is_bare_name(text)
            })
            .collect();
        let spark = found
            .iter()
            .map(|found| {
                ctx.options.dialect == Dialect::Generic
                    && found
                        .sinks
                        .iter()
                        .any(|s| sql::callee(*s, src).is_some_and(|c| c.ends_with("spark.sql")))
            })
            .collect();
        PythonSql { src, found, spark }
    }
}

impl SqlStrings for PythonSql<'_> {
    fn len(&self) -> usize {
        self.found.len()
    }

    fn get(&self, index: usize) -> SqlString<'_> {
        let found = &self.found[index];
        SqlString {
            region: &found.lit.region,
            span: found.lit.span,
            judged: std::slice::from_ref(&found.lit.span),
            evidence: if found.why == Why::Shape { Evidence::Shape } else { Evidence::Context },
            dialect: self.spark[index].then_some(Dialect::Spark),
        }
    }

    fn escape(&self, index: usize, new: &str) -> Result<String, EscapeError> {
        self.found[index].lit.escape(new)
    }

    fn analysed(
        &mut self,
        index: usize,
        edits: &[Edit],
        mapped: &RuleOutput,
        ctx: &RuleContext<'_>,
    ) -> RuleOutput {
        let found = &self.found[index];
        let mut out = RuleOutput::default();
        if found.why != Why::Shape {
            let rewritten = apply(found.lit.region.text(), edits);
            let all_mapped = mapped.edits.len() == edits.len();
            result_reads(found, self.src, &rewritten, all_mapped, ctx, &mut out);
        }
        out
    }
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.start));
    let mut out = text.to_string();
    let mut last = usize::MAX;
    for e in sorted {
        let (s, end) = (e.start, e.end);
        if end <= last && out.is_char_boundary(s) && out.is_char_boundary(end) && s <= end {
            out.replace_range(s..end, &e.replacement);
            last = s;
        }
    }
    out
}

fn has_word(haystack: &str, word: &str) -> bool {
    let (h, w) = (haystack.to_ascii_lowercase(), word.to_ascii_lowercase());
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    h.match_indices(&w)
        .any(|(i, _)| !is_word(h[..i].chars().next_back()) && !is_word(h[i + w.len()..].chars().next()))
}
/// The reads of a query's rows by a changed column's name (`row["user_name"]`). With the
/// default output names the query keeps its result's names and the reads stay; with
/// `propagate`, a read follows when the rewritten query no longer names the old column
/// at all; a dropped column's reads are reported.
fn result_reads(
    found: &sql::Found<'_>,
    src: &str,
    rewritten: &str,
    all_mapped: bool,
    ctx: &RuleContext<'_>,
    out: &mut RuleOutput,
) {
    let text = found.lit.region.text();
    let keywords: Vec<_> = found.sinks.iter().flat_map(|s| sql::keyword_reads(*s, src)).collect();
    let reads: Vec<_> =
        found.sinks.iter().flat_map(|s| sql::result_reads(*s, src)).chain(keywords.iter().copied()).collect();
    for (index, change) in ctx.changes.iter() {
        let Some(column) = change.column() else { continue };
        if !has_word(text, &change.table().name().value) {
            continue;
        }
        // A `*` passes the column on under its new name whatever the output-name mode.
        let star = if has_word(text, &column.value) { Star::No } else { star_over(text, change, ctx) };
        if star == Star::No && !has_word(text, &column.value) {
            continue;
        }
        for read in &reads {
            // A dtype keyed by a retyped column is the pandas rules' (`python/pandas-read-sql-dtype`).
            // Marked as seen, so the string is not reported again as untied once its dtype
            // already is the new type (after apply).
            if matches!(change, Change::ChangeType { .. }) && keywords.iter().any(|k| k.id() == read.id()) {
                out.seen.push((read.start_byte(), read.end_byte()));
                continue;
            }
            let Some(key) = literal::read(*read, src, false) else { continue };
            if key.has_holes || !column.matches(key.region.text(), false) {
                continue;
            }
            let content = key.region.map_span(0, key.region.text().len());
            let span = (read.start_byte(), read.end_byte());
            match change {
                Change::RenameColumn { to, .. } => {
                    let kept = has_word(rewritten, &column.value);
                    let renamed = star == Star::Only
                        || star == Star::No && ctx.options.output_names == OutputNames::Propagate && !kept;
                    match ctx.options.output_names {
                        OutputNames::Preserve if kept && all_mapped && star == Star::No => out.seen.push(span),
                        _ if renamed && all_mapped && !found.lit.has_holes => {
                            match (content, key.escape(&to.value)) {
                                (Some(c), Ok(new)) => {
                                    out.edit(c, new, RULE, index, Confidence::Certain);
                                }
                                _ => out.finding(
                                    span,
                                    RULE,
                                    Some(index),
                                    Severity::Review,
                                    format!("reads `{}` from the query's result, which now names it `{}`; not rewritten (the key is not a plain string)", column.value, to.value),
                                ),
                            }
                        }
                        _ if star == Star::Among => out.finding(
                            span,
                            RULE,
                            Some(index),
                            Severity::Review,
                            format!(
                                "reads `{}` from a `*` over {} and other tables, which now supplies it as `{}` (or another table's `{}`); name the columns in the query",
                                column.value,
                                change.table(),
                                to.value,
                                column.value
                            ),
                        ),
                        _ => out.finding(
                            span,
                            RULE,
                            Some(index),
                            Severity::Review,
                            format!(
                                "reads `{}` from the result of a query on {}; check that the query still returns a column of that name after {change}",
                                column.value,
                                change.table()
                            ),
                        ),
                    }
                }
                Change::DropColumn { .. } => out.finding(
                    span,
                    RULE,
                    Some(index),
                    Severity::Review,
                    format!("reads `{}` from the query's result, but the column is dropped ({change})", column.value),
                ),
                Change::ChangeType { to, .. } => out.finding(
                    span,
                    RULE,
                    Some(index),
                    Severity::Info,
                    format!("reads `{}` from the query's result; its type becomes {to}: check what this code does with it", column.value),
                ),
                Change::RenameTable { .. } => {}
            }
        }
    }
}

/// What a `*` in a query's result supplies of a changed table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Star {
    /// No `*` over the changed table.
    No,
    /// A `*` over the changed table alone: its columns, under their current names.
    Only,
    /// A `*` over the changed table and others, which may have a column of the same name.
    Among,
}

/// Does the result of the query `text` come from a `*` over the changed table?
fn star_over(text: &str, change: &Change, ctx: &RuleContext<'_>) -> Star {
    let Some(column) = change.column() else { return Star::No };
    let prepared = ripple_sql::prepare(text, &ripple_sql::PrepareOptions::of(ctx));
    let mut star = Star::No;
    for m in prepared.models().flatten() {
        let Some(scope) = m.output.filter(|_| m.kind() == StatementKind::Query).and_then(|s| m.scopes.get(s))
        else {
            continue;
        };
        let binder = Binder { model: m, catalog: ctx.catalog, output_names: ctx.options.output_names };
        let changed =
            scope.sources.iter().filter(|s| binder.source_is_changed(s, change.table()).is_some()).count();
        // An item named like the column shadows what the star supplies.
        let named =
            scope.items.iter().any(|i| i.output.as_ref().is_some_and(|o| column.matches(&o.value, false)));
        if changed == 0 || named || !scope.items.iter().any(|i| i.star.is_some()) {
            continue;
        }
        star = if changed == 1 && scope.sources.len() == 1 && star != Star::Among {
            Star::Only
        } else {
            Star::Among
        };
    }
    star
}
