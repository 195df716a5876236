//! Running a rule on a file: matching the query around mentions, judging each match against
//! each change (predicates, data flow, table bindings) and rendering rewrites and findings.

use super::*;
use crate::syntax::{self, capture_text, name_matches, nearest_ancestor};
use crate::template::Var;
use ripple_core::host::{Source, Sources};
use ripple_core::{
    Change, Confidence, Host, Lang, Rule, RuleContext, RuleOutput, Severity, SourceFile, TableMatch,
    TableName,
};
use tree_sitter::{Query, QueryCursor, StreamingIterator};

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

/// A table name qualified by a `schema=` argument or `__table_args__` schema, unless it is
/// qualified already. `None` for a schema that is not a plain string: the table is unknown.
fn qualified<'t>(table: &'t str, schema: &str) -> Option<std::borrow::Cow<'t, str>> {
    if schema.is_empty() {
        None
    } else if table.contains('.') {
        Some(table.into())
    } else {
        Some(format!("{schema}.{table}").into())
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
        host: &dyn Host,
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
                Test::Names { what: Named::Column, exact, normalize } => {
                    let text = capture_text(host, node, file.text);
                    let value = match normalize {
                        Normalize::AsWritten => text.value.to_string(),
                        Normalize::SnakeCase => host.field_column(text.value),
                        Normalize::ForeignKey => format!("{}_id", text.value),
                    };
                    if !column_match(change, &value, *exact) {
                        return None;
                    }
                }
                Test::Names { what: Named::Table, exact, .. } => {
                    let text = capture_text(host, node, file.text);
                    // `to_sql("orders", con, schema="staging")`: the schema qualifies the match;
                    // the reference as written (for a rename's new text) stays unqualified.
                    let schema = node
                        .parent()
                        .and_then(|a| a.parent())
                        .and_then(|call| host.call_schema(call, file.text));
                    let written = table_match(change, text.value, *exact);
                    let (m, parts) = match schema {
                        Some(schema) => (
                            table_match(change, &qualified(text.value, schema)?, *exact)?.0,
                            written.map(|w| w.1).unwrap_or_default(),
                        ),
                        None => written?,
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
                    let value = |v: &Var| self.value(host, v, change, &bound, caps, file);
                    let rendered = template.render(&value, &|f, s| self.filter(f, s)).ok()?;
                    if capture_text(host, node, file.text).value != rendered {
                        return None;
                    }
                }
                Test::DiffersFrom(template) => {
                    let value = |v: &Var| self.value(host, v, change, &bound, caps, file);
                    let rendered = template.render(&value, &|f, s| self.filter(f, s));
                    if rendered.is_ok_and(|r| capture_text(host, node, file.text).value == r) {
                        return None;
                    }
                }
                Test::InsideCall(names) => {
                    let call = nearest_ancestor(node, &|n| host.callee(n, file.text).is_some())?;
                    let written = host.callee(call, file.text)?;
                    if !names.iter().any(|n| name_matches(n, &written)) {
                        return None;
                    }
                }
                Test::UnderAnnotation(names) => {
                    let ann = nearest_ancestor(node, &|n| host.annotation_name(n, file.text).is_some())?;
                    let written = host.annotation_name(ann, file.text)?;
                    if !names.iter().any(|n| name_matches(n, &written)) {
                        return None;
                    }
                }
                Test::BoundTo(b) => {
                    // Past a call that defines a column of the old or the new name, the frame's
                    // column is not (or would be captured by) the table's.
                    let mut introduces: Vec<String> =
                        change.column().map(|c| c.value.to_ascii_lowercase()).into_iter().collect();
                    if let Change::RenameColumn { to, .. } = change {
                        introduces.push(to.value.to_ascii_lowercase());
                    }
                    let sources = Sources {
                        query: &b.query,
                        capture: b.capture,
                        stops_at: &b.stops_at,
                        introduces: &introduces,
                    };
                    // A host that follows no data flow binds nothing.
                    let decided = host.bound_source(node, file.text, &sources, b.from_call);
                    let Some(Source::Found(source, schema)) = decided else { return None };
                    // A `schema=` qualifies a table name, not SQL text.
                    let source = match schema {
                        Some(schema) if !b.mentions => qualified(source, schema)?,
                        _ => source.into(),
                    };
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
                            if !syntax::strings_under(host, scope, file.text)
                                .iter()
                                .any(|s| has_word(s, name))
                            {
                                return None;
                            }
                            bound.confidence = Confidence::Likely;
                        }
                        Binds::Query { query, capture, class_capture, by_app, exact, nested } => {
                            let captures = (*capture, *class_capture, *by_app);
                            let m = self.binding(
                                host, query, captures, *exact, *nested, scope, &is_kind, change, file,
                            )?;
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
        host: &dyn Host,
        query: &Query,
        (capture, class_capture, by_app): (u32, Option<u32>, bool),
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
                let text = capture_text(host, c.node, file.text);
                let derived;
                let name = if Some(c.index) == class_capture {
                    derived = if by_app {
                        // A class outside any app maps no table ripple can know.
                        let Some(table) = host.app_class_table(text.value, file) else { continue };
                        table
                    } else {
                        host.class_table(text.value)
                    };
                    derived.as_str()
                } else {
                    text.value
                };
                // A SQLAlchemy model's `__table_args__ = {"schema": ...}` qualifies its table.
                let schema = host.class_schema(scope, file.text);
                let Some(name) = schema.map_or(Some(name.into()), |schema| qualified(name, schema)) else {
                    continue;
                };
                match table_match(change, &name, exact) {
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
        host: &dyn Host,
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
                node.map(|n| capture_text(host, n, file.text).value.to_string()).unwrap_or_default()
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

    /// A match the rule acts on has a capture in code (the query reads no comment) that spells
    /// a changed name or a host spelling of it, or lies in code that does: where every name
    /// stands in prose, nothing matches.
    fn run_on_prose(
        &self,
        _file: &SourceFile<'_>,
        _ctx: &RuleContext<'_>,
        _prose: &[ripple_core::host::Prose],
        _out: &mut RuleOutput,
    ) -> bool {
        let names = |ps: &[Predicate]| ps.iter().any(|p| p.test.needs_a_name_in_code());
        !self.query_text.contains("comment")
            && (names(&self.predicates) || self.actions.iter().all(|a| names(&a.predicates)))
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        if file.lang != self.lang || !ctx.changes.changes.iter().any(|c| self.serves().contains(&c.kind())) {
            return;
        }
        // The host reads the language's syntax; without one the rule has nothing to read.
        let Some(host) = ctx.hosts.get(self.lang) else { return };
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
                    let Some(action) = self.actions.iter().find(|a| a.kind == change.kind()) else {
                        continue;
                    };
                    let earlier = |(s, e): (usize, usize)| {
                        let covers = |a: usize, b: usize| a <= s && e <= b;
                        out.edits[..before.0].iter().any(|x| covers(x.start, x.end))
                            || out.findings[..before.1].iter().any(|x| covers(x.start, x.end))
                            || out.seen[..before.2].iter().any(|&(a, b)| covers(a, b))
                    };
                    let Some(bound) = self.evaluate(host, action, &caps, change, file, &earlier) else {
                        continue;
                    };
                    // The match is this rule's to judge, whatever it decides below: fallback
                    // rules need not report it again.
                    out.seen.extend(caps.iter().flatten().map(|n| (n.start_byte(), n.end_byte())));
                    if action.output_names.is_some_and(|o| o != ctx.options.output_names) {
                        continue;
                    }
                    let value = |v: &Var| self.value(host, v, change, &bound, &caps, file);
                    let filter = |f: &str, s: &str| self.filter(f, s);
                    if let Some(rw) = &action.rewrite {
                        if let Some(node) = caps.get(rw.capture as usize).copied().flatten() {
                            let mut target = capture_text(host, node, file.text);
                            let at = match rw.insert {
                                Insert::Replace => None,
                                Insert::Before | Insert::LineBefore => Some(node.start_byte()),
                                Insert::After => Some(node.end_byte()),
                            };
                            let own_line = rw.insert == Insert::LineBefore
                                && own_line_indent(file.text, node.start_byte(), node.end_byte()).is_some();
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
                                    let (at, _) = target.span;
                                    let new = match own_line_indent(file.text, at, node.end_byte()) {
                                        Some(indent) if own_line => {
                                            let line_start = at - indent.len();
                                            let eol = if file.text[..line_start].ends_with("\r\n") {
                                                "\r\n"
                                            } else {
                                                "\n"
                                            };
                                            format!("{}{eol}{indent}", new.trim_end())
                                        }
                                        _ => new,
                                    };
                                    // An insertion already made (a second run) is not made again.
                                    let done = match rw.insert {
                                        Insert::Replace => new == target.value,
                                        Insert::Before | Insert::LineBefore => {
                                            file.text[..at].ends_with(&new)
                                        }
                                        Insert::After => file.text[at..].starts_with(&new),
                                    };
                                    if !done {
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
                                out.finding_for(f.reason, span, &self.id, Some(index), f.severity, message);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The indentation of the node at `[start, end)` when it starts its line and its leading
/// annotations, if any, stand on lines of their own (so an added one does too): `None`
/// when code precedes it on its line, or when it is written on one line that begins with
/// an annotation (`@Id @GeneratedValue private Long id;`).
fn own_line_indent(text: &str, start: usize, end: usize) -> Option<&str> {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..start];
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let node = &text[start..end];
    let one_line = !node.trim_end().contains('\n');
    (!(node.starts_with('@') && one_line)).then_some(indent)
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
