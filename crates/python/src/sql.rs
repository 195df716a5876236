//! Which Python strings are SQL: those that reach a known sink (directly, or through a
//! local variable assigned once), and those that are shaped like a SQL statement outside
//! prose contexts. Also the code that reads a query's result by column name.

use crate::literal::{self, Literal};
use crate::scope;
use tree_sitter::Node;

/// Why a string is taken as SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// It is an argument of a SQL sink.
    Sink,
    /// It is assigned once to a variable that reaches a sink.
    Flow,
    /// Only its shape: it parses as a SQL statement.
    Shape,
}

pub struct Found<'a> {
    pub lit: Literal,
    pub why: Why,
    /// The sink calls the SQL reaches (none for `Shape`).
    pub sinks: Vec<Node<'a>>,
}

/// Methods whose first argument is SQL text.
const SINK_METHODS: [&str; 14] = [
    "execute",
    "executemany",
    "executescript",
    "read_sql",
    "read_sql_query",
    "exec_driver_sql",
    "mogrify",
    "get_records",
    "get_first",
    "get_pandas_df",
    "sql",
    "text",
    "raw",
    "RawSQL",
];

/// Keyword arguments that carry SQL into a sink or an Airflow operator.
const SQL_KEYWORDS: [&str; 3] = ["sql", "query", "statement"];

/// Receivers of `.text(...)` that are SQLAlchemy (`sa.text`, `sqlalchemy.text`).
const TEXT_MODULES: [&str; 5] = ["sa", "sqlalchemy", "sql", "db", "sqlalchemy.sql"];

/// Calls whose arguments are messages for people, never SQL.
const PROSE_CALLS: [&str; 22] = [
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "log",
    "print",
    "echo",
    "secho",
    "gettext",
    "ngettext",
    "_",
    "gettext_lazy",
    "lazy_gettext",
    "_l",
    "flash",
    "abort",
    "fail",
    "skip",
    "add_argument",
];

fn text<'s>(node: Node<'_>, src: &'s str) -> &'s str {
    src.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// The callee of a call as written, without whitespace.
pub fn callee(call: Node<'_>, src: &str) -> Option<String> {
    (call.kind() == "call")
        .then(|| call.child_by_field_name("function"))
        .flatten()
        .map(|f| text(f, src).split_whitespace().collect())
}

fn method(callee: &str) -> &str {
    callee.rsplit('.').next().unwrap_or(callee)
}

/// Is `callee` (as written) a call whose first argument is SQL?
fn is_sink_callee(callee: &str) -> bool {
    let m = method(callee);
    if !SINK_METHODS.contains(&m) {
        return false;
    }
    if m == "text" {
        // `text(...)` of SQLAlchemy, not any object's `.text`.
        return callee == "text" || callee.rsplit_once('.').is_some_and(|(o, _)| TEXT_MODULES.contains(&o));
    }
    if m == "raw" {
        // Django's `Model.objects.raw(...)`, not any object's `.raw`.
        return callee.ends_with("objects.raw");
    }
    true
}

/// The sink call `expr` is an argument of, if it is the SQL argument of one.
pub fn sink_of<'a>(expr: Node<'a>, src: &str) -> Option<Node<'a>> {
    let parent = expr.parent()?;
    match parent.kind() {
        "argument_list" => {
            let call = parent.parent()?;
            let first = parent.named_child(0)?;
            (first.id() == expr.id() && is_sink_callee(&callee(call, src)?)).then_some(call)
        }
        "keyword_argument" => {
            let name = text(parent.child_by_field_name("name")?, src);
            let call = parent.parent()?.parent()?;
            let c = callee(call, src)?;
            let operator = method(&c).ends_with("Operator") || method(&c).ends_with("Sensor");
            let ok = SQL_KEYWORDS.contains(&name) && (is_sink_callee(&c) || operator && name == "sql");
            ok.then_some(call)
        }
        _ => None,
    }
}

/// The string expressions in `root` that are SQL, among those overlapping `mentions`.
pub fn discover<'a>(root: Node<'a>, src: &str, mentions: &[(usize, usize)]) -> Vec<Found<'a>> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        let mentioned = mentions.iter().any(|&(s, e)| n.start_byte() <= s && e <= n.end_byte());
        if !mentioned {
            continue;
        }
        if literal::is_string_expr(n) {
            if let Some(f) = judge(n, src) {
                out.push(f);
            }
            continue;
        }
        let mut cursor = n.walk();
        stack.extend(n.children(&mut cursor));
    }
    out.sort_by_key(|f| f.lit.span);
    out
}

