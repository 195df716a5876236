//! A SQL file as sqlparser statements, each with where it starts, and every statement that
//! does not parse as a located error. Shared by migrations and schema-diff.

use crate::dialect::sqlparser_dialect;
use ripple_core::{Dialect, Ident, InputError, TableName};
use sqlparser::ast::{ObjectName, ObjectNamePart, Statement};
use sqlparser::dialect::Dialect as SqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};
use std::path::Path;

/// A parsed statement and its 1-based start.
pub(crate) struct Located {
    pub statement: Statement,
    pub line: usize,
    pub column: usize,
}

/// The sqlparser dialects to try for `dialect`, in order. Without a dialect, Postgres goes
/// first (double quotes name identifiers), then MySQL (backticks, CHANGE/MODIFY), Snowflake
/// and BigQuery.
fn candidates(dialect: Dialect) -> Vec<Box<dyn SqlDialect>> {
    let order = match dialect {
        Dialect::Generic => {
            vec![Dialect::Postgres, Dialect::Mysql, Dialect::Snowflake, Dialect::Bigquery, Dialect::Generic]
        }
        d => vec![d],
    };
    order.into_iter().map(sqlparser_dialect).collect()
}

/// Parses every statement of `text`. With several candidate dialects the first that parses
/// the whole file wins; when none does, the errors of the one that got furthest are returned.
pub(crate) fn parse_file(path: &Path, text: &str, dialect: Dialect) -> Result<Vec<Located>, Vec<InputError>> {
    let mut best: Option<Vec<InputError>> = None;
    for candidate in candidates(dialect) {
        match parse_with(path, text, candidate.as_ref()) {
            Ok(statements) => return Ok(statements),
            Err(errors) => {
                if best.as_ref().is_none_or(|b| further(&errors, b)) {
                    best = Some(errors);
                }
            }
        }
    }
    Err(best.unwrap_or_default())
}

/// Fewer failing statements, or a first failure later in the file.
fn further(a: &[InputError], b: &[InputError]) -> bool {
    let first = |e: &[InputError]| e.first().map(|e| (e.line, e.column));
    a.len() < b.len() || (a.len() == b.len() && first(a) > first(b))
}

fn parse_with(path: &Path, text: &str, dialect: &dyn SqlDialect) -> Result<Vec<Located>, Vec<InputError>> {
    let tokens = Tokenizer::new(dialect, text).tokenize_with_location().map_err(|e| {
        let (line, column) = position(e.location);
        vec![InputError::at(path, line, column, format!("cannot read SQL: {}", e.message))]
    })?;
    let mut statements = Vec::new();
    let mut errors = Vec::new();
    for chunk in split_statements(tokens) {
        match parse_one(dialect, chunk) {
            Ok(s) => statements.push(s),
            Err((line, column, message)) => errors.push(InputError::at(path, line, column, message)),
        }
    }
    if errors.is_empty() {
        Ok(statements)
    } else {
        Err(errors)
    }
}

/// Splits tokens at top-level semicolons; chunks of only whitespace and comments are
/// dropped. Each chunk ends with an EOF token placed where the statement ends.
fn split_statements(tokens: Vec<TokenWithSpan>) -> Vec<Vec<TokenWithSpan>> {
    let mut chunks = Vec::new();
    let mut current: Vec<TokenWithSpan> = Vec::new();
    for token in tokens {
        match token.token {
            Token::SemiColon | Token::EOF => {
                let eof = TokenWithSpan { token: Token::EOF, span: token.span };
                push_chunk(&mut chunks, std::mem::take(&mut current), eof);
            }
            _ => current.push(token),
        }
    }
    if let Some(last) = current.last() {
        let eof = TokenWithSpan { token: Token::EOF, span: last.span };
        push_chunk(&mut chunks, current, eof);
    }
    chunks
}

fn push_chunk(chunks: &mut Vec<Vec<TokenWithSpan>>, mut chunk: Vec<TokenWithSpan>, eof: TokenWithSpan) {
    if chunk.iter().any(|t| !matches!(t.token, Token::Whitespace(_))) {
        chunk.push(eof);
        chunks.push(chunk);
    }
}

