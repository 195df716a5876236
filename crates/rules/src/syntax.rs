//! What the predicates read of a capture, through its language's [`Host`]: the content
//! of a string literal and the span a rewrite replaces; and how written names match.

use ripple_core::Host;
use tree_sitter::Node;

/// A capture's text as predicates see it, and the span a rewrite replaces.
pub struct CaptureText<'t> {
    /// String content for a plain string literal, the node's text otherwise.
    pub value: &'t str,
    /// Bytes a rewrite replaces: the content between the quotes for a string literal.
    pub span: (usize, usize),
    /// The quote of a string literal (`"`, `'`, `"""`...), empty for other nodes.
    pub quote: &'t str,
}

pub fn capture_text<'t>(host: &dyn Host, node: Node<'_>, source: &'t str) -> CaptureText<'t> {
    let (start, end) = (node.start_byte(), node.end_byte());
    let text = source.get(start..end).unwrap_or_default();
    if host.is_string(node) {
        if let Some(c) = host.string_content(text) {
            return CaptureText {
                value: &text[c.start..c.end],
                span: (start + c.start, start + c.end),
                quote: c.quote,
            };
        }
    }
    CaptureText { value: text, span: (start, end), quote: "" }
}

/// Every string literal's content under `node`, for `mentions_table`.
pub fn strings_under<'t>(host: &dyn Host, node: Node<'_>, source: &'t str) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if host.is_string(n) {
            out.push(capture_text(host, n, source).value);
            continue;
        }
        let mut cursor = n.walk();
        stack.extend(n.children(&mut cursor));
    }
    out
}

/// Does a written name (`spark.read.table`) match a name from a rule? A rule's name without
/// dots matches the last segment; with dots, the written name or its dotted suffix.
pub fn name_matches(pattern: &str, written: &str) -> bool {
    if pattern.contains('.') {
        written == pattern || written.ends_with(&format!(".{pattern}"))
    } else {
        written.rsplit('.').next() == Some(pattern)
    }
}

/// The nearest strict ancestor of `node` for which `pick` is true.
pub fn nearest_ancestor<'a>(node: Node<'a>, pick: &dyn Fn(Node<'a>) -> bool) -> Option<Node<'a>> {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if pick(n) {
            return Some(n);
        }
        cur = n.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_names() {
        assert!(name_matches("table", "spark.read.table"));
        assert!(name_matches("read.table", "spark.read.table"));
        assert!(!name_matches("d.table", "spark.read.table"));
    }
}
