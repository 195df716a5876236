//! What the predicates need to know about each host language's syntax tree: string
//! literals and their content, calls and their callee, annotations and decorators.

use ripple_core::Lang;
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

fn is_string_kind(lang: Lang, kind: &str) -> bool {
    match lang {
        Lang::Python => kind == "string",
        Lang::Java => kind == "string_literal",
        Lang::Sql | Lang::Yaml => false,
    }
}

/// The content span of a string literal's text, if it is a plain literal: no f-string
/// holes, one piece. Prefixes (`r`, `b`, `u`) and triple quotes are kept out of the span.
fn string_content(lang: Lang, text: &str) -> Option<(usize, usize, &str)> {
    let prefix = match lang {
        Lang::Python => {
            text.find(['"', '\'']).filter(|p| text[..*p].chars().all(|c| "rRbBuUfF".contains(c)))?
        }
        _ => 0,
    };
    let rest = &text[prefix..];
    let quote = ["\"\"\"", "'''", "\"", "'"].into_iter().find(|q| rest.starts_with(q))?;
    if rest.len() < 2 * quote.len() || !rest.ends_with(quote) {
        return None;
    }
    let content = &rest[quote.len()..rest.len() - quote.len()];
    if text[..prefix].contains(['f', 'F']) && content.contains('{') {
        return None;
    }
    Some((prefix + quote.len(), prefix + quote.len() + content.len(), quote))
}

pub fn capture_text<'t>(lang: Lang, node: Node<'_>, source: &'t str) -> CaptureText<'t> {
    let (start, end) = (node.start_byte(), node.end_byte());
    let text = source.get(start..end).unwrap_or_default();
    if is_string_kind(lang, node.kind()) {
        if let Some((a, b, quote)) = string_content(lang, text) {
            return CaptureText { value: &text[a..b], span: (start + a, start + b), quote };
        }
    }
    CaptureText { value: text, span: (start, end), quote: "" }
}

/// Every string literal's content under `node`, for `mentions_table`.
pub fn strings_under<'t>(lang: Lang, node: Node<'_>, source: &'t str) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if is_string_kind(lang, n.kind()) {
            out.push(capture_text(lang, n, source).value);
            continue;
        }
        let mut cursor = n.walk();
        stack.extend(n.children(&mut cursor));
    }
    out
}

fn text_of<'t>(node: Option<Node<'_>>, source: &'t str) -> Option<&'t str> {
    node.and_then(|n| source.get(n.start_byte()..n.end_byte()))
}

/// The callee of a call node as written (`spark.read.table`), or `None` if it is no call.
pub fn callee(lang: Lang, node: Node<'_>, source: &str) -> Option<String> {
    let name = match (lang, node.kind()) {
        (Lang::Python, "call") => text_of(node.child_by_field_name("function"), source)?.to_string(),
        (Lang::Java, "method_invocation") => {
            let name = text_of(node.child_by_field_name("name"), source)?;
            match text_of(node.child_by_field_name("object"), source) {
                Some(object) => format!("{object}.{name}"),
                None => name.to_string(),
            }
        }
        (Lang::Java, "object_creation_expression") => {
            text_of(node.child_by_field_name("type"), source)?.to_string()
        }
        _ => return None,
    };
    Some(name.split_whitespace().collect())
}

/// The name of an annotation or decorator node (`Table`, `javax.persistence.Table`).
pub fn annotation_name(lang: Lang, node: Node<'_>, source: &str) -> Option<String> {
    match (lang, node.kind()) {
        (Lang::Java, "annotation" | "marker_annotation") => {
            text_of(node.child_by_field_name("name"), source).map(str::to_string)
        }
        (Lang::Python, "decorator") => {
            let expr = node.named_child(0)?;
            let target =
                if expr.kind() == "call" { expr.child_by_field_name("function") } else { Some(expr) };
            text_of(target, source).map(|t| t.split_whitespace().collect())
        }
        _ => None,
    }
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
    fn string_contents() {
        assert_eq!(string_content(Lang::Python, "'users'").map(|c| c.2), Some("'"));
        assert_eq!(string_content(Lang::Python, "rb\"x\"").map(|c| (c.0, c.1)), Some((3, 4)));
        assert_eq!(string_content(Lang::Python, "\"\"\"users\"\"\"").map(|c| (c.0, c.1)), Some((3, 8)));
        assert_eq!(string_content(Lang::Python, "f\"{x}\""), None);
        assert_eq!(string_content(Lang::Python, "\""), None);
        assert_eq!(string_content(Lang::Java, "\"\""), Some((1, 1, "\"")));
        assert!(name_matches("table", "spark.read.table"));
        assert!(name_matches("read.table", "spark.read.table"));
        assert!(!name_matches("d.table", "spark.read.table"));
    }
}
