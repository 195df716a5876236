//! JDBC code that depends on a query: `ResultSet` getters and updaters that read a result
//! column by name, and `PreparedStatement` setters that bind a `?`. Each call is traced to
//! the SQL it runs (a `ResultSet` from `executeQuery`, a row mapper lambda of a
//! `JdbcTemplate` call, a statement from `prepareStatement`); calls that cannot be traced
//! are left to the `java/jdbc-resultset-getter` rule file.

use crate::ids;
use crate::query::{self, Output, Param};
use crate::sql::Discovery;
use crate::strings::JavaSql;
use crate::syntax::{
    ancestor, arguments, call_parts, children, declared_type, descendants, local_declarator, span, text_of,
    BODY_KINDS,
};
use crate::types;
use ripple_core::{Change, Confidence, OutputNames, RuleContext, RuleOutput, Severity};
use std::collections::HashMap;
use tree_sitter::Node;

/// Spring calls whose callback reads the rows of the call's SQL.
const ROW_CALLS: [&str; 5] = ["query", "queryForObject", "queryForStream", "queryForList", "execute"];

/// Where a local name is declared.
enum Decl<'a> {
    Local(Node<'a>),
    /// Parameter `index` of a lambda or method.
    Param(Node<'a>, usize),
}

fn find_decl<'a>(ident: Node<'a>, src: &str) -> Option<Decl<'a>> {
    let name = text_of(ident, src)?;
    let mut scope = ancestor(ident, &BODY_KINDS);
    while let Some(body) = scope {
        if let Some(d) = local_declarator(body, name, src, ident.start_byte()) {
            return Some(Decl::Local(d));
        }
        if let Some(i) = param_index(body, name, src) {
            return Some(Decl::Param(body, i));
        }
        scope = ancestor(body, &BODY_KINDS);
    }
    None
}

fn param_index(body: Node<'_>, name: &str, src: &str) -> Option<usize> {
    let params = body.child_by_field_name("parameters")?;
    if params.kind() == "identifier" {
        return (text_of(params, src) == Some(name)).then_some(0);
    }
    children(params)
        .into_iter()
        .filter(|p| matches!(p.kind(), "formal_parameter" | "identifier" | "spread_parameter"))
        .position(|p| {
            let n = if p.kind() == "identifier" { Some(p) } else { p.child_by_field_name("name") };
            n.and_then(|n| text_of(n, src)) == Some(name)
        })
}

struct Tracer<'a, 'f> {
    src: &'f str,
    found: &'f Discovery<'a>,
}

impl<'a> Tracer<'a, '_> {
    fn sql_index(&self, expr: Node<'a>) -> Option<usize> {
        let s = self.found.sql_of(expr, self.src)?;
        self.found.sql.iter().position(|x| x.expr.id() == s.expr.id())
    }

    /// The SQL a `PreparedStatement` (a variable, or the `prepareStatement` call itself) was
    /// prepared with.
    fn statement(&self, expr: Node<'a>) -> Option<usize> {
        let value = match expr.kind() {
            "identifier" => {
                let Decl::Local(d) = find_decl(expr, self.src)? else { return None };
                d.child_by_field_name("value")?
            }
            "method_invocation" => expr,
            _ => return None,
        };
        let (name, _) = call_parts(value, self.src)?;
        if !matches!(name, "prepareStatement" | "prepareCall") {
            return None;
        }
        self.sql_index(*arguments(value).first()?)
    }

    /// The SQL whose rows a `ResultSet` variable reads.
    fn result_set(&self, ident: Node<'a>) -> Option<usize> {
        if ident.kind() != "identifier" {
            return None;
        }
        match find_decl(ident, self.src)? {
            Decl::Local(d) => {
                let value = d.child_by_field_name("value")?;
                let (name, object) = call_parts(value, self.src)?;
                if name != "executeQuery" {
                    return None;
                }
                match arguments(value).first() {
                    Some(arg) => self.sql_index(*arg),
                    None => self.statement(object?),
                }
            }
            Decl::Param(body, 0) => self.callback(body),
            Decl::Param(..) => None,
        }
    }

    /// The SQL of the Spring call a row callback (lambda or anonymous `RowMapper`) is given to.
    fn callback(&self, body: Node<'a>) -> Option<usize> {
        let holder = if body.kind() == "method_declaration" {
            // mapRow / extractData / processRow of an anonymous class.
            let class_body = body.parent().filter(|p| p.kind() == "class_body")?;
            class_body.parent().filter(|p| p.kind() == "object_creation_expression")?
        } else {
            body
        };
        let call = holder.parent().filter(|p| p.kind() == "argument_list")?.parent()?;
        let (name, object) = call_parts(call, self.src)?;
        if !ROW_CALLS.contains(&name) {
            return None;
        }
        let args = arguments(call);
        if args.first().map(|a| a.id()) != Some(holder.id()) {
            return self.sql_index(*args.first()?);
        }
        // JdbcClient: client.sql("...").param(...).query(mapper)
        let mut cur = object;
        while let Some(o) = cur {
            let (n, next) = call_parts(o, self.src)?;
            if n == "sql" {
                return self.sql_index(*arguments(o).first()?);
            }
            cur = next;
        }
        None
    }
}

