//! Strings that name a Java bean property, not a column: a request parameter of a web test
//! (`.param("telephone", "...")`), a model attribute's property (`hasProperty("telephone",
//! ...)`, `attributeHasFieldErrors("owner", "telephone")`, `rejectValue("telephone", ...)`),
//! a `ToStringCreator` label (`.append("telephone", this.telephone)`). ripple keeps a JPA
//! field's name when its column is renamed, so these stay right as written.

use crate::syntax::text_of;
use tree_sitter::Node;

/// Methods whose string arguments name bean properties or request fields.
const PROPERTY_METHODS: [&str; 7] = [
    "param",
    "queryParam",
    "formField",
    "hasProperty",
    "attributeHasFieldErrors",
    "attributeHasFieldErrorCode",
    "rejectValue",
];

/// Is the string literal `string` (its parent chain innermost first in `parents`) a bare
/// name passed to a method that takes property names, or the label of a two-argument
/// `append(label, value)`?
pub fn is_property_name<'a>(
    string: Node<'_>,
    mut parents: impl Iterator<Item = Node<'a>>,
    src: &str,
) -> bool {
    let Some(literal) = text_of(string, src) else { return false };
    let name = literal.trim_matches('"');
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return false;
    }
    let Some(args) = parents.next().filter(|p| p.kind() == "argument_list") else { return false };
    let Some(call) = parents.next().filter(|p| p.kind() == "method_invocation") else { return false };
    let Some(method) = call.child_by_field_name("name").and_then(|n| text_of(n, src)) else { return false };
    if PROPERTY_METHODS.contains(&method) {
        return true;
    }
    // `ToStringCreator.append(label, value)`; a `StringBuilder` takes one argument.
    let first = args.named_child(0).is_some_and(|a| a.id() == string.id());
    method == "append" && first && args.named_child_count() == 2
}
