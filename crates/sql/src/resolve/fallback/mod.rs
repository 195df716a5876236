//! The sqlparser fallback: a statement tree-sitter could not read is parsed by sqlparser
//! in the file's dialect (or the dialects the file hints at) and modelled into the same
//! query `Model`, so every rule runs on it unchanged.
//!
//! Precision first: anything the builder does not understand fails the statement, and
//! so does any mention of a watched name the model does not account for (a claimed
//! span). A failed statement stays a `sql/unparsed-statement` finding, with the reason.

mod build;
mod ddl;
mod dml;
mod expr;
mod load;
mod offsets;
mod query;
mod script;
pub(crate) mod verify;

use super::scope::{Model, StatementKind};
use crate::source::jinja::Masked;
use build::{Builder, Unmodelled};
use offsets::Offsets;
use ripple_core::prefilter::Mention;
use ripple_core::{Change, ChangeSet, Dialect};
use sqlparser::ast::Statement;
use sqlparser::dialect::Dialect as SqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

/// What the fallback needs to know of the file.
#[derive(Clone)]
pub struct FileContext<'a> {
    pub masked: &'a Masked,
    /// sqlparser dialects to try, in order.
    pub dialects: Vec<Dialect>,
    /// Whether parts of a BigQuery quoted path may be edited in place.
    pub split_paths_ok: bool,
}

impl<'a> FileContext<'a> {
    pub fn new(masked: &'a Masked, dialects: Vec<Dialect>, changes: &ChangeSet) -> Self {
        // Inside `` `p.d.t` `` a new name is written bare: only plain names fit (and
        // BigQuery project ids, which have hyphens).
        let split_paths_ok = changes.iter().all(|(_, c)| match c {
            Change::RenameTable { to, .. } => to.parts.iter().all(|p| {
                !p.quoted
                    && !p.value.is_empty()
                    && p.value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            }),
            _ => true,
        });
        FileContext { masked, dialects, split_paths_ok }
    }
}

/// Why the fallback did not model a statement, for the finding's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No dialect parses it; sqlparser's message for the first dialect tried.
    #[error("neither tree-sitter nor sqlparser could parse it (sqlparser: {0})")]
    Unparsable(String),
    /// sqlparser parsed it, but the model cannot account for all of it.
    #[error("sqlparser parsed it, but ripple could not model it ({0})")]
    Unmodelled(Unmodelled),
    /// Its syntax tree nests deeper than the limit ripple walks.
    #[error("it nests deeper than ripple analyses (more than {0} levels)")]
    TooDeep(usize),
}

