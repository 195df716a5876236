//! The model of a statement, built from its tree-sitter tree: the builder walks the
//! statement node by node, opening scopes, recording sources, column references and DDL
//! elements, and claiming every identifier it understands.

use super::*;

mod ddl;
mod dml;
mod expr;
use tree_sitter::Node;
/// Builds the model of one statement node (kind `statement`) of the masked text.
pub fn build(stmt: Node<'_>, text: &str, jinja: &Masked) -> Model {
    let mut b = Builder { text, jinja, m: Model::default(), env: Vec::new(), dml_scope: None, defer: false };
    b.m.upper_keywords = first_keyword_upper(stmt, text);
    b.statement(stmt);
    b.m.split_field_paths();
    if b.defer {
        // A kind not analysed here: the statement goes to the sqlparser builder.
        b.m.kind = Some(StatementKind::Other);
    }
    b.m
}

fn first_keyword_upper(node: Node<'_>, text: &str) -> bool {
    let mut cursor = node.walk();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind().starts_with("keyword_") {
            let t = &text[n.byte_range()];
            return !t.bytes().any(|c| c.is_ascii_lowercase());
        }
        let children: Vec<Node<'_>> = n.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    true
}

/// Is a GROUP BY / ORDER BY key a select item's position (`ORDER BY 2`)?
fn is_position(node: Node<'_>, text: &str) -> bool {
    match node.kind() {
        "literal" => text.get(node.byte_range()).is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit())),
        "order_target" | "term" => node.named_child(0).is_some_and(|c| is_position(c, text)),
        _ => false,
    }
}

/// The elements and commas of a parenthesised list node.
fn element_list(list: Node<'_>) -> ElementList {
    let mut out = ElementList::default();
    for c in children(list) {
        match c.kind() {
            "," => out.commas.push(c.start_byte()),
            "(" | ")" => {}
            _ if c.is_named() && c.kind() != "comment" => out.elements.push(span(c)),
            _ => {}
        }
    }
    out
}

/// Is `node` a cast or parenthesised expression of a bare column, through any nesting?
fn names_after_column(node: Node<'_>, text: &str) -> bool {
    match node.kind() {
        "field" => true,
        "literal" => text.get(node.byte_range()).is_some_and(|t| t.starts_with('"')),
        "parenthesized_expression" => match named_children(node)[..] {
            [inner] => names_after_column(inner, text),
            _ => false,
        },
        "cast" => {
            // `x::t` has the operand first; `CAST(x AS t)` names it `parameter`.
            let operand = node.child_by_field_name("parameter").or_else(|| node.named_child(0));
            operand.is_some_and(|o| names_after_column(o, text))
        }
        _ => false,
    }
}

fn children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut c = node.walk();
    node.children(&mut c).collect()
}

fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut c = node.walk();
    node.named_children(&mut c).collect()
}

fn span(n: Node<'_>) -> (usize, usize) {
    (n.start_byte(), n.end_byte())
}

struct Builder<'a> {
    text: &'a str,
    jinja: &'a Masked,
    m: Model,
    /// CTEs in view, innermost last.
    env: Vec<usize>,
    /// The scope of the DML statement's target, for RETURNING.
    dml_scope: Option<ScopeId>,
    /// The statement holds a call the sqlparser builder models and this one does not
    /// (`STRUCT(...)`, whose bare columns name its fields; `IDENTIFIER('t')`, a table).
    defer: bool,
}

