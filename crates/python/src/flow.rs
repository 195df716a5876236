//! Which table a Python expression reads (rule files' `bound_to_table`, PySpark SQL
//! expressions). An expression is followed down its receiver chain
//! (`df.filter(...).select` → `df`), through names assigned exactly once in their scope,
//! to a source call (a match of a query, such as `spark.table("users")`).

use crate::scope::{binding, identifiers, is_binding, scope_of};
use tree_sitter::{Node, QueryCursor, StreamingIterator};

pub use ripple_core::host::{Source, Sources};

const MAX_DEPTH: usize = 8;

fn text<'t>(node: Node<'_>, src: &'t str) -> &'t str {
    src.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// The receivers of the method calls around `node`, nearest first: for `F.col("c")`
/// inside `df.filter(...)`, `F` then `df`.
pub fn enclosing_receivers(node: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut cur = node.parent();
    while let Some(n) = cur {
        if n.kind() == "call" {
            let function = n.child_by_field_name("function");
            // Only calls whose arguments hold `node`, not calls on it.
            let in_args =
                n.child_by_field_name("arguments").is_some_and(|a| a.start_byte() <= node.start_byte());
            if let (Some(f), true) = (function.filter(|f| f.kind() == "attribute"), in_args) {
                if let Some(object) = f.child_by_field_name("object") {
                    out.push(object);
                }
            }
        }
        if n.kind().ends_with("statement") || matches!(n.kind(), "block" | "module" | "lambda") {
            break;
        }
        cur = n.parent();
    }
    out
}

/// What `expr` reads, following receivers and single assignments.
pub fn source_of<'t>(expr: Node<'_>, src: &'t str, sources: &Sources<'_>) -> Source<'t> {
    follow(expr, src, sources, 0)
}

fn follow<'t>(expr: Node<'_>, src: &'t str, sources: &Sources<'_>, depth: usize) -> Source<'t> {
    if depth > MAX_DEPTH {
        return Source::Unknown;
    }
    let mut n = expr;
    loop {
        match n.kind() {
            "call" => {
                if let Some(found) = source_call(n, src, sources) {
                    return Source::Found(found, schema_argument(n, src));
                }
                let Some(f) = n.child_by_field_name("function") else { return Source::Unknown };
                if f.kind() == "attribute" {
                    let m = f.child_by_field_name("attribute").map(|a| text(a, src)).unwrap_or("");
                    if sources.stops_at.iter().any(|s| s == m) || defines(n, m, src, sources.introduces) {
                        return Source::Mixed;
                    }
                }
                n = f;
            }
            "attribute" => match n.child_by_field_name("object") {
                Some(o) => n = o,
                None => return Source::Unknown,
            },
            "subscript" => match n.child_by_field_name("value") {
                Some(v) => n = v,
                None => return Source::Unknown,
            },
            "parenthesized_expression" => match n.named_child(0) {
                Some(i) => n = i,
                None => return Source::Unknown,
            },
            "identifier" => {
                return match single_value(n, src) {
                    Value::Assigned(v) => follow(v, src, sources, depth + 1),
                    Value::Import => Source::Module,
                    Value::Unknown => Source::Unknown,
                }
            }
            _ => return Source::Unknown,
        }
    }
}

/// Column methods that name the column they return (`F.col("fee").alias("amount")`).
const NAMING_METHODS: [&str; 2] = ["alias", "name"];

/// Does `call` (method `method` of a frame chain) define a column named one of `names`: a
/// string argument of `alias`/`name` (anywhere inside its arguments), a column of `toDF`, the
/// new name of `withColumn`/`withColumnRenamed`, a word of a `selectExpr` string, a keyword argument
/// (`agg(amount=...)`, `assign(amount=...)`), or a value of `rename(columns={...})`?
fn defines(call: Node<'_>, method: &str, src: &str, names: &[String]) -> bool {
    if names.is_empty() {
        return false;
    }
    let Some(args) = call.child_by_field_name("arguments") else { return false };
    let named = |n: Node<'_>| {
        let t = string_content(n, src).to_ascii_lowercase();
        names.contains(&t)
    };
    let mentions = |n: Node<'_>| {
        let t = string_content(n, src).to_ascii_lowercase();
        t.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| names.iter().any(|c| c == w))
    };
    let positional: Vec<Node<'_>> = {
        let mut c = args.walk();
        args.named_children(&mut c)
            .filter(|a| a.kind() != "keyword_argument" && a.kind() != "comment")
            .collect()
    };
    match method {
        "withColumn" if positional.first().is_some_and(|a| named(*a)) => return true,
        "withColumnRenamed" if positional.get(1).is_some_and(|a| named(*a)) => return true,
        "selectExpr" if positional.iter().any(|a| a.kind() == "string" && mentions(*a)) => return true,
        "toDF" if positional.iter().any(|a| named(*a)) => return true,
        _ => {}
    }
    let mut stack = vec![args];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "keyword_argument" => {
                let key = n.child_by_field_name("name").map(|k| text(k, src).to_ascii_lowercase());
                if key.is_some_and(|k| names.contains(&k)) {
                    return true;
                }
            }
            "call" => {
                let function = n.child_by_field_name("function");
                let m = function
                    .filter(|f| f.kind() == "attribute")
                    .and_then(|f| f.child_by_field_name("attribute"))
                    .map(|a| text(a, src))
                    .unwrap_or("");
                let first = n.child_by_field_name("arguments").and_then(|a| a.named_child(0));
                if NAMING_METHODS.contains(&m) && first.is_some_and(named) {
                    return true;
                }
            }
            "pair" if method == "rename" && n.child_by_field_name("value").is_some_and(named) => {
                return true;
            }
            _ => {}
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    false
}

