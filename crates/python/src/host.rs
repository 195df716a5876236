//! Python as a ripple host: its strings, calls, decorators, docstrings and messages, its
//! data flow for `bound_to_table`, and its SQL strings.

use crate::{django, embedded, flow, pyspark, sql};
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
        sql::in_prose_among(parents(node, ancestors), src) || is_http_methods(parents(node, ancestors), src)
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
        vec![Arc::new(pyspark::SqlExpressions), Arc::new(django::DefaultTables)]
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
}