impl<'a> Builder<'a> {
    fn token(&self, n: Node<'_>) -> &'a str {
        self.text.get(n.byte_range()).unwrap_or("")
    }

    fn name(&mut self, n: Node<'_>) -> NamePart {
        self.m.claimed.push(span(n));
        NamePart::from_token(self.token(n), span(n))
    }

    fn claim(&mut self, n: Node<'_>) {
        self.m.claimed.push(span(n));
    }

    fn new_scope(&mut self, parent: Option<ScopeId>) -> ScopeId {
        self.m.scopes.push(Scope { parent, ..Scope::default() });
        self.m.scopes.len() - 1
    }

    fn set_kind(&mut self, k: StatementKind) {
        if self.m.kind.is_none() {
            self.m.kind = Some(k);
        }
    }

    fn statement(&mut self, stmt: Node<'_>) {
        let env = self.env.len();
        let kids = named_children(stmt);
        let recursive = kids.iter().any(|k| k.kind() == "keyword_recursive");
        if kids.iter().any(|k| k.kind() == "keyword_merge") {
            self.set_kind(StatementKind::Merge);
            self.merge(&kids);
            return;
        }
        let mut query_kids = Vec::new();
        let mut returning = Vec::new();
        for k in &kids {
            match k.kind() {
                "returning" => returning.push(*k),
                "cte" => self.cte(*k, None, recursive),
                "insert" => {
                    self.set_kind(StatementKind::Insert);
                    self.insert(*k);
                }
                "update" => {
                    self.set_kind(StatementKind::Update);
                    self.update(*k);
                }
                "delete" => self.set_kind(StatementKind::Delete),
                "create_table" => {
                    self.set_kind(StatementKind::CreateTable);
                    self.create_table(*k);
                }
                "create_view" | "create_materialized_view" => {
                    self.set_kind(StatementKind::CreateView);
                    self.create_view(*k);
                }
                "create_index" => {
                    self.set_kind(StatementKind::CreateIndex);
                    self.create_index(*k);
                }
                "alter_table" => {
                    self.set_kind(StatementKind::AlterTable);
                    self.alter_table(*k);
                }
                "drop_table" => {
                    self.set_kind(StatementKind::DropTable);
                    for c in named_children(*k) {
                        if c.kind() == "object_reference" {
                            self.table_ref(c, TableRole::Ddl);
                        }
                    }
                }
                "select" | "from" | "set_operation" => query_kids.push(*k),
                kind if kind.starts_with("keyword_") || kind == "comment" || kind == "marginalia" => {}
                _ => {
                    // Statements the model does not analyse stay unclaimed: the caller
                    // reports any watched name in them.
                    self.m.kind = Some(StatementKind::Other);
                }
            }
        }
        if !query_kids.is_empty() {
            if self.m.kind == Some(StatementKind::Delete) {
                self.delete(&query_kids);
            } else {
                self.set_kind(StatementKind::Query);
                let first = self.query(&query_kids, None, false);
                if self.m.kind == Some(StatementKind::Query) {
                    self.m.output = first;
                }
            }
        }
        for r in returning {
            // RETURNING lists the written rows: its items are read by name like a SELECT's.
            match self.dml_scope {
                Some(s) => self.select_list(r, s),
                None => self.m.kind = Some(StatementKind::Other),
            }
        }
        self.env.truncate(env);
    }

    /// A sequence of SELECT / FROM / set-operation nodes (and CTEs): one scope per SELECT.
    /// Returns the first SELECT's scope (its items name the query's outputs).
    fn query(&mut self, kids: &[Node<'_>], parent: Option<ScopeId>, in_set: bool) -> Option<ScopeId> {
        let env = self.env.len();
        let recursive = kids.iter().any(|k| k.kind() == "keyword_recursive");
        let mut first = None;
        let mut current: Option<ScopeId> = None;
        for k in kids {
            match k.kind() {
                "cte" => self.cte(*k, parent, recursive),
                "select" => {
                    let s = self.new_scope(parent);
                    self.m.scopes[s].in_set_operation = in_set;
                    current = Some(s);
                    first.get_or_insert(s);
                    self.select_list(*k, s);
                }
                "from" => {
                    let s = match current {
                        Some(s) => s,
                        None => {
                            let s = self.new_scope(parent);
                            current = Some(s);
                            s
                        }
                    };
                    self.sources_and_clauses(*k, s);
                }
                "set_operation" => {
                    let f = self.query(&named_children(*k), parent, true);
                    if first.is_none() {
                        first = f;
                    }
                }
                "statement" | "subquery" | "create_query" => {
                    let f = self.query(&named_children(*k), parent, in_set);
                    if first.is_none() {
                        first = f;
                    }
                }
                kind if kind.starts_with("keyword_") || kind == "comment" || kind == "marginalia" => {}
                _ => {
                    let s = match current.or(parent) {
                        Some(s) => s,
                        None => self.new_scope(None),
                    };
                    self.expr(*k, s, Place::Expr, false);
                }
            }
        }
        self.env.truncate(env);
        first
    }

    fn cte(&mut self, node: Node<'_>, parent: Option<ScopeId>, recursive: bool) {
        let mut name = None;
        let mut columns = Vec::new();
        let mut body = None;
        let kids = children(node);
        for (i, k) in kids.iter().enumerate() {
            match (k.kind(), node.field_name_for_child(i as u32)) {
                ("identifier", Some("argument")) => columns.push(self.name(*k)),
                ("identifier", _) if name.is_none() => name = Some(self.name(*k)),
                ("statement", _) => body = Some(*k),
                _ => {}
            }
        }
        let Some(name) = name else { return };
        let idx = self.m.ctes.len();
        self.m.ctes.push(Cte { name, columns, body: None });
        if recursive {
            self.env.push(idx);
        }
        if let Some(b) = body {
            let scope = self.query(&named_children(b), parent, false);
            self.m.ctes[idx].body = scope;
        }
        if !recursive {
            self.env.push(idx);
        }
    }

    fn select_list(&mut self, select: Node<'_>, scope: ScopeId) {
        let mut list = ElementList::default();
        let mut modelled = self.m.scopes[scope].items.is_empty();
        for k in named_children(select) {
            if k.kind() != "select_expression" {
                if !k.kind().starts_with("keyword_") {
                    self.expr(k, scope, Place::Expr, false);
                }
                continue;
            }
            list.commas.extend(children(k).iter().filter(|c| c.kind() == ",").map(|c| c.start_byte()));
            for term in named_children(k) {
                if term.kind() != "term" {
                    modelled &= term.kind() == "comment";
                    self.expr(term, scope, Place::Expr, false);
                    continue;
                }
                let alias = term.child_by_field_name("alias").map(|a| self.name(a));
                let Some(value) = term.child_by_field_name("value") else {
                    modelled = false;
                    continue;
                };
                list.elements.push(span(term));
                let mut item = Item {
                    output: alias.clone(),
                    explicit_alias: alias.is_some(),
                    column: None,
                    star: None,
                    named_after: None,
                };
                match value.kind() {
                    "field" => {
                        if let Some(c) = self.field(value, scope, Place::Item, false, alias.is_none()) {
                            if alias.is_none() {
                                item.output = Some(self.m.columns[c].name.clone());
                            }
                            item.column = Some(c);
                        }
                    }
                    "literal" if self.token(value).starts_with('"') => {
                        let c = self.quoted_literal(value, scope, Place::Item, false, alias.is_none());
                        if alias.is_none() {
                            item.output = Some(self.m.columns[c].name.clone());
                        }
                        item.column = Some(c);
                    }
                    "all_fields" => item.star = Some(self.star(value, scope)),
                    "cast" | "parenthesized_expression" if alias.is_none() => {
                        let before = self.m.columns.len();
                        self.expr(value, scope, Place::Expr, false);
                        if self.m.columns.len() == before + 1 && names_after_column(value, self.text) {
                            item.output = Some(self.m.columns[before].name.clone());
                            item.named_after = Some((before, Some(value.end_byte())));
                        }
                    }
                    _ => self.expr(value, scope, Place::Expr, false),
                }
                self.m.scopes[scope].items.push(item);
            }
        }
        if modelled && list.commas.len() + 1 == list.elements.len() {
            self.m.scopes[scope].list = list;
        }
    }

    fn sources_and_clauses(&mut self, from: Node<'_>, scope: ScopeId) {
        for k in named_children(from) {
            match k.kind() {
                "relation" => self.relation(k, scope, false),
                "join" | "cross_join" | "lateral_join" | "lateral_cross_join" => self.join(k, scope),
                "object_reference" => {
                    // DELETE FROM t: the target is the scope's only source.
                    let kind = self.table_source(k, TableRole::Target);
                    self.m.scopes[scope].sources.push(Source { kind, alias: None });
                }
                "group_by" | "order_by" => {
                    for c in named_children(k) {
                        self.m.scopes[scope].positional_sort |= is_position(c, self.text);
                        self.expr(c, scope, Place::Sort, false);
                    }
                }
                kind if kind.starts_with("keyword_") || kind == "comment" => {}
                _ => self.expr(k, scope, Place::Expr, false),
            }
        }
    }

    fn relation(&mut self, rel: Node<'_>, scope: ScopeId, lateral: bool) {
        let kids = children(rel);
        let mut kind = SourceKind::Unknown;
        let mut alias = None;
        for (i, k) in kids.iter().enumerate() {
            if rel.field_name_for_child(i as u32) == Some("alias") {
                alias = Some(self.name(*k));
                continue;
            }
            match k.kind() {
                "object_reference" => kind = self.table_source(*k, TableRole::Query),
                "subquery" => kind = self.derived(*k, scope, lateral),
                "invocation" => self.expr(*k, scope, Place::Expr, false),
                "list" => {
                    // A column alias list renames the source's columns: binding through
                    // it is not modelled, so the source's columns become unknown.
                    for c in named_children(*k) {
                        self.claim(c);
                    }
                    kind = SourceKind::Unknown;
                }
                kind if kind.starts_with("keyword_") || !k.is_named() => {}
                _ => self.expr(*k, scope, Place::Expr, false),
            }
        }
        self.m.scopes[scope].sources.push(Source { kind, alias });
    }

    fn derived(&mut self, sub: Node<'_>, scope: ScopeId, lateral: bool) -> SourceKind {
        // Only a LATERAL subquery sees the sources beside it.
        let parent = if lateral { Some(scope) } else { self.m.scopes[scope].parent };
        SourceKind::Derived(self.query(&named_children(sub), parent, false))
    }

    fn join(&mut self, join: Node<'_>, scope: ScopeId) {
        let lateral = join.kind().starts_with("lateral");
        let kids = children(join);
        let mut pending_sub: Option<SourceKind> = None;
        for (i, k) in kids.iter().enumerate() {
            let field = join.field_name_for_child(i as u32);
            match k.kind() {
                "relation" => self.relation(*k, scope, lateral),
                "subquery" => pending_sub = Some(self.derived(*k, scope, lateral)),
                "identifier" if field == Some("alias") => {
                    let alias = Some(self.name(*k));
                    let kind = pending_sub.take().unwrap_or(SourceKind::Unknown);
                    self.m.scopes[scope].sources.push(Source { kind, alias });
                }
                "list" => {
                    for c in named_children(*k) {
                        let id = if c.kind() == "column" { c.named_child(0).unwrap_or(c) } else { c };
                        let name = self.name(id);
                        let sp = name.span;
                        self.m.usings.push(UsingRef { name: Some(name), span: sp, scope });
                    }
                }
                "keyword_natural" => self.m.usings.push(UsingRef { name: None, span: span(*k), scope }),
                kind if kind.starts_with("keyword_") || !k.is_named() => {}
                _ => self.expr(*k, scope, Place::Expr, false),
            }
        }
        if let Some(kind) = pending_sub {
            self.m.scopes[scope].sources.push(Source { kind, alias: None });
        }
    }

    /// A table name in FROM/JOIN/DML/DDL: a CTE in view when unqualified and so named.
    fn table_source(&mut self, obj: Node<'_>, role: TableRole) -> SourceKind {
        let parts = self.object_parts(obj);
        if parts.len() == 1 && role != TableRole::Ddl {
            if let Some(&c) = self.env.iter().rev().find(|&&c| self.m.ctes[c].name.same(&parts[0])) {
                return SourceKind::Cte(c);
            }
        }
        SourceKind::Table(self.push_table(parts, span(obj), role))
    }

    fn table_ref(&mut self, obj: Node<'_>, role: TableRole) -> usize {
        let parts = self.object_parts(obj);
        self.push_table(parts, span(obj), role)
    }

    fn push_table(&mut self, parts: Vec<NamePart>, sp: (usize, usize), role: TableRole) -> usize {
        self.m.tables.push(TableRef::new(parts, sp, role, self.jinja));
        self.m.tables.len() - 1
    }

    fn object_parts(&mut self, obj: Node<'_>) -> Vec<NamePart> {
        self.claim(obj);
        named_children(obj)
            .into_iter()
            .filter(|c| c.kind() == "identifier")
            .map(|c| NamePart::from_token(self.token(c), span(c)))
            .collect()
    }

    fn star(&mut self, node: Node<'_>, scope: ScopeId) -> usize {
        let qualifier = named_children(node)
            .into_iter()
            .find(|c| c.kind() == "object_reference")
            .map(|o| self.object_parts(o))
            .unwrap_or_default();
        self.m.stars.push(StarRef {
            qualifier,
            span: span(node),
            scope,
            except: Vec::new(),
            except_list: None,
        });
        self.m.stars.len() - 1
    }

    fn field(
        &mut self,
        node: Node<'_>,
        scope: ScopeId,
        place: Place,
        in_cast: bool,
        bare: bool,
    ) -> Option<usize> {
        let Some(name_node) = node.child_by_field_name("name") else {
            // An index element that is an expression (`lower(email)`).
            for c in named_children(node) {
                self.expr(c, scope, place, in_cast);
            }
            return None;
        };
        let qualifier = named_children(node)
            .into_iter()
            .find(|c| c.kind() == "object_reference")
            .map(|o| self.object_parts(o))
            .unwrap_or_default();
        let name = self.name(name_node);
        self.claim(node);
        self.m.columns.push(ColumnRef::scoped(qualifier, name, scope, place, in_cast, bare, false));
        Some(self.m.columns.len() - 1)
    }

    fn quoted_literal(
        &mut self,
        node: Node<'_>,
        scope: ScopeId,
        place: Place,
        in_cast: bool,
        bare: bool,
    ) -> usize {
        let name = self.name(node);
        self.m.columns.push(ColumnRef {
            qualifier: Vec::new(),
            name,
            scope: Some(scope),
            owner: None,
            place,
            in_cast,
            bare_item: bare,
            from_literal: true,
        });
        self.m.columns.len() - 1
    }

    fn owned_column(&mut self, id: Node<'_>, owner: usize, place: Place) {
        let name = self.name(id);
        self.m.columns.push(ColumnRef::owned(name, owner, place));
    }
}