/// Decides whether the string expression `node` is SQL.
fn judge<'a>(node: Node<'a>, src: &str) -> Option<Found<'a>> {
    if is_docstring(node) {
        return None;
    }
    // What flows on: the string, its `.format(...)` call, or its `%` formatting.
    let mut flow = node;
    let mut format = false;
    if let Some(p) = node.parent() {
        if p.kind() == "attribute"
            && p.child_by_field_name("attribute").is_some_and(|a| text(a, src) == "format")
        {
            if let Some(call) = p.parent().filter(|c| c.kind() == "call") {
                flow = call;
                format = true;
            }
        } else if p.kind() == "binary_operator"
            && p.child_by_field_name("operator").is_some_and(|o| o.kind() == "%")
            && p.child_by_field_name("left").is_some_and(|l| l.id() == node.id())
        {
            flow = p;
        }
    }
    let lit = literal::read(node, src, format)?;
    if let Some(call) = sink_of(flow, src) {
        return Some(Found { lit, why: Why::Sink, sinks: vec![call] });
    }
    let sinks = flow_sinks(flow, src);
    if !sinks.is_empty() {
        return Some(Found { lit, why: Why::Flow, sinks });
    }
    if in_prose_context(flow, src) {
        return None;
    }
    Some(Found { lit, why: Why::Shape, sinks: Vec::new() })
}

/// The sinks reached by the variable `expr` is assigned to, if it is assigned once.
fn flow_sinks<'a>(expr: Node<'a>, src: &str) -> Vec<Node<'a>> {
    let Some(assignment) = expr.parent().filter(|p| p.kind() == "assignment") else { return Vec::new() };
    let Some(left) = assignment.child_by_field_name("left").filter(|l| l.kind() == "identifier") else {
        return Vec::new();
    };
    let name = text(left, src);
    let Some(scope) = scope::scope_of(assignment) else { return Vec::new() };
    let ids = scope::identifiers(scope, name, src);
    if ids.iter().filter(|i| scope::is_binding(**i)).count() != 1 {
        return Vec::new();
    }
    ids.into_iter()
        .filter(|i| i.start_byte() > assignment.end_byte() && scope::is_use(*i))
        .filter_map(|i| sink_of(i, src))
        .collect()
}

/// A docstring: a string statement first in a module, class or function body.
pub fn is_docstring(node: Node<'_>) -> bool {
    is_docstring_among(std::iter::successors(node.parent(), |n| n.parent()))
}

/// [`is_docstring`] of the node whose ancestors are `parents`, innermost first.
pub fn is_docstring_among<'a>(mut parents: impl Iterator<Item = Node<'a>>) -> bool {
    let Some(stmt) = parents.next().filter(|p| p.kind() == "expression_statement") else { return false };
    let Some(body) = parents.next() else { return false };
    matches!(body.kind(), "module" | "block")
        && body.named_child(0).is_some_and(|first| first.id() == stmt.id())
}

/// Is `expr` a message for people: an argument of a logging or print call, an exception,
/// an assertion or a raise?
pub fn in_prose_context(expr: Node<'_>, src: &str) -> bool {
    in_prose_among(std::iter::successors(expr.parent(), |n| n.parent()), src)
}

/// [`in_prose_context`] over the ancestors of an expression, innermost first.
pub fn in_prose_among<'a>(ancestors: impl Iterator<Item = Node<'a>>, src: &str) -> bool {
    for n in ancestors {
        match n.kind() {
            "raise_statement" | "assert_statement" => return true,
            "call" => {
                if let Some(c) = callee(n, src) {
                    let m = method(&c);
                    if PROSE_CALLS.contains(&m)
                        || m.ends_with("Error")
                        || m.ends_with("Exception")
                        || m.ends_with("Warning")
                    {
                        return true;
                    }
                }
            }
            k if k.ends_with("statement") || k == "block" || k == "module" => return false,
            _ => {}
        }
    }
    false
}

