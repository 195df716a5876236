//! The SQL a Java string expression holds, as a [`Region`]: string literals with their
//! escapes decoded, text blocks with their incidental indentation stripped as javac does,
//! `+` concatenations of literals and of `static final String` constants of the same
//! class. Every other operand is a hole: a `?` the SQL parser accepts as a value, with no
//! origin in the file, so no edit can land on it.

use crate::syntax::{field_constant, text_of};
use ripple_core::region::EscapeError;
use ripple_core::Region;
use tree_sitter::Node;

/// The placeholder standing for an operand whose value is unknown.
pub const HOLE: &str = "?";

/// How deep constants may refer to constants.
const MAX_DEPTH: usize = 8;

#[derive(Debug, Clone, Default)]
pub struct JavaRegion {
    pub region: Region,
    /// Region spans of the placeholders that stand for unknown operands.
    pub holes: Vec<(usize, usize)>,
    /// File spans of the literals the region was read from (constants included).
    pub literals: Vec<(usize, usize)>,
    /// Ids of those literal nodes.
    pub literal_ids: Vec<usize>,
    /// File span of the expression, for findings about the region as a whole.
    pub span: (usize, usize),
}

impl JavaRegion {
    pub fn text(&self) -> &str {
        self.region.text()
    }
}

/// How deeply parentheses may nest inside a string expression; deeper is not read as one
/// (the walk recurses into parentheses, never along a `+` chain).
const MAX_NESTING: usize = 64;

/// Is `node` an expression whose value is a string built from literals (possibly with
/// other operands): a literal, a parenthesised one, or a `+` with a string side.
pub fn is_string_expr(node: Node<'_>, src: &str) -> bool {
    is_string_nested(node, src, 0)
}

fn is_string_nested(node: Node<'_>, src: &str, nesting: usize) -> bool {
    if nesting > MAX_NESTING {
        return false;
    }
    // Down the left spine of a `+` chain, right operands first: in `"a" + b + "c"` the
    // answer is at the top, so a chain of thousands of pieces costs one step per call.
    let mut node = node;
    loop {
        match node.kind() {
            "string_literal" => return true,
            "parenthesized_expression" => {
                return node.named_child(0).is_some_and(|n| is_string_nested(n, src, nesting + 1))
            }
            "binary_expression" if is_plus(node, src) => {
                if node.child_by_field_name("right").is_some_and(|n| is_string_nested(n, src, nesting + 1)) {
                    return true;
                }
                match node.child_by_field_name("left") {
                    Some(left) => node = left,
                    None => return false,
                }
            }
            _ => return false,
        }
    }
}

fn is_plus(node: Node<'_>, src: &str) -> bool {
    node.child_by_field_name("operator").and_then(|o| text_of(o, src)) == Some("+")
}

/// The region of a string expression, or `None` when it holds no literal or a literal
/// javac would read differently from what ripple can map (a unicode escape of a quote).
pub fn build(expr: Node<'_>, src: &str) -> Option<JavaRegion> {
    let mut b = Builder::new(expr, src);
    b.add(expr, 0, 0)?;
    b.finish()
}

/// The region of an annotation's array of strings (`@Select({"SELECT ...", "FROM ..."})`),
/// which MyBatis joins with spaces.
pub fn build_joined(array: Node<'_>, src: &str) -> Option<JavaRegion> {
    let mut b = Builder::new(array, src);
    let mut cursor = array.walk();
    for (i, element) in array.named_children(&mut cursor).filter(|n| !n.is_extra()).enumerate() {
        if i > 0 {
            b.r.region.push_synthetic(" ");
        }
        b.add(element, 0, 0)?;
    }
    b.finish()
}

/// A region being read from a string expression. In its walks `depth` counts constants
/// followed, `nesting` parentheses and right operands entered (a `+` chain is walked as a
/// list, however long).
struct Builder<'s> {
    src: &'s str,
    r: JavaRegion,
    seen_literal: bool,
}

impl<'s> Builder<'s> {
    fn new(expr: Node<'_>, src: &'s str) -> Self {
        let r = JavaRegion { span: (expr.start_byte(), expr.end_byte()), ..JavaRegion::default() };
        Builder { src, r, seen_literal: false }
    }

    /// The region, if it holds a literal.
    fn finish(self) -> Option<JavaRegion> {
        self.seen_literal.then_some(self.r)
    }

