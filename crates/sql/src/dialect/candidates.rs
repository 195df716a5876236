//! Which sqlparser dialects to try on a statement tree-sitter could not read: the one
//! chosen by `--dialect`, or, without one, the dialects the file's code hints at first
//! (backtick paths, `::` casts, `QUALIFY`, `col:path`), then the common ones.

use ripple_core::Dialect;

/// The order in which a file's statements are tried; `Generic` stands for sqlparser's
/// generic dialect. `data` are the string literals and comments of `text` (sorted).
pub(crate) fn candidates(chosen: Dialect, text: &str, data: &[(usize, usize)]) -> Vec<Dialect> {
    let cues = Cues::of(text, data);
    if chosen != Dialect::Generic {
        // Bind parameters are masked as `?`, which some dialects' parsers do not take
        // (Postgres reads it as an operator): the generic dialect reads the statement then.
        return if cues.question_mark { vec![chosen, Dialect::Generic] } else { vec![chosen] };
    }
    let mut out = Vec::new();
    if cues.backticks {
        out.extend([Dialect::Bigquery, Dialect::Mysql]);
    }
    if cues.double_colon {
        out.push(Dialect::Postgres);
    }
    if cues.qualify || cues.colon_path {
        out.push(Dialect::Snowflake);
    }
    for d in [Dialect::Postgres, Dialect::Snowflake, Dialect::Bigquery, Dialect::Mysql, Dialect::Generic] {
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

#[derive(Default)]
struct Cues {
    backticks: bool,
    double_colon: bool,
    qualify: bool,
    colon_path: bool,
    question_mark: bool,
}

impl Cues {
    /// Looks at code only: a cue inside a string or comment says nothing.
    fn of(text: &str, data: &[(usize, usize)]) -> Self {
        let b = text.as_bytes();
        let mut c = Cues::default();
        let mut data = data.iter().peekable();
        let mut i = 0;
        let word = |x: u8| x.is_ascii_alphanumeric() || x == b'_';
        while i < b.len() {
            while data.peek().is_some_and(|r| r.1 <= i) {
                data.next();
            }
            if let Some(r) = data.peek() {
                if r.0 <= i {
                    i = r.1.max(i + 1);
                    continue;
                }
            }
            match b[i] {
                b'`' => c.backticks = true,
                b'?' => c.question_mark = true,
                b':' if b.get(i + 1) == Some(&b':') => {
                    c.double_colon = true;
                    i += 2;
                    continue;
                }
                b':' if i > 0
                    && word(b[i - 1])
                    && b.get(i + 1).is_some_and(|&n| n.is_ascii_alphabetic() || n == b'_' || n == b'"') =>
                {
                    c.colon_path = true
                }
                b'q' | b'Q'
                    if (i == 0 || !word(b[i - 1]))
                        && b.get(i..i + 7).is_some_and(|w| w.eq_ignore_ascii_case(b"qualify"))
                        && b.get(i + 7).is_none_or(|&n| !word(n)) =>
                {
                    c.qualify = true
                }
                _ => {}
            }
            i += 1;
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::lex::lex;

    fn order(text: &str) -> Vec<Dialect> {
        candidates(Dialect::Generic, text, &lex(text, false).data)
    }

    #[test]
    fn cues_put_their_dialects_first() {
        use Dialect::*;
        assert_eq!(order("select 1"), vec![Postgres, Snowflake, Bigquery, Mysql, Generic]);
        assert_eq!(order("select * from `p.d.t`")[..2], [Bigquery, Mysql]);
        assert_eq!(order("select a from t qualify x = 1")[0], Snowflake);
        assert_eq!(order("select payload:user_id from t")[0], Snowflake);
        assert_eq!(order("select a::int from t")[0], Postgres);
        // Cues in strings and comments do not count.
        assert_eq!(order("select '`', 'a:b' -- qualify\n")[0], Postgres);
        assert_eq!(candidates(Mysql, "select a::int", &[]), vec![Mysql]);
        // A masked bind parameter is `?`, which not every dialect's parser reads.
        assert_eq!(candidates(Postgres, "select a from t limit ?", &[]), vec![Postgres, Generic]);
        assert_eq!(
            candidates(Postgres, "select '?' from t", &lex("select '?' from t", false).data),
            vec![Postgres]
        );
    }
}
