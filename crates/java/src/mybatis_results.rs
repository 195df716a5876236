//! MyBatis mapper methods' `@Result(column = "...")`: the column is an output name of the
//! method's own `@Select`, and follows a rename as a `<resultMap>` column does.

use crate::mybatis::follow::{result_column, Column};
use crate::query;
use crate::strings::JavaSql;
use crate::syntax::{ancestor, annotation_name, annotation_value, descendants, span, text_of};
use ripple_core::{RuleContext, RuleOutput};

pub(crate) fn run(sql: &JavaSql<'_, '_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
    let (file, found) = (sql.file, &sql.found);
    let src = file.text;
    for n in descendants(file.tree().root_node()) {
        if n.kind() != "annotation" || annotation_name(n, src) != Some("Result") {
            continue;
        }
        let Some(literal) = annotation_value(n, "column", src).filter(|v| v.kind() == "string_literal")
        else {
            continue;
        };
        let Some(method) = ancestor(n, &["method_declaration"]) else { continue };
        // The SQL of the method's own annotations.
        let within = |s: &crate::sql::SqlString<'_>| {
            method.start_byte() <= s.expr.start_byte()
                && s.expr.end_byte() <= method.end_byte()
                && ancestor(s.expr, &["annotation"]).is_some()
        };
        let statements: Vec<usize> = (0..found.sql.len()).filter(|&i| within(&found.sql[i])).collect();
        if statements.is_empty() {
            continue;
        }
        let (start, end) = span(literal);
        let raw = &src[start + 1..end - 1];
        let property = annotation_value(n, "property", src);
        // The property is a Java name, not a database name.
        out.seen.extend(property.map(span));
        let property = property.and_then(|p| text_of(p, src)).map(|t| t.trim_matches('"').to_string());
        let column = Column {
            value: raw.to_string(),
            span: (start + 1, end - 1),
            verbatim: !raw.contains('\\'),
            property,
        };
        let analysed: Vec<query::Analysed> = statements.iter().map(|&i| sql.query(i, ctx)).collect();
        let outputs = |change: &ripple_core::Change| {
            analysed.iter().map(|a| a.output(&column.value, change, ctx)).collect()
        };
        let doubt = |ci: usize| statements.iter().any(|&i| sql.doubts(i, ci));
        result_column(&column, &outputs, &doubt, ctx, out);
    }
}
