//! ripple's Python support: the SQL inside Python strings (plain, raw, byte, triple-quoted,
//! concatenated, f-strings and `.format` templates with their holes masked), carried
//! through the SQL resolver and mapped back byte for byte; and the code that reads the
//! query's rows by column name. APIs that name tables and columns directly (PySpark,
//! pandas, SQLAlchemy, Django) are rule files under `rules/python/`.

pub mod flow;
pub mod ids;
pub mod literal;
mod pyspark;
mod scope;
pub mod sql;

use ripple_core::{
    Change, Confidence, Dialect, Lang, Options, OutputNames, Rule, RuleContext, RuleOutput, Severity,
    SourceFile,
};
use std::sync::Arc;

pub use sql::Why;

pub const RULE: &str = "python/embedded-sql";

/// The built-in Python rules written in Rust.
pub fn rules() -> Vec<Arc<dyn Rule>> {
    vec![Arc::new(EmbeddedSql), Arc::new(pyspark::SqlExpressions)]
}

/// SQL in Python strings, and the reads of its results.
struct EmbeddedSql;

impl Rule for EmbeddedSql {
    fn id(&self) -> &str {
        RULE
    }

    fn language(&self) -> Lang {
        Lang::Python
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        if ctx.changes.is_empty() {
            return;
        }
        let src = file.text;
        let mentions: Vec<(usize, usize)> =
            file.mentions(ctx.names).iter().map(|m| (m.start, m.end)).collect();
        for found in sql::discover(file.tree().root_node(), src, &mentions) {
            let text = found.lit.region.text();
            if found.why == Why::Shape && !ripple_sql::looks_like_sql(text) {
                continue;
            }
            // `pd.read_sql("users", conn)` names a table, not a query: rule files handle it.
            if is_bare_name(text) {
                continue;
            }
            // `spark.sql(...)` runs Spark SQL (`USING DELTA`, backquotes) whatever the file's
            // other SQL looks like.
            let spark = ctx.options.dialect == Dialect::Generic
                && found.sinks.iter().any(|s| sql::callee(*s, src).is_some_and(|c| c.ends_with("spark.sql")));
            let spark_options = Options { dialect: Dialect::Spark, output_names: ctx.options.output_names };
            let spark_ctx = RuleContext { options: &spark_options, ..*ctx };
            let mut analysed = ripple_sql::analyse_sql(file.path, text, if spark { &spark_ctx } else { ctx });
            if found.why == Why::Shape {
                // Only the string's shape says it is SQL.
                for e in &mut analysed.edits {
                    e.confidence = Confidence::Likely;
                }
            }
            let region_edits: Vec<(usize, usize, String)> =
                analysed.edits.iter().map(|e| (e.start, e.end, e.replacement.clone())).collect();
            let escape = |s: &str| found.lit.escape(s);
            let mapped = found.lit.region.map_output(analysed, &escape, found.lit.span);
            let all_mapped = mapped.edits.len() == region_edits.len();
            out.extend(mapped);
            // The SQL resolver judged every name in this string.
            out.seen.push(found.lit.span);
            if found.why != Why::Shape {
                let rewritten = apply(text, &region_edits);
                result_reads(&found, src, &rewritten, all_mapped, ctx, out);
            }
        }
    }
}

/// A lone (possibly qualified) name: a table, not a statement.
pub(crate) fn is_bare_name(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '"' | '`'))
}

fn apply(text: &str, edits: &[(usize, usize, String)]) -> String {
    let mut sorted: Vec<&(usize, usize, String)> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    let mut last = usize::MAX;
    for (s, e, r) in sorted {
        if *e <= last && out.is_char_boundary(*s) && out.is_char_boundary(*e) && s <= e {
            out.replace_range(*s..*e, r);
            last = *s;
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
    let reads: Vec<_> = found.sinks.iter().flat_map(|s| sql::result_reads(*s, src)).collect();
    for (index, change) in ctx.changes.iter() {
        let Some(column) = change.column() else { continue };
        if !has_word(text, &change.table().name().value) || !has_word(text, &column.value) {
            continue;
        }
        for read in &reads {
            let Some(key) = literal::read(*read, src, false) else { continue };
            if key.has_holes || !column.matches(key.region.text(), false) {
                continue;
            }
            let content = key.region.map_span(0, key.region.text().len());
            let span = (read.start_byte(), read.end_byte());
            match change {
                Change::RenameColumn { to, .. } => {
                    let kept = has_word(rewritten, &column.value);
                    match ctx.options.output_names {
                        OutputNames::Preserve if kept && all_mapped => out.seen.push(span),
                        OutputNames::Propagate if !kept && all_mapped && !found.lit.has_holes => {
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
