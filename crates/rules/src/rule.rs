//! A declarative rule: a rule file compiled into a tree-sitter query, predicates that tie
//! captures to the change set, and per change kind a rewrite or a finding. It implements
//! the same `Rule` trait as the built-in rules, so the engine cannot tell them apart.

use crate::syntax::{self, annotation_name, callee, capture_text, name_matches, nearest_ancestor};
use crate::template::{Template, Var};
use crate::types::TypeMaps;
use crate::yaml::{self, Node, Value};
use ripple_core::syntax::{flask_table_name, snake_case};
use ripple_core::{
    Change, Confidence, InputError, Lang, OutputNames, Rule, RuleContext, RuleOutput, Severity, SourceFile,
    TableMatch, TableName,
};
use ripple_python::flow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tree_sitter::{Query, QueryCursor, StreamingIterator};

pub const KINDS: [&str; 4] = ["rename_column", "change_type", "drop_column", "rename_table"];
const FIELDS: [&str; 7] = ["id", "language", "description", "confidence", "query", "where", "on"];
const BUILTIN_FILTERS: [&str; 2] = ["lower", "upper"];

/// What a `names:` predicate compares a capture with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    Table,
    Column,
}

enum Test {
    /// The capture's text names the changed table or column.
    Names { what: Named, exact: bool, snake: bool },
    /// The nearest call around the capture is to one of these methods.
    InsideCall(Vec<String>),
    /// The nearest annotation (decorator) around the capture is one of these.
    UnderAnnotation(Vec<String>),
    /// The nearest enclosing node of one of `kinds` binds the changed table.
    Enclosing { kinds: Vec<String>, binds: Binds },
    /// The capture's text equals the rendered template; false when it cannot render.
    Equals(Template),
    /// No rule that ran before this one edited, reported or judged a span covering the
    /// capture: a heuristic rule that defers to a precise one.
    Unhandled,
    /// The expression (or the receivers of the calls around the capture) reads rows of
    /// the changed table, followed through receiver chains and single assignments.
    BoundTo(BoundTo),
}

struct BoundTo {
    query: Query,
    capture: u32,
    exact: bool,
    /// Look at the receivers of the calls around the capture, not the capture itself.
    from_call: bool,
    /// The source capture is SQL text that mentions the table (a heuristic: `likely`).
    mentions: bool,
    stops_at: Vec<String>,
}

enum Binds {
    /// A match of `query` inside the enclosing node whose `capture` names the table, or
    /// whose `class_capture` is a class whose name gives it (Flask-SQLAlchemy's default).
    Query { query: Query, capture: u32, class_capture: Option<u32>, exact: bool, nested: bool },
    /// A string literal inside the enclosing node mentions the table's name: a heuristic,
    /// so a match through it is at most `likely`.
    Mentions,
}

/// Where a rewrite's text goes: in place of the capture, or next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Insert {
    Replace,
    Before,
    After,
}

struct Predicate {
    capture: u32,
    test: Test,
}

struct Rewrite {
    capture: u32,
    template: Template,
    /// Insert the rendered text before the capture instead of replacing it.
    insert: Insert,
}

struct FindingSpec {
    capture: u32,
    severity: Severity,
    message: Template,
}

struct Action {
    kind: &'static str,
    /// Predicates for this change kind only, after the rule's own.
    predicates: Vec<Predicate>,
    output_names: Option<OutputNames>,
    rewrite: Option<Rewrite>,
    finding: Option<FindingSpec>,
}

/// Where a rule file came from: embedded in the binary, or a file on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleOrigin {
    /// Path relative to the `rules/` tree.
    Builtin(String),
    File(PathBuf),
}

pub struct DeclarativeRule {
    pub id: String,
    pub lang: Lang,
    pub description: String,
    pub confidence: Confidence,
    pub query_text: String,
    pub origin: RuleOrigin,
    query: Query,
    predicates: Vec<Predicate>,
    actions: Vec<Action>,
    types: Arc<TypeMaps>,
}

impl DeclarativeRule {
    /// Where matches can be: when the rule requires a capture to spell a changed name, only
    /// around the mentions of watched names (so most of a file's tree is never visited);
    /// otherwise the whole file.
    fn search_ranges(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>) -> Vec<std::ops::Range<usize>> {
        let spells_a_name =
            self.predicates.iter().any(|p| matches!(p.test, Test::Names { snake: false, .. }));
        if !spells_a_name {
            return std::iter::once(0..file.text.len()).collect();
        }
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        // Each range is a walk from the root: mentions close together share one.
        const GAP: usize = 512;
        for m in file.mentions(ctx.names) {
            match ranges.last_mut() {
                Some(last) if m.start <= last.end + GAP => last.end = last.end.max(m.end),
                _ => ranges.push(m.start..m.end),
            }
        }
        ranges
    }

    /// The change kinds this rule serves, in file order.
    pub fn serves(&self) -> Vec<&'static str> {
        self.actions.iter().map(|a| a.kind).collect()
    }

    /// The rule file's path as shown to users.
    pub fn display_path(&self) -> String {
        match &self.origin {
            RuleOrigin::Builtin(rel) => format!("rules/{rel} (built-in)"),
            RuleOrigin::File(p) => p.display().to_string(),
        }
    }
}

