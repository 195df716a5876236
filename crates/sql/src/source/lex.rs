//! A small SQL lexer: enough to split a file into statements and to tell code from data
//! (string literals, comments) without a grammar. Tree-sitter parses each statement on its
//! own afterwards, so one broken statement cannot spill its errors onto the next.

use ripple_core::prefilter::is_word_byte as is_word;

/// What the lexer learned about a text: where statements are, and which byte ranges are data.
#[derive(Debug, Default)]
pub struct Lexed {
    /// `[start, end)` of each statement that contains code, the terminating `;` included.
    pub statements: Vec<(usize, usize)>,
    /// String literals and comments, sorted and disjoint.
    pub data: Vec<(usize, usize)>,
    /// Comments only (a subset of `data`).
    pub comments: Vec<(usize, usize)>,
    /// Dollar-quoted bodies (`$$ ... $$`, `$fn$ ... $fn$`): function and procedure bodies,
    /// code ripple does not analyse (a subset of `data`).
    pub dollar_bodies: Vec<(usize, usize)>,
}

impl Lexed {
    /// Is the byte range inside a string literal or a comment?
    pub fn is_data(&self, start: usize, end: usize) -> bool {
        let i = self.data.partition_point(|r| r.1 <= start);
        self.data.get(i).is_some_and(|r| r.0 <= start && end <= r.1)
    }

    pub fn comments_in(&self, start: usize, end: usize) -> bool {
        self.comments.iter().any(|c| c.0 < end && start < c.1)
    }
}

/// Lexes `text`. `backslash_escapes`: whether `\'` escapes a quote in every string (MySQL,
/// BigQuery, Spark) rather than only in `E'...'` strings.
pub fn lex(text: &str, backslash_escapes: bool) -> Lexed {
    let b = text.as_bytes();
    let mut out = Lexed::default();
    let mut i = 0;
    let mut stmt_start = 0;
    let mut has_code = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                let end = memchr_nl(b, i);
                out.data.push((i, end));
                out.comments.push((i, end));
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // Postgres nests block comments.
                let mut depth = 0usize;
                let mut j = i;
                while j < b.len() {
                    if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        j += 1;
                    }
                }
                out.data.push((i, j));
                out.comments.push((i, j));
                i = j;
            }
            b'\'' | b'"' if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c) => {
                // A BigQuery triple-quoted string; after `AS` (optionally raw, `r"""`) it is
                // the body of a function in another language (JavaScript).
                let end = triple_quoted_end(b, i, c, backslash_escapes);
                out.data.push((i, end));
                let before = text[..i].strip_suffix(['r', 'R']).unwrap_or(&text[..i]).trim_end();
                // Past the last non-word character, whatever its width.
                let word_start = before
                    .rfind(|ch: char| !ch.is_ascii_alphanumeric() && ch != '_')
                    .map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
                if before[word_start..].eq_ignore_ascii_case("as") {
                    out.dollar_bodies.push((i, end));
                }
                has_code = true;
                i = end;
            }
            b'\'' => {
                let escapes = backslash_escapes
                    || (i > 0 && matches!(b[i - 1], b'E' | b'e') && (i < 2 || !is_word(b[i - 2])));
                let end = quoted_end(b, i, b'\'', escapes);
                out.data.push((i, end));
                has_code = true;
                i = end;
            }
            b'"' | b'`' => {
                i = quoted_end(b, i, c, false);
                has_code = true;
            }
            b'$' if i == 0 || !is_word(b[i - 1]) => {
                if let Some(end) = dollar_quote_end(b, i) {
                    out.data.push((i, end));
                    // A body follows `AS` (CREATE FUNCTION/PROCEDURE) or `DO`; elsewhere a
                    // dollar-quoted text is a string literal.
                    let before = text[..i].trim_end();
                    // Past the last character that is not a word character, whatever its width.
                    let word_start = before
                        .char_indices()
                        .rev()
                        .find(|&(_, c)| !c.is_ascii_alphanumeric() && c != '_')
                        .map_or(0, |(p, c)| p + c.len_utf8());
                    let word = &before[word_start..];
                    if word.eq_ignore_ascii_case("as") || word.eq_ignore_ascii_case("do") {
                        out.dollar_bodies.push((i, end));
                    }
                    i = end;
                } else {
                    i += 1;
                }
                has_code = true;
            }
            b'\\' if !has_code => {
                // A psql meta-command (`\copy users ...`) is a statement of its own line:
                // it never parses as SQL, so a mention in it is reported.
                let end = memchr_nl(b, i);
                out.statements.push((i, end));
                i = end;
                stmt_start = i;
            }
            b';' => {
                if has_code {
                    out.statements.push((stmt_start, i + 1));
                }
                has_code = false;
                i += 1;
                stmt_start = i;
            }
            _ => {
                if !c.is_ascii_whitespace() {
                    has_code = true;
                }
                i += 1;
            }
        }
    }
    if has_code {
        out.statements.push((stmt_start, b.len()));
    }
    for i in 0..out.statements.len() {
        out.statements[i].0 = past_block_opener(text, &out, out.statements[i]);
    }
    out
}

