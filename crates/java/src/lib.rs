//! ripple's Java support: the SQL inside Java strings (literals, concatenations, constants,
//! text blocks, native query annotations), carried through the SQL resolver and mapped back
//! byte for byte; and the JDBC code that reads a query's results and binds its parameters.
//! APIs that name tables and columns directly (JPA annotations) are rule files under
//! `rules/java/`.

mod entity;
pub mod ids;
mod jdbc;
mod query;
pub mod region;
mod sql;
mod syntax;
mod types;

use ripple_core::{Confidence, Lang, Rule, RuleContext, RuleOutput, Severity, SourceFile};
use std::sync::Arc;

pub use sql::Why;

/// The built-in Java rules written in Rust.
pub fn rules() -> Vec<Arc<dyn Rule>> {
    vec![Arc::new(EmbeddedSql), Arc::new(entity::FieldTypes)]
}

pub const RULE: &str = "java/embedded-sql";

/// JPA's numbered parameters (`?1`) as plain `?` of the same length, so the SQL parses and
/// offsets stay.
pub(crate) fn mask_numbered_params(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = false;
    for c in text.chars() {
        if digits && c.is_ascii_digit() {
            out.push(' ');
            continue;
        }
        digits = c == '?';
        out.push(c);
    }
    out
}

/// SQL in Java strings, and the JDBC calls that depend on it.
struct EmbeddedSql;

impl Rule for EmbeddedSql {
    fn id(&self) -> &str {
        RULE
    }

    fn language(&self) -> Lang {
        Lang::Java
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        if ctx.changes.is_empty() {
            return;
        }
        let src = file.text;
        let found = sql::discover(file.tree().root_node(), src);
        let mut mine = RuleOutput::default();
        // Per SQL string: the changes whose rewrite of it was refused or left in doubt.
        let mut doubtful: Vec<Vec<usize>> = Vec::new();
        for s in &found.sql {
            let text = mask_numbered_params(s.region.text());
            let mut analysed = ripple_sql::analyse_sql(file.path, &text, ctx);
            if s.why == sql::Why::Shape {
                // Only the string's shape says it is SQL.
                for e in &mut analysed.edits {
                    e.confidence = Confidence::Likely;
                }
            }
            // A quoted identifier whose quotes are escapes (`\"user_name\"`) is rewritten
            // with its escapes; Region refuses it, since the quotes have no verbatim origin.
            let mut quoted = RuleOutput::default();
            let escaped_quote = |(a, b): (usize, usize)| {
                src.get(a..a + 2) == Some("\\\"") && src.get(b.saturating_sub(2)..b) == Some("\\\"")
            };
            analysed.edits.retain(|e| {
                match region::map_quoted(&s.region, e.start, e.end).filter(|f| escaped_quote(*f)) {
                    Some(file_span) => match region::escape(&e.replacement) {
                        Ok(new) => {
                            quoted.edit(file_span, new, &e.rule, e.change, e.confidence);
                            false
                        }
                        Err(_) => true,
                    },
                    None => true,
                }
            });
            let mut mapped = s.region.region.map_output(analysed, &region::escape, s.region.span);
            mapped.extend(quoted);
            doubtful.push(mapped.findings.iter().filter_map(|f| f.change).collect());
            mine.extend(mapped);
            // The SQL resolver judged every name in these literals.
            mine.seen.extend(s.region.literals.iter().copied());
        }
        for &(start, end) in &found.jpql {
            let mentions = ctx.names.mentions(&src[start..end]);
            if !mentions.is_empty() {
                mine.finding(
                    (start, end),
                    RULE,
                    None,
                    Severity::Info,
                    "JPQL names entities and their attributes, not tables and columns; left as written",
                );
            }
            mine.seen.push((start, end));
        }
        mine.seen.extend(found.prose.iter().copied());
        jdbc::run(file, ctx, &found, &doubtful, &mut mine);
        // A constant shared by several statements is analysed with each: report once.
        let mut unique = std::collections::HashSet::new();
        mine.findings.retain(|f| unique.insert((f.start, f.end, f.rule.clone(), f.message.clone())));
        out.extend(mine);
    }
}
