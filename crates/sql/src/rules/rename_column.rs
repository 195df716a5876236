//! `rename_column`: column references that bind with certainty to the changed table are
//! renamed (unqualified, by table name, by alias); a bare select-list item keeps the
//! query's output name unless output names propagate. Whatever binds uncertainly is a
//! finding.

use super::analysis::{Owner, QuotedLiterals, Sink};
use super::column_usage::{report_binding, star_and_using_findings};
use super::names::render;
use super::resolve::{Binder, Binding};
use super::scope::{Model, Place};
use ripple_core::{Ident, OutputNames, RuleContext, Severity, TableName};

pub const RULE: &str = "sql/rename-column";

#[allow(clippy::too_many_arguments)]
pub fn run(
    model: &Model,
    ctx: &RuleContext<'_>,
    quoted: QuotedLiterals,
    change: usize,
    table: &TableName,
    from: &Ident,
    to: &Ident,
    sink: &mut Sink<'_>,
) {
    let binder = Binder { model, catalog: ctx.catalog, output_names: ctx.options.output_names };
    let ddl = model.kind().is_ddl();
    let (owner, rule) = if ddl { (Owner::Ddl, "sql/ddl") } else { (Owner::RenameColumn, RULE) };
    let as_kw = if model.upper_keywords { "AS" } else { "as" };
    for c in &model.columns {
        if !c.name.is(from) || (c.from_literal && quoted == QuotedLiterals::String) {
            continue;
        }
        match binder.bind(c, table, from) {
            Binding::Changed(conf) => {
                if c.from_literal && quoted == QuotedLiterals::Uncertain {
                    sink.finding(
                        owner,
                        c.name.span,
                        "sql/unresolved-column",
                        Some(change),
                        Severity::Review,
                        format!(
                            "\"{}\" reads as a column of {table} but may be a string in this file's dialect (it uses backticks); not rewritten, set --dialect",
                            c.name.value
                        ),
                    );
                    continue;
                }
                let new = render(to, &c.name);
                let keep_output = c.bare_item
                    && c.place == Place::Item
                    && ctx.options.output_names == OutputNames::Preserve;
                let text =
                    if keep_output { format!("{new} {as_kw} {}", sink.text(c.name.span)) } else { new };
                sink.edit(owner, c.name.span, text, rule, change, conf);
            }
            other => report_binding(owner, other, c, change, &format!("renamed to {to}"), sink),
        }
    }
    star_and_using_findings(model, &binder, change, table, from, &format!("renamed to {to}"), owner, sink);
}
