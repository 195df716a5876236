//! Python string literals as SQL regions: plain, raw, byte and triple-quoted strings,
//! implicit concatenation and `+` of literals, f-string holes and `.format` fields masked,
//! escapes decoded as Python decodes them, DB-API placeholders turned into `?`. Every
//! region byte copied verbatim maps back to its file byte; everything else is synthetic,
//! so an edit over it is refused by [`Region::map_output`].

use ripple_core::region::EscapeError;
use ripple_core::Region;
use tree_sitter::Node;

/// What stands for an f-string hole or a `.format` field: an identifier-like word, so
/// `FROM {schema}.users` still parses, while no rule can ever match it.
pub const HOLE: &str = "__";

/// How one quoted piece is written: what new text must respect to fit in it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    raw: bool,
    bytes: bool,
    /// An f-string, or the receiver of `.format`: braces are doubled.
    braces: bool,
    quote: String,
}

/// A string expression read as the program sees it.
#[derive(Debug, Clone)]
pub struct Literal {
    pub region: Region,
    /// The file span of the whole expression (every piece).
    pub span: (usize, usize),
    pieces: Vec<Piece>,
    /// The text uses `%s` / `%(name)s` placeholders, so a literal `%` is written `%%`.
    percent: bool,
    /// Some piece has an interpolation hole or a `.format` field.
    pub has_holes: bool,
}

impl Literal {
    /// New text as it must be written inside every piece of this literal, or why it cannot
    /// be (a raw string cannot escape a quote or a backslash). Pieces quoted differently
    /// must agree, since the edit's piece is not known here.
    pub fn escape(&self, new: &str) -> Result<String, EscapeError> {
        let mut agreed: Option<String> = None;
        for p in &self.pieces {
            let written = escape_for(p, self.percent, new).map_err(EscapeError)?;
            match &agreed {
                Some(a) if *a != written => {
                    return Err(EscapeError("the pieces of this string are quoted differently".into()));
                }
                _ => agreed = Some(written),
            }
        }
        Ok(agreed.unwrap_or_else(|| new.to_string()))
    }
}

