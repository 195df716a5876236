//! Which Java strings are SQL: those that reach a known sink (JDBC, Spring JDBC, native JPA
//! queries), directly or through a variable assigned once, and those that read as a SQL
//! statement on their own. JPQL/HQL, log messages and exception messages are not SQL.

use crate::region::{self, is_string_expr, JavaRegion};
use crate::syntax::{
    ancestor, annotation_name, annotation_value, arguments, call_parts, descendants, imports, single_value,
    span, text_of,
};
use std::collections::HashSet;
use tree_sitter::Node;

/// Methods whose SQL argument is always SQL.
const STRONG_SINKS: [&str; 17] = [
    "prepareStatement",
    "prepareCall",
    "executeQuery",
    "executeUpdate",
    "executeLargeUpdate",
    "addBatch",
    "createNativeQuery",
    "queryForObject",
    "queryForList",
    "queryForMap",
    "queryForRowSet",
    "queryForStream",
    "queryForInt",
    "queryForLong",
    "batchUpdate",
    "nativeQuery",
    "createSQLQuery",
];

/// Methods whose names other APIs use too (`executor.execute`, `repo.update`): their
/// argument is SQL only when it starts with a SQL keyword.
const WEAK_SINKS: [&str; 5] = ["execute", "query", "update", "sql", "executeLargeBatch"];

/// Methods whose argument is JPQL/HQL: names of entities and attributes, not tables.
const JPQL_SINKS: [&str; 3] = ["createQuery", "createNamedQuery", "createTypedQuery"];

const LOG_METHODS: [&str; 8] = ["trace", "debug", "info", "warn", "warning", "error", "fatal", "severe"];

/// Why a string is taken as SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// It reaches a known sink, or a native query annotation.
    Sink,
    /// It reads as a SQL statement on its own.
    Shape,
}

pub struct SqlString<'a> {
    /// The string expression (a literal, a concatenation, a variable's initializer).
    pub expr: Node<'a>,
    pub region: JavaRegion,
    pub why: Why,
}

#[derive(Default)]
pub struct Discovery<'a> {
    pub sql: Vec<SqlString<'a>>,
    /// File spans of JPQL strings.
    pub jpql: Vec<(usize, usize)>,
    /// File spans of log and exception messages.
    pub prose: Vec<(usize, usize)>,
}

impl<'a> Discovery<'a> {
    /// The SQL a string expression (or a name bound once to one) holds, if it is SQL.
    pub fn sql_of(&self, expr: Node<'a>, src: &str) -> Option<&SqlString<'a>> {
        let expr = resolve(expr, src)?;
        self.sql.iter().find(|s| s.expr.id() == expr.id())
    }
}

/// The string expression an argument stands for: itself, or the single value of the
/// variable or final field it names.
pub fn resolve<'a>(arg: Node<'a>, src: &str) -> Option<Node<'a>> {
    let mut node = arg;
    for _ in 0..4 {
        match node.kind() {
            _ if is_string_expr(node, src) => return Some(node),
            "identifier" => node = single_value(node, src)?,
            "parenthesized_expression" => node = node.named_child(0)?,
            _ => return None,
        }
    }
    None
}

fn starts_with_sql_keyword(text: &str) -> bool {
    let first: String = text.trim_start().chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    [
        "select", "with", "insert", "update", "delete", "merge", "create", "alter", "drop", "truncate",
        "call", "upsert", "replace",
    ]
    .iter()
    .any(|k| first.eq_ignore_ascii_case(k))
}

/// A statement keyword in title case (`Select`, `Update`) starts a sentence, not a query.
fn title_case_start(text: &str) -> bool {
    let first: String = text.trim_start().chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let mut cs = first.chars();
    cs.next().is_some_and(|c| c.is_ascii_uppercase()) && cs.any(|c| c.is_ascii_lowercase())
}