/// Is this identifier a watched name declared as a local variable or parameter (its
/// declaration, or a use that resolves to one)?
fn is_local(ident: Node<'_>, src: &str, ctx: &RuleContext<'_>) -> bool {
    let Some(name) = text_of(ident, src) else { return false };
    if !ctx.names.is_watched(name) {
        return false;
    }
    let Some(parent) = ident.parent() else { return false };
    let is = |field: &str| parent.child_by_field_name(field).map(|n| n.id()) == Some(ident.id());
    match parent.kind() {
        // `x.age` is a field of some object; `age(...)` a method.
        "field_access" if is("field") => false,
        "method_invocation" if is("name") => false,
        "variable_declarator" => parent.parent().is_some_and(|p| p.kind() == "local_variable_declaration"),
        "formal_parameter" => is("name") && ancestor(parent, &BODY_KINDS).is_some(),
        "inferred_parameters" => true,
        "lambda_expression" => is("parameters"),
        _ => find_decl(ident, src).is_some(),
    }
}

fn is_result_method(name: &str) -> bool {
    (name.starts_with("get") || name.starts_with("update")) && name.len() > 3 || name == "findColumn"
}

/// The accessor suffix of a typed numeric getter/setter/updater (`getInt` → `Int`).
fn numeric_suffix(name: &str) -> Option<&str> {
    let s = name
        .strip_prefix("get")
        .or_else(|| name.strip_prefix("set"))
        .or_else(|| name.strip_prefix("update"))?;
    types::java_types(s).map(|_| s)
}

/// The content span of a plain string literal with no escapes.
fn plain_literal(node: Node<'_>, src: &str) -> Option<((usize, usize), String)> {
    if node.kind() != "string_literal" {
        return None;
    }
    let t = text_of(node, src)?;
    let inner = t.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains('\\') || inner.starts_with('"') {
        return None;
    }
    Some(((node.start_byte() + 1, node.end_byte() - 1), inner.to_string()))
}