/// A BigQuery script block (`BEGIN SELECT ...; END;`) opens its first statement: the
/// statement starts after `BEGIN` (a transaction's `BEGIN;` or `BEGIN TRANSACTION` stays).
fn past_block_opener(text: &str, lexed: &Lexed, (start, end): (usize, usize)) -> usize {
    let b = text.as_bytes();
    let mut i = start;
    while i < end {
        if b[i].is_ascii_whitespace() {
            i += 1;
        } else if let Some(c) = lexed.comments.iter().find(|c| c.0 == i) {
            i = c.1;
        } else {
            break;
        }
    }
    let word = |at: usize| {
        let len = b[at.min(end)..end].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
        (&text[at.min(end)..at.min(end) + len], at.min(end) + len)
    };
    let (first, after) = word(i);
    if !first.eq_ignore_ascii_case("begin") {
        return start;
    }
    let next = after + b[after..end].iter().take_while(|c| c.is_ascii_whitespace()).count();
    let (second, _) = word(next);
    const OPENS: &[&str] =
        &["select", "with", "insert", "update", "delete", "merge", "create", "declare", "set"];
    if next > after && OPENS.iter().any(|k| k.eq_ignore_ascii_case(second)) {
        next
    } else {
        start
    }
}

fn memchr_nl(b: &[u8], from: usize) -> usize {
    b[from..].iter().position(|&x| x == b'\n').map_or(b.len(), |p| from + p)
}