    /// Adds `node` to the region.
    fn add(&mut self, node: Node<'_>, depth: usize, nesting: usize) -> Option<()> {
        if nesting > MAX_NESTING {
            return None;
        }
        let src = self.src;
        match node.kind() {
            "string_literal" => {
                let chars = literal_chars(node, src)?;
                push_chars(&mut self.r.region, &chars);
                self.r.literals.push((node.start_byte(), node.end_byte()));
                self.r.literal_ids.push(node.id());
                self.seen_literal = true;
            }
            "parenthesized_expression" if is_string_nested(node, src, nesting) => {
                self.add(node.named_child(0)?, depth, nesting + 1)?;
            }
            "binary_expression" if is_plus(node, src) => self.add_chain(node, depth, nesting)?,
            "identifier" if depth < MAX_DEPTH => match field_constant(node, src) {
                Some(init) if is_string_expr(init, src) => self.add(init, depth + 1, nesting + 1)?,
                _ => self.hole(),
            },
            _ => self.hole(),
        }
        Some(())
    }

    /// Adds a left-nested `+` chain: its levels that are string expressions join their
    /// pieces; the deepest level that is not (`1 + 2` in `1 + 2 + "s"`) is one hole.
    fn add_chain(&mut self, top: Node<'_>, depth: usize, nesting: usize) -> Option<()> {
        let src = self.src;
        let mut spine = Vec::new();
        let mut bottom = top;
        while bottom.kind() == "binary_expression" && is_plus(bottom, src) {
            spine.push(bottom);
            bottom = bottom.child_by_field_name("left")?;
        }
        // Level k is a string expression if its right operand is one or level k + 1 is.
        let mut is_string = vec![false; spine.len()];
        let mut below = is_string_nested(bottom, src, nesting + 1);
        for k in (0..spine.len()).rev() {
            let right = spine[k].child_by_field_name("right")?;
            below = below || is_string_nested(right, src, nesting + 1);
            is_string[k] = below;
        }
        let Some(deepest) = is_string.iter().rposition(|&s| s) else {
            self.hole();
            return Some(());
        };
        if deepest + 1 == spine.len() {
            self.add(bottom, depth, nesting + 1)?;
        } else {
            self.hole();
        }
        for level in spine[..=deepest].iter().rev() {
            // Java joins the pieces with nothing in between.
            self.r.region.push_synthetic("");
            self.add(level.child_by_field_name("right")?, depth, nesting + 1)?;
        }
        Some(())
    }

    fn hole(&mut self) {
        let at = self.r.region.text().len();
        self.r.region.push_synthetic(HOLE);
        self.r.holes.push((at, at + HOLE.len()));
    }
}

/// Appends decoded characters, joining verbatim characters that are contiguous in the file
/// into one run.
fn push_chars(region: &mut Region, chars: &[(char, Option<usize>)]) {
    let mut run = String::new();
    let mut run_start = 0;
    let mut next = None;
    for &(c, origin) in chars {
        match origin {
            Some(o) if next == Some(o) => {
                run.push(c);
                next = Some(o + c.len_utf8());
            }
            Some(o) => {
                if !run.is_empty() {
                    region.push_verbatim(&run, run_start);
                }
                run.clear();
                run.push(c);
                run_start = o;
                next = Some(o + c.len_utf8());
            }
            None => {
                if !run.is_empty() {
                    region.push_verbatim(&run, run_start);
                }
                run.clear();
                next = None;
                region.push_synthetic(c.encode_utf8(&mut [0; 4]));
            }
        }
    }
    if !run.is_empty() {
        region.push_verbatim(&run, run_start);
    }
}

/// The characters a string literal or text block denotes, each with the file offset it was
/// copied from verbatim (`None` for escapes and normalised line ends).
pub fn literal_chars(node: Node<'_>, src: &str) -> Option<Vec<(char, Option<usize>)>> {
    let start = node.start_byte();
    let raw = src.get(start..node.end_byte())?;
    if raw.starts_with("\"\"\"") {
        let body = raw.strip_suffix("\"\"\"").filter(|_| raw.len() >= 6)?;
        text_block(&body[3..], start + 3)
    } else {
        let body = raw.strip_prefix('"')?.strip_suffix('"')?;
        let chars: Vec<(char, Option<usize>)> =
            body.char_indices().map(|(i, c)| (c, Some(start + 1 + i))).collect();
        unescape(&chars)
    }
}