/// Collects located errors while one rule file is read.
struct Ctx<'a> {
    path: &'a Path,
    source: &'a str,
    errors: Vec<InputError>,
}

impl Ctx<'_> {
    fn at(&mut self, node: &Node, message: impl Into<String>) {
        self.errors.push(InputError::at(self.path, node.line, node.column, message));
    }

    /// An error at a byte offset inside a string scalar.
    fn inside(&mut self, node: &Node, text: &str, offset: usize, message: impl Into<String>) {
        let before = text.get(..offset.min(text.len())).unwrap_or(text);
        let row = before.matches('\n').count();
        let column = before.rsplit('\n').next().unwrap_or_default().chars().count();
        let (line, column) = yaml::locate_in(self.source, node, row, column);
        self.errors.push(InputError::at(self.path, line, column, message));
    }

    fn unknown_field(&mut self, key: &Node, name: &str, within: &str, known: &[&str]) {
        let hint = yaml::closest(name, known).map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default();
        self.at(key, format!("unknown field `{name}` in {within}{hint}; known fields: {}", known.join(", ")));
    }

    fn string<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n str> {
        match node.as_str() {
            Some(s) => Some(s),
            None => {
                self.at(node, format!("`{what}` must be a string, found {}", node.describe()));
                None
            }
        }
    }

    fn map<'n>(&mut self, node: &'n Node, what: &str) -> Option<Vec<(&'n str, &'n Node, &'n Node)>> {
        let Value::Map(pairs) = &node.value else {
            self.at(node, format!("{what} must be a mapping, found {}", node.describe()));
            return None;
        };
        let mut out = Vec::new();
        for (k, v) in pairs {
            match k.as_str() {
                Some(name) => out.push((name, k, v)),
                None => self.at(k, format!("field names must be strings, found {}", k.describe())),
            }
        }
        Some(out)
    }

    fn names(&mut self, node: &Node, what: &str) -> Option<Vec<String>> {
        match &node.value {
            Value::Str(s) => Some(vec![s.clone()]),
            Value::Seq(items) if !items.is_empty() => {
                let mut out = Vec::new();
                for item in items {
                    out.push(self.string(item, what)?.to_string());
                }
                Some(out)
            }
            _ => {
                self.at(
                    node,
                    format!(
                        "`{what}` must be a name or a non-empty list of names, found {}",
                        node.describe()
                    ),
                );
                None
            }
        }
    }

    fn case(&mut self, node: Option<&Node>) -> bool {
        match node.map(|n| (n, n.as_str())) {
            None | Some((_, Some("insensitive"))) => false,
            Some((_, Some("exact"))) => true,
            Some((n, _)) => {
                self.at(n, "`case` is `insensitive` or `exact`");
                false
            }
        }
    }
}

/// A compiled query, or its error located in the rule file.
fn compile(ctx: &mut Ctx, lang: Lang, node: &Node, text: &str) -> Option<Query> {
    let Some(grammar) = lang.grammar() else {
        ctx.at(node, format!("{} has no tree-sitter grammar to query", lang.name()));
        return None;
    };
    match Query::new(&grammar, text) {
        Ok(q) => {
            for i in 0..q.pattern_count() {
                if let Some(p) = q.general_predicates(i).first() {
                    let op = format!("#{}", p.operator);
                    let from = q.start_byte_for_pattern(i);
                    let at = text.get(from..).and_then(|t| t.find(&op)).map_or(from, |o| from + o);
                    ctx.inside(
                        node,
                        text,
                        at,
                        format!("unknown query predicate `{op}`; tree-sitter's #eq?, #not-eq?, #match?, #not-match?, #any-of? work here, ripple's own tests go under `where`"),
                    );
                    return None;
                }
            }
            Some(q)
        }
        Err(e) => {
            let line_start: usize = text.split_inclusive('\n').take(e.row).map(str::len).sum();
            let offset = if e.offset >= line_start { e.offset } else { line_start + e.column };
            let message = e.message.lines().next().unwrap_or_default().trim().trim_matches('"').to_string();
            let what = match e.kind {
                tree_sitter::QueryErrorKind::NodeType => {
                    format!("invalid query: unknown node type `{message}`")
                }
                tree_sitter::QueryErrorKind::Field => format!("invalid query: unknown field `{message}`"),
                tree_sitter::QueryErrorKind::Capture => format!("invalid query: unknown capture `{message}`"),
                tree_sitter::QueryErrorKind::Structure => {
                    "invalid query: impossible pattern structure".into()
                }
                _ if message.is_empty() => "invalid query: syntax error".into(),
                _ => format!("invalid query: {message}"),
            };
            ctx.inside(node, text, offset.min(text.len()), format!("{what} ({} grammar)", lang.name()));
            None
        }
    }
}

