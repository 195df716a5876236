//! Python as a ripple host: its strings, calls, decorators, docstrings and messages, its
//! data flow for `bound_to_table`, and its SQL strings.

use crate::{attribute_names, django, embedded, flow, pyspark, scope, sql, sqlmodel};
use ripple_core::host::{quoted_content, Source, Sources, StringContent};
use ripple_core::SqlStrings;
use ripple_core::{Host, Lang, Rule, RuleContext, SourceFile};
use std::sync::Arc;
use tree_sitter::Node;

/// The Python host.
pub struct Python;

fn text_of<'t>(node: Option<Node<'_>>, source: &'t str) -> Option<&'t str> {
    node.and_then(|n| source.get(n.start_byte()..n.end_byte()))
}

/// A string in `methods=[...]` (Flask routes): HTTP methods, not tables. `parents` are the
/// string's, innermost first.
fn is_http_methods<'a>(mut parents: impl Iterator<Item = Node<'a>>, src: &str) -> bool {
    let list = parents.next().filter(|p| p.kind() == "list");
    let keyword = list.and_then(|_| parents.next()).filter(|k| k.kind() == "keyword_argument");
    keyword
        .and_then(|k| k.child_by_field_name("name"))
        .is_some_and(|n| src.get(n.start_byte()..n.end_byte()) == Some("methods"))
}

/// The nodes above `node` among `ancestors` (outermost first, `node` among them), innermost
/// first: read from the chain, since `Node::parent` searches from the root at every step.
fn parents<'a, 'b>(node: Node<'_>, ancestors: &'b [Node<'a>]) -> impl Iterator<Item = Node<'a>> + 'b {
    let id = node.id();
    ancestors.iter().rev().copied().skip_while(move |n| n.id() != id).skip(1)
}

/// Words and signs of SQL, even of a fragment (`user_name IS NOT NULL`, `a = %s`).
const SQL_WORDS: [&str; 17] = [
    "select", "from", "where", "join", "set", "values", "into", "by", "having", "limit", "is", "null",
    "like", "between", "case", "when", "then",
];

/// Is the string a sentence for people (`"please use a different username"`): four words
/// or more, none of them SQL, and no operator?
fn is_sentence(string: Node<'_>, src: &str) -> bool {
    let Some(literal) = text_of(Some(string), src) else { return false };
    let Some(content) = Python.string_content(literal) else { return false };
    let content = &literal[content.start..content.end];
    let words: Vec<String> = content
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_').to_ascii_lowercase())
        .collect();
    words.len() >= 4
        && !content.contains(['=', '<', '>', '(', ')', '*', '%', '{', '.'])
        && !words.iter().any(|w| SQL_WORDS.contains(&w.as_str()))
}

/// The literal's content, without prefix and quotes.
fn content_of<'t>(string: Node<'_>, src: &'t str) -> Option<&'t str> {
    let literal = text_of(Some(string), src)?;
    let content = Python.string_content(literal)?;
    Some(&literal[content.start..content.end])
}

/// `{"username": user.username}`: a key spelled as the attribute it holds serialises an
/// object's attribute (an ORM keeps the attribute's name when its column is renamed).
fn is_attribute_key(string: Node<'_>, src: &str) -> bool {
    let Some(pair) = string.parent().filter(|p| p.kind() == "pair") else { return false };
    let is_key = pair.child_by_field_name("key").is_some_and(|k| k.id() == string.id());
    let attribute = pair.child_by_field_name("value").filter(|v| v.kind() == "attribute");
    let name = attribute.and_then(|a| a.child_by_field_name("attribute")).and_then(|a| text_of(Some(a), src));
    is_key && name.is_some() && name == content_of(string, src)
}

/// `data["username"]` or `"username" in data` where `data = request.get_json()`: the keys
/// of a web request's payload are the API's, not a table's.
fn is_payload_key(string: Node<'_>, src: &str) -> bool {
    let Some(parent) = string.parent() else { return false };
    let holder = match parent.kind() {
        "subscript" if parent.child_by_field_name("subscript").is_some_and(|k| k.id() == string.id()) => {
            parent.child_by_field_name("value")
        }
        "comparison_operator" if parent.named_child(0).is_some_and(|k| k.id() == string.id()) => {
            parent.named_child(1)
        }
        _ => None,
    };
    let Some(holder) = holder.filter(|h| h.kind() == "identifier") else { return false };
    let Some(name) = text_of(Some(holder), src) else { return false };
    let Some(scope) = scope::scope_of(string) else { return false };
    let bindings: Vec<Option<Node<'_>>> =
        scope::identifiers(scope, name, src).into_iter().filter_map(scope::binding).collect();
    let payload = |right: Node<'_>| {
        let callee = (right.kind() == "call").then(|| sql::callee(right, src)).flatten();
        callee.is_some_and(|c| c.ends_with("get_json"))
            || text_of(Some(right), src)
                .is_some_and(|t| matches!(t, "request.json" | "request.form" | "request.args"))
    };
    matches!(bindings.as_slice(), [Some(right)] if payload(*right))
}

impl Host for Python {
    fn lang(&self) -> Lang {
        Lang::Python
    }

    fn is_string(&self, node: Node<'_>) -> bool {
        node.kind() == "string"
    }