pub(crate) fn run(sql: &JavaSql<'_, '_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
    let (file, found) = (sql.file, &sql.found);
    let src = file.text;
    let tracer = Tracer { src, found };
    let mut analysed: HashMap<usize, query::Analysed> = HashMap::new();
    for call in descendants(file.tree().root_node()) {
        if call.kind() == "identifier" && is_local(call, src, ctx) {
            // A Java local or parameter named like a column is a Java name, not a reference.
            out.seen.push(span(call));
            continue;
        }
        let Some((name, Some(object))) = call_parts(call, src) else { continue };
        let args = arguments(call);
        let Some(first) = args.first().copied() else { continue };
        if is_result_method(name) {
            let Some((lit_span, column)) = plain_literal(first, src) else { continue };
            if !ctx.names.is_watched(&column) {
                continue;
            }
            let Some(idx) = tracer.result_set(object) else { continue };
            let an = analysed.entry(idx).or_insert_with(|| sql.query(idx, ctx));
            out.seen.push(lit_span);
            out.seen.push(span(call));
            for (ci, change) in ctx.changes.iter() {
                let output = an.output(&column, change, ctx);
                let doubt = sql.doubts(idx, ci);
                result_access(call, name, lit_span, &column, ci, change, output, doubt, ctx, src, out);
            }
        } else if matches!(name, "queryForObject" | "queryForList")
            && args.iter().any(|a| a.kind() == "class_literal")
        {
            // The result's Java type is named here: a retyped column may no longer fit it.
            let Some(idx) = tracer.sql_index(first) else { continue };
            let an = analysed.entry(idx).or_insert_with(|| sql.query(idx, ctx));
            for (ci, change) in ctx.changes.iter() {
                let Change::ChangeType { column, .. } = change else { continue };
                if matches!(an.output(&column.value, change, ctx), Output::Bare(_) | Output::Aliased(_)) {
                    let class = args.iter().find(|a| a.kind() == "class_literal").map(|a| span(*a));
                    out.finding(
                        class.unwrap_or(span(call)),
                        ids::RESULTSET_COLUMN,
                        Some(ci),
                        Severity::Review,
                        format!("{change}: the query's result is read as this class; change it and what receives it by hand"),
                    );
                }
            }
        } else if name.starts_with("set") && first.kind() == "decimal_integer_literal" {
            let Some(suffix) = numeric_suffix(name) else { continue };
            let Ok(index) = text_of(first, src).unwrap_or("").parse::<usize>() else { continue };
            let Some(idx) = tracer.statement(object) else { continue };
            let region = &found.sql[idx].region;
            let an = analysed.entry(idx).or_insert_with(|| sql.query(idx, ctx));
            for (ci, change) in ctx.changes.iter() {
                let Change::ChangeType { to, .. } = change else { continue };
                let name_node = call.child_by_field_name("name");
                let Some(name_span) = name_node.map(span) else { continue };
                match an.param(index, &region.holes, change, ctx) {
                    Param::Changed(conf) => {
                        out.seen.push(span(call));
                        match types::accessor(to) {
                            Some(new) if new == suffix => {}
                            Some(new) if types::widens(suffix, new) => {
                                out.edit(name_span, format!("set{new}"), ids::STATEMENT_PARAMETER, ci, conf)
                            }
                            _ => out.finding(
                                name_span,
                                ids::STATEMENT_PARAMETER,
                                Some(ci),
                                Severity::Review,
                                format!("parameter {index} binds {change}; `{name}` may not fit the new type: choose the setter by hand"),
                            ),
                        }
                    }
                    Param::Unknown(why) => out.finding(
                        name_span,
                        ids::STATEMENT_PARAMETER,
                        Some(ci),
                        Severity::Review,
                        format!("cannot tell whether parameter {index} binds the column of {change} ({why}); check `{name}`"),
                    ),
                    Param::Other => {}
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn result_access(
    call: Node<'_>,
    method: &str,
    lit_span: (usize, usize),
    column: &str,
    ci: usize,
    change: &Change,
    output: Output,
    doubt: bool,
    ctx: &RuleContext<'_>,
    src: &str,
    out: &mut RuleOutput,
) {
    let mut finding = |span: (usize, usize), msg: String| {
        out.finding(span, ids::RESULTSET_COLUMN, Some(ci), Severity::Review, msg)
    };
    match (change, output) {
        (_, Output::Other) | (Change::RenameTable { .. }, _) => {}
        (_, Output::Unknown(why)) => {
            finding(lit_span, format!("reads `{column}` from a query ripple cannot resolve for {change} ({why}); check it by hand"))
        }
        (Change::DropColumn { table, column: c }, _) => {
            finding(lit_span, format!("`{c}` is dropped from {table} but its query's result is still read here"))
        }
        (Change::RenameColumn { to, table, .. }, Output::Star) => finding(
            lit_span,
            format!("reads `{column}` through `*` over {table}, whose column is renamed to `{to}`: this read breaks; not rewritten"),
        ),
        (Change::RenameColumn { .. }, Output::Aliased(_)) => {}
        (Change::RenameColumn { to, .. }, Output::Bare(conf)) => {
            if ctx.options.output_names == OutputNames::Preserve {
                return;
            }
            if doubt {
                finding(lit_span, format!("the query's output `{column}` becomes `{}`, but its SQL was not fully rewritten; not rewritten", to.value));
            } else if to.value.contains(['"', '\\']) {
                finding(lit_span, format!("the new name {} would need escaping here; not rewritten", to.value));
            } else {
                out.edit(lit_span, to.value.clone(), ids::RESULTSET_COLUMN, ci, conf);
            }
        }
        (Change::ChangeType { from, to, .. }, Output::Bare(conf) | Output::Aliased(conf)) => {
            type_change(call, method, ci, change, from.as_deref(), to, conf, src, out)
        }
        (Change::ChangeType { from, to, .. }, Output::Star) => {
            type_change(call, method, ci, change, from.as_deref(), to, Confidence::Likely, src, out)
        }
    }
}

/// `getInt` → `getLong` and the receiving local's type, when nothing else depends on the
/// old type; otherwise a finding that says what does.
#[allow(clippy::too_many_arguments)]
fn type_change(
    call: Node<'_>,
    method: &str,
    ci: usize,
    change: &Change,
    from: Option<&str>,
    to: &str,
    conf: Confidence,
    src: &str,
    out: &mut RuleOutput,
) {
    let Some(old) = numeric_suffix(method) else { return };
    let Some(name_span) = call.child_by_field_name("name").map(span) else { return };
    let prefix = &method[..method.len() - old.len()];
    let mut finding =
        |msg: String| out.finding(name_span, ids::RESULTSET_COLUMN, Some(ci), Severity::Review, msg);
    let Some(new) = types::accessor(to) else {
        return finding(format!("{change}: `{method}` may no longer fit; choose the accessor by hand"));
    };
    if new == old {
        return;
    }
    if from.is_some_and(|f| types::accessor(f) != Some(old)) {
        return finding(format!("{change}, but this reads it with `{method}`; check it by hand"));
    }
    if !types::widens(old, new) {
        return finding(format!("{change}: `{method}` becomes `{prefix}{new}`, which does not convert implicitly; change it by hand"));
    }
    let new_method = format!("{prefix}{new}");
    if prefix == "update" {
        // The value written widens implicitly.
        out.edit(name_span, new_method, ids::RESULTSET_COLUMN, ci, conf);
        return;
    }
    // What receives the value decides whether the Java type can follow.
    let parent = call.parent();
    let declarator = parent.filter(|p| {
        p.kind() == "variable_declarator" && p.child_by_field_name("value").map(|v| v.id()) == Some(call.id())
    });
    let Some(d) = declarator.filter(|d| d.parent().is_some_and(|p| p.kind() == "local_variable_declaration"))
    else {
        let how = match parent.map(|p| p.kind()) {
            Some("argument_list") => "is passed to a method",
            Some("return_statement") => "is returned",
            Some("assignment_expression") => "is assigned to an existing variable or field",
            Some("binary_expression") => "is used in an expression",
            _ => "is used in place",
        };
        return finding(format!("{change}: the value read by `{method}` {how}, whose type ripple does not change; change it by hand"));
    };
    let Some(ty) = declared_type(d) else { return };
    let ty_text = text_of(ty, src).unwrap_or("");
    let var = d.child_by_field_name("name").and_then(|n| text_of(n, src)).unwrap_or("");
    let new_type = match (ty_text, types::java_types(new), types::suffix_of_java(ty_text)) {
        ("var", _, _) => None,
        (_, Some((prim, boxed)), Some(s)) if s == old => {
            Some(if ty_text.chars().next().is_some_and(char::is_lowercase) { prim } else { boxed })
        }
        // Already wide enough (`long x = rs.getInt(...)`).
        (_, _, Some(s)) if s == new || types::widens(new, s) => None,
        _ => {
            return finding(format!("{change}: `{var}` is declared `{ty_text}`; change it by hand"));
        }
    };
    if let Some(problem) = unsafe_use(d, var, src) {
        return finding(format!("{change}: `{method}` would become `{new_method}`, but `{var}` {problem}, so its type `{ty_text}` must stay; change it by hand"));
    }
    out.edit(name_span, new_method, ids::RESULTSET_COLUMN, ci, conf);
    if let Some(t) = new_type {
        out.edit(span(ty), t, ids::RESULTSET_COLUMN, ci, conf);
    }
}

/// Why a local variable's type cannot simply widen: a use that passes it on or computes
/// with it. Comparisons and string concatenation are safe.
fn unsafe_use(declarator: Node<'_>, var: &str, src: &str) -> Option<String> {
    let body = ancestor(declarator, &BODY_KINDS)?;
    let after = declarator.end_byte();
    for n in descendants(body) {
        if n.kind() != "identifier" || n.start_byte() < after || text_of(n, src) != Some(var) {
            continue;
        }
        let Some(p) = n.parent() else { continue };
        let ok = match p.kind() {
            "binary_expression" => {
                let op = p.child_by_field_name("operator").and_then(|o| text_of(o, src)).unwrap_or("");
                let other = [p.child_by_field_name("left"), p.child_by_field_name("right")]
                    .into_iter()
                    .flatten()
                    .find(|x| x.id() != n.id());
                matches!(op, "<" | ">" | "<=" | ">=" | "==" | "!=")
                    || op == "+" && other.is_some_and(|o| crate::region::is_string_expr(o, src))
            }
            // `obj.var` names a field, not the local.
            "field_access" => p.child_by_field_name("field").map(|f| f.id()) == Some(n.id()),
            _ => false,
        };
        if !ok {
            let what = match p.kind() {
                "argument_list" => "is passed to a method".to_string(),
                "return_statement" => "is returned".to_string(),
                "assignment_expression" => "is assigned".to_string(),
                "binary_expression" | "update_expression" | "unary_expression" => {
                    "is used in arithmetic that could overflow the old type".to_string()
                }
                k => format!("is used in a {}", k.replace('_', " ")),
            };
            return Some(what);
        }
    }
    None
}
