//! Small questions about the Java syntax tree: names, declarations and where a value
//! comes from, within one method or one class.

use tree_sitter::Node;

pub fn text_of<'t>(node: Node<'_>, src: &'t str) -> Option<&'t str> {
    src.get(node.start_byte()..node.end_byte())
}

pub fn span(node: Node<'_>) -> (usize, usize) {
    (node.start_byte(), node.end_byte())
}

pub fn children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut c = node.walk();
    node.named_children(&mut c).collect()
}

/// Every node under `node` (itself included), in document order.
pub fn descendants(node: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        out.push(n);
        let mut c = n.walk();
        let kids: Vec<Node<'_>> = n.named_children(&mut c).collect();
        stack.extend(kids.into_iter().rev());
    }
    out
}

pub fn ancestor<'a>(node: Node<'a>, kinds: &[&str]) -> Option<Node<'a>> {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if kinds.contains(&n.kind()) {
            return Some(n);
        }
        cur = n.parent();
    }
    None
}

pub const CLASS_KINDS: [&str; 4] =
    ["class_declaration", "enum_declaration", "record_declaration", "interface_declaration"];
/// Nodes whose body is one flow of local variables.
pub const BODY_KINDS: [&str; 4] =
    ["method_declaration", "constructor_declaration", "lambda_expression", "static_initializer"];

/// The modifiers of a declaration, as words (`static`, `final`, annotations left out).
pub fn modifiers(decl: Node<'_>, src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in children(decl) {
        if c.kind() == "modifiers" {
            let mut w = c.walk();
            for m in c.children(&mut w) {
                if !m.kind().contains("annotation") {
                    out.extend(text_of(m, src).map(str::to_string));
                }
            }
        }
    }
    out
}

/// The declarators of fields in `class` (its own body, not nested classes):
/// (field_declaration, variable_declarator).
pub fn fields<'a>(class: Node<'a>) -> Vec<(Node<'a>, Node<'a>)> {
    let mut out = Vec::new();
    let Some(body) = class.child_by_field_name("body") else { return out };
    for f in children(body) {
        if f.kind() == "field_declaration" || f.kind() == "constant_declaration" {
            for d in children(f) {
                if d.kind() == "variable_declarator" {
                    out.push((f, d));
                }
            }
        }
    }
    out
}

fn declarator_name<'t>(d: Node<'_>, src: &'t str) -> Option<&'t str> {
    d.child_by_field_name("name").and_then(|n| text_of(n, src))
}

/// Is `name` assigned anywhere under `scope` (other than its declaration)?
fn assigned(scope: Node<'_>, name: &str, src: &str, this_only: bool) -> bool {
    descendants(scope).into_iter().any(|n| {
        if n.kind() == "assignment_expression" {
            let Some(left) = n.child_by_field_name("left") else { return false };
            let t = text_of(left, src).unwrap_or("");
            t == format!("this.{name}") || (!this_only && t == name)
        } else if n.kind() == "update_expression" {
            text_of(n, src).is_some_and(|t| t.trim_matches(|c| c == '+' || c == '-').trim() == name)
        } else {
            false
        }
    })
}

/// The initializer of a `static final` field named by `ident`, declared in the class that
/// encloses `ident` (interface fields are implicitly static and final).
pub fn field_constant<'a>(ident: Node<'a>, src: &str) -> Option<Node<'a>> {
    let name = text_of(ident, src)?;
    let class = ancestor(ident, &CLASS_KINDS)?;
    let in_interface = class.kind() == "interface_declaration";
    for (f, d) in fields(class) {
        if declarator_name(d, src) == Some(name) {
            let m = modifiers(f, src);
            let constant =
                in_interface || (m.iter().any(|w| w == "static") && m.iter().any(|w| w == "final"));
            return if constant { d.child_by_field_name("value") } else { None };
        }
    }
    None
}

