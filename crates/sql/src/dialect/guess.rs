//! Guessing a file's SQL dialect when `--dialect` is not given, from the syntax only one
//! dialect family writes. The guess feeds the resolver's quoting rules (is `"x"` a name or
//! a string, do backslashes escape in strings); with no telling sign it stays generic.

use crate::source::lex::quoted_end;
use ripple_core::prefilter::is_word_byte as is_word;
use ripple_core::Dialect;

/// The dialect to analyse `text` in: the one given, or a guess when none was.
pub(crate) fn effective(given: Dialect, text: &str) -> Dialect {
    match given {
        Dialect::Generic => guess(text),
        d => d,
    }
}

/// Signs, strongest first: a backtick-quoted dotted path (`` `proj.ds.t` ``) is BigQuery;
/// `QUALIFY` or a `col:path` element access is Snowflake; `ON DUPLICATE KEY` or other
/// backtick identifiers are MySQL; a `::` cast is Postgres. Strings, quoted names, comments
/// and Jinja blocks are skipped, so their content is no sign.
pub(crate) fn guess(text: &str) -> Dialect {
    let s = Signs::of(text);
    if s.backtick_path {
        Dialect::Bigquery
    } else if s.qualify || s.colon_path {
        Dialect::Snowflake
    } else if s.on_duplicate_key || s.backtick {
        Dialect::Mysql
    } else if s.double_colon {
        Dialect::Postgres
    } else {
        Dialect::Generic
    }
}

#[derive(Default, Debug)]
struct Signs {
    backtick_path: bool,
    backtick: bool,
    qualify: bool,
    colon_path: bool,
    on_duplicate_key: bool,
    double_colon: bool,
}

impl Signs {
    fn of(text: &str) -> Signs {
        let b = text.as_bytes();
        let mut s = Signs::default();
        // The last three words, upper-cased, for `ON DUPLICATE KEY`.
        let mut words: [&str; 3] = [""; 3];
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            match c {
                b'-' if b.get(i + 1) == Some(&b'-') => i = skip_to(b, i, b"\n"),
                b'#' if !matches!(b.get(i + 1), Some(b'>')) => {
                    // A MySQL comment, or Postgres `#>` JSON operator (kept as code).
                    i = skip_to(b, i, b"\n");
                }
                b'/' if b.get(i + 1) == Some(&b'*') => i = skip_to(b, i + 2, b"*/"),
                b'{' if matches!(b.get(i + 1), Some(b'{' | b'%' | b'#')) => {
                    let close: &[u8] = match b[i + 1] {
                        b'{' => b"}}",
                        b'%' => b"%}",
                        _ => b"#}",
                    };
                    i = skip_to(b, i + 2, close);
                }
                // Whether backslashes escape is not known yet; skipping them keeps a quote inside.
                b'\'' | b'"' => i = quoted_end(b, i, c, true),
                b'`' => {
                    let end = quoted_end(b, i, b'`', false);
                    let inner = &b[i + 1..end.saturating_sub(1).max(i + 1)];
                    s.backtick = true;
                    if inner.contains(&b'.') {
                        s.backtick_path = true;
                    }
                    i = end;
                }
                b':' if b.get(i + 1) == Some(&b':') => {
                    s.double_colon = true;
                    i += 2;
                }
                b':' => {
                    // `col:path`: a name right before and after, as Snowflake writes
                    // semi-structured access. A bind parameter (` :name`) has no name before;
                    // a slice bound (`a[1:2]`) or a time has digits before.
                    let before = i.checked_sub(1).map(|p| b[p]);
                    let after = b.get(i + 1).copied();
                    let name_before = before.is_some_and(|x| x.is_ascii_alphabetic() || x == b'_')
                        || (before.is_some_and(|x| x.is_ascii_digit()) && word_before_is_name(b, i));
                    if name_before && after.is_some_and(|x| x.is_ascii_alphabetic() || x == b'_') {
                        s.colon_path = true;
                    }
                    i += 1;
                }
                c if is_word(c) => {
                    let start = i;
                    while i < b.len() && is_word(b[i]) {
                        i += 1;
                    }
                    let w = text.get(start..i).unwrap_or("");
                    if w.eq_ignore_ascii_case("qualify") {
                        s.qualify = true;
                    }
                    words = [words[1], words[2], w];
                    if words[0].eq_ignore_ascii_case("on")
                        && words[1].eq_ignore_ascii_case("duplicate")
                        && words[2].eq_ignore_ascii_case("key")
                    {
                        s.on_duplicate_key = true;
                    }
                }
                _ => i += 1,
            }
        }
        s
    }
}

/// Is the word ending at `end` a name (starts with a letter or `_`), not a number?
fn word_before_is_name(b: &[u8], end: usize) -> bool {
    let mut start = end;
    while start > 0 && is_word(b[start - 1]) {
        start -= 1;
    }
    b.get(start).is_some_and(|x| x.is_ascii_alphabetic() || *x == b'_')
}

/// The offset just past `close`, searching from `from` (the end of text if absent).
fn skip_to(b: &[u8], from: usize, close: &[u8]) -> usize {
    b.get(from..)
        .and_then(|rest| rest.windows(close.len()).position(|w| w == close))
        .map_or(b.len(), |p| from + p + close.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_pick_a_dialect() {
        assert_eq!(guess("SELECT user_name FROM `proj-1.analytics.users`"), Dialect::Bigquery);
        assert_eq!(guess("SELECT u.x FROM `proj`.`ds`.`t` u"), Dialect::Mysql);
        assert_eq!(guess("SELECT `user_name` FROM `users`"), Dialect::Mysql);
        assert_eq!(
            guess("INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = VALUES(a)"),
            Dialect::Mysql
        );
        assert_eq!(guess("SELECT id::text FROM users"), Dialect::Postgres);
        assert_eq!(
            guess("SELECT a FROM t QUALIFY row_number() OVER (PARTITION BY a ORDER BY b) = 1"),
            Dialect::Snowflake
        );
        assert_eq!(guess("SELECT payload:user.name FROM events"), Dialect::Snowflake);
        assert_eq!(guess("SELECT payload:name::string FROM events"), Dialect::Snowflake);
        assert_eq!(guess("SELECT user_name FROM users"), Dialect::Generic);
    }

    #[test]
    fn no_sign_in_data_params_or_templates() {
        assert_eq!(guess("SELECT 'a::b', \"`x.y`\" FROM t -- QUALIFY `a.b`\n"), Dialect::Generic);
        assert_eq!(guess("SELECT * FROM t /* x::int */ WHERE id = :user_id"), Dialect::Generic);
        assert_eq!(guess("SELECT * FROM {{ ref('x') }} WHERE a = {{ var('b::c') }}"), Dialect::Generic);
        assert_eq!(guess("SELECT arr[1:2], '10:30' FROM t"), Dialect::Generic);
        assert_eq!(guess("SELECT 'it''s' || 'a\\'b::c' FROM t"), Dialect::Generic);
        assert_eq!(guess("SELECT data #> '{a}' FROM t"), Dialect::Generic);
        assert_eq!(guess("unterminated 'string ::"), Dialect::Generic);
        assert_eq!(guess("`"), Dialect::Mysql);
    }

    #[test]
    fn given_dialect_wins() {
        assert_eq!(effective(Dialect::Postgres, "SELECT `a.b`"), Dialect::Postgres);
        assert_eq!(effective(Dialect::Generic, "SELECT a::int"), Dialect::Postgres);
    }
}