fn parse_one(dialect: &dyn SqlDialect, chunk: Vec<TokenWithSpan>) -> Result<Located, (usize, usize, String)> {
    let mut parser = Parser::new(dialect).with_tokens_with_locations(chunk);
    let (line, column) = position(parser.peek_token().span.start);
    let statement = parser.parse_statement().map_err(|e| parser_error(&e.to_string(), line, column))?;
    let next = parser.peek_token();
    if next.token != Token::EOF {
        let (l, c) = position(next.span.start);
        return Err((
            l,
            c,
            format!("cannot parse statement: unexpected `{}` after the statement", next.token),
        ));
    }
    Ok(Located { statement, line, column })
}

/// sqlparser puts the location in its message ("... at Line: 3, Column: 7"); move it out,
/// falling back to the statement's start.
fn parser_error(message: &str, line: usize, column: usize) -> (usize, usize, String) {
    let message = message.strip_prefix("sql parser error: ").unwrap_or(message);
    let Some(at) = message.rfind(" at Line: ") else {
        return (line, column, format!("cannot parse statement: {message}"));
    };
    let located = message[at + " at Line: ".len()..].split_once(", Column: ").and_then(|(l, c)| {
        let c: String = c.chars().take_while(char::is_ascii_digit).collect();
        Some((l.trim().parse().ok()?, c.parse().ok()?))
    });
    match located {
        Some((l, c)) if l > 0 => (l, c, format!("cannot parse statement: {}", &message[..at])),
        _ => (line, column, format!("cannot parse statement: {message}")),
    }
}

fn position(location: Location) -> (usize, usize) {
    let to_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    (to_usize(location.line).max(1), to_usize(location.column).max(1))
}

/// The 1-based start of an identifier, when sqlparser knows it.
pub(crate) fn ident_position(ident: &sqlparser::ast::Ident) -> Option<(usize, usize)> {
    (ident.span.start.line > 0).then(|| position(ident.span.start))
}

pub(crate) fn ident(ident: &sqlparser::ast::Ident) -> Ident {
    Ident { value: ident.value.clone(), quoted: ident.quote_style.is_some() }
}

/// A table name with all its qualifiers; `None` for names computed by functions.
pub(crate) fn table_name(name: &ObjectName) -> Option<TableName> {
    let parts = name
        .0
        .iter()
        .map(|part| match part {
            ObjectNamePart::Identifier(i) => Some(ident(i)),
            ObjectNamePart::Function(_) => None,
        })
        .collect::<Option<Vec<_>>>()?;
    (!parts.is_empty()).then_some(TableName { parts })
}

/// The last statement of `text`: its first word, upper-cased, and the statement when a
/// candidate dialect parses it.
pub(crate) fn last_statement(text: &str, dialect: Dialect) -> Option<(String, Option<Statement>)> {
    let mut word = None;
    for candidate in candidates(dialect) {
        let Ok(tokens) = Tokenizer::new(candidate.as_ref(), text).tokenize_with_location() else { continue };
        let Some(last) = split_statements(tokens).pop() else { continue };
        let first = last.iter().find_map(|t| match &t.token {
            Token::Whitespace(_) => None,
            Token::Word(w) => Some(w.value.to_ascii_uppercase()),
            other => Some(other.to_string()),
        });
        word = word.or(first);
        if let Ok(located) = parse_one(candidate.as_ref(), last) {
            return Some((word?, Some(located.statement)));
        }
    }
    word.map(|w| (w, None))
}

/// Every statement of `text` that parses, in the candidate dialect that parses the most;
/// the rest are skipped. For reading what DDL defines, where one odd statement (a psql
/// meta-command, a procedure) must not hide the tables around it.
pub(crate) fn parse_lenient(text: &str, dialect: Dialect) -> Vec<Statement> {
    let mut best: Vec<Statement> = Vec::new();
    for candidate in candidates(dialect) {
        let Ok(tokens) = Tokenizer::new(candidate.as_ref(), text).tokenize_with_location() else { continue };
        let chunks = split_statements(tokens);
        let total = chunks.len();
        let parsed: Vec<Statement> = chunks
            .into_iter()
            .filter_map(|chunk| parse_one(candidate.as_ref(), chunk).ok().map(|l| l.statement))
            .collect();
        let complete = parsed.len() == total;
        if parsed.len() > best.len() {
            best = parsed;
        }
        if complete {
            break;
        }
    }
    best
}
