//! Reading a rule file: fields, the query, predicates and actions, with every error
//! located in the YAML (`file:line:column`) and collected, not stopped at.

use super::*;
use crate::template::{Template, Var};
use crate::types::TypeMaps;
use crate::yaml::{self, Node, Value};
use ripple_core::{ChangeKind, Confidence, InputError, Lang, OutputNames, Reason, Severity};
use std::path::Path;
use std::sync::Arc;
use tree_sitter::Query;

mod predicate;

use predicate::parse_predicates;

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
        let hint = ripple_core::suggest::hint(name, known);
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
            let hint = ripple_core::suggest::closest(name, query.capture_names())
                .map(|h| format!(" (did you mean `@{h}`?)"));
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

    let scope = Scope { lang, query: query.as_ref(), types, kind: None };
    let predicates =
        where_node.map(|list| parse_predicates(&mut ctx, &scope, list, "where")).unwrap_or_default();

    let mut actions = Vec::new();
    if let Some(on) = on_node {
        if let Some(entries) = ctx.map(on, "`on`") {
            if entries.is_empty() {
                ctx.at(on, "`on` needs at least one change kind");
            }
            for (kind, key, body) in entries {
                let Some(kind) = ChangeKind::from_name(kind) else {
                    ctx.unknown_field(key, kind, "`on` (a change kind)", &ChangeKind::names());
                    continue;
                };
                let scope = Scope { lang, query: query.as_ref(), types, kind: Some(kind) };
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

/// Where a predicate is written: the rule's `where` (every kind) or `on.<kind>.where`.
struct Scope<'a> {
    lang: Option<Lang>,
    query: Option<&'a Query>,
    types: &'a TypeMaps,
    /// `None` for the rule's own `where`, which holds for every kind.
    kind: Option<ChangeKind>,
}

fn parse_template(
    ctx: &mut Ctx,
    query: Option<&Query>,
    types: &TypeMaps,
    kind: Option<ChangeKind>,
    node: &Node,
    what: &str,
) -> Option<Template> {
    let text = ctx.string(node, what)?;
    let template = match Template::parse(text) {
        Ok(t) => t,
        Err(e) => {
            ctx.inside(node, text, e.offset, e.message);
            return None;
        }
    };
    let mut ok = true;
    for hole in template.holes() {
        if !hole.var.defined_for(kind) {
            let message = match kind {
                None => format!(
                    "`{}` has no value for every change kind; move this under `on.<kind>`",
                    hole.var.name()
                ),
                Some(kind) => format!("`{}` has no value for a {kind} change", hole.var.name()),
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
                let hint = ripple_core::suggest::hint(filter, &known);
                ctx.inside(
                    node,
                    text,
                    *offset,
                    format!("unknown filter `{filter}`{hint}; known: {}", known.join(", ")),
                );
                ok = false;
            }
        }
    }
    ok.then_some(template)
}

const ACTION_FIELDS: [&str; 4] = ["when", "where", "rewrite", "finding"];

fn parse_action(ctx: &mut Ctx, scope: &Scope, kind: ChangeKind, node: &Node) -> Option<Action> {
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
                let template = parse_template(ctx, query, types, Some(kind), t, "template");
                let insert = match rget("insert").map(|n| (n, n.as_str())) {
                    None => Insert::Replace,
                    Some((_, Some("before"))) => Insert::Before,
                    Some((_, Some("after"))) => Insert::After,
                    Some((_, Some("line_before"))) => Insert::LineBefore,
                    Some((n, _)) => {
                        ctx.at(n, "`insert` is `before`, `after` or `line_before` (insert the text next to the capture)");
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
            if !["capture", "severity", "reason", "message"].contains(name) {
                ctx.unknown_field(key, name, "`finding`", &["capture", "severity", "reason", "message"]);
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
        let reason = match fget("reason").map(|n| (n, n.as_str())) {
            None => Reason::ManualEdit.refined(Some(kind)),
            Some((n, name)) => name.and_then(Reason::from_name).unwrap_or_else(|| {
                let names: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
                ctx.at(n, format!("`reason` is one of {}", names.join(", ")));
                Reason::ManualEdit.refined(Some(kind))
            }),
        };
        match (fget("capture"), fget("message")) {
            (Some(c), Some(m)) => {
                let name = ctx.string(c, "capture")?;
                let capture = capture_index(ctx, query, c, name);
                let message = parse_template(ctx, query, types, Some(kind), m, "message");
                if let (Some(capture), Some(message)) = (capture, message) {
                    action.finding = Some(FindingSpec { capture, severity, reason, message });
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
