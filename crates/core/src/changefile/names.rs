//! Table and column names as written in a change file, checked before use.

use crate::change::{Ident, TableName};

/// Why a name in a change file names nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// A quote opens and never closes.
    #[error("invalid {what} name `{raw}`: unclosed quote")]
    UnclosedQuote {
        /// `table` or `column`.
        what: &'static str,
        /// The name as written.
        raw: String,
    },
    /// A column name qualified like a table name.
    #[error("invalid column name `{raw}`: a column name has no dots (the table goes in `table`)")]
    DottedColumn {
        /// The name as written.
        raw: String,
    },
    /// A part of the name no SQL dialect could write.
    #[error("invalid {what} name `{raw}`: {why}")]
    BadPart {
        /// `table` or `column`.
        what: &'static str,
        /// The name as written.
        raw: String,
        /// What is wrong with the part.
        why: &'static str,
    },
}

/// Parses `users`, `analytics.users` or `"Analytics"."Users"`, rejecting what no SQL
/// dialect could name (empty parts, stray quotes, spaces outside quotes).
pub fn parse_table_name(raw: &str) -> Result<TableName, NameError> {
    let raw = raw.trim();
    let parts =
        split_parts(raw).ok_or_else(|| NameError::UnclosedQuote { what: "table", raw: raw.into() })?;
    let mut idents = Vec::with_capacity(parts.len());
    for part in parts {
        let ident =
            check_part(part).map_err(|why| NameError::BadPart { what: "table", raw: raw.into(), why })?;
        idents.push(ident);
    }
    Ok(TableName { parts: idents })
}

/// Parses one column name; a dot outside quotes is refused since the table has its own field.
pub fn parse_column_name(raw: &str) -> Result<Ident, NameError> {
    let raw = raw.trim();
    let parts =
        split_parts(raw).ok_or_else(|| NameError::UnclosedQuote { what: "column", raw: raw.into() })?;
    if parts.len() > 1 {
        return Err(NameError::DottedColumn { raw: raw.into() });
    }
    check_part(raw).map_err(|why| NameError::BadPart { what: "column", raw: raw.into(), why })
}

/// Splits on dots outside quotes; `None` when a quote is left open.
fn split_parts(raw: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut close: Option<char> = None;
    for (i, c) in raw.char_indices() {
        match close {
            Some(q) if c == q => close = None,
            Some(_) => {}
            None if c == '.' => {
                parts.push(&raw[start..i]);
                start = i + 1;
            }
            None => close = closing_quote(c),
        }
    }
    if close.is_some() {
        return None;
    }
    parts.push(&raw[start..]);
    Some(parts)
}

fn closing_quote(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '`' => Some('`'),
        '[' => Some(']'),
        _ => None,
    }
}

fn check_part(part: &str) -> Result<Ident, &'static str> {
    if part.is_empty() {
        return Err("empty name part");
    }
    let first = part.chars().next().and_then(closing_quote);
    match first {
        Some(close) => check_quoted(part, close),
        None => check_plain(part),
    }
}

fn check_quoted(part: &str, close: char) -> Result<Ident, &'static str> {
    let open_len = 1;
    if part.len() < 2 || !part.ends_with(close) {
        return Err("text after a closing quote");
    }
    let inner = &part[open_len..part.len() - close.len_utf8()];
    let doubled: String = [close, close].iter().collect();
    if inner.replace(&doubled, "").contains(close) {
        return Err("text after a closing quote");
    }
    if inner.is_empty() {
        return Err("empty quoted name");
    }
    Ok(Ident::parse(part))
}

fn check_plain(part: &str) -> Result<Ident, &'static str> {
    let bad = |c: char| c.is_whitespace() || "\"'`[](),;".contains(c);
    if part.chars().any(bad) {
        return Err("spaces, quotes, brackets, commas and semicolons need a quoted name");
    }
    Ok(Ident::new(part))
}

/// Two spellings of one name: identical, or both unquoted and equal but for case.
/// Stricter than [`Ident::matches`]: renaming `"UserName"` to `username` is a real rename.
pub(crate) fn same_spelling(a: &Ident, b: &Ident) -> bool {
    a.value == b.value || (!a.quoted && !b.quoted && a.value.eq_ignore_ascii_case(&b.value))
}

/// Does renaming `from` to `to` leave the name as it was? An unqualified `to` keeps the
/// schema of `from`; a `to` with more qualifiers may move the table, so it is a change.
pub(crate) fn same_table(from: &TableName, to: &TableName) -> bool {
    to.parts.len() <= from.parts.len()
        && from.parts.iter().rev().zip(to.parts.iter().rev()).all(|(a, b)| same_spelling(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_parsing() {
        assert_eq!(parse_table_name("`proj-1`.ds.t").unwrap().parts.len(), 3);
        assert_eq!(
            parse_table_name("[dbo].[My Table]").unwrap().parts[1],
            Ident { value: "My Table".into(), quoted: true }
        );
        assert!(parse_table_name("a.").is_err());
        assert!(parse_column_name("\"a\"\"b\"").is_ok());
        assert!(parse_column_name("\"a\"b\"").is_err());
    }
}