fn capture_index(ctx: &mut Ctx, query: Option<&Query>, node: &Node, name: &str) -> Option<u32> {
    let query = query?;
    let name = name.strip_prefix('@').unwrap_or(name);
    match query.capture_index_for_name(name) {
        Some(i) => Some(i),
        None => {
            let known: Vec<String> = query.capture_names().iter().map(|c| format!("@{c}")).collect();
            let hint = yaml::closest(name, query.capture_names()).map(|h| format!(" (did you mean `@{h}`?)"));
            ctx.at(
                node,
                format!(
                    "unknown capture `@{name}`{}; the query captures {}",
                    hint.unwrap_or_default(),
                    if known.is_empty() { "nothing".into() } else { known.join(", ") }
                ),
            );
            None
        }
    }
}

/// Parses a rule file. `types` supplies the filters templates may use.
pub fn parse_rule(
    path: &Path,
    text: &str,
    origin: RuleOrigin,
    types: &Arc<TypeMaps>,
) -> Result<DeclarativeRule, Vec<InputError>> {
    let root = match yaml::parse(path, text) {
        Ok(Some(root)) => root,
        Ok(None) => return Err(vec![InputError::at(path, 1, 1, "the rule file is empty")]),
        Err(e) => return Err(vec![e]),
    };
    let mut ctx = Ctx { path, source: text, errors: Vec::new() };
    let Some(fields) = ctx.map(&root, "a rule file") else { return Err(ctx.errors) };

    let get = |name: &str| fields.iter().find(|(n, _, _)| *n == name).map(|(_, _, v)| *v);
    let (id_node, lang_node, query_node) = (get("id"), get("language"), get("query"));
    let (desc_node, conf_node, where_node, on_node) =
        (get("description"), get("confidence"), get("where"), get("on"));
    for (name, key, _) in &fields {
        if !FIELDS.contains(name) {
            ctx.unknown_field(key, name, "a rule", &FIELDS);
        }
    }
    for (name, node) in [("id", id_node), ("language", lang_node), ("query", query_node), ("on", on_node)] {
        if node.is_none() {
            ctx.at(&root, format!("missing `{name}`"));
        }
    }
    let lang = lang_node.and_then(|n| {
        let s = ctx.string(n, "language")?;
        match Lang::from_name(s) {
            Some(Lang::Sql) | None => {
                ctx.at(n, format!("unknown language `{s}`: rules are for `python` or `java`"));
                None
            }
            some => some,
        }
    });
    let id = id_node.and_then(|n| {
        let s = ctx.string(n, "id")?.to_string();
        let valid = s.split_once('/').is_some_and(|(l, name)| {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                && lang.is_none_or(|lang| l == lang.name())
        });
        if !valid {
            let lang = lang.map_or("<language>", Lang::name);
            ctx.at(n, format!("`id` must be `{lang}/<name>` (letters, digits, `-`, `_`), found `{s}`"));
        }
        Some(s)
    });
    let description =
        desc_node.and_then(|n| ctx.string(n, "description")).unwrap_or_default().trim().to_string();
    let confidence = match conf_node.map(|n| (n, n.as_str())) {
        None | Some((_, Some("certain"))) => Confidence::Certain,
        Some((_, Some("likely"))) => Confidence::Likely,
        Some((n, _)) => {
            ctx.at(n, "`confidence` is `certain` or `likely`");
            Confidence::Likely
        }
    };
    let query_text = query_node.and_then(|n| ctx.string(n, "query")).unwrap_or_default().to_string();
    let query = match (lang, query_node) {
        (Some(lang), Some(node)) if !query_text.is_empty() => compile(&mut ctx, lang, node, &query_text),
        _ => None,
    };

    let scope = Scope { lang, query: query.as_ref(), types, kind: "any" };
    let predicates =
        where_node.map(|list| parse_predicates(&mut ctx, &scope, list, "where")).unwrap_or_default();

    let mut actions = Vec::new();
    if let Some(on) = on_node {
        if let Some(entries) = ctx.map(on, "`on`") {
            if entries.is_empty() {
                ctx.at(on, "`on` needs at least one change kind");
            }
            for (kind, key, body) in entries {
                let Some(kind) = KINDS.iter().find(|k| **k == kind) else {
                    ctx.unknown_field(key, kind, "`on` (a change kind)", &KINDS);
                    continue;
                };
                let scope = Scope { kind, ..Scope { lang, query: query.as_ref(), types, kind: "any" } };
                if let Some(a) = parse_action(&mut ctx, &scope, kind, body) {
                    actions.push(a);
                }
            }
        }
    }

    match (id, lang, query) {
        (Some(id), Some(lang), Some(query)) if ctx.errors.is_empty() => Ok(DeclarativeRule {
            id,
            lang,
            description,
            confidence,
            query_text,
            origin,
            query,
            predicates,
            actions,
            types: Arc::clone(types),
        }),
        _ => {
            ctx.errors.sort_by_key(|e| (e.line, e.column));
            Err(ctx.errors)
        }
    }
}

const PREDICATE_FIELDS: [&str; 11] = [
    "capture",
    "names",
    "case",
    "inside_call",
    "under_annotation",
    "enclosing",
    "binds_table",
    "equals",
    "unhandled",
    "normalize",
    "bound_to_table",
];
const TESTS: [&str; 7] =
    ["names", "inside_call", "under_annotation", "enclosing", "equals", "bound_to_table", "unhandled"];

