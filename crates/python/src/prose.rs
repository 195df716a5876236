//! Python's comments and docstrings found without a parse: just enough lexing (strings with
//! their prefixes and escapes, brackets, logical lines) to tell where `#` opens a comment
//! and which string is a docstring as the host tells one (a string statement first in the
//! module or in the body of a `def` or `class`). Whatever it is not sure of (an
//! unterminated string, an f-string whose braces do not close, a bracket closed twice) and
//! it gives up, so the file is parsed. Docstrings it is unsure of (after a comment, on the
//! header's line) it leaves out, which only costs that file the shortcut.

use ripple_core::host::{Prose, ProseKind};
use ripple_core::prefilter::is_word_byte;

/// Where the next logical line may hold a docstring.
#[derive(Clone, Copy)]
enum Expect<'t> {
    /// Nothing came before it in the file.
    Module,
    /// It is the first line of the body of a header indented so.
    Body(&'t str),
    Nothing,
}

/// What one logical line held so far.
#[derive(Default)]
struct Line {
    /// Tokens seen (a comment is none).
    tokens: usize,
    /// Its first word is `def` or `class` (or `async` then `def`).
    header: bool,
    async_first: bool,
    /// Its last token is a `:` outside brackets.
    ends_with_colon: bool,
    comment: bool,
}

/// The comments and docstrings of a Python text, or `None` when it cannot be lexed with
/// certainty.
pub fn prose(text: &str) -> Option<Vec<Prose>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut depth = 0usize;
    let mut physical_start = 0;
    let mut indent = "";
    let mut expect = Expect::Module;
    let mut line = Line::default();
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                i += 1;
                physical_start = i;
                if depth == 0 {
                    expect = next_expect(&line, expect, indent);
                    line = Line::default();
                }
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => i += 1,
            b'\\' if matches!(b.get(i + 1), Some(b'\n')) => i += 2,
            b'\\' if b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n') => i += 3,
            b'#' => {
                let end = b[i..].iter().position(|&x| x == b'\n').map_or(b.len(), |p| i + p);
                out.push(Prose { start: i, end, kind: ProseKind::Comment });
                line.comment = true;
                i = end;
            }
            b'\'' | b'"' => {
                let end = string_end(b, i, false)?;
                token(&mut line, &mut indent, text, physical_start, i, depth);
                if line.tokens == 1 && is_docstring_at(b, end, expect, indent) {
                    out.push(Prose { start: i, end, kind: ProseKind::Docstring });
                }
                i = end;
            }
            c if is_word_byte(c) => {
                let start = i;
                while i < b.len() && is_word_byte(b[i]) {
                    i += 1;
                }
                let word = &text[start..i];
                if matches!(b.get(i), Some(b'\'' | b'"')) && is_prefix(word) {
                    let f = word.bytes().any(|x| x.eq_ignore_ascii_case(&b'f'));
                    let end = string_end(b, i, f)?;
                    token(&mut line, &mut indent, text, physical_start, start, depth);
                    let plain = !f;
                    if plain && line.tokens == 1 && is_docstring_at(b, end, expect, indent) {
                        out.push(Prose { start, end, kind: ProseKind::Docstring });
                    }
                    i = end;
                    continue;
                }
                token(&mut line, &mut indent, text, physical_start, start, depth);
                if line.tokens == 1 {
                    line.header = matches!(word, "def" | "class");
                    line.async_first = word == "async";
                } else if line.tokens == 2 && line.async_first {
                    line.header = word == "def";
                }
            }
            _ => {
                token(&mut line, &mut indent, text, physical_start, i, depth);
                match c {
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' => depth = depth.checked_sub(1)?,
                    _ => {}
                }
                line.ends_with_colon = c == b':' && depth == 0;
                i += 1;
            }
        }
    }
    (depth == 0).then_some(out)
}

/// Counts a token of the current logical line, whose first token sets its indentation.
fn token<'t>(
    line: &mut Line,
    indent: &mut &'t str,
    text: &'t str,
    physical_start: usize,
    at: usize,
    depth: usize,
) {
    if line.tokens == 0 && depth == 0 {
        *indent = &text[physical_start..at];
    }
    line.tokens += 1;
    line.ends_with_colon = false;
}

