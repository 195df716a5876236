//! The predicates of a rule file (`where:` lists): each field checked against the rule's
//! query and language, with located errors.

use super::{capture_index, compile, parse_template, Ctx, Scope};
use crate::rule::*;
use crate::yaml::{Node, Value};
use ripple_core::Lang;

const PREDICATE_FIELDS: [&str; 12] = [
    "capture",
    "names",
    "case",
    "inside_call",
    "under_annotation",
    "enclosing",
    "binds_table",
    "equals",
    "differs_from",
    "unhandled",
    "normalize",
    "bound_to_table",
];
const TESTS: [&str; 8] = [
    "names",
    "inside_call",
    "under_annotation",
    "enclosing",
    "equals",
    "differs_from",
    "bound_to_table",
    "unhandled",
];

pub(super) fn parse_predicates(ctx: &mut Ctx, scope: &Scope, list: &Node, what: &str) -> Vec<Predicate> {
    match &list.value {
        Value::Seq(items) => items.iter().filter_map(|item| parse_predicate(ctx, scope, item)).collect(),
        Value::Null => Vec::new(),
        _ => {
            ctx.at(list, format!("`{what}` must be a list of predicates, found {}", list.describe()));
            Vec::new()
        }
    }
}

fn parse_predicate(ctx: &mut Ctx, scope: &Scope, node: &Node) -> Option<Predicate> {
    let (lang, query) = (scope.lang, scope.query);
    let fields = ctx.map(node, "a predicate")?;
    let get = |name: &str| fields.iter().find(|(n, _, _)| *n == name).map(|(_, _, v)| *v);
    let (capture_node, names, case) = (get("capture"), get("names"), get("case"));
    let (call, annotation, enclosing, binds) =
        (get("inside_call"), get("under_annotation"), get("enclosing"), get("binds_table"));
    let (equals, differs) = (get("equals"), get("differs_from"));
    let unhandled = get("unhandled");
    let bound_to = get("bound_to_table");
    for (name, key, _) in &fields {
        if !PREDICATE_FIELDS.contains(name) {
            ctx.unknown_field(key, name, "a predicate", &PREDICATE_FIELDS);
        }
    }
    let tests = fields.iter().filter(|(n, _, _)| TESTS.contains(n)).count();
    if tests != 1 {
        ctx.at(
            node,
            format!("a predicate has exactly one of {}", TESTS.map(|t| format!("`{t}`")).join(", ")),
        );
        return None;
    }
    let Some(capture_node) = capture_node else {
        ctx.at(node, "missing `capture`: the capture this predicate is about");
        return None;
    };
    let capture_name = ctx.string(capture_node, "capture")?;
    let capture = capture_index(ctx, query, capture_node, capture_name);
    let exact = ctx.case(case);
    let test = if let Some(n) = names {
        let what = match n.as_str() {
            Some("table") => Named::Table,
            Some("column") => Named::Column,
            _ => {
                ctx.at(n, "`names` is `table` or `column`");
                return None;
            }
        };
        let normalize = match get("normalize").map(|n| (n, n.as_str())) {
            None => Normalize::AsWritten,
            Some((_, Some("snake_case"))) if what == Named::Column => Normalize::SnakeCase,
            Some((_, Some("foreign_key"))) if what == Named::Column => Normalize::ForeignKey,
            Some((n, _)) => {
                ctx.at(n, "`normalize` is `snake_case` or `foreign_key`, with `names: column`");
                Normalize::AsWritten
            }
        };
        Test::Names { what, exact, normalize }
    } else if let Some(n) = call {
        Test::InsideCall(ctx.names(n, "inside_call")?)
    } else if let Some(n) = annotation {
        Test::UnderAnnotation(ctx.names(n, "under_annotation")?)
    } else if let Some(n) = unhandled {
        if !matches!(n.value, Value::Bool(true)) {
            ctx.at(n, "`unhandled` is `true`");
            return None;
        }
        Test::Unhandled
    } else if let Some(n) = equals {
        Test::Equals(parse_template(ctx, query, scope.types, scope.kind, n, "equals")?)
    } else if let Some(n) = differs {
        Test::DiffersFrom(parse_template(ctx, query, scope.types, scope.kind, n, "differs_from")?)
    } else if let Some(n) = bound_to {
        Test::BoundTo(parse_bound_to(ctx, lang, n)?)
    } else {
        let enclosing = enclosing?;
        let kinds = ctx.names(enclosing, "enclosing")?;
        if let Some((lang, grammar)) = lang.and_then(|l| Some((l, l.grammar()?))) {
            for k in &kinds {
                if grammar.id_for_node_kind(k, true) == 0 {
                    ctx.at(enclosing, format!("unknown node kind `{k}` in the {} grammar", lang.name()));
                }
            }
        }
        let Some(binds) = binds else {
            ctx.at(node, "`enclosing` needs `binds_table`: a query, or `mentions`");
            return None;
        };
        Test::Enclosing { kinds, binds: parse_binds(ctx, lang, binds)? }
    };
    if binds.is_some() && !matches!(test, Test::Enclosing { .. }) {
        ctx.at(node, "`binds_table` goes with `enclosing`");
    }
    Some(Predicate { capture: capture?, test })
}