/// Where a predicate is written: the rule's `where` (every kind) or `on.<kind>.where`.
struct Scope<'a> {
    lang: Option<Lang>,
    query: Option<&'a Query>,
    types: &'a TypeMaps,
    /// `any` for the rule's own `where`.
    kind: &'a str,
}

fn parse_predicates(ctx: &mut Ctx, scope: &Scope, list: &Node, what: &str) -> Vec<Predicate> {
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
    let equals = get("equals");
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
        let snake = match get("normalize").map(|n| (n, n.as_str())) {
            None => false,
            Some((_, Some("snake_case"))) if what == Named::Column => true,
            Some((n, _)) => {
                ctx.at(n, "`normalize` is `snake_case`, with `names: column`");
                false
            }
        };
        Test::Names { what, exact, snake }
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
    const FIELDS: [&str; 5] = ["query", "capture", "table_from_class", "case", "nested"];
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
    Some(Binds::Query { query: query?, capture, class_capture, exact, nested })
}

fn parse_template(
    ctx: &mut Ctx,
    query: Option<&Query>,
    types: &TypeMaps,
    kind: &str,
    node: &Node,
    what: &str,
) -> Option<Template> {
    let text = ctx.string(node, what)?;
    let template = match Template::parse(text) {
        Ok(t) => t,
        Err((offset, message)) => {
            ctx.inside(node, text, offset, message);
            return None;
        }
    };
    let mut ok = true;
    for hole in template.holes() {
        if !hole.var.defined_for(kind) {
            let message = if kind == "any" {
                format!(
                    "`{}` has no value for every change kind; move this under `on.<kind>`",
                    hole.var.name()
                )
            } else {
                format!("`{}` has no value for a {kind} change", hole.var.name())
            };
            ctx.inside(node, text, hole.offset, message);
            ok = false;
        }
        if let (Var::Capture(name), Some(q)) = (&hole.var, query) {
            if q.capture_index_for_name(name).is_none() {
                let known: Vec<String> = q.capture_names().iter().map(|c| format!("capture.{c}")).collect();
                ctx.inside(
                    node,
                    text,
                    hole.offset,
                    format!("unknown capture `{name}`; known: {}", known.join(", ")),
                );
                ok = false;
            }
        }
        for (filter, offset) in &hole.filters {
            if !BUILTIN_FILTERS.contains(&filter.as_str()) && !types.filters.contains_key(filter) {
                let mut known: Vec<&str> = BUILTIN_FILTERS.to_vec();
                known.extend(types.filters.keys().map(String::as_str));
                let hint = yaml::closest(filter, &known).map(|h| format!(" (did you mean `{h}`?)"));
                ctx.inside(
                    node,
                    text,
                    *offset,
                    format!(
                        "unknown filter `{filter}`{}; known: {}",
                        hint.unwrap_or_default(),
                        known.join(", ")
                    ),
                );
                ok = false;
            }
        }
    }
    ok.then_some(template)
}

const ACTION_FIELDS: [&str; 4] = ["when", "where", "rewrite", "finding"];

