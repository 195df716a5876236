//! The analysis of one SQL file, shared by the SQL rules: Jinja and bind parameters are
//! masked, statements are isolated and modelled, and every change is carried through each
//! statement. Each rule then reports its own part of the result.

use super::jinja::{self, Masked};
use super::lex;
use super::statements::{self, Parsed, Unit};
use super::{column_usage, ddl, fallback, rename_column, rename_table};
use ripple_core::{Change, Confidence, Dialect, RuleContext, RuleOutput, Severity};
use std::path::Path;

/// Which rule reports an edit or finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Statements = 0,
    RenameTable = 1,
    RenameColumn = 2,
    Ddl = 3,
    ColumnUsage = 4,
}

pub const OWNERS: usize = 5;

/// How a double-quoted name that tree-sitter read as a literal is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotedLiterals {
    /// An identifier (ANSI quoting: Postgres, Snowflake, and the generic default).
    Identifier,
    /// Could be a string: the dialect is unknown and the file uses backticks.
    Uncertain,
    /// A string (MySQL, BigQuery, Spark).
    String,
}

/// What every change-specific pass writes into.
pub struct Sink<'a> {
    pub original: &'a str,
    pub masked: &'a Masked,
    pub outputs: [RuleOutput; OWNERS],
}

impl Sink<'_> {
    /// Records an edit, unless its span is not plain code of the original text: a span
    /// touching Jinja or a masked bind parameter becomes a finding instead.
    pub fn edit(
        &mut self,
        owner: Owner,
        span: (usize, usize),
        to: String,
        rule: &str,
        change: usize,
        conf: Confidence,
    ) {
        let ok = !self.masked.touches(span.0, span.1)
            && self.original.get(span.0..span.1).is_some()
            && self.original.get(span.0..span.1) == self.masked.text.get(span.0..span.1);
        if ok {
            self.outputs[owner as usize].edit(span, to, rule, change, conf);
        } else {
            self.outputs[owner as usize].finding(
                span,
                rule,
                Some(change),
                Severity::Review,
                format!(
                    "would rewrite this to {to:?}, but it is inside a template or parameter; not rewritten"
                ),
            );
        }
    }

    pub fn finding(
        &mut self,
        owner: Owner,
        span: (usize, usize),
        rule: &str,
        change: Option<usize>,
        sev: Severity,
        msg: String,
    ) {
        self.outputs[owner as usize].finding(span, rule, change, sev, msg);
    }

    /// The original text at a span (empty if the span is not on char boundaries).
    pub fn text(&self, span: (usize, usize)) -> &str {
        self.original.get(span.0..span.1).unwrap_or("")
    }
}

pub struct FileAnalysis {
    pub outputs: [RuleOutput; OWNERS],
}

/// Analyses one SQL file.
pub fn analyse(path: &Path, text: &str, ctx: &RuleContext<'_>) -> FileAnalysis {
    let mut masked = jinja::mask(text);
    // Without --dialect, quoting and escapes follow the file's own syntax.
    let dialect = crate::dialect::effective(ctx.options.dialect, text);
    let backslash = matches!(dialect, Dialect::Mysql | Dialect::Bigquery | Dialect::Spark);
    let lexed = lex::lex(&masked.text, backslash);
    let mut bytes = std::mem::take(&mut masked.text).into_bytes();
    lex::mask_bind_params(&mut bytes, &lexed);
    masked.text = String::from_utf8(bytes).unwrap_or_else(|_| text.to_string());
    let quoted = match dialect {
        Dialect::Mysql | Dialect::Bigquery | Dialect::Spark => QuotedLiterals::String,
        Dialect::Generic if masked.text.contains('`') => QuotedLiterals::Uncertain,
        _ => QuotedLiterals::Identifier,
    };

    let dialects = fallback::candidates(ctx.options.dialect, &masked.text, &lexed);
    let fallback_ctx = fallback::FileContext::new(&masked, dialects, ctx.changes);
    let units = statements::units(&masked, &lexed, ctx.names, text, &fallback_ctx);
    let mut sink = Sink { original: text, masked: &masked, outputs: Default::default() };
    for unit in &units {
        analyse_unit(unit, ctx, quoted, &lexed, &mut sink);
    }
    // A function or procedure body is SQL (or PL/pgSQL) kept in a string: not analysed,
    // but never passed over in silence.
    for &(start, end) in &lexed.dollar_bodies {
        let inside: Vec<_> = ctx.names.mentions(&text[start.min(text.len())..end.min(text.len())]);
        if let Some(m) = inside.first() {
            let span = (start + m.start, start + m.end);
            let mut names: Vec<String> = Vec::new();
            for m in &inside {
                let word = sink.text((start + m.start, start + m.end)).to_string();
                if !names.iter().any(|n| n.eq_ignore_ascii_case(&word)) {
                    names.push(word);
                }
            }
            let name = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            sink.finding(
                Owner::Statements,
                span,
                "sql/unanalysed-body",
                None,
                Severity::Review,
                format!("{name} mentioned in a dollar-quoted function or procedure body, which ripple does not analyse: check it by hand"),
            );
        }
    }
    let mut outputs = sink.outputs;
    if is_migration_file(path) {
        for out in &mut outputs {
            demote_to_findings(out, text);
        }
    }
    FileAnalysis { outputs }
}

