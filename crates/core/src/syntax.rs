//! Syntax facts about host languages that more than one language crate needs.

use tree_sitter::Node;

/// For a Python identifier: `Some(Some(right))` for `name = right`, `Some(None)` for any other binding, `None` for
/// a use.
pub fn python_binding(id: Node<'_>) -> Option<Option<Node<'_>>> {
    let parent = id.parent()?;
    let is_field = |f: &str| parent.child_by_field_name(f).is_some_and(|c| c.id() == id.id());
    match parent.kind() {
        "assignment" if is_field("left") => {
            Some(parent.child_by_field_name("right").filter(|r| !matches!(r.kind(), "assignment" | "yield")))
        }
        "augmented_assignment" | "for_statement" | "for_in_clause" if is_field("left") => Some(None),
        "named_expression" if is_field("name") => Some(None),
        "function_definition" | "class_definition" if is_field("name") => Some(None),
        "default_parameter" | "typed_default_parameter" if is_field("name") => Some(None),
        "except_clause" if is_field("alias") => Some(None),
        "as_pattern" if is_field("alias") => Some(None),
        "pattern_list"
        | "tuple_pattern"
        | "list_pattern"
        | "as_pattern_target"
        | "parameters"
        | "lambda_parameters"
        | "typed_parameter"
        | "list_splat_pattern"
        | "dictionary_splat_pattern"
        | "global_statement"
        | "nonlocal_statement"
        | "aliased_import"
        | "dotted_name"
        | "delete_statement"
        | "keyword_pattern"
        | "case_pattern" => Some(None),
        _ => None,
    }
}

/// A host field name as the column name Spring Boot's (and Flask-SQLAlchemy's) default
/// naming derives from it: `firstName` → `first_name`, `UserEvent` → `user_event`.
pub fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
