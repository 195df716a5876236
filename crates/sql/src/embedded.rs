//! SQL inside host-language strings: the shared test of whether a string is SQL at all,
//! for strings that do not reach a known SQL sink.

use sqlparser::dialect::{
    BigQueryDialect, Dialect as SqlDialect, GenericDialect, MySqlDialect, PostgreSqlDialect, SnowflakeDialect,
};
use sqlparser::parser::Parser;

/// Keywords a SQL statement embedded in code starts with.
const LEADING_KEYWORDS: [&str; 12] = [
    "select", "with", "insert", "update", "delete", "merge", "create", "alter", "drop", "truncate",
    "replace", "upsert",
];

/// Does `text` read as one or more SQL statements? It must start with a statement keyword
/// and parse cleanly in some dialect. Bind parameters (`?`, `%s`, `%(name)s`, `:name`,
/// `$1`) are accepted. Prose that starts like SQL ("Select a user.") fails the parse or
/// the sentence check.
pub fn looks_like_sql(text: &str) -> bool {
    let trimmed = text.trim();
    let first: String = trimmed.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    if !LEADING_KEYWORDS.iter().any(|k| first.eq_ignore_ascii_case(k)) {
        return false;
    }
    // The keyword alone, or a keyword glued to punctuation, is not a statement.
    if trimmed.len() == first.len() || !trimmed[first.len()..].starts_with(char::is_whitespace) {
        return false;
    }
    // A sentence: ends like prose and has no SQL punctuation before the end.
    let body = trimmed.trim_end_matches(';').trim_end();
    if body.ends_with(['.', '!', ':']) {
        return false;
    }
    let sql = mask_params(trimmed);
    let dialects: [&dyn SqlDialect; 5] =
        [&PostgreSqlDialect {}, &MySqlDialect {}, &SnowflakeDialect, &BigQueryDialect, &GenericDialect];
    dialects.iter().any(|d| Parser::parse_sql(*d, &sql).is_ok_and(|s| !s.is_empty()))
}

/// Replaces `%s`, `%(name)s` and `:name` bind parameters with `?`, outside quotes.
fn mask_params(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else if matches!(c, b'\'' | b'"' | b'`') {
            quote = Some(c);
        } else if c == b'%' {
            if b.get(i + 1) == Some(&b's') {
                out.push('?');
                i += 2;
                continue;
            }
            if b.get(i + 1) == Some(&b'(') {
                if let Some(close) = text[i..].find(")s") {
                    let name = &text[i + 2..i + close];
                    if name.bytes().all(|x| x.is_ascii_alphanumeric() || x == b'_') {
                        out.push('?');
                        i += close + 2;
                        continue;
                    }
                }
            }
        } else if c == b':'
            && b.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic() || *n == b'_')
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'_' | b':')))
        {
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            out.push('?');
            i = j;
            continue;
        }
        // Copy the whole UTF-8 character starting here.
        let len = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + len]);
        i += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_statements_and_prose() {
        assert!(looks_like_sql("SELECT id, user_name FROM users WHERE id = %s"));
        assert!(looks_like_sql("select * from users where id = :id"));
        assert!(looks_like_sql("UPDATE users SET age = %(age)s WHERE id = ?"));
        assert!(looks_like_sql("  INSERT INTO users (id, user_name) VALUES (?, ?);"));
        assert!(looks_like_sql("WITH u AS (SELECT 1) SELECT * FROM u"));
        assert!(!looks_like_sql("Select a user from the list."));
        assert!(!looks_like_sql("select the user_name you want"));
        assert!(!looks_like_sql("Update failed for user_name"));
        assert!(!looks_like_sql("Delete: user_name"));
        assert!(!looks_like_sql("user_name"));
        assert!(!looks_like_sql("SELECT"));
        assert!(!looks_like_sql(""));
        assert!(!looks_like_sql("selection of users"));
    }
}
