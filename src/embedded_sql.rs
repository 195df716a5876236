//! The embedded-SQL driver, one rule per host: every SQL string the host finds goes
//! through the SQL resolver, and its edits are mapped back to the file through the
//! string's region; the host's follow-ups (result reads, JDBC tracing) see the outcome.

use ripple_core::host::Evidence;
use ripple_core::SqlStrings;
use ripple_core::{Confidence, Host, Lang, Rule, RuleContext, RuleOutput, SourceFile};
use std::sync::Arc;

pub struct EmbeddedSql {
    host: Arc<dyn Host>,
    id: String,
}

impl EmbeddedSql {
    pub fn new(host: Arc<dyn Host>) -> Self {
        let id = format!("{}/embedded-sql", host.lang().name());
        EmbeddedSql { host, id }
    }
}

impl Rule for EmbeddedSql {
    fn id(&self) -> &str {
        &self.id
    }

    fn language(&self) -> Lang {
        self.host.lang()
    }

    /// SQL strings are code, neither comments nor docstrings (hosts leave docstrings out): none
    /// mentions a changed name when only prose does.
    fn reads_code_only(&self) -> bool {
        true
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        if ctx.changes.is_empty() {
            return;
        }
        let mut strings = self.host.sql_strings(file, ctx);
        // The host's follow-ups may revise the whole file's output, never other rules'.
        let mut mine = RuleOutput::default();
        for index in 0..strings.len() {
            let mut analysed = analyse(strings.as_ref(), index, file, ctx);
            let own = strings.map_own(index, &mut analysed);
            let edits = analysed.edits.clone();
            let s = strings.get(index);
            let escape = |new: &str| strings.escape(index, new);
            let mut mapped = s.region.map_output(analysed, &escape, s.span);
            mapped.extend(own);
            let follow = strings.analysed(index, &edits, &mapped, ctx);
            mine.extend(mapped);
            // The SQL resolver judged every name in this string.
            mine.seen.extend_from_slice(strings.get(index).judged);
            mine.extend(follow);
        }
        strings.finish(ctx, &mut mine);
        out.extend(mine);
    }
}

/// The resolver's output on one SQL string, in region offsets.
fn analyse(
    strings: &dyn SqlStrings,
    index: usize,
    file: &SourceFile<'_>,
    ctx: &RuleContext<'_>,
) -> RuleOutput {
    let s = strings.get(index);
    let options = s.dialect.map(|dialect| {
        let mut options = ctx.options.clone();
        options.dialect = dialect;
        options
    });
    let own_ctx = options.as_ref().map(|options| RuleContext { options, ..*ctx });
    let mut analysed =
        ripple_sql::analyse_sql(file.path, &strings.sql_text(index), own_ctx.as_ref().unwrap_or(ctx));
    if s.evidence == Evidence::Shape {
        // Only the string's shape says it is SQL.
        for e in &mut analysed.edits {
            e.confidence = Confidence::Likely;
        }
    }
    analysed
}