/// A text block's content (after the opening `"""`, before the closing one), per JLS 3.10.6:
/// the line after the opening delimiter is dropped, the smallest indentation of the
/// non-blank lines and of the closing line is stripped, trailing spaces go, line ends
/// become `\n`, then escapes are interpreted.
fn text_block(content: &str, offset: usize) -> Option<Vec<(char, Option<usize>)>> {
    let first_nl = content.find(['\n', '\r'])?;
    if !content[..first_nl].chars().all(|c| c == ' ' || c == '\t' || c == '\x0c') {
        return None;
    }
    let mut pos = first_nl + if content[first_nl..].starts_with("\r\n") { 2 } else { 1 };
    // (start offset in content, line text, terminator length)
    let mut lines: Vec<(usize, &str, usize)> = Vec::new();
    loop {
        let rest = &content[pos..];
        match rest.find(['\n', '\r']) {
            Some(i) => {
                let term = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                lines.push((pos, &rest[..i], term));
                pos += i + term;
            }
            None => {
                lines.push((pos, rest, 0));
                break;
            }
        }
    }
    let is_blank = |l: &str| l.chars().all(char::is_whitespace);
    let indent = |l: &str| l.chars().take_while(|c| c.is_whitespace()).count();
    let last = lines.len() - 1;
    let min = lines
        .iter()
        .enumerate()
        .filter(|(i, (_, l, _))| *i == last || !is_blank(l))
        .map(|(_, (_, l, _))| indent(l))
        .min()
        .unwrap_or(0);
    let mut chars = Vec::new();
    for (i, (at, line, term)) in lines.iter().enumerate() {
        if !is_blank(line) {
            let kept = line.trim_end();
            let skip: usize = kept.chars().take(min).map(char::len_utf8).sum();
            for (j, c) in kept[skip..].char_indices() {
                chars.push((c, Some(offset + at + skip + j)));
            }
        }
        if i < last {
            let nl_at = offset + at + line.len();
            chars.push(('\n', (*term == 1 && content.as_bytes()[at + line.len()] == b'\n').then_some(nl_at)));
        }
    }
    unescape(&chars)
}

/// Interprets Java escapes over raw characters. A unicode escape that javac would read as a
/// quote, a backslash or a line end changes how the literal is lexed: not supported.
fn unescape(raw: &[(char, Option<usize>)]) -> Option<Vec<(char, Option<usize>)>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let (c, o) = raw[i];
        if c != '\\' {
            out.push((c, o));
            i += 1;
            continue;
        }
        let (next, _) = *raw.get(i + 1)?;
        i += 2;
        let decoded = match next {
            'b' => '\u{8}',
            't' => '\t',
            'n' => '\n',
            'f' => '\u{c}',
            'r' => '\r',
            's' => ' ',
            '"' | '\'' | '\\' => next,
            // A line continuation in a text block.
            '\n' => continue,
            '0'..='7' => {
                let mut v = next.to_digit(8)?;
                let max = if next <= '3' { 2 } else { 1 };
                for _ in 0..max {
                    match raw.get(i).and_then(|(d, _)| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            i += 1;
                        }
                        None => break,
                    }
                }
                char::from_u32(v)?
            }
            'u' => {
                while raw.get(i).is_some_and(|(c, _)| *c == 'u') {
                    i += 1;
                }
                let hex: String = raw.get(i..i + 4)?.iter().map(|(c, _)| *c).collect();
                i += 4;
                let c = char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
                if matches!(c, '"' | '\\' | '\n' | '\r') {
                    return None;
                }
                c
            }
            _ => return None,
        };
        out.push((decoded, None));
    }
    Some(out)
}

/// The file span of region span `[start, end)` when it is a double-quoted identifier whose
/// quotes were written as `\"` escapes around a verbatim name: the span covers the escapes.
pub fn map_quoted(r: &JavaRegion, start: usize, end: usize) -> Option<(usize, usize)> {
    let text = r.text();
    if end < start + 3 || text.get(start..start + 1) != Some("\"") || text.get(end - 1..end) != Some("\"") {
        return None;
    }
    let (s, e) = r.region.map_span(start + 1, end - 1)?;
    if r.region.map_span(start, start + 1).is_some() {
        return None;
    }
    Some((s.checked_sub(2)?, e + 2))
}