/// Finds the SQL strings of a file.
pub fn discover<'a>(root: Node<'a>, src: &str) -> Discovery<'a> {
    let mut d = Discovery::default();
    let mut taken: HashSet<usize> = HashSet::new();
    let mut not_sql: HashSet<usize> = HashSet::new();
    let spring_jdbc_query = imports(root, src, "org.springframework.data.jdbc.repository.query.Query");
    let mybatis = ["Select", "Insert", "Update", "Delete"]
        .iter()
        .any(|a| imports(root, src, &format!("org.apache.ibatis.annotations.{a}")));
    let all = descendants(root);
    for &n in &all {
        match n.kind() {
            "method_invocation" => {
                let Some((name, object)) = call_parts(n, src) else { continue };
                let args = arguments(n);
                if JPQL_SINKS.contains(&name) {
                    if let Some(e) = args.first().and_then(|a| resolve(*a, src)) {
                        mark(e, src, &mut not_sql, &mut d.jpql);
                    }
                } else if LOG_METHODS.contains(&name) && object.is_some_and(|o| is_logger(o, src)) {
                    for a in &args {
                        mark(*a, src, &mut not_sql, &mut d.prose);
                    }
                } else if STRONG_SINKS.contains(&name) || WEAK_SINKS.contains(&name) {
                    let strong = STRONG_SINKS.contains(&name);
                    let candidates: Vec<Node<'a>> = if matches!(name, "batchUpdate" | "addBatch") {
                        args.clone()
                    } else {
                        args.first().copied().into_iter().collect()
                    };
                    for a in candidates {
                        let Some(e) = resolve(a, src) else { continue };
                        if taken.contains(&e.id()) {
                            continue;
                        }
                        let Some(r) = region::build(e, src) else { continue };
                        if !strong && !starts_with_sql_keyword(r.text()) {
                            continue;
                        }
                        taken.insert(e.id());
                        d.sql.push(SqlString { expr: e, region: r, why: Why::Sink });
                    }
                }
            }
            "object_creation_expression" => {
                let ty = n.child_by_field_name("type").and_then(|t| text_of(t, src)).unwrap_or("");
                if ty.ends_with("Exception") || ty.ends_with("Error") {
                    for a in arguments(n) {
                        mark(a, src, &mut not_sql, &mut d.prose);
                    }
                }
            }
            "annotation" => {
                let Some(name) = annotation_name(n, src) else { continue };
                let value = match name {
                    "Query" => {
                        let native = annotation_value(n, "nativeQuery", src)
                            .and_then(|v| text_of(v, src))
                            .is_some_and(|t| t.trim() == "true");
                        let v = annotation_value(n, "value", src);
                        if !native && !spring_jdbc_query {
                            if let Some(v) = v {
                                mark(v, src, &mut not_sql, &mut d.jpql);
                            }
                            continue;
                        }
                        v
                    }
                    "NamedNativeQuery" => annotation_value(n, "query", src),
                    // MyBatis mapper methods; an array of strings is joined with spaces.
                    "Select" | "Insert" | "Update" | "Delete" if mybatis => {
                        match annotation_value(n, "value", src) {
                            Some(array) if array.kind() == "element_value_array_initializer" => {
                                if let Some(r) = region::build_joined(array, src) {
                                    if taken.insert(array.id()) {
                                        d.sql.push(SqlString { expr: array, region: r, why: Why::Sink });
                                    }
                                }
                                continue;
                            }
                            v => v,
                        }
                    }
                    "NamedQuery" => {
                        if let Some(v) = annotation_value(n, "query", src) {
                            mark(v, src, &mut not_sql, &mut d.jpql);
                        }
                        continue;
                    }
                    _ => None,
                };
                let Some(e) = value.and_then(|v| resolve(v, src)) else { continue };
                if taken.insert(e.id()) {
                    if let Some(r) = region::build(e, src) {
                        d.sql.push(SqlString { expr: e, region: r, why: Why::Sink });
                    }
                }
            }
            _ => {}
        }
    }
    // Strings no sink claimed: SQL only if they read as a statement.
    let claimed: HashSet<usize> = d
        .sql
        .iter()
        .flat_map(|s| s.region.literal_ids.iter().copied())
        .chain(not_sql.iter().copied())
        .collect();
    // Operands of string expressions, known from above: `parent()` searches from the root,
    // which a chain of thousands of `+` would make quadratic.
    let strings: Vec<Node<'a>> = all.iter().copied().filter(|&n| is_string_expr(n, src)).collect();
    let inner: HashSet<usize> = strings
        .iter()
        .filter(|n| n.kind() != "string_literal")
        .flat_map(|n| {
            let mut c = n.walk();
            n.named_children(&mut c).map(|k| k.id()).collect::<Vec<_>>()
        })
        .collect();
    for &n in &strings {
        if inner.contains(&n.id()) {
            continue;
        }
        if descendants(n).iter().any(|x| claimed.contains(&x.id())) || in_annotation(n) {
            continue;
        }
        let Some(r) = region::build(n, src) else { continue };
        if title_case_start(r.text()) || !ripple_sql::looks_like_sql(r.text()) {
            continue;
        }
        d.sql.push(SqlString { expr: n, region: r, why: Why::Shape });
    }
    d
}

/// Annotation values other than native queries are names and messages, not statements.
fn in_annotation(n: Node<'_>) -> bool {
    ancestor(n, &["annotation"]).is_some()
}

fn is_logger(object: Node<'_>, src: &str) -> bool {
    let t = text_of(object, src).unwrap_or("");
    let last = t.rsplit('.').next().unwrap_or(t).to_ascii_lowercase();
    matches!(last.as_str(), "log" | "logger" | "_log" | "_logger" | "slf4jlogger") || last.ends_with("logger")
}

/// Records the literals of a string expression (or of what a name is bound to) as not SQL.
fn mark(expr: Node<'_>, src: &str, not_sql: &mut HashSet<usize>, spans: &mut Vec<(usize, usize)>) {
    let e = resolve(expr, src).unwrap_or(expr);
    for x in descendants(e) {
        if x.kind() == "string_literal" {
            not_sql.insert(x.id());
            spans.push(span(x));
        }
    }
}