/// Models the statement at `span` of the masked text. `mentions` are the watched names
/// in its code: each must be accounted for by the model.
pub fn model(
    fc: &FileContext<'_>,
    span: (usize, usize),
    mentions: &[Mention],
) -> Result<(Model, Dialect), Refusal> {
    let text = fc.masked.text.get(span.0..span.1).ok_or_else(|| Refusal::Unparsable("no text".into()))?;
    let mut first_error = None;
    for &d in &fc.dialects {
        let dl = crate::dialect::sqlparser_dialect(d);
        match parse_one(dl.as_ref(), text) {
            Ok(stmt) => {
                let model =
                    build(fc, span, text, dl.as_ref(), &stmt, mentions).map_err(Refusal::Unmodelled)?;
                return Ok((model, d));
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| Refusal::Unparsable(String::new())))
}

/// The one statement `text` holds, in dialect `dl`.
fn parse_one(dl: &dyn SqlDialect, text: &str) -> Result<Statement, Refusal> {
    let mut stmts = Parser::new(dl)
        .try_with_sql(text)
        .and_then(|mut p| p.parse_statements())
        .map_err(|e| Refusal::Unparsable(brief(&e.to_string())))?;
    match stmts.len() {
        1 => Ok(stmts.remove(0)),
        0 => Err(Refusal::Unparsable("no statement".into())),
        _ => Err(Refusal::Unparsable("more than one statement".into())),
    }
}

/// sqlparser's message without its prefix and statement-relative position, kept short.
fn brief(msg: &str) -> String {
    let m = msg.strip_prefix("sql parser error: ").unwrap_or(msg);
    let m = m.rfind(" at Line: ").map_or(m, |i| &m[..i]);
    let mut out: String = m.chars().take(80).collect();
    if out.len() < m.len() {
        out.push('…');
    }
    out
}

fn build(
    fc: &FileContext<'_>,
    span: (usize, usize),
    text: &str,
    dl: &dyn SqlDialect,
    stmt: &Statement,
    mentions: &[Mention],
) -> Result<Model, Unmodelled> {
    let tokens = Tokenizer::new(dl, text).tokenize_with_location().map_err(|e| e.message)?;
    let upper = tokens.iter().find_map(|t| match &t.token {
        Token::Word(w) if w.quote_style.is_none() && w.keyword != sqlparser::keywords::Keyword::NoKeyword => {
            Some(!w.value.bytes().any(|c| c.is_ascii_lowercase()))
        }
        _ => None,
    });
    let leading = tokens.iter().find_map(|t| match &t.token {
        Token::Word(w) => Some(w.value.to_uppercase()),
        _ => None,
    });
    let mut b = Builder::new(fc.masked, Offsets::new(text, span.0), fc.split_paths_ok, tokens, dl);
    b.m.upper_keywords = upper.unwrap_or(true);
    let kind = match stmt {
        Statement::Query(q) => {
            // The scope that names the query's outputs: what views and models re-export.
            b.m.output = b.query(q, None, false)?;
            StatementKind::Query
        }
        Statement::Insert(i) => {
            b.insert(i)?;
            StatementKind::Insert
        }
        Statement::Update(u) => {
            b.update(u)?;
            StatementKind::Update
        }
        Statement::Delete(d) => {
            b.delete(d)?;
            StatementKind::Delete
        }
        Statement::Merge(m) => {
            b.merge(m)?;
            StatementKind::Merge
        }
        Statement::CreateTable(ct) => {
            b.create_table(ct)?;
            StatementKind::CreateTable
        }
        Statement::CreateView(cv) => {
            b.create_view(cv)?;
            StatementKind::CreateView
        }
        Statement::CreateIndex(ci) => {
            b.create_index(ci)?;
            StatementKind::CreateIndex
        }
        Statement::AlterTable(at) => {
            b.alter_table(at)?;
            StatementKind::AlterTable
        }
        Statement::CopyIntoSnowflake {
            kind: sqlparser::ast::CopyIntoSnowflakeKind::Table,
            into,
            into_columns,
            from_transformations,
            from_query: None,
            ..
        } => {
            b.copy_into(into, into_columns.as_deref(), from_transformations.as_deref())?;
            StatementKind::Insert
        }
        // Scripting variables: their expressions read tables as queries do.
        Statement::Declare { stmts } => {
            b.declare(stmts)?;
            StatementKind::Script
        }
        Statement::Set(set) => {
            b.set_variable(set)?;
            StatementKind::Script
        }
        _ => return Err(format!("a {} statement", leading.unwrap_or_default()).into()),
    };
    b.m.kind = Some(kind);
    b.m.split_field_paths();
    let model = b.m;
    for m in mentions {
        let masked_away =
            fc.masked.text.get(m.start..m.end).is_none_or(|s| s.bytes().all(|c| c == b' ' || c == b'?'));
        if !masked_away && !model.is_claimed((m.start, m.end)) {
            let name = fc.masked.text.get(m.start..m.end).unwrap_or("");
            return Err(format!("`{name}` where it stands").into());
        }
    }
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ripple_core::prefilter::NameMatcher;

    fn try_model(sql: &str, dialect: Dialect, watched: &[&str]) -> Result<Model, Refusal> {
        let masked = crate::source::jinja::mask(sql);
        let names = NameMatcher::new(watched.iter().map(|s| s.to_string()).collect());
        let mentions = names.mentions(sql);
        let fc = FileContext { masked: &masked, dialects: vec![dialect], split_paths_ok: true };
        model(&fc, (0, sql.len()), &mentions).map(|(m, _)| m)
    }

    fn unmodelled(r: Result<Model, Refusal>) -> bool {
        matches!(r, Err(Refusal::Unmodelled(_)))
    }

    #[test]
    fn column_spans_are_bytes_of_the_file() {
        let sql = "select 'é日😀' as \"ü\", u.user_name from users u where user_name <> 'ß'";
        let m = try_model(sql, Dialect::Postgres, &["user_name", "users"]).unwrap();
        let names: Vec<&str> = m.columns.iter().map(|c| &sql[c.name.span.0..c.name.span.1]).collect();
        assert_eq!(names, ["user_name", "user_name"]);
        assert_eq!(&sql[m.tables[0].span.0..m.tables[0].span.1], "users");
    }

    #[test]
    fn anything_not_understood_fails_the_statement() {
        // A source the builder does not model.
        let pivot = "select * from users pivot (sum(a) for b in ('x')) p qualify true";
        assert!(unmodelled(try_model(pivot, Dialect::Snowflake, &["users"])));
        // A watched name where the model does not account for it (EXCLUDE list).
        let exclude = "select * exclude (user_name) from users qualify true";
        assert!(unmodelled(try_model(exclude, Dialect::Snowflake, &["user_name"])));
        // A lambda parameter named like a watched column is no column.
        let lambda = "select transform(xs, user_name -> user_name + 1) from t";
        assert!(unmodelled(try_model(lambda, Dialect::Snowflake, &["user_name"])));
        // Statement kinds that are not modelled.
        assert!(unmodelled(try_model("grant select on users to r", Dialect::Postgres, &["users"])));
    }

    #[test]
    fn unparsable_statements_say_why_briefly() {
        let r = try_model("selec user_name from users", Dialect::Postgres, &["users"]);
        let Err(Refusal::Unparsable(msg)) = r else { panic!("{r:?}") };
        assert!(msg.starts_with("Expected: an SQL statement") && !msg.contains("Line:"), "{msg}");
    }

    #[test]
    fn json_keys_are_claimed_but_are_no_columns() {
        let sql = "select payload:user_name::string, p.payload:a.\"user_name\" from events p";
        let m = try_model(sql, Dialect::Snowflake, &["user_name"]).unwrap();
        assert!(m.columns.iter().all(|c| c.name.value == "payload"));
    }

    #[test]
    fn bigquery_paths_split_into_parts_inside_the_quotes() {
        let sql = "select 1 from `p.analytics.users` u";
        let m = try_model(sql, Dialect::Bigquery, &["users"]).unwrap();
        let parts: Vec<&str> = m.tables[0].parts.iter().map(|p| &sql[p.span.0..p.span.1]).collect();
        assert_eq!(parts, ["p", "analytics", "users"]);
    }

    #[test]
    fn identifier_names_a_table_inside_its_quotes() {
        let sql = "select user_name from identifier('analytics.users') u";
        let m = try_model(sql, Dialect::Snowflake, &["user_name"]).unwrap();
        let parts: Vec<&str> = m.tables[0].parts.iter().map(|p| &sql[p.span.0..p.span.1]).collect();
        assert_eq!(parts, ["analytics", "users"]);
    }

    #[test]
    fn create_table_elements_commas_and_types_line_up() {
        let sql = "create table users (\n  id int, -- key\n  age numeric(10, 2) not null,\n  unique (age)\n) cluster by (id)";
        let m = try_model(sql, Dialect::Snowflake, &["age"]).unwrap();
        let list = &m.def_lists[0];
        let els: Vec<&str> = list.elements.iter().map(|e| &sql[e.0..e.1]).collect();
        assert_eq!(els, ["id int", "age numeric(10, 2) not null", "unique (age)"]);
        assert_eq!(list.commas.len(), 2);
        let ts = m.defs[1].type_span.unwrap();
        assert_eq!(&sql[ts.0..ts.1], "numeric(10, 2)");
    }
}
