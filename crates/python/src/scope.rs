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
    ripple_core::syntax::python_binding(id).is_some()
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