fn parse_action(ctx: &mut Ctx, scope: &Scope, kind: &'static str, node: &Node) -> Option<Action> {
    let (query, types) = (scope.query, scope.types);
    let fields = ctx.map(node, &format!("`on.{kind}`"))?;
    let get = |name: &str| fields.iter().find(|(n, _, _)| *n == name).map(|(_, _, v)| *v);
    for (name, key, _) in &fields {
        if !ACTION_FIELDS.contains(name) {
            ctx.unknown_field(key, name, &format!("`on.{kind}`"), &ACTION_FIELDS);
        }
    }
    let predicates = get("where").map(|l| parse_predicates(ctx, scope, l, "where")).unwrap_or_default();
    let mut action = Action { kind, predicates, output_names: None, rewrite: None, finding: None };
    if let Some(when) = get("when") {
        for (name, key, value) in ctx.map(when, "`when`")? {
            match (name, value.as_str()) {
                ("output_names", Some("preserve")) => action.output_names = Some(OutputNames::Preserve),
                ("output_names", Some("propagate")) => action.output_names = Some(OutputNames::Propagate),
                ("output_names", _) => ctx.at(value, "`output_names` is `preserve` or `propagate`"),
                (other, _) => ctx.unknown_field(key, other, "`when`", &["output_names"]),
            }
        }
    }
    if let Some(r) = get("rewrite") {
        let rf = ctx.map(r, "`rewrite`")?;
        let rget = |name: &str| rf.iter().find(|(n, _, _)| *n == name).map(|(_, _, v)| *v);
        for (name, key, _) in &rf {
            if !["capture", "template", "insert"].contains(name) {
                ctx.unknown_field(key, name, "`rewrite`", &["capture", "template", "insert"]);
            }
        }
        match (rget("capture"), rget("template")) {
            (Some(c), Some(t)) => {
                let name = ctx.string(c, "capture")?;
                let capture = capture_index(ctx, query, c, name);
                let template = parse_template(ctx, query, types, kind, t, "template");
                let insert = match rget("insert").map(|n| (n, n.as_str())) {
                    None => Insert::Replace,
                    Some((_, Some("before"))) => Insert::Before,
                    Some((_, Some("after"))) => Insert::After,
                    Some((n, _)) => {
                        ctx.at(n, "`insert` is `before` or `after` (insert the text next to the capture)");
                        Insert::Replace
                    }
                };
                if let (Some(capture), Some(template)) = (capture, template) {
                    action.rewrite = Some(Rewrite { capture, template, insert });
                }
            }
            _ => ctx.at(r, "`rewrite` needs `capture` and `template`"),
        }
    }
    if let Some(f) = get("finding") {
        let ff = ctx.map(f, "`finding`")?;
        let fget = |name: &str| ff.iter().find(|(n, _, _)| *n == name).map(|(_, _, v)| *v);
        for (name, key, _) in &ff {
            if !["capture", "severity", "message"].contains(name) {
                ctx.unknown_field(key, name, "`finding`", &["capture", "severity", "message"]);
            }
        }
        let severity = match fget("severity").map(|n| (n, n.as_str())) {
            None | Some((_, Some("review"))) => Severity::Review,
            Some((_, Some("info"))) => Severity::Info,
            Some((n, _)) => {
                ctx.at(n, "`severity` is `review` or `info`");
                Severity::Review
            }
        };
        match (fget("capture"), fget("message")) {
            (Some(c), Some(m)) => {
                let name = ctx.string(c, "capture")?;
                let capture = capture_index(ctx, query, c, name);
                let message = parse_template(ctx, query, types, kind, m, "message");
                if let (Some(capture), Some(message)) = (capture, message) {
                    action.finding = Some(FindingSpec { capture, severity, message });
                }
            }
            _ => ctx.at(f, "`finding` needs `capture` and `message`"),
        }
    }
    if get("rewrite").is_none() && get("finding").is_none() {
        ctx.at(node, format!("`on.{kind}` needs a `rewrite`, a `finding`, or both"));
    }
    Some(action)
}

/// What the predicates established about one match for one change.
struct Bound {
    confidence: Confidence,
    /// The parts of the table reference that matched (`["analytics", "users"]`).
    table_ref: Option<Vec<String>>,
    table_bound: bool,
}

fn table_parts(text: &str) -> Option<TableName> {
    let name = TableName::parse(text);
    (name.is_valid() && name.parts.iter().all(|p| p.quoted || !p.value.contains(char::is_whitespace)))
        .then_some(name)
}

/// Does a table reference written in code (`analytics.users`) name the changed table?
fn table_match(change: &Change, text: &str, exact: bool) -> Option<(TableMatch, Vec<String>)> {
    let reference = table_parts(text)?;
    let parts: Vec<(&str, bool)> = reference.parts.iter().map(|p| (p.value.as_str(), p.quoted)).collect();
    let table = change.table();
    let m = table.matches_parts(&parts);
    if m == TableMatch::No {
        return None;
    }
    if exact && table.parts.iter().rev().zip(parts.iter().rev()).any(|(a, (b, _))| a.value != *b) {
        return None;
    }
    Some((m, reference.parts.iter().map(|p| p.value.clone()).collect()))
}

/// A table name qualified by a call's `schema=` argument, unless it is qualified already.
/// An unknown schema (not a plain string) qualifies it with a name no table has.
fn qualified<'t>(table: &'t str, schema: Option<&str>) -> std::borrow::Cow<'t, str> {
    match schema {
        Some(_) if table.contains('.') => table.into(),
        Some("") => format!("\u{1}unknown.{table}").into(),
        Some(s) => format!("{s}.{table}").into(),
        None => table.into(),
    }
}

fn column_match(change: &Change, text: &str, exact: bool) -> bool {
    change.column().is_some_and(|c| if exact { c.value == text } else { c.matches(text, false) })
}

fn has_word(haystack: &str, word: &str) -> bool {
    let (h, w) = (haystack.to_ascii_lowercase(), word.to_ascii_lowercase());
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    h.match_indices(&w)
        .any(|(i, _)| !is_word(h[..i].chars().next_back()) && !is_word(h[i + w.len()..].chars().next()))
}

fn plain(name: &TableName) -> String {
    name.parts.iter().map(|p| p.value.as_str()).collect::<Vec<_>>().join(".")
}

/// The new table name, qualified as the matched reference was: `analytics.users` →
/// `analytics.customers`, `users` → `customers`. A reference that leaves out a qualifier
/// the rename changes cannot be rewritten by a guess.
fn renamed_like(from: &TableName, to: &TableName, reference: Option<&[String]>) -> Result<String, String> {
    // A shorter `to` stays in the schema of `from`.
    let mut full: Vec<String> = Vec::new();
    if to.parts.len() < from.parts.len() {
        full.extend(from.parts[..from.parts.len() - to.parts.len()].iter().map(|p| p.value.clone()));
    }
    full.extend(to.parts.iter().map(|p| p.value.clone()));
    let Some(reference) = reference else { return Ok(full.join(".")) };
    if reference.len() >= from.parts.len() {
        let mut out = reference[..reference.len() - from.parts.len()].to_vec();
        out.extend(full);
        return Ok(out.join("."));
    }
    let omitted = full.len() - reference.len();
    let from_omitted: Vec<&str> = from.parts.iter().take(omitted).map(|p| p.value.as_str()).collect();
    let same = full.len() == from.parts.len()
        && full[..omitted].iter().zip(&from_omitted).all(|(a, b)| a.eq_ignore_ascii_case(b));
    if same {
        Ok(full[omitted..].join("."))
    } else {
        Err(format!("the reference leaves out the qualifier that the rename to {} changes", full.join(".")))
    }
}