    fn string_content<'t>(&self, literal: &'t str) -> Option<StringContent<'t>> {
        let prefix =
            literal.find(['"', '\'']).filter(|p| literal[..*p].chars().all(|c| "rRbBuUfF".contains(c)))?;
        let content = quoted_content(literal, prefix)?;
        // An f-string with holes is no plain literal.
        let holes =
            literal[..prefix].contains(['f', 'F']) && literal[content.start..content.end].contains('{');
        (!holes).then_some(content)
    }

    fn is_text_literal(&self, node: Node<'_>) -> bool {
        node.kind() == "string"
    }

    fn callee(&self, node: Node<'_>, src: &str) -> Option<String> {
        let name = match node.kind() {
            "call" => text_of(node.child_by_field_name("function"), src)?,
            _ => return None,
        };
        Some(name.split_whitespace().collect())
    }

    fn annotation_name(&self, node: Node<'_>, src: &str) -> Option<String> {
        if node.kind() != "decorator" {
            return None;
        }
        let expr = node.named_child(0)?;
        let target = if expr.kind() == "call" { expr.child_by_field_name("function") } else { Some(expr) };
        text_of(target, src).map(|t| t.split_whitespace().collect())
    }

    fn is_docstring(&self, node: Node<'_>, ancestors: &[Node<'_>]) -> bool {
        node.kind() == "string" && sql::is_docstring_among(parents(node, ancestors))
    }

    fn is_message(&self, node: Node<'_>, ancestors: &[Node<'_>], src: &str) -> bool {
        sql::in_prose_among(parents(node, ancestors), src)
            || is_http_methods(parents(node, ancestors), src)
            || is_sentence(node, src)
            || is_attribute_key(node, src)
            || is_payload_key(node, src)
            || attribute_names::is_attribute_name(node, parents(node, ancestors), src)
    }

    fn prose(&self, text: &str) -> Option<Vec<ripple_core::host::Prose>> {
        crate::prose::prose(text)
    }

    fn is_notebook_cell(&self, comment: &str) -> bool {
        comment.trim_start_matches(['#', ' ']).starts_with("MAGIC")
    }

    fn sql_strings<'f>(&self, file: &'f SourceFile<'_>, ctx: &RuleContext<'_>) -> Box<dyn SqlStrings + 'f> {
        Box::new(embedded::PythonSql::discover(file, ctx))
    }

    fn bound_source<'t>(
        &self,
        node: Node<'_>,
        src: &'t str,
        sources: &Sources<'_>,
        from_call: bool,
    ) -> Option<Source<'t>> {
        let exprs = if from_call { flow::enclosing_receivers(node) } else { vec![node] };
        exprs
            .into_iter()
            .map(|e| flow::source_of(e, src, sources))
            .find(|s| !(from_call && *s == Source::Module))
    }

    fn call_schema<'t>(&self, call: Node<'_>, src: &'t str) -> Option<&'t str> {
        (call.kind() == "call").then(|| flow::schema_argument(call, src)).flatten()
    }

    fn class_schema<'t>(&self, class: Node<'_>, src: &'t str) -> Option<&'t str> {
        (class.kind() == "class_definition").then(|| flow::table_args_schema(class, src)).flatten()
    }

    fn app_class_table(&self, class: &str, file: &SourceFile<'_>) -> Option<String> {
        django::default_table(class, file)
    }

    fn rules(&self) -> Vec<Arc<dyn Rule>> {
        vec![
            Arc::new(pyspark::SqlExpressions),
            Arc::new(django::DefaultTables),
            Arc::new(sqlmodel::SqlModelFields),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_contents() {
        let content = |s| Python.string_content(s).map(|c| (c.start, c.end, c.quote));
        assert_eq!(content("'users'").map(|c| c.2), Some("'"));
        assert_eq!(content("rb\"x\"").map(|c| (c.0, c.1)), Some((3, 4)));
        assert_eq!(content("\"\"\"users\"\"\"").map(|c| (c.0, c.1)), Some((3, 8)));
        assert_eq!(content("f\"{x}\""), None);
        assert_eq!(content("\""), None);
    }

    #[test]
    fn sentences_are_for_people() {
        let sentence = |s: &str| {
            let tree = Lang::Python.parse(s);
            let string = tree.root_node().named_child(0).and_then(|e| e.named_child(0)).unwrap();
            is_sentence(string, s)
        };
        assert!(sentence("'please use a different username'"));
        assert!(sentence("'must include username, email and password fields'"));
        assert!(!sentence("'user_name is not null and active'"));
        assert!(!sentence("'select user_name from users'"));
        assert!(!sentence("'a different username'"));
    }

    #[test]
    fn payload_and_attribute_keys_are_no_columns() {
        let judged = |s: &str, needle: &str, f: fn(Node<'_>, &str) -> bool| {
            let tree = Lang::Python.parse(s);
            let at = s.find(needle).unwrap();
            let string = tree.root_node().descendant_for_byte_range(at, at + needle.len()).unwrap();
            f(string, s)
        };
        let view =
            "def f():\n    data = request.get_json()\n    return 'username' in data and data['username']\n";
        assert!(judged(view, "'username'", is_payload_key));
        let tree = Lang::Python.parse(view);
        let at = view.rfind("'username'").unwrap();
        let subscripted = tree.root_node().descendant_for_byte_range(at, at + 10).unwrap();
        assert!(is_payload_key(subscripted, view));
        let row = "def f(cur):\n    row = cur.fetchone()\n    return row['username']\n";
        assert!(!judged(row, "'username'", is_payload_key));
        assert!(judged("d = {'body': post.body}\n", "'body'", is_attribute_key));
        assert!(!judged("d = {'body': post.text}\n", "'body'", is_attribute_key));
    }
}