/// Where a query's rows are read by column name: `frame["c"]`, `row["c"]`, with the
/// string node of the name. Follows the result of `sink` within its scope: the variable it
/// is assigned to, `fetchone`/`fetchall`/`fetchmany` of the cursor it ran on, and loops
/// over either.
pub fn result_reads<'a>(sink: Node<'a>, src: &str) -> Vec<Node<'a>> {
    let mut holders: Vec<String> = Vec::new();
    let Some(scope) = scope::scope_of(sink) else { return Vec::new() };
    // `x = <sink>` or `x = <sink>.fetchall()`.
    let mut top = sink;
    while let Some(p) = top.parent() {
        if matches!(p.kind(), "attribute" | "call") && p.start_byte() == sink.start_byte() {
            top = p;
        } else {
            break;
        }
    }
    if let Some(name) = assigned_name(top, src) {
        holders.push(name);
    }
    // `cur.execute(sql)` then `cur.fetchall()`: the cursor holds the result.
    let cursor_name = sink
        .child_by_field_name("function")
        .filter(|f| f.kind() == "attribute")
        .and_then(|f| f.child_by_field_name("object"))
        .filter(|o| o.kind() == "identifier")
        .map(|o| text(o, src).to_string());
    if let Some(cur) = &cursor_name {
        if matches!(method(&callee(sink, src).unwrap_or_default()), "execute" | "executemany") {
            for id in scope::identifiers(scope, cur, src) {
                if id.start_byte() <= sink.end_byte() {
                    continue;
                }
                let Some(attr) = id.parent().filter(|p| p.kind() == "attribute") else { continue };
                let fetch = attr.child_by_field_name("attribute").map(|a| text(a, src)).unwrap_or("");
                let call = attr.parent().filter(|c| c.kind() == "call");
                if let (true, Some(call)) = (fetch.starts_with("fetch"), call) {
                    if let Some(name) = assigned_name(call, src) {
                        holders.push(name);
                    }
                    if let Some(name) = loop_target(call, src) {
                        holders.push(name);
                    }
                }
            }
            holders.push(cur.clone());
        }
    }
    // Loops over a holder: `for row in rows`.
    let mut i = 0;
    while i < holders.len() {
        let name = holders[i].clone();
        for id in scope::identifiers(scope, &name, src) {
            if id.start_byte() > sink.end_byte() && scope::is_use(id) {
                if let Some(target) = loop_target(id, src) {
                    if !holders.contains(&target) {
                        holders.push(target);
                    }
                }
            }
        }
        i += 1;
    }
    let mut reads = Vec::new();
    for name in &holders {
        // A holder rebound elsewhere in the scope may hold something else.
        let ids = scope::identifiers(scope, name, src);
        if ids.iter().filter(|i| scope::is_binding(**i)).count() > 1 {
            continue;
        }
        for id in ids {
            if id.start_byte() <= sink.end_byte() || !scope::is_use(id) {
                continue;
            }
            // `row["c"]`, `rows[0]["c"]`, or a frame's `df.iloc[0]["c"]`.
            let mut value = id;
            while let Some(p) = value.parent() {
                if p.kind() == "attribute"
                    && p.child_by_field_name("attribute")
                        .is_some_and(|a| matches!(text(a, src), "iloc" | "loc"))
                {
                    value = p;
                    continue;
                }
                if p.kind() != "subscript" {
                    break;
                }
                let key = p.child_by_field_name("subscript");
                if p.child_by_field_name("value").map(|v| v.id()) != Some(value.id()) {
                    break;
                }
                match key {
                    // `df.loc["c"]` selects a row by its label.
                    Some(k) if k.kind() == "string" && value.kind() != "attribute" => {
                        reads.push(k);
                        break;
                    }
                    Some(k) if k.kind() == "integer" => value = p,
                    _ => break,
                }
            }
        }
    }
    reads
}

/// Keyword arguments of `read_sql` / `read_sql_query` that name columns of the result.
const RESULT_KEYWORDS: [&str; 4] = ["index_col", "parse_dates", "columns", "dtype"];

/// The result columns a pandas sink names itself: `index_col="c"`, `parse_dates=["c"]`,
/// `dtype={"c": "int32"}` in `pd.read_sql(sql, con, ...)`, with the string node of each.
pub fn keyword_reads<'a>(sink: Node<'a>, src: &str) -> Vec<Node<'a>> {
    let pandas = callee(sink, src).is_some_and(|c| matches!(method(&c), "read_sql" | "read_sql_query"));
    let Some(args) = sink.child_by_field_name("arguments").filter(|_| pandas) else { return Vec::new() };
    let mut reads = Vec::new();
    let mut cursor = args.walk();
    for kw in args.named_children(&mut cursor).filter(|a| a.kind() == "keyword_argument") {
        let name = kw.child_by_field_name("name").map(|n| text(n, src)).unwrap_or("");
        let Some(value) = kw.child_by_field_name("value").filter(|_| RESULT_KEYWORDS.contains(&name)) else {
            continue;
        };
        let mut inner = value.walk();
        match value.kind() {
            "string" => reads.push(value),
            "list" | "tuple" => {
                reads.extend(value.named_children(&mut inner).filter(|v| v.kind() == "string"))
            }
            "dictionary" => reads.extend(
                value
                    .named_children(&mut inner)
                    .filter_map(|pair| pair.child_by_field_name("key"))
                    .filter(|k| k.kind() == "string"),
            ),
            _ => {}
        }
    }
    reads
}

/// `x = expr` → `x`.
fn assigned_name(expr: Node<'_>, src: &str) -> Option<String> {
    let a = expr.parent().filter(|p| p.kind() == "assignment")?;
    a.child_by_field_name("right").filter(|r| r.id() == expr.id())?;
    let left = a.child_by_field_name("left").filter(|l| l.kind() == "identifier")?;
    Some(text(left, src).to_string())
}

/// `for x in expr` → `x`.
fn loop_target(expr: Node<'_>, src: &str) -> Option<String> {
    // A `for` statement, or the `for ... in` clause of a comprehension or generator.
    let f = expr.parent().filter(|p| matches!(p.kind(), "for_statement" | "for_in_clause"))?;
    f.child_by_field_name("right").filter(|r| r.id() == expr.id())?;
    let left = f.child_by_field_name("left").filter(|l| l.kind() == "identifier")?;
    Some(text(left, src).to_string())
}