fn escape_for(p: &Piece, percent: bool, new: &str) -> Result<String, String> {
    let triple = p.quote.len() == 3;
    let quote_char = p.quote.chars().next().unwrap_or('"');
    let mut out = String::with_capacity(new.len());
    for c in new.chars() {
        match c {
            '\\' | '\n' | '\r' if p.raw && !(triple && c == '\n') => {
                return Err(format!("a raw string cannot hold {c:?} as written"));
            }
            '\\' => out.push_str("\\\\"),
            '\n' if triple => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote_char && p.raw => {
                return Err(format!("a raw string quoted with {quote_char} cannot hold it"));
            }
            c if c == quote_char => {
                out.push('\\');
                out.push(c);
            }
            '{' | '}' if p.braces => {
                out.push(c);
                out.push(c);
            }
            '%' if percent => out.push_str("%%"),
            c if p.bytes && !c.is_ascii() => {
                return Err("a bytes literal cannot hold non-ASCII text".into());
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Is this node a string expression that [`read`] can turn into a region?
pub fn is_string_expr(node: Node<'_>) -> bool {
    match node.kind() {
        "string" | "concatenated_string" => true,
        "parenthesized_expression" => node.named_child(0).is_some_and(is_string_expr),
        "binary_operator" => {
            node.child_by_field_name("operator").is_some_and(|o| o.kind() == "+")
                && node.child_by_field_name("left").is_some_and(is_string_expr)
                && node.child_by_field_name("right").is_some_and(is_string_expr)
        }
        _ => false,
    }
}

/// Reads a string expression (`string`, `concatenated_string`, a `+` of those).
/// `format` says the expression is the receiver of `.format(...)`. `None` when a piece is
/// malformed (an ERROR in the tree).
pub fn read(node: Node<'_>, src: &str, format: bool) -> Option<Literal> {
    let mut lit = Literal {
        region: Region::new(),
        span: (node.start_byte(), node.end_byte()),
        pieces: Vec::new(),
        percent: false,
        has_holes: false,
    };
    push_expr(node, src, format, &mut lit)?;
    Some(lit)
}

fn push_expr(node: Node<'_>, src: &str, format: bool, lit: &mut Literal) -> Option<()> {
    match node.kind() {
        "string" => push_string(node, src, format, lit),
        "concatenated_string" | "parenthesized_expression" | "binary_operator" => {
            let mut cursor = node.walk();
            let parts: Vec<Node<'_>> =
                node.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect();
            for part in parts {
                push_expr(part, src, format, lit)?;
                // Pieces join with nothing between them, as Python joins them.
                lit.region.push_synthetic("");
            }
            Some(())
        }
        _ => None,
    }
}

fn push_string(node: Node<'_>, src: &str, format: bool, lit: &mut Literal) -> Option<()> {
    if node.has_error() {
        return None;
    }
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
    let start = children.iter().find(|c| c.kind() == "string_start")?;
    let end = children.iter().rev().find(|c| c.kind() == "string_end")?;
    let opener = src.get(start.start_byte()..start.end_byte())?;
    let quote_at = opener.find(['"', '\''])?;
    let prefix = opener[..quote_at].to_ascii_lowercase();
    let piece = Piece {
        raw: prefix.contains('r'),
        bytes: prefix.contains('b'),
        braces: prefix.contains('f') || prefix.contains('t') || format,
        quote: opener[quote_at..].to_string(),
    };
    let holes: Vec<(usize, usize)> = children
        .iter()
        .filter(|c| c.kind() == "interpolation")
        .map(|c| (c.start_byte(), c.end_byte()))
        .collect();
    let (from, to) = (start.end_byte(), end.start_byte());
    push_content(src, from, to, &holes, &piece, format && !prefix.contains('f'), lit);
    lit.pieces.push(piece);
    Some(())
}

/// Decodes the content bytes `[from, to)` of one piece into the region.
fn push_content(
    src: &str,
    from: usize,
    to: usize,
    holes: &[(usize, usize)],
    piece: &Piece,
    format_fields: bool,
    lit: &mut Literal,
) {
    let b = src.as_bytes();
    let mut i = from;
    let mut run = from;
    let flush = |lit: &mut Literal, run: usize, i: usize| {
        if run < i {
            if let Some(text) = src.get(run..i) {
                lit.region.push_verbatim(text, run);
            }
        }
    };
    while i < to {
        if let Some(&(_, hole_end)) = holes.iter().find(|(s, _)| *s == i) {
            flush(lit, run, i);
            lit.region.push_synthetic(HOLE);
            lit.has_holes = true;
            i = hole_end;
            run = i;
            continue;
        }
        let c = b[i];
        let next = b.get(i + 1).copied().filter(|_| i + 1 < to);
        let (skip, synthetic): (usize, Option<String>) = match c {
            b'{' | b'}' if piece.braces && next == Some(c) => (2, Some((c as char).to_string())),
            b'{' if format_fields => match src[i..to].find('}') {
                Some(close) => {
                    lit.has_holes = true;
                    (close + 1, Some(HOLE.to_string()))
                }
                None => (1, None),
            },
            b'\\' if !piece.raw => match unescape(&src[i..to], piece.bytes) {
                Some((len, text)) => (len, Some(text)),
                None => (1, None),
            },
            b'%' if next == Some(b'%') => (2, Some("%".into())),
            b'%' if next == Some(b's') => {
                lit.percent = true;
                (2, Some("?".into()))
            }
            b'%' if next == Some(b'(') => match src[i..to].find(")s") {
                Some(close)
                    if src[i + 2..i + close].bytes().all(|x| x.is_ascii_alphanumeric() || x == b'_') =>
                {
                    lit.percent = true;
                    (close + 2, Some("?".into()))
                }
                _ => (1, None),
            },
            _ => (1, None),
        };
        match synthetic {
            Some(text) => {
                flush(lit, run, i);
                lit.region.push_synthetic(&text);
                i += skip;
                run = i;
            }
            None => {
                // Step over a whole UTF-8 character.
                i += src[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    flush(lit, run, to);
}

/// Decodes one escape sequence at the start of `s` (which starts with a backslash):
/// its length in the source and what it stands for. `None` for an unknown escape, which
/// Python keeps as written.
fn unescape(s: &str, bytes: bool) -> Option<(usize, String)> {
    let mut chars = s.char_indices().skip(1);
    let (_, c) = chars.next()?;
    let simple = |t: &str| Some((1 + c.len_utf8(), t.to_string()));
    match c {
        '\n' => Some((2, String::new())),
        '\r' => Some((if s[2..].starts_with('\n') { 3 } else { 2 }, String::new())),
        '\\' => simple("\\"),
        '\'' => simple("'"),
        '"' => simple("\""),
        'a' => simple("\x07"),
        'b' => simple("\x08"),
        'f' => simple("\x0c"),
        'n' => simple("\n"),
        'r' => simple("\r"),
        't' => simple("\t"),
        'v' => simple("\x0b"),
        '0'..='7' => {
            let digits: String = s[1..].chars().take(3).take_while(|d| ('0'..='7').contains(d)).collect();
            let v = u32::from_str_radix(&digits, 8).ok()?;
            Some((1 + digits.len(), char::from_u32(v).unwrap_or('\u{fffd}').to_string()))
        }
        'x' => hex(s, 2),
        'u' if !bytes => hex(s, 4),
        'U' if !bytes => hex(s, 8),
        'N' if !bytes => {
            // A named character: its name is not decoded; it is one synthetic character.
            let close = s.find('}')?;
            s[2..].starts_with('{').then(|| (close + 1, "\u{fffd}".to_string()))
        }
        _ => None,
    }
}

fn hex(s: &str, n: usize) -> Option<(usize, String)> {
    let digits = s.get(2..2 + n)?;
    let v = u32::from_str_radix(digits, 16).ok()?;
    Some((2 + n, char::from_u32(v).unwrap_or('\u{fffd}').to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ripple_core::Lang;

    /// The region of the first string expression assigned in `src`.
    fn lit(src: &str, format: bool) -> Literal {
        let tree = Lang::Python.parse(src);
        let mut cursor = tree.root_node().walk();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind() == "assignment" {
                let right = n.child_by_field_name("right").unwrap();
                let right = if right.kind() == "call" {
                    right.child_by_field_name("function").unwrap().child_by_field_name("object").unwrap()
                } else {
                    right
                };
                return read(right, src, format).unwrap();
            }
            stack.extend(n.children(&mut cursor).collect::<Vec<_>>().into_iter().rev());
        }
        panic!("no assignment")
    }

    /// The file text at the span a region span maps to.
    fn at<'a>(src: &'a str, l: &Literal, word: &str) -> Option<&'a str> {
        let s = l.region.text().find(word)?;
        l.region.map_span(s, s + word.len()).map(|(a, b)| &src[a..b])
    }

    #[test]
    fn plain_raw_bytes_triple() {
        for src in [
            "q = 'SELECT user_name FROM users'",
            "q = r\"SELECT user_name FROM users\"",
            "q = b'SELECT user_name FROM users'",
            "q = \"\"\"\nSELECT user_name\n  FROM users\n\"\"\"",
            "q = Rb'''SELECT user_name FROM users'''",
        ] {
            let l = lit(src, false);
            assert!(l.region.text().contains("user_name"), "{src}");
            assert_eq!(at(src, &l, "user_name"), Some("user_name"), "{src}");
            assert_eq!(at(src, &l, "users"), Some("users"), "{src}");
        }
    }

    #[test]
    fn escapes_are_decoded_and_refused() {
        let src = "q = 'SELECT \\'a\\' AS x, user_name\\nFROM users\\x20WHERE t = \\u00e9'";
        let l = lit(src, false);
        assert_eq!(l.region.text(), "SELECT 'a' AS x, user_name\nFROM users WHERE t = é");
        assert_eq!(at(src, &l, "user_name"), Some("user_name"));
        let s = l.region.text().find("\nFROM").unwrap();
        assert_eq!(l.region.map_span(s, s + 5), None, "the escape has no verbatim origin");
        // A raw string keeps backslashes verbatim.
        let raw = "q = r'SELECT a\\nb FROM users'";
        assert_eq!(lit(raw, false).region.text(), "SELECT a\\nb FROM users");
        // Line continuation inside a string.
        let cont = "q = 'SELECT user_name \\\nFROM users'";
        assert_eq!(lit(cont, false).region.text(), "SELECT user_name FROM users");
    }

    #[test]
    fn concatenation_and_holes() {
        let src = "q = ('SELECT user_name '\n     \"FROM users \" + 'WHERE id = %s')";
        let l = lit(src, false);
        assert_eq!(l.region.text(), "SELECT user_name FROM users WHERE id = ?");
        assert_eq!(at(src, &l, "FROM users"), Some("FROM users"));
        let s = l.region.text().find("user_name FROM").unwrap();
        assert_eq!(l.region.map_span(s, s + 14), None, "straddles the join");
        assert_eq!(l.escape("x%y"), Ok("x%%y".into()));

        let f = "q = f'SELECT user_name FROM {schema}.users WHERE n = {{1}} AND id = {uid!r:>3}'";
        let l = lit(f, false);
        assert_eq!(l.region.text(), "SELECT user_name FROM __.users WHERE n = {1} AND id = __");
        assert_eq!(at(f, &l, "users W"), Some("users W"));
        assert_eq!(l.escape("a{b}"), Ok("a{{b}}".into()));

        let fmt = "q = 'SELECT {} FROM users WHERE id = {id}'.format(col, id=1)";
        let l = lit(fmt, true);
        assert_eq!(l.region.text(), "SELECT __ FROM users WHERE id = __");
        assert!(l.has_holes);
        assert_eq!(lit("q = 'a %(name)s b %% c'", false).region.text(), "a ? b % c");
    }

    #[test]
    fn escaping_new_text() {
        assert_eq!(lit("q = 'x'", false).escape("it's"), Ok("it\\'s".into()));
        assert_eq!(lit("q = \"x\"", false).escape("\"username\""), Ok("\\\"username\\\"".into()));
        assert!(lit("q = r'x'", false).escape("it's").is_err());
        assert!(lit("q = r'x'", false).escape("a\\b").is_err());
        assert_eq!(lit("q = r'x'", false).escape("\"u\""), Ok("\"u\"".into()));
        assert!(lit("q = 'x' \"y\"", false).escape("it's").is_err(), "quoted differently");
        assert_eq!(lit("q = 'x' \"y\"", false).escape("username"), Ok("username".into()));
        assert!(lit("q = b'x'", false).escape("é").is_err());
    }
}