/// Where a local name gets its one value: the initializer of a local variable declared in
/// the enclosing body and never assigned again, or of a `final` field of the enclosing class.
/// `None` when it is a parameter, assigned more than once, or unknown.
pub fn single_value<'a>(ident: Node<'a>, src: &str) -> Option<Node<'a>> {
    let name = text_of(ident, src)?;
    let mut scope = ancestor(ident, &BODY_KINDS);
    while let Some(body) = scope {
        if let Some(d) = local_declarator(body, name, src, ident.start_byte()) {
            if assigned(body, name, src, false) {
                return None;
            }
            return d.child_by_field_name("value");
        }
        if declares_parameter(body, name, src) {
            return None;
        }
        scope = ancestor(body, &BODY_KINDS);
    }
    let class = ancestor(ident, &CLASS_KINDS)?;
    for (f, d) in fields(class) {
        if declarator_name(d, src) == Some(name) {
            let m = modifiers(f, src);
            let is_final = m.iter().any(|w| w == "final") || class.kind() == "interface_declaration";
            return if is_final { d.child_by_field_name("value") } else { None };
        }
    }
    None
}

/// The declarator of local `name` in `body` declared before `before` (a local variable or a
/// try-with-resources resource), not inside a nested body.
pub fn local_declarator<'a>(body: Node<'a>, name: &str, src: &str, before: usize) -> Option<Node<'a>> {
    let mut found = None;
    for n in descendants(body) {
        if n.start_byte() >= before {
            break;
        }
        let is_decl = match n.kind() {
            "variable_declarator" => n.parent().is_some_and(|p| p.kind() == "local_variable_declaration"),
            "resource" => true,
            _ => false,
        };
        if is_decl
            && declarator_name(n, src) == Some(name)
            && ancestor(n, &BODY_KINDS).map(|b| b.id()) == Some(body.id())
        {
            found = Some(n);
        }
    }
    found
}

/// The declared type of a local declarator (the `type` of its declaration or resource).
pub fn declared_type<'a>(declarator: Node<'a>) -> Option<Node<'a>> {
    match declarator.kind() {
        "resource" => declarator.child_by_field_name("type"),
        _ => declarator.parent()?.child_by_field_name("type"),
    }
}

fn declares_parameter(body: Node<'_>, name: &str, src: &str) -> bool {
    let Some(params) = body.child_by_field_name("parameters") else { return false };
    if params.kind() == "identifier" {
        return text_of(params, src) == Some(name);
    }
    children(params).into_iter().any(|p| match p.kind() {
        "formal_parameter" => p.child_by_field_name("name").and_then(|n| text_of(n, src)) == Some(name),
        "identifier" => text_of(p, src) == Some(name),
        "spread_parameter" => descendants(p)
            .into_iter()
            .any(|d| d.kind() == "variable_declarator" && declarator_name(d, src) == Some(name)),
        _ => false,
    })
}

/// The method name and receiver text of a method invocation.
pub fn call_parts<'a, 't>(call: Node<'a>, src: &'t str) -> Option<(&'t str, Option<Node<'a>>)> {
    if call.kind() != "method_invocation" {
        return None;
    }
    let name = text_of(call.child_by_field_name("name")?, src)?;
    Some((name, call.child_by_field_name("object")))
}

pub fn arguments(call: Node<'_>) -> Vec<Node<'_>> {
    call.child_by_field_name("arguments").map(children).unwrap_or_default()
}

/// The simple name of an annotation (`Query` for `@org.x.Query`).
pub fn annotation_name<'t>(ann: Node<'_>, src: &'t str) -> Option<&'t str> {
    let n = text_of(ann.child_by_field_name("name")?, src)?;
    Some(n.rsplit('.').next().unwrap_or(n))
}

/// The value of an annotation element (`value` also for a lone unnamed argument).
pub fn annotation_value<'a>(ann: Node<'a>, key: &str, src: &str) -> Option<Node<'a>> {
    let args = ann.child_by_field_name("arguments")?;
    let kids = children(args);
    for k in &kids {
        if k.kind() == "element_value_pair" {
            if k.child_by_field_name("key").and_then(|n| text_of(n, src)) == Some(key) {
                return k.child_by_field_name("value");
            }
        } else if key == "value" && kids.len() == 1 {
            return Some(*k);
        }
    }
    None
}

/// Does the file import `path` (a class or its package with `.*`)?
pub fn imports(root: Node<'_>, src: &str, path: &str) -> bool {
    let package = path.rsplit_once('.').map(|p| p.0).unwrap_or("");
    children(root).into_iter().filter(|n| n.kind() == "import_declaration").any(|n| {
        let t: String = text_of(n, src).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
        let t = t.trim_start_matches("import").trim().trim_end_matches(';').trim();
        t == path || t == format!("{package}.*")
    })
}
