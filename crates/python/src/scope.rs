//! Just enough of Python's name binding to follow a value through local variables: a
//! name bound exactly once in its scope (a function or the module), by an assignment,
//! stands for the assigned expression. A parameter, a loop target, a second assignment or
//! `global` leaves the name unknown.

use tree_sitter::Node;

/// Node kinds that open a new scope for names bound inside them.
fn opens_scope(kind: &str) -> bool {
    matches!(kind, "function_definition" | "lambda" | "class_definition" | "module")
}

/// The nearest function, lambda or module around `node` (class bodies do not enclose the
/// functions defined in them, as in Python).
pub fn scope_of(node: Node<'_>) -> Option<Node<'_>> {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if matches!(n.kind(), "function_definition" | "lambda" | "module") {
            return Some(n);
        }
        cur = n.parent();
    }
    None
}

/// Every identifier named `name` directly in `scope` (not in a nested function or class).
pub fn identifiers<'a>(scope: Node<'a>, name: &str, src: &str) -> Vec<Node<'a>> {
    let mut out = Vec::new();
    let mut stack = vec![scope];
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier" {
            if src.get(n.start_byte()..n.end_byte()) == Some(name) {
                out.push(n);
            }
            continue;
        }
        let mut cursor = n.walk();
        for c in n.children(&mut cursor) {
            if opens_scope(c.kind()) {
                // The name of a nested def or class binds in this scope; its body does not.
                if let Some(id) = c.child_by_field_name("name") {
                    if src.get(id.start_byte()..id.end_byte()) == Some(name) {
                        out.push(id);
                    }
                }
                continue;
            }
            stack.push(c);
        }
    }
    out.sort_by_key(|n| n.start_byte());
    out
}

/// Is `id` in a position that binds its name?
pub fn is_binding(id: Node<'_>) -> bool {
    binding(id).is_some()
}

/// Is `id` a use of its name (not a binding, not an attribute or keyword name)?
pub fn is_use(id: Node<'_>) -> bool {
    let Some(parent) = id.parent() else { return false };
    let is_field = |field: &str| parent.child_by_field_name(field).is_some_and(|c| c.id() == id.id());
    if is_binding(id) {
        return false;
    }
    !(parent.kind() == "attribute" && is_field("attribute")
        || parent.kind() == "keyword_argument" && is_field("name"))
}

/// For an identifier: `Some(Some(right))` for `name = right`, `Some(None)` for any other
/// binding, `None` for a use.
pub fn binding(id: Node<'_>) -> Option<Option<Node<'_>>> {
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
