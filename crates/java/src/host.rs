//! Java as a ripple host: its strings, calls and annotations, and its SQL strings. Java
//! expressions are not followed by data flow: `bound_to_table` never holds in Java.

use crate::syntax::{annotation_value, text_of};
use crate::{entity, property_names, strings};
use ripple_core::host::{quoted_content, StringContent};
use ripple_core::SqlStrings;
use ripple_core::{Host, Lang, Rule, RuleContext, SourceFile};
use std::sync::Arc;
use tree_sitter::Node;

/// The Java host.
pub struct Java;

impl Host for Java {
    fn lang(&self) -> Lang {
        Lang::Java
    }

    fn is_string(&self, node: Node<'_>) -> bool {
        node.kind() == "string_literal"
    }

    fn string_content<'t>(&self, literal: &'t str) -> Option<StringContent<'t>> {
        quoted_content(literal, 0)
    }

    fn prose(&self, text: &str) -> Option<Vec<ripple_core::host::Prose>> {
        crate::prose::prose(text)
    }

    fn is_text_literal(&self, node: Node<'_>) -> bool {
        matches!(node.kind(), "string_literal" | "text_block" | "character_literal")
    }

    fn is_message(&self, node: Node<'_>, ancestors: &[Node<'_>], src: &str) -> bool {
        let id = node.id();
        let parents = ancestors.iter().rev().copied().skip_while(move |n| n.id() != id).skip(1);
        property_names::is_property_name(node, parents, src)
    }

    fn callee(&self, node: Node<'_>, src: &str) -> Option<String> {
        let name = match node.kind() {
            "method_invocation" => {
                let name = text_of(node.child_by_field_name("name")?, src)?;
                match node.child_by_field_name("object").and_then(|o| text_of(o, src)) {
                    Some(object) => format!("{object}.{name}"),
                    None => name.to_string(),
                }
            }
            "object_creation_expression" => text_of(node.child_by_field_name("type")?, src)?.to_string(),
            _ => return None,
        };
        Some(name.split_whitespace().collect())
    }

    fn annotation_name(&self, node: Node<'_>, src: &str) -> Option<String> {
        match node.kind() {
            "annotation" | "marker_annotation" => {
                node.child_by_field_name("name").and_then(|n| text_of(n, src)).map(str::to_string)
            }
            _ => None,
        }
    }

    /// The `schema` of a mapping annotation qualifies the table its `name` (or value)
    /// gives: `@Table(schema = "app", name = "users")` maps `app.users`. `call` is the
    /// annotation's argument list, around the name's pair.
    fn call_schema<'t>(&self, call: Node<'_>, src: &'t str) -> Option<&'t str> {
        let args = match call.kind() {
            "annotation_argument_list" => call,
            // A lone value, `@Table("users")`, sits in the list itself.
            "annotation" => call.child_by_field_name("arguments")?,
            _ => return None,
        };
        let schema = args.parent().and_then(|ann| annotation_value(ann, "schema", src))?;
        // A schema that is not a plain string (a constant) leaves the table unknown.
        Some(if schema.kind() == "string_literal" {
            text_of(schema, src).map_or("", |t| t.trim_matches('"'))
        } else {
            ""
        })
    }

    fn sql_strings<'f>(&self, file: &'f SourceFile<'_>, _ctx: &RuleContext<'_>) -> Box<dyn SqlStrings + 'f> {
        Box::new(strings::JavaSql::discover(file))
    }

    fn rules(&self) -> Vec<Arc<dyn Rule>> {
        vec![Arc::new(entity::FieldTypes), Arc::new(crate::spring_data::DefaultNaming)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_contents() {
        assert_eq!(Java.string_content("\"\""), Some(StringContent { start: 1, end: 1, quote: "\"" }));
    }
}
