//! Strings that name a Python attribute or a request field, not a column: the name given to
//! `setattr`/`getattr`/`hasattr`, the field list a loop hands to `setattr`
//! (`for field in ['username', 'about_me']: setattr(self, field, ...)`), a model's
//! `__searchable__` list, and the keys of a JSON body sent with `json=` (an API's fields).
//! ripple keeps a model attribute's name when its column is renamed, so these stay.

use crate::scope;
use tree_sitter::Node;

fn text<'t>(node: Node<'_>, src: &'t str) -> &'t str {
    src.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// Is the string a bare name (`'about_me'`), with no prefix letters?
fn bare_name<'t>(string: Node<'_>, src: &'t str) -> Option<&'t str> {
    let literal = text(string, src);
    let name = literal.strip_prefix(['"', '\''])?.strip_suffix(['"', '\''])?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(name)
}

/// Is the string `string` (its parents innermost first) an attribute name, or a key or value
/// of a JSON body?
pub fn is_attribute_name<'a>(string: Node<'_>, parents: impl Iterator<Item = Node<'a>>, src: &str) -> bool {
    let bare = bare_name(string, src).is_some();
    let up: Vec<Node<'a>> = parents.take(3).collect();
    let kind = |i: usize| up.get(i).map_or("", |n| n.kind());
    match kind(0) {
        "argument_list" if bare => {
            let callee =
                up.get(1).filter(|c| c.kind() == "call").and_then(|c| c.child_by_field_name("function"));
            callee.is_some_and(|f| matches!(text(f, src), "setattr" | "getattr" | "hasattr" | "delattr"))
        }
        "list" | "tuple" if bare => match kind(1) {
            // `for field in [...]:` whose body sets or gets attributes by that name.
            "for_statement" => up[1].child_by_field_name("body").is_some_and(|b| {
                let body = text(b, src);
                body.contains("setattr(") || body.contains("getattr(")
            }),
            "assignment" => {
                up[1].child_by_field_name("left").is_some_and(|l| text(l, src) == "__searchable__")
            }
            _ => false,
        },
        // A key of a JSON body is an API field, and a value is data sent to it.
        "pair" => {
            let is_key = up[0].child_by_field_name("key").is_some_and(|k| k.id() == string.id());
            (bare || !is_key) && kind(1) == "dictionary" && is_json_body(up[1], up.get(2).copied(), src)
        }
        _ => false,
    }
}

/// Is the dictionary `dict` (under `parent`) sent as a JSON body: `json={...}`, or bound
/// once to a name that its scope passes as `json=name` and otherwise only reads by key?
fn is_json_body(dict: Node<'_>, parent: Option<Node<'_>>, src: &str) -> bool {
    let Some(parent) = parent else { return false };
    match parent.kind() {
        "keyword_argument" => parent.child_by_field_name("name").is_some_and(|n| text(n, src) == "json"),
        "assignment" if parent.child_by_field_name("right").is_some_and(|r| r.id() == dict.id()) => {
            let Some(left) = parent.child_by_field_name("left").filter(|l| l.kind() == "identifier") else {
                return false;
            };
            let Some(scope) = scope::scope_of(dict) else { return false };
            let uses = scope::identifiers(scope, text(left, src), src);
            let bindings = uses.iter().filter(|id| scope::is_binding(**id)).count();
            let is_field = |id: &Node<'_>, kind: &str, field: &str| {
                id.parent().is_some_and(|p| {
                    p.kind() == kind && p.child_by_field_name(field).is_some_and(|v| v.id() == id.id())
                })
            };
            let sent = |id: &Node<'_>| {
                is_field(id, "keyword_argument", "value")
                    && id
                        .parent()
                        .and_then(|k| k.child_by_field_name("name"))
                        .is_some_and(|n| text(n, src) == "json")
            };
            let sends = uses.iter().filter(|id| sent(id)).count();
            let reads = uses.iter().filter(|id| is_field(id, "subscript", "value")).count();
            bindings == 1 && sends > 0 && sends + reads + bindings == uses.len()
        }
        _ => false,
    }
}
