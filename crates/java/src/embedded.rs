//! The SQL strings of a Java file for the embedded-SQL driver, and the follow-ups on them:
//! quoted identifiers written with escaped quotes, JPQL strings, and the JDBC code that
//! reads the query's results and binds its parameters.

use crate::sql::Why;
use crate::strings::JavaSql;
use crate::{jdbc, region, RULE};
use ripple_core::host::{Evidence, SqlString};
use ripple_core::region::EscapeError;
use ripple_core::SqlStrings;
use ripple_core::{Edit, RuleContext, RuleOutput, Severity};
use std::borrow::Cow;

impl SqlStrings for JavaSql<'_, '_> {
    fn len(&self) -> usize {
        self.found.sql.len()
    }

    fn get(&self, index: usize) -> SqlString<'_> {
        let s = &self.found.sql[index];
        SqlString {
            region: &s.region.region,
            span: s.region.span,
            judged: &s.region.literals,
            evidence: if s.why == Why::Shape { Evidence::Shape } else { Evidence::Context },
            dialect: None,
        }
    }

    fn sql_text(&self, index: usize) -> Cow<'_, str> {
        Cow::Owned(crate::mask_params(self.found.sql[index].region.text()))
    }

    fn escape(&self, _index: usize, new: &str) -> Result<String, EscapeError> {
        region::escape(new)
    }

    /// A quoted identifier whose quotes are escapes (`\"user_name\"`) is rewritten with its
    /// escapes; the region refuses it, since the quotes have no verbatim origin.
    fn map_own(&self, index: usize, analysed: &mut RuleOutput) -> RuleOutput {
        let (src, s) = (self.file.text, &self.found.sql[index]);
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
        quoted
    }

    fn analysed(
        &mut self,
        _index: usize,
        _edits: &[Edit],
        mapped: &RuleOutput,
        _ctx: &RuleContext<'_>,
    ) -> RuleOutput {
        // That a `*` changes the result's shape is what readers of the result follow, not a doubt.
        let doubt = |f: &&ripple_core::Finding| f.rule != ripple_sql::ids::SELECT_STAR.id;
        self.doubtful.push(mapped.findings.iter().filter(doubt).filter_map(|f| f.change).collect());
        RuleOutput::default()
    }

    fn finish(self: Box<Self>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        let src = self.file.text;
        for &(start, end) in &self.found.jpql {
            let mentions = ctx.names.mentions(&src[start..end]);
            if !mentions.is_empty() {
                out.finding(
                    (start, end),
                    RULE,
                    None,
                    Severity::Info,
                    "JPQL names entities and their attributes, not tables and columns; left as written",
                );
            }
            out.seen.push((start, end));
        }
        out.seen.extend(self.found.prose.iter().copied());
        jdbc::run(&self, ctx, out);
        crate::mybatis_results::run(&self, ctx, out);
        // A constant shared by several statements is analysed with each: report once.
        let mut unique = std::collections::HashSet::new();
        out.findings.retain(|f| unique.insert((f.start, f.end, f.rule.clone(), f.message.clone())));
    }
}