/// End (exclusive) of a quoted token opening at `start`; a doubled quote is an escape, and
/// with `backslash` so is a backslash.
pub(crate) fn quoted_end(b: &[u8], start: usize, q: u8, backslash: bool) -> usize {
    let mut j = start + 1;
    while j < b.len() {
        if backslash && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == q {
            if b.get(j + 1) == Some(&q) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += 1;
    }
    b.len()
}

/// End (exclusive) of a string opened by three `q` at `start`, closed by the next three.
fn triple_quoted_end(b: &[u8], start: usize, q: u8, backslash: bool) -> usize {
    let mut j = start + 3;
    while j < b.len() {
        if backslash && b[j] == b'\\' {
            j += 2;
        } else if b[j] == q && b.get(j + 1) == Some(&q) && b.get(j + 2) == Some(&q) {
            return j + 3;
        } else {
            j += 1;
        }
    }
    b.len()
}

/// `$tag$ ... $tag$` (tag may be empty); `None` when `$` does not open one (`$1`).
fn dollar_quote_end(b: &[u8], start: usize) -> Option<usize> {
    let mut j = start + 1;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    if j >= b.len() || b[j] != b'$' || b.get(start + 1).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let tag = &b[start..=j];
    let body = j + 1;
    let end = b[body..].windows(tag.len()).position(|w| w == tag).map_or(b.len(), |p| body + p + tag.len());
    Some(end)
}

/// Replaces named bind parameters (`:user_name`) in code with `?` and spaces, so a
/// statement that uses them still parses and the parameter's name is never taken for a
/// column. A colon after a word, a bracket or another colon (`a::int`, `x[1:n]`,
/// Snowflake `col:path`) is not a parameter.
pub fn mask_bind_params(text: &mut [u8], lexed: &Lexed) {
    let mut i = 0;
    let mut data = lexed.data.iter().peekable();
    while i < text.len() {
        while data.peek().is_some_and(|r| r.1 <= i) {
            data.next();
        }
        if let Some(r) = data.peek() {
            if r.0 <= i {
                i = r.1;
                continue;
            }
        }
        if text[i] == b':'
            && (i == 0
                || !(is_word(text[i - 1]) || matches!(text[i - 1], b':' | b']' | b')' | b'"' | b'`' | b'.')))
            && text.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        {
            let mut j = i + 1;
            while j < text.len() && (text[j].is_ascii_alphanumeric() || text[j] == b'_') {
                j += 1;
            }
            text[i] = b'?';
            for c in &mut text[i + 1..j] {
                *c = b' ';
            }
            i = j;
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_statements_outside_data() {
        let t = "select ';' -- a;b\nfrom t; /* x; */ select $$a;b$$;\n-- only a comment;\n";
        let l = lex(t, false);
        let stmts: Vec<&str> = l.statements.iter().map(|s| &t[s.0..s.1]).collect();
        assert_eq!(stmts, vec!["select ';' -- a;b\nfrom t;", " /* x; */ select $$a;b$$;"]);
        assert!(l.is_data(7, 10));
        assert!(!l.is_data(0, 6));
    }

    #[test]
    fn triple_quoted_strings_are_data_and_bodies_after_as() {
        let t = "create temp function f(x string) as r\"\"\"return x; // \"q\" \"\"\"; select '''a;b''';";
        let l = lex(t, true);
        let stmts: Vec<&str> = l.statements.iter().map(|s| &t[s.0..s.1]).collect();
        assert_eq!(stmts.len(), 2, "{stmts:?}");
        assert_eq!(l.dollar_bodies.len(), 1);
        let (s, e) = l.dollar_bodies[0];
        assert_eq!(&t[s..e], "\"\"\"return x; // \"q\" \"\"\"");
        assert!(l.is_data(t.find("'''").unwrap(), t.rfind("'''").unwrap() + 3));
    }

    #[test]
    fn a_script_block_opens_its_first_statement() {
        let t = "begin\n  select 1;\nend;\nBEGIN TRANSACTION;";
        let l = lex(t, true);
        let stmts: Vec<&str> = l.statements.iter().map(|s| &t[s.0..s.1]).collect();
        assert_eq!(stmts, vec!["select 1;", "\nend;", "\nBEGIN TRANSACTION;"]);
    }

    #[test]
    fn psql_meta_commands_are_statements_of_their_line() {
        let t = "\\set ON_ERROR_STOP on\nselect 1;\n";
        let l = lex(t, false);
        let stmts: Vec<&str> = l.statements.iter().map(|s| &t[s.0..s.1]).collect();
        assert_eq!(stmts, vec!["\\set ON_ERROR_STOP on", "\nselect 1;"]);
    }

    #[test]
    fn bind_params_are_masked_but_casts_are_not() {
        let t = "x = :user_name and y::int = :a and c:d and ':z'";
        let l = lex(t, false);
        let mut b = t.as_bytes().to_vec();
        mask_bind_params(&mut b, &l);
        assert_eq!(String::from_utf8(b).unwrap(), "x = ?          and y::int = ?  and c:d and ':z'");
    }
}