const BOUND_TO_FIELDS: [&str; 6] = ["query", "capture", "case", "from", "match", "stops_at"];

fn parse_bound_to(ctx: &mut Ctx, lang: Option<Lang>, node: &Node) -> Option<BoundTo> {
    let fields = ctx.map(node, "`bound_to_table` (a `query` with a `capture`)")?;
    let get = |name: &str| fields.iter().find(|(n, _, _)| *n == name).map(|(_, _, v)| *v);
    for (name, key, _) in &fields {
        if !BOUND_TO_FIELDS.contains(name) {
            ctx.unknown_field(key, name, "`bound_to_table`", &BOUND_TO_FIELDS);
        }
    }
    let (Some(qn), Some(cn)) = (get("query"), get("capture")) else {
        ctx.at(node, "`bound_to_table` needs `query` and `capture`");
        return None;
    };
    let from_call = match get("from").map(|n| (n, n.as_str())) {
        None | Some((_, Some("capture"))) => false,
        Some((_, Some("call"))) => true,
        Some((n, _)) => {
            ctx.at(n, "`from` is `capture` (the capture is the expression) or `call` (the receivers of the calls around it)");
            false
        }
    };
    let mentions = match get("match").map(|n| (n, n.as_str())) {
        None | Some((_, Some("name"))) => false,
        Some((_, Some("mentions"))) => true,
        Some((n, _)) => {
            ctx.at(
                n,
                "`match` is `name` (the capture names the table) or `mentions` (SQL text that mentions it)",
            );
            false
        }
    };
    let stops_at = match get("stops_at") {
        Some(n) => ctx.names(n, "stops_at")?,
        None => Vec::new(),
    };
    let text = ctx.string(qn, "query")?.to_string();
    let exact = ctx.case(get("case"));
    let query = compile(ctx, lang?, qn, &text);
    let name = ctx.string(cn, "capture")?;
    let capture = capture_index(ctx, query.as_ref(), cn, name)?;
    Some(BoundTo { query: query?, capture, exact, from_call, mentions, stops_at })
}

fn parse_binds(ctx: &mut Ctx, lang: Option<Lang>, node: &Node) -> Option<Binds> {
    if node.as_str() == Some("mentions") {
        return Some(Binds::Mentions);
    }
    let fields = ctx.map(node, "`binds_table` (`mentions`, or a `query` with a `capture`)")?;
    let get = |name: &str| fields.iter().find(|(n, _, _)| *n == name).map(|(_, _, v)| *v);
    const FIELDS: [&str; 6] = ["query", "capture", "table_from_class", "naming", "case", "nested"];
    for (name, key, _) in &fields {
        if !FIELDS.contains(name) {
            ctx.unknown_field(key, name, "`binds_table`", &FIELDS);
        }
    }
    let (Some(qn), Some(cn)) = (get("query"), get("capture")) else {
        ctx.at(node, "`binds_table` needs `query` and `capture`");
        return None;
    };
    let text = ctx.string(qn, "query")?.to_string();
    let exact = ctx.case(get("case"));
    let query = compile(ctx, lang?, qn, &text);
    let name = ctx.string(cn, "capture")?;
    let capture = capture_index(ctx, query.as_ref(), cn, name)?;
    let class_capture = match get("table_from_class") {
        Some(n) => {
            let name = ctx.string(n, "table_from_class")?;
            Some(capture_index(ctx, query.as_ref(), n, name)?)
        }
        None => None,
    };
    let nested = match get("nested").map(|n| (n, &n.value)) {
        None | Some((_, Value::Bool(false))) => false,
        Some((_, Value::Bool(true))) => true,
        Some((n, _)) => {
            ctx.at(n, "`nested` is `true` or `false`");
            false
        }
    };
    let by_app = match get("naming").map(|n| (n, n.as_str())) {
        None | Some((_, Some("class"))) => false,
        Some((_, Some("app"))) => true,
        Some((n, _)) => {
            ctx.at(
                n,
                "`naming` is `class` (the class name alone) or `app` (the app label and the class name)",
            );
            false
        }
    };
    Some(Binds::Query { query: query?, capture, class_capture, by_app, exact, nested })
}