/// New text as a Java string literal (or text block) must hold it: quotes and backslashes
/// escaped. Line ends are refused: they would change the literal's layout.
pub fn escape(text: &str) -> Result<String, EscapeError> {
    if text.contains(['\n', '\r']) {
        return Err(EscapeError(
            "the new text has a line break, which this string literal cannot hold as written".into(),
        ));
    }
    Ok(text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ripple_core::Lang;

    /// The region of the initializer of the first variable declared in `body`.
    fn region_of(body: &str) -> (String, JavaRegion) {
        let src = format!("class A {{\n{body}\n}}\n");
        let tree = Lang::Java.parse(&src);
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            let name = n.child_by_field_name("name").and_then(|x| text_of(x, &src)).unwrap_or("");
            if n.kind() == "variable_declarator" && !name.starts_with("CONST") {
                let v = n.child_by_field_name("value").unwrap();
                let r = build(v, &src).expect("a region");
                return (src.clone(), r);
            }
            let mut c = n.walk();
            stack.extend(n.children(&mut c));
        }
        panic!("no declarator in {src}");
    }

    /// Checks that every verbatim byte maps onto the same byte of the file.
    fn check_map(src: &str, r: &JavaRegion, word: &str) -> (usize, usize) {
        let at = r.text().find(word).expect("word in region");
        let (s, e) = r.region.map_span(at, at + word.len()).expect("verbatim");
        assert_eq!(&src[s..e], word);
        (s, e)
    }

    #[test]
    fn plain_literal_with_escapes() {
        let (src, r) = region_of(r#"String q = "SELECT \"user_name\"\tFROM users\u0020WHERE a = 'x'";"#);
        assert_eq!(r.text(), "SELECT \"user_name\"\tFROM users WHERE a = 'x'");
        check_map(&src, &r, "user_name");
        check_map(&src, &r, "users");
        let at = r.text().find('"').unwrap();
        assert_eq!(r.region.map_span(at, at + 1), None, "an escape has no verbatim origin");
        assert_eq!(escape("\"username\"").unwrap(), "\\\"username\\\"");
    }

    #[test]
    fn concatenation_and_constants() {
        let (src, r) = region_of(
            "static final String CONST_COLS = \"id, user_name\";\nString q = \"SELECT \" + CONST_COLS + \" FROM users WHERE id = \" + id;",
        );
        assert_eq!(r.text(), "SELECT id, user_name FROM users WHERE id = ?");
        let (s, _) = check_map(&src, &r, "user_name");
        assert!(s < src.find("String q").unwrap(), "the constant's bytes");
        assert_eq!(r.holes.len(), 1);
        let join = r.text().find(" FROM").unwrap();
        assert_eq!(r.region.map_span(join - 2, join + 2), None, "straddles a join");
    }

    #[test]
    fn text_block_strips_incidental_indentation() {
        let (src, r) = region_of(
            "    String q = \"\"\"\n        SELECT user_name\n          FROM users   \n        WHERE id = ? \\\n        AND a = 1\n        \"\"\";",
        );
        assert_eq!(r.text(), "SELECT user_name\n  FROM users\nWHERE id = ? AND a = 1\n");
        check_map(&src, &r, "user_name");
        check_map(&src, &r, "FROM users");
    }

    #[test]
    fn text_block_closing_delimiter_sets_indentation() {
        let (_, r) = region_of("String q = \"\"\"\n    SELECT 1\n  \"\"\";");
        assert_eq!(r.text(), "  SELECT 1\n");
        let (_, r) = region_of("String q = \"\"\"\n    SELECT 1\n    FROM t\"\"\";");
        assert_eq!(r.text(), "SELECT 1\nFROM t");
    }

    #[test]
    fn unicode_escape_of_a_quote_is_refused() {
        let src = "class A { String q = \"a\\u0022b\"; }";
        let tree = Lang::Java.parse(src);
        let mut lit = tree.root_node().descendant_for_byte_range(21, 22).unwrap();
        while lit.kind() != "string_literal" {
            lit = lit.parent().unwrap();
        }
        assert!(build(lit, src).is_none());
    }
}