/// What the line after `line` may hold, once `line` ends.
fn next_expect<'t>(line: &Line, expect: Expect<'t>, indent: &'t str) -> Expect<'t> {
    if line.tokens == 0 {
        // A blank line changes nothing; a comment comes first in the body (or the module)
        // as the tree sees it, so a string after it may be no docstring.
        return if line.comment { Expect::Nothing } else { expect };
    }
    if line.header && line.ends_with_colon && !line.comment {
        Expect::Body(indent)
    } else {
        Expect::Nothing
    }
}

/// Is the string ending at `end`, the first token of its logical line, a docstring: the
/// whole statement (nothing but blanks up to the end of the line), where one may be?
fn is_docstring_at(b: &[u8], end: usize, expect: Expect<'_>, indent: &str) -> bool {
    let rest = &b[end..];
    let blank = rest.iter().position(|&x| x != b' ' && x != b'\t').unwrap_or(rest.len());
    let alone = matches!(&rest[blank..], [] | [b'\n', ..] | [b'\r', b'\n', ..]);
    alone
        && match expect {
            Expect::Module => indent.is_empty(),
            Expect::Body(header) => indent.len() > header.len() && indent.starts_with(header),
            Expect::Nothing => false,
        }
}

/// Is `word` a string prefix (`r`, `b`, `f`, `rb`, `Rf`...)?
fn is_prefix(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    matches!(lower.as_str(), "r" | "u" | "b" | "f" | "br" | "rb" | "fr" | "rf")
}

/// One past the closing quote of the string whose opening quote is at `at`; `None` when it
/// does not close where a tokenizer would be sure of (or, in an f-string, its braces do not
/// balance: a nested string may have closed it).
fn string_end(b: &[u8], at: usize, f: bool) -> Option<usize> {
    let q = b[at];
    let triple = b.get(at + 1) == Some(&q) && b.get(at + 2) == Some(&q);
    let mut j = at + if triple { 3 } else { 1 };
    let mut braces = 0usize;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'\n' if !triple => return None,
            x if x == q && (!triple || (b.get(j + 1) == Some(&q) && b.get(j + 2) == Some(&q))) => {
                return (braces == 0).then_some(j + if triple { 3 } else { 1 });
            }
            b'{' if f && braces == 0 && b.get(j + 1) == Some(&b'{') => j += 2,
            b'}' if f && braces == 0 && b.get(j + 1) == Some(&b'}') => j += 2,
            b'{' if f => {
                braces += 1;
                j += 1;
            }
            b'}' if f => {
                braces = braces.checked_sub(1)?;
                j += 1;
            }
            _ => j += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Option<Vec<(&str, ProseKind)>> {
        prose(text).map(|p| p.iter().map(|p| (&text[p.start..p.end], p.kind)).collect())
    }

    #[test]
    fn comments_and_docstrings() {
        use ProseKind::{Comment, Docstring};
        let src = "\"\"\"users module\"\"\"\nimport x  # users\ns = '# not a comment'\n\ndef f(a,\n      b):\n    r'''doc'''\n    return 1\n";
        assert_eq!(
            kinds(src),
            Some(vec![
                ("\"\"\"users module\"\"\"", Docstring),
                ("# users", Comment),
                ("r'''doc'''", Docstring)
            ])
        );
    }

    #[test]
    fn strings_that_are_no_docstrings() {
        // After a comment, on the header's line, followed by more, in an f-string, or not first.
        for src in [
            "# c\n\"\"\"doc\"\"\"\n",
            "def f(): \"doc\"\n",
            "def f():\n    \"doc\".strip()\n",
            "def f():\n    f\"doc\"\n",
            "x = 1\n\"doc\"\n",
            "def f():  # c\n    \"doc\"\n",
            "x = {\n'a': 1}\n",
            "class A:\n\"doc\"\n",
        ] {
            let found = kinds(src).unwrap();
            assert!(found.iter().all(|(_, k)| *k == ProseKind::Comment), "{src:?}: {found:?}");
        }
    }

    #[test]
    fn gives_up_when_unsure() {
        for src in ["s = 'open\n", "s = f\"{x[\"a\"]}\"\n", "x = (1\n", "x = 1)\n", "s = '''never closed"] {
            assert_eq!(prose(src), None, "{src:?}");
        }
        assert!(prose("s = f'{{literal}} {x!r:>{w}}' # c\n").is_some());
    }
}