/// The `schema="analytics"` keyword argument of a call (pandas `read_sql_table`, `to_sql`),
/// which qualifies the table it names; `Some("")` when the schema is not a plain string.
pub fn schema_argument<'t>(call: Node<'_>, src: &'t str) -> Option<&'t str> {
    let args = call.child_by_field_name("arguments")?;
    let mut c = args.walk();
    let keyword = args.named_children(&mut c).find(|a| {
        a.kind() == "keyword_argument"
            && a.child_by_field_name("name").is_some_and(|n| text(n, src) == "schema")
    })?;
    let value = keyword.child_by_field_name("value")?;
    Some(if value.kind() == "string" { capture_value(value, src) } else { "" })
}

/// The schema a SQLAlchemy model's `__table_args__` gives its table: `{"schema": "x"}`, or
/// a tuple ending in such a dict. `Some("")` when it is there but not a plain string.
pub fn table_args_schema<'t>(class: Node<'_>, src: &'t str) -> Option<&'t str> {
    let body = class.child_by_field_name("body")?;
    let mut c = body.walk();
    for stmt in body.named_children(&mut c) {
        let Some(assign) = stmt.named_child(0).filter(|a| a.kind() == "assignment") else { continue };
        let is_args = assign.child_by_field_name("left").is_some_and(|l| text(l, src) == "__table_args__");
        let Some(mut value) = assign.child_by_field_name("right").filter(|_| is_args) else { continue };
        if matches!(value.kind(), "tuple" | "parenthesized_expression") {
            let last = value.named_child_count().checked_sub(1)?;
            value = value.named_child(u32::try_from(last).ok()?)?;
        }
        if value.kind() != "dictionary" {
            return None;
        }
        let mut d = value.walk();
        for pair in value.named_children(&mut d).filter(|p| p.kind() == "pair") {
            let key = pair.child_by_field_name("key").map(|k| string_content(k, src));
            if key == Some("schema") {
                let v = pair.child_by_field_name("value")?;
                return Some(if v.kind() == "string" { capture_value(v, src) } else { "" });
            }
        }
        return None;
    }
    None
}

/// A string node's content (the text of any other node).
fn string_content<'t>(node: Node<'_>, src: &'t str) -> &'t str {
    if node.kind() == "string" {
        capture_value(node, src)
    } else {
        text(node, src)
    }
}

/// The captured text if `call` itself is a source call (its capture's nearest call).
fn source_call<'t>(call: Node<'_>, src: &'t str, sources: &Sources<'_>) -> Option<&'t str> {
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(sources.query, call, src.as_bytes());
    while let Some(m) = matches.next() {
        for c in m.captures().iter().filter(|c| c.index == sources.capture) {
            let mut up = c.node.parent();
            while let Some(p) = up {
                if p.kind() == "call" {
                    break;
                }
                up = p.parent();
            }
            if up.is_some_and(|p| p.id() == call.id()) {
                return Some(capture_value(c.node, src));
            }
        }
    }
    None
}

/// A plain string's content without prefix and quotes; other nodes' text.
fn capture_value<'t>(node: Node<'_>, src: &'t str) -> &'t str {
    if node.kind() == "string" {
        let mut cursor = node.walk();
        let parts: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        match parts.as_slice() {
            [_, content, _] if content.kind() == "string_content" => return text(*content, src),
            [start, end] if start.kind() == "string_start" && end.kind() == "string_end" => return "",
            _ => {}
        }
    }
    text(node, src)
}

enum Value<'a> {
    Assigned(Node<'a>),
    Import,
    Unknown,
}

fn in_import(id: Node<'_>) -> bool {
    let mut cur = id.parent();
    while let Some(n) = cur {
        match n.kind() {
            "import_statement" | "import_from_statement" | "future_import_statement" => return true,
            "aliased_import" | "dotted_name" => cur = n.parent(),
            _ => return false,
        }
    }
    false
}

/// The one expression assigned to the name at `use_site` in the scope it resolves in
/// (before the use, in the use's own scope).
fn single_value<'a>(use_site: Node<'a>, src: &str) -> Value<'a> {
    let name = text(use_site, src);
    let Some(own) = scope_of(use_site) else { return Value::Unknown };
    let mut scope = own;
    loop {
        let ids: Vec<Node<'a>> =
            identifiers(scope, name, src).into_iter().filter(|i| is_binding(*i)).collect();
        if let [only] = ids.as_slice() {
            if in_import(*only) {
                return Value::Import;
            }
            let Some(Some(right)) = binding(*only) else { return Value::Unknown };
            let Some(assignment) = right.parent() else { return Value::Unknown };
            if scope.id() == own.id() && assignment.end_byte() > use_site.start_byte() {
                return Value::Unknown;
            }
            return Value::Assigned(right);
        }
        if !ids.is_empty() || scope.kind() == "module" {
            return Value::Unknown;
        }
        match scope_of(scope) {
            Some(s) => scope = s,
            None => return Value::Unknown,
        }
    }
}