impl DeclarativeRule {
    fn evaluate(
        &self,
        action: &Action,
        caps: &[Option<tree_sitter::Node<'_>>],
        change: &Change,
        file: &SourceFile<'_>,
        earlier: &dyn Fn((usize, usize)) -> bool,
    ) -> Option<Bound> {
        let mut bound = Bound { confidence: self.confidence, table_ref: None, table_bound: false };
        for p in self.predicates.iter().chain(&action.predicates) {
            let node = (*caps.get(p.capture as usize)?)?;
            match &p.test {
                Test::Names { what: Named::Column, exact, snake } => {
                    let text = capture_text(self.lang, node, file.text);
                    let value = if *snake { snake_case(text.value) } else { text.value.to_string() };
                    if !column_match(change, &value, *exact) {
                        return None;
                    }
                }
                Test::Names { what: Named::Table, exact, .. } => {
                    let text = capture_text(self.lang, node, file.text);
                    // `to_sql("orders", con, schema="staging")`: the schema qualifies the match;
                    // the reference as written (for a rename's new text) stays unqualified.
                    let schema = match (self.lang, node.parent().and_then(|a| a.parent())) {
                        (Lang::Python, Some(call)) if call.kind() == "call" => {
                            flow::schema_argument(call, file.text)
                        }
                        _ => None,
                    };
                    let (m, parts) = match schema {
                        Some(_) => {
                            let (m, _) = table_match(change, &qualified(text.value, schema), *exact)?;
                            (m, table_match(change, text.value, *exact).map(|x| x.1).unwrap_or_default())
                        }
                        None => table_match(change, text.value, *exact)?,
                    };
                    if m == TableMatch::Unqualified {
                        bound.confidence = Confidence::Likely;
                    }
                    bound.table_ref = Some(parts);
                    bound.table_bound = true;
                }
                Test::Unhandled => {
                    if earlier((node.start_byte(), node.end_byte())) {
                        return None;
                    }
                }
                Test::Equals(template) => {
                    let value = |v: &Var| self.value(v, change, &bound, caps, file);
                    let rendered = template.render(&value, &|f, s| self.filter(f, s)).ok()?;
                    if capture_text(self.lang, node, file.text).value != rendered {
                        return None;
                    }
                }
                Test::InsideCall(names) => {
                    let call = nearest_ancestor(node, &|n| callee(self.lang, n, file.text).is_some())?;
                    let written = callee(self.lang, call, file.text)?;
                    if !names.iter().any(|n| name_matches(n, &written)) {
                        return None;
                    }
                }
                Test::UnderAnnotation(names) => {
                    let ann =
                        nearest_ancestor(node, &|n| annotation_name(self.lang, n, file.text).is_some())?;
                    let written = annotation_name(self.lang, ann, file.text)?;
                    if !names.iter().any(|n| name_matches(n, &written)) {
                        return None;
                    }
                }
                Test::BoundTo(b) => {
                    // Data flow is followed in Python only; Java expressions are never bound.
                    if self.lang != Lang::Python {
                        return None;
                    }
                    // Past a call that defines a column of the old or the new name, the frame's
                    // column is not (or would be captured by) the table's.
                    let mut introduces: Vec<String> =
                        change.column().map(|c| c.value.to_ascii_lowercase()).into_iter().collect();
                    if let Change::RenameColumn { to, .. } = change {
                        introduces.push(to.value.to_ascii_lowercase());
                    }
                    let sources = flow::Sources {
                        query: &b.query,
                        capture: b.capture,
                        stops_at: &b.stops_at,
                        introduces: &introduces,
                    };
                    let exprs = if b.from_call { flow::enclosing_receivers(node) } else { vec![node] };
                    let decided = exprs
                        .into_iter()
                        .map(|e| flow::source_of(e, file.text, &sources))
                        .find(|s| !(b.from_call && *s == flow::Source::Module));
                    let Some(flow::Source::Found(source, schema)) = decided else { return None };
                    let source = qualified(source, schema);
                    let source = source.as_ref();
                    if b.mentions {
                        if !has_word(source, &change.table().name().value) {
                            return None;
                        }
                        bound.confidence = Confidence::Likely;
                    } else if table_match(change, source, b.exact)?.0 == TableMatch::Unqualified {
                        bound.confidence = Confidence::Likely;
                    }
                    bound.table_bound = true;
                }
                Test::Enclosing { kinds, binds } => {
                    let is_kind = |n: tree_sitter::Node<'_>| kinds.iter().any(|k| k == n.kind());
                    let scope = nearest_ancestor(node, &is_kind)?;
                    match binds {
                        Binds::Mentions => {
                            let name = &change.table().name().value;
                            if !syntax::strings_under(self.lang, scope, file.text)
                                .iter()
                                .any(|s| has_word(s, name))
                            {
                                return None;
                            }
                            bound.confidence = Confidence::Likely;
                        }
                        Binds::Query { query, capture, class_capture, exact, nested } => {
                            let captures = (*capture, *class_capture);
                            let m = self
                                .binding(query, captures, *exact, *nested, scope, &is_kind, change, file)?;
                            if m == TableMatch::Unqualified {
                                bound.confidence = Confidence::Likely;
                            }
                        }
                    }
                    bound.table_bound = true;
                }
            }
        }
        // A column matched by name alone may belong to any table that has one.
        if change.column().is_some() && !bound.table_bound {
            bound.confidence = Confidence::Likely;
        }
        Some(bound)
    }

    /// The best match of a `binds_table` query inside `scope` (not inside a nested scope).
    #[allow(clippy::too_many_arguments)]
    fn binding(
        &self,
        query: &Query,
        (capture, class_capture): (u32, Option<u32>),
        exact: bool,
        nested: bool,
        scope: tree_sitter::Node<'_>,
        is_kind: &dyn Fn(tree_sitter::Node<'_>) -> bool,
        change: &Change,
        file: &SourceFile<'_>,
    ) -> Option<TableMatch> {
        let mut cursor = QueryCursor::new();
        let mut matches = cursor.matches(query, scope, file.text.as_bytes());
        let mut best = None;
        while let Some(m) = matches.next() {
            for c in m.captures().iter().filter(|c| c.index == capture || Some(c.index) == class_capture) {
                if !nested && nearest_ancestor(c.node, is_kind).map(|n| n.id()) != Some(scope.id()) {
                    continue;
                }
                let text = capture_text(self.lang, c.node, file.text);
                let derived;
                let name = if Some(c.index) == class_capture {
                    derived = flask_table_name(text.value);
                    derived.as_str()
                } else {
                    text.value
                };
                // A SQLAlchemy model's `__table_args__ = {"schema": ...}` qualifies its table.
                let schema = match self.lang {
                    Lang::Python if scope.kind() == "class_definition" => {
                        flow::table_args_schema(scope, file.text)
                    }
                    _ => None,
                };
                match table_match(change, &qualified(name, schema), exact) {
                    Some((TableMatch::Exact, _)) => return Some(TableMatch::Exact),
                    Some((m, _)) => best = Some(m),
                    None => {}
                }
            }
        }
        best
    }

    fn value(
        &self,
        var: &Var,
        change: &Change,
        bound: &Bound,
        caps: &[Option<tree_sitter::Node<'_>>],
        file: &SourceFile<'_>,
    ) -> Result<String, String> {
        Ok(match (var, change) {
            (Var::ChangeKind, _) => change.kind_name().to_string(),
            (Var::ChangeTable, _) => plain(change.table()),
            (Var::ChangeColumn, _) => change.column().map(|c| c.value.clone()).unwrap_or_default(),
            (Var::ChangeFrom, Change::RenameColumn { from, .. }) => from.value.clone(),
            (Var::ChangeFrom, Change::RenameTable { from, .. }) => plain(from),
            (Var::ChangeTo, Change::RenameColumn { to, .. }) => to.value.clone(),
            (Var::ChangeTo, Change::RenameTable { from, to }) => {
                renamed_like(from, to, bound.table_ref.as_deref())?
            }
            (Var::ChangeFromType, Change::ChangeType { from, .. }) => {
                from.clone().ok_or("the change set does not give the old type (`from`)")?
            }
            (Var::ChangeToType, Change::ChangeType { to, .. }) => to.clone(),
            (Var::Capture(name), _) => {
                let node = self
                    .query
                    .capture_index_for_name(name)
                    .and_then(|i| caps.get(i as usize).copied().flatten());
                node.map(|n| capture_text(self.lang, n, file.text).value.to_string()).unwrap_or_default()
            }
            (var, _) => {
                return Err(format!("`{}` has no value for a {} change", var.name(), change.kind_name()))
            }
        })
    }

    fn filter(&self, name: &str, input: &str) -> Result<String, String> {
        match name {
            "lower" => Ok(input.to_lowercase()),
            "upper" => Ok(input.to_uppercase()),
            _ => self
                .types
                .apply(name, input)
                .ok_or_else(|| format!("the type map `{name}` has no entry for `{input}`")),
        }
    }
}

impl Rule for DeclarativeRule {
    fn id(&self) -> &str {
        &self.id
    }

    fn language(&self) -> Lang {
        self.lang
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        if file.lang != self.lang
            || !ctx.changes.changes.iter().any(|c| self.serves().contains(&c.kind_name()))
        {
            return;
        }
        // What the rules before this one produced, for `unhandled`.
        let before = (out.edits.len(), out.findings.len(), out.seen.len());
        let mut cursor = QueryCursor::new();
        let mut seen = std::collections::HashSet::new();
        let mut done = std::collections::HashSet::new();
        for range in self.search_ranges(file, ctx) {
            cursor.set_byte_range(range);
            let mut matches = cursor.matches(&self.query, file.tree().root_node(), file.text.as_bytes());
            while let Some(m) = matches.next() {
                // Ranges around nearby mentions can yield the same match twice.
                let key: (usize, Vec<usize>) =
                    (m.pattern_index, m.captures().iter().map(|c| c.node.id()).collect());
                if !done.insert(key) {
                    continue;
                }
                let mut caps = vec![None; self.query.capture_names().len()];
                for c in m.captures() {
                    if let Some(slot) = caps.get_mut(c.index as usize) {
                        slot.get_or_insert(c.node);
                    }
                }
                for (index, change) in ctx.changes.iter() {
                    let Some(action) = self.actions.iter().find(|a| a.kind == change.kind_name()) else {
                        continue;
                    };
                    let earlier = |(s, e): (usize, usize)| {
                        let covers = |a: usize, b: usize| a <= s && e <= b;
                        out.edits[..before.0].iter().any(|x| covers(x.start, x.end))
                            || out.findings[..before.1].iter().any(|x| covers(x.start, x.end))
                            || out.seen[..before.2].iter().any(|&(a, b)| covers(a, b))
                    };
                    let Some(bound) = self.evaluate(action, &caps, change, file, &earlier) else { continue };
                    // The match is this rule's to judge, whatever it decides below: fallback
                    // rules need not report it again.
                    out.seen.extend(caps.iter().flatten().map(|n| (n.start_byte(), n.end_byte())));
                    if action.output_names.is_some_and(|o| o != ctx.options.output_names) {
                        continue;
                    }
                    let value = |v: &Var| self.value(v, change, &bound, &caps, file);
                    let filter = |f: &str, s: &str| self.filter(f, s);
                    if let Some(rw) = &action.rewrite {
                        if let Some(node) = caps.get(rw.capture as usize).copied().flatten() {
                            let mut target = capture_text(self.lang, node, file.text);
                            let at = match rw.insert {
                                Insert::Replace => None,
                                Insert::Before => Some(node.start_byte()),
                                Insert::After => Some(node.end_byte()),
                            };
                            if let Some(at) = at {
                                // New code next to the node: no literal to escape for.
                                target = syntax::CaptureText { value: "", span: (at, at), quote: "" };
                            }
                            let problem = match rw.template.render(&value, &filter) {
                                Ok(new)
                                    if !target.quote.is_empty()
                                        && (new.contains(['\\', '\n', '\r'])
                                            || new.contains(target.quote)) =>
                                {
                                    Some(format!(
                                        "the new text {new:?} would need escaping inside this string literal"
                                    ))
                                }
                                Ok(new) if new.is_empty() => {
                                    Some("the rewrite would leave this empty".to_string())
                                }
                                Ok(new) => {
                                    if new != target.value {
                                        out.edit(target.span, new, &self.id, index, bound.confidence);
                                    }
                                    None
                                }
                                Err(why) => Some(why),
                            };
                            if let Some(why) = problem {
                                let span = (node.start_byte(), node.end_byte());
                                if seen.insert((span, index, why.clone())) {
                                    out.finding(
                                        span,
                                        &self.id,
                                        Some(index),
                                        Severity::Review,
                                        format!("not rewritten for {change}: {why}; check it by hand"),
                                    );
                                }
                            }
                        }
                    }
                    if let Some(f) = &action.finding {
                        if let Some(node) = caps.get(f.capture as usize).copied().flatten() {
                            let message = f
                                .message
                                .render(&value, &filter)
                                .unwrap_or_else(|why| format!("{change}: {why}"));
                            let span = (node.start_byte(), node.end_byte());
                            if seen.insert((span, index, message.clone())) {
                                out.finding(span, &self.id, Some(index), f.severity, message);
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> TableName {
        TableName::parse(s)
    }

    #[test]
    fn renamed_tables_keep_the_reference_qualification() {
        let r = |from, to, reference: &[&str]| {
            let reference: Vec<String> = reference.iter().map(|s| s.to_string()).collect();
            renamed_like(&t(from), &t(to), Some(&reference))
        };
        assert_eq!(r("users", "customers", &["users"]).unwrap(), "customers");
        assert_eq!(r("users", "customers", &["analytics", "users"]).unwrap(), "analytics.customers");
        assert_eq!(r("analytics.users", "customers", &["users"]).unwrap(), "customers");
        assert_eq!(r("analytics.users", "analytics.customers", &["users"]).unwrap(), "customers");
        assert_eq!(r("analytics.users", "archive.users", &["analytics", "users"]).unwrap(), "archive.users");
        assert!(r("analytics.users", "archive.users", &["users"]).is_err());
        assert_eq!(r("users", "archive.customers", &["users"]).unwrap(), "archive.customers");
        assert!(has_word("select * from Users u", "users"));
        assert!(!has_word("select * from v_users", "users"));
    }
}