fn analyse_unit(
    unit: &Unit,
    ctx: &RuleContext<'_>,
    quoted: QuotedLiterals,
    lexed: &lex::Lexed,
    sink: &mut Sink<'_>,
) {
    let first = unit.mentions.first().map(|m| (m.start, m.end)).unwrap_or(unit.span);
    let first_name = sink.text(first).to_string();
    let model = match &unit.parsed {
        Parsed::Unparsed => {
            sink.finding(
                Owner::Statements,
                first,
                "sql/unparsed-statement",
                None,
                Severity::Review,
                match &unit.refusal {
                    Some(why) => format!("this statement was not analysed: {why}; its mention of `{first_name}` was not checked"),
                    None => format!(
                        "this statement could not be parsed, so its mention of `{first_name}` was not checked"
                    ),
                },
            );
            return;
        }
        Parsed::Model(m) => m,
    };
    if model.kind() == super::scope::StatementKind::Other {
        sink.finding(
            Owner::Statements,
            first,
            "sql/unsupported-statement",
            None,
            Severity::Review,
            format!("ripple does not analyse this kind of statement; its mention of `{first_name}` was not checked"),
        );
        return;
    }
    if ddl::migration_statement(model, ctx, sink) {
        return;
    }
    for p in &unit.unclaimed {
        sink.finding(
            Owner::Statements,
            p.span,
            "sql/unanalysed-mention",
            None,
            Severity::Review,
            format!("`{}` stands where ripple does not resolve names; not checked", p.value),
        );
    }
    let marks = sink.outputs.each_ref().map(|o| o.edits.len());
    for (i, change) in ctx.changes.iter() {
        match change {
            Change::RenameTable { from, to } => rename_table::run(model, i, from, to, sink),
            Change::RenameColumn { table, from, to } => {
                rename_column::run(model, ctx, quoted, i, table, from, to, sink);
                ddl::rename_column(model, i, table, from, to, lexed, sink);
            }
            Change::DropColumn { table, column } => {
                column_usage::run(model, ctx, quoted, i, change, sink);
                ddl::drop_column(model, i, table, column, lexed, sink);
            }
            Change::ChangeType { table, column, from, to } => {
                column_usage::run(model, ctx, quoted, i, change, sink);
                ddl::change_type(model, i, table, column, from.as_deref(), to, sink);
            }
        }
    }
    if let Some(d) = unit.fallback {
        fallback::verify::check(sink, unit.span, d, marks);
    }
}

/// Files of historical migrations: under a `migrations`, `migration`, `migrate`, `flyway`
/// or `alembic` directory, or named like `V12__x.sql`, `0001_x.sql` / `20240101_x.sql`
/// (four digits or more: `01_load.py` is a pipeline step, not a migration) or
/// `x.up.sql` / `x.down.sql`.
pub fn is_migration_file(path: &Path) -> bool {
    let in_dir = path.parent().is_some_and(|p| {
        p.components().any(|c| {
            let s = c.as_os_str().to_string_lossy().to_ascii_lowercase();
            matches!(s.as_str(), "migrations" | "migration" | "migrate" | "flyway" | "alembic")
        })
    });
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let flyway =
        name.strip_prefix(['V', 'v']).and_then(|rest| rest.split_once("__")).is_some_and(|(v, _)| {
            v.starts_with(|c: char| c.is_ascii_digit())
                && v.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '_')
        });
    let numbered = {
        let d = name.bytes().take_while(|b| b.is_ascii_digit()).count();
        d >= 4 && name[d..].starts_with('_')
    };
    let lower = name.to_ascii_lowercase();
    let up_down = lower.ends_with(".up.sql") || lower.ends_with(".down.sql");
    in_dir || flyway || numbered || up_down
}

fn demote_to_findings(out: &mut RuleOutput, text: &str) {
    for e in std::mem::take(&mut out.edits) {
        let before = text.get(e.start..e.end).unwrap_or("");
        out.finding(
            (e.start, e.end),
            &e.rule,
            Some(e.change),
            Severity::Info,
            format!("historical migration, left as written (would change {before:?} to {:?})", e.replacement),
        );
    }
    for f in &mut out.findings {
        f.severity = Severity::Info;
    }
}

#[cfg(test)]
mod tests {
    use super::is_migration_file;
    use std::path::Path;

    #[test]
    fn historical_migrations_by_place_and_name() {
        let yes = [
            "db/migrations/add_users.sql",
            "app/migrations/0002_auto.py",
            "alembic/versions/3f2a_add_users.py",
            "sql/V12__rename.sql",
            "sql/0001_init.sql",
            "sql/20240101120000_init.sql",
            "sql/000003_users.up.sql",
        ];
        let no =
            ["jobs/01_load_customers.py", "models/02_transform.sql", "etl/load_users.py", "sql/v2_users.sql"];
        for p in yes {
            assert!(is_migration_file(Path::new(p)), "{p}");
        }
        for p in no {
            assert!(!is_migration_file(Path::new(p)), "{p}");
        }
    }
}
