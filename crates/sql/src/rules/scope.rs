//! The query model of one statement: scopes (one per SELECT), their sources (tables, CTEs,
//! derived tables) with aliases, the CTEs in view, column references with byte spans and
//! where they stand, and the DDL elements rules may edit. Built from a tree-sitter tree
//! that has no ERROR node; rules decide from the model, never from the raw text.
//!
//! Every identifier the model understands is recorded as claimed; an identifier that names
//! a watched name and is not claimed is reported by the caller, so a construct the model
//! does not know is never silently skipped.

use super::jinja::{BlockKind, Masked};
use super::names::NamePart;
use ripple_core::TableName;
use tree_sitter::Node;

pub type ScopeId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    Query,
    Insert,
    Update,
    Delete,
    Merge,
    CreateTable,
    CreateView,
    CreateIndex,
    AlterTable,
    DropTable,
    /// A statement the model does not analyse (functions, grants, ...), by tree-sitter kind.
    Other,
}

impl StatementKind {
    pub fn is_ddl(self) -> bool {
        matches!(self, StatementKind::CreateTable | StatementKind::CreateIndex | StatementKind::AlterTable)
    }
}

/// One SELECT (or DML statement body): the sources its column names can bind to.
#[derive(Debug, Default)]
pub struct Scope {
    pub parent: Option<ScopeId>,
    pub sources: Vec<Source>,
    pub items: Vec<Item>,
    /// Part of a set operation: a trailing ORDER BY names outputs, not inputs.
    pub in_set_operation: bool,
    /// The subquery of an `EXISTS`: its select list does not shape any result.
    pub in_exists: bool,
}

/// One select-list item.
#[derive(Debug, Clone)]
pub struct Item {
    /// The output name when it is known (an alias, or a bare column's name).
    pub output: Option<NamePart>,
    pub explicit_alias: bool,
    /// The column reference that is the whole item, if it is one.
    pub column: Option<usize>,
    /// The star reference that is the whole item, if it is one.
    pub star: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub kind: SourceKind,
    pub alias: Option<NamePart>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A table (index into `Model::tables`).
    Table(usize),
    /// A CTE in view (index into `Model::ctes`).
    Cte(usize),
    /// A derived table or LATERAL subquery, with its first SELECT's scope.
    Derived(Option<ScopeId>),
    /// A table function, VALUES list or other source whose columns are unknown.
    Unknown,
}

#[derive(Debug, Clone)]
pub struct Cte {
    pub name: NamePart,
    pub columns: Vec<NamePart>,
    pub body: Option<ScopeId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableRole {
    /// FROM / JOIN of a query.
    Query,
    /// The table a DML statement writes.
    Target,
    /// Named by DDL (CREATE/ALTER/DROP TABLE, CREATE INDEX ON, REFERENCES).
    Ddl,
}

/// A reference to a table by name.
#[derive(Debug, Clone)]
pub struct TableRef {
    pub parts: Vec<NamePart>,
    pub span: (usize, usize),
    pub role: TableRole,
    /// The table a `{{ ref() }}` / `{{ source() }}` placeholder stands for.
    pub jinja: Option<TableName>,
    /// Some part is a Jinja placeholder that names no known table.
    pub jinja_unknown: bool,
}

impl TableRef {
    /// A reference with its Jinja part resolved: a whole `{{ ref('x') }}` placeholder names
    /// table `x`; any other overlap with Jinja makes the table unknown.
    pub fn new(parts: Vec<NamePart>, span: (usize, usize), role: TableRole, masked: &Masked) -> Self {
        let mut jinja = None;
        let mut jinja_unknown = false;
        for (i, p) in parts.iter().enumerate() {
            if let Some(b) = masked.block_at(p.span.0, p.span.1) {
                match (&b.table, parts.len(), i) {
                    (Some(t), 1, 0) if b.kind == BlockKind::Expression => jinja = Some(t.clone()),
                    _ => jinja_unknown = true,
                }
            } else if masked.touches(p.span.0, p.span.1) {
                jinja_unknown = true;
            }
        }
        TableRef { parts, span, role, jinja, jinja_unknown }
    }

    pub fn is_jinja(&self) -> bool {
        self.jinja.is_some() || self.jinja_unknown
    }
}

/// Where a column reference stands; decides how it may be rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Any expression: WHERE, ON, select-list expressions, SET values...
    Expr,
    /// A whole select-list item.
    Item,
    /// GROUP BY / ORDER BY / HAVING of a SELECT: may name an output alias instead.
    Sort,
    /// INSERT column list.
    InsertColumn,
    /// Left side of a SET assignment.
    SetTarget,
    /// A column of CREATE INDEX, a constraint, a REFERENCES list, ALTER TABLE.
    Ddl,
}

#[derive(Debug, Clone)]
pub struct ColumnRef {
    pub qualifier: Vec<NamePart>,
    pub name: NamePart,
    /// The scope the name binds in (absent when `owner` decides).
    pub scope: Option<ScopeId>,
    /// The table the column belongs to by position (INSERT list, SET target, DDL).
    pub owner: Option<usize>,
    pub place: Place,
    pub in_cast: bool,
    /// A select-list item that is just this column, with no alias.
    pub bare_item: bool,
    /// A double-quoted name tree-sitter read as a string literal.
    pub from_literal: bool,
}

#[derive(Debug, Clone)]
pub struct StarRef {
    pub qualifier: Vec<NamePart>,
    pub span: (usize, usize),
    pub scope: ScopeId,
}

/// A column of `USING (...)`, or a NATURAL join (no name).
#[derive(Debug, Clone)]
pub struct UsingRef {
    pub name: Option<NamePart>,
    pub span: (usize, usize),
    pub scope: ScopeId,
}

/// A column definition of CREATE TABLE.
#[derive(Debug, Clone)]
pub struct ColumnDef {
    pub name: NamePart,
    pub type_span: Option<(usize, usize)>,
    pub span: (usize, usize),
    pub table: usize,
    /// Index into `Model::def_lists` and position within it.
    pub list: usize,
    pub element: usize,
}

/// The parenthesised element list of CREATE TABLE, in order, for clean removals.
#[derive(Debug, Clone, Default)]
pub struct DefList {
    /// Byte spans of the elements (column definitions and table constraints).
    pub elements: Vec<(usize, usize)>,
    /// Byte offset of each comma.
    pub commas: Vec<usize>,
}

#[derive(Debug, Clone)]
pub enum AlterAction {
    RenameColumn { old: NamePart, new: NamePart },
    DropColumn { name: NamePart },
    AlterColumn { name: NamePart, type_span: Option<(usize, usize)> },
    RenameTable { to: Vec<NamePart> },
    Other,
}

/// An expression that uses a column reference directly, where the column's type matters.
#[derive(Debug, Clone)]
pub struct TypeUse {
    /// Index into `Model::columns`.
    pub column: usize,
    pub kind: UseKind,
    /// The whole expression (cast, comparison, call), for messages.
    pub span: (usize, usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UseKind {
    /// `CAST(c AS t)` / `c::t`, with the target type as written; `direct` when the column is
    /// the whole operand rather than part of an expression being cast.
    Cast { target: String, direct: bool },
    /// Compared (`=`, `<`, `IN`, `BETWEEN`...) with a literal, as written.
    Compare { literal: String },
    /// `LIKE` / `ILIKE` / `NOT LIKE` on the column.
    Like,
    /// An operand of `+ - * / %`.
    Arithmetic { op: String },
    /// The argument of `SUM` / `AVG`.
    Aggregate { func: String },
}

#[derive(Debug, Default)]
pub struct Model {
    pub kind: Option<StatementKind>,
    pub scopes: Vec<Scope>,
    pub tables: Vec<TableRef>,
    pub ctes: Vec<Cte>,
    pub columns: Vec<ColumnRef>,
    pub stars: Vec<StarRef>,
    pub usings: Vec<UsingRef>,
    pub defs: Vec<ColumnDef>,
    pub def_lists: Vec<DefList>,
    /// ALTER TABLE actions, with the altered table.
    pub alters: Vec<(usize, AlterAction)>,
    /// INSERT targets without a column list (they rely on column order).
    pub positional_inserts: Vec<usize>,
    /// Byte spans of every identifier the model accounted for.
    pub claimed: Vec<(usize, usize)>,
    /// The statement writes keywords in upper case.
    pub upper_keywords: bool,
    /// Typed uses of column references (casts, comparisons with literals, operators).
    pub type_uses: Vec<TypeUse>,
    /// The SELECT whose items name the statement's result columns (a query, CREATE VIEW,
    /// CREATE TABLE AS), unless something else names them (a view's column list).
    pub output: Option<ScopeId>,
}

impl Model {
    pub fn kind(&self) -> StatementKind {
        self.kind.unwrap_or(StatementKind::Other)
    }

    pub fn is_claimed(&self, span: (usize, usize)) -> bool {
        self.claimed.iter().any(|c| c.0 <= span.0 && span.1 <= c.1)
    }

    /// The source of `scope` (or of an enclosing scope) that `qualifier` names, innermost
    /// first: an alias, or the name of an unaliased table or CTE.
    pub fn source_named(&self, scope: ScopeId, qualifier: &[NamePart]) -> Option<(ScopeId, usize)> {
        let mut s = Some(scope);
        while let Some(id) = s {
            let sc = &self.scopes[id];
            if let Some(i) = sc.sources.iter().position(|src| self.exposes(src, qualifier)) {
                return Some((id, i));
            }
            s = sc.parent;
        }
        None
    }

    fn exposes(&self, src: &Source, qualifier: &[NamePart]) -> bool {
        let Some(last) = qualifier.last() else { return false };
        if let Some(alias) = &src.alias {
            return qualifier.len() == 1 && alias.same(last);
        }
        match src.kind {
            SourceKind::Table(t) => {
                let table = &self.tables[t];
                if table.is_jinja() {
                    // An unaliased `{{ ref('account') }}` renders as a relation named
                    // `account`: a working query can only mean it by `account.col`.
                    return qualifier.len() == 1
                        && table
                            .jinja
                            .as_ref()
                            .is_some_and(|name| name.name().value.eq_ignore_ascii_case(&last.value));
                }
                // Compare from the right over the parts both spell out.
                table.parts.iter().rev().zip(qualifier.iter().rev()).all(|(a, b)| a.same(b))
            }
            SourceKind::Cte(c) => qualifier.len() == 1 && self.ctes[c].name.same(last),
            _ => false,
        }
    }

    /// The output names of a derived table or CTE, if every one is known.
    pub fn outputs_of(&self, kind: SourceKind) -> Option<Vec<&NamePart>> {
        let (body, columns) = match kind {
            SourceKind::Cte(c) => (self.ctes[c].body, &self.ctes[c].columns[..]),
            SourceKind::Derived(b) => (b, &[][..]),
            _ => return None,
        };
        if !columns.is_empty() {
            return Some(columns.iter().collect());
        }
        let sc = &self.scopes[body?];
        if sc.items.iter().any(|i| i.star.is_some()) {
            return None;
        }
        Some(sc.items.iter().filter_map(|i| i.output.as_ref()).collect())
    }
}

/// Builds the model of one statement node (kind `statement`) of the masked text.
pub fn build(stmt: Node<'_>, text: &str, jinja: &Masked) -> Model {
    let mut b = Builder { text, jinja, m: Model::default(), env: Vec::new(), dml_scope: None };
    b.m.upper_keywords = first_keyword_upper(stmt, text);
    b.statement(stmt);
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
        for k in named_children(select) {
            if k.kind() != "select_expression" {
                if !k.kind().starts_with("keyword_") {
                    self.expr(k, scope, Place::Expr, false);
                }
                continue;
            }
            for term in named_children(k) {
                if term.kind() != "term" {
                    self.expr(term, scope, Place::Expr, false);
                    continue;
                }
                let alias = term.child_by_field_name("alias").map(|a| self.name(a));
                let Some(value) = term.child_by_field_name("value") else { continue };
                let mut item =
                    Item { output: alias.clone(), explicit_alias: alias.is_some(), column: None, star: None };
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
                    _ => self.expr(value, scope, Place::Expr, false),
                }
                self.m.scopes[scope].items.push(item);
            }
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
        self.m.stars.push(StarRef { qualifier, span: span(node), scope });
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
        self.m.columns.push(ColumnRef {
            qualifier,
            name,
            scope: Some(scope),
            owner: None,
            place,
            in_cast,
            bare_item: bare,
            from_literal: false,
        });
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
        self.m.columns.push(ColumnRef {
            qualifier: Vec::new(),
            name,
            scope: None,
            owner: Some(owner),
            place,
            in_cast: false,
            bare_item: false,
            from_literal: false,
        });
    }

    /// Walks an expression, recording column references and opening a scope per subquery.
    fn expr(&mut self, node: Node<'_>, scope: ScopeId, place: Place, in_cast: bool) {
        match node.kind() {
            "field" => {
                self.field(node, scope, place, in_cast, false);
            }
            "literal" if self.token(node).starts_with('"') => {
                self.quoted_literal(node, scope, place, in_cast, false);
            }
            "literal" | "parameter" | "comment" => {}
            "all_fields" => self.claim(node),
            "invocation" if self.aggregate(node, scope, place, in_cast) => {}
            "subquery" => {
                let in_exists = node.parent().is_some_and(|p| p.kind() == "exists");
                let first = self.query(&named_children(node), Some(scope), false);
                if let (Some(f), true) = (first, in_exists) {
                    self.m.scopes[f].in_exists = true;
                }
            }
            "invocation" => {
                for c in named_children(node) {
                    if c.kind() == "object_reference" {
                        // The function's name.
                        self.claim(c);
                    } else {
                        self.expr(c, scope, place, in_cast);
                    }
                }
            }
            "cast" => self.cast(node, scope, place),
            "binary_expression" | "between_expression" => self.operation(node, scope, place, in_cast),
            "term" => {
                if let Some(a) = node.child_by_field_name("alias") {
                    self.claim(a);
                }
                if let Some(v) = node.child_by_field_name("value") {
                    self.expr(v, scope, place, in_cast);
                }
            }
            "window_specification" | "partition_by" | "order_by" | "window_clause" => {
                for c in named_children(node) {
                    // Window ORDER BY and PARTITION BY name input columns.
                    let p = if place == Place::Sort { Place::Expr } else { place };
                    self.expr(c, scope, p, in_cast);
                }
            }
            kind if kind.starts_with("keyword_") => {}
            _ => {
                for c in named_children(node) {
                    self.expr(c, scope, place, in_cast);
                }
            }
        }
    }

    /// Walks `node` and returns the column reference it is, if it is exactly one.
    fn operand(&mut self, node: Node<'_>, scope: ScopeId, place: Place, in_cast: bool) -> Option<usize> {
        let before = self.m.columns.len();
        self.expr(node, scope, place, in_cast);
        let is_column =
            node.kind() == "field" || (node.kind() == "literal" && self.token(node).starts_with('"'));
        (is_column && self.m.columns.len() == before + 1).then_some(before)
    }

    fn type_use(&mut self, column: usize, kind: UseKind, node: Node<'_>) {
        self.m.type_uses.push(TypeUse { column, kind, span: span(node) });
    }

    fn cast(&mut self, node: Node<'_>, scope: ScopeId, place: Place) {
        let kids = children(node);
        // The target type follows `AS` (CAST) or `::`.
        let target = kids
            .iter()
            .position(|k| matches!(k.kind(), "keyword_as" | "::"))
            .and_then(|i| kids.get(i + 1))
            .map(|t| self.token(*t).to_string());
        let before = self.m.columns.len();
        let mut direct = None;
        for c in named_children(node) {
            let is_type = target.is_some()
                && kids
                    .iter()
                    .position(|k| k.id() == c.id())
                    .is_some_and(|i| i > 0 && matches!(kids[i - 1].kind(), "keyword_as" | "::"));
            if is_type {
                continue;
            }
            if let Some(col) = self.operand(c, scope, place, true) {
                direct = Some(col);
            }
        }
        let Some(target) = target else { return };
        let after = self.m.columns.len();
        for col in before..after {
            let direct = direct == Some(col) && after == before + 1;
            self.type_use(col, UseKind::Cast { target: target.clone(), direct }, node);
        }
    }

    /// Comparisons with a literal, LIKE, and arithmetic operators whose operand is a column.
    fn operation(&mut self, node: Node<'_>, scope: ScopeId, place: Place, in_cast: bool) {
        let op = node.child_by_field_name("operator");
        let op_text = op.map(|o| self.token(o).to_ascii_lowercase()).unwrap_or_default();
        let op_text = op_text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut operands: Vec<(Node<'_>, Option<usize>)> = Vec::new();
        for c in named_children(node) {
            if op.is_some_and(|o| o.id() == c.id()) {
                continue;
            }
            let col = self.operand(c, scope, place, in_cast);
            operands.push((c, col));
        }
        let literal_of = |n: Node<'_>, text: &str| -> Option<String> {
            let t = text.get(n.byte_range())?;
            match n.kind() {
                "literal" if !t.starts_with('"') => Some(t.to_string()),
                // IN (1, 2): the first literal speaks for the list.
                "list" => named_children(n)
                    .into_iter()
                    .find(|i| i.kind() == "literal")
                    .and_then(|i| text.get(i.byte_range()))
                    .filter(|t| !t.starts_with('"'))
                    .map(str::to_string),
                _ => None,
            }
        };
        let comparison = node.kind() == "between_expression"
            || matches!(op_text.as_str(), "=" | "<>" | "!=" | "<" | ">" | "<=" | ">=" | "in" | "not in");
        if comparison {
            let literal = operands.iter().find_map(|(n, c)| match c {
                None => literal_of(*n, self.text),
                Some(_) => None,
            });
            if let Some(literal) = literal {
                for col in operands.iter().filter_map(|(_, c)| *c).collect::<Vec<_>>() {
                    self.type_use(col, UseKind::Compare { literal: literal.clone() }, node);
                }
            }
        } else if op_text.ends_with("like") {
            if let Some((_, Some(col))) = operands.first() {
                self.type_use(*col, UseKind::Like, node);
            }
        } else if matches!(op_text.as_str(), "+" | "-" | "*" | "/" | "%") {
            for col in operands.iter().filter_map(|(_, c)| *c).collect::<Vec<_>>() {
                self.type_use(col, UseKind::Arithmetic { op: op_text.clone() }, node);
            }
        }
    }

    /// `SUM(c)` / `AVG(c)`: walks the call and returns true, or returns false untouched.
    fn aggregate(&mut self, node: Node<'_>, scope: ScopeId, place: Place, in_cast: bool) -> bool {
        let kids = named_children(node);
        let func = kids
            .iter()
            .find(|k| k.kind() == "object_reference")
            .map(|f| self.token(*f).to_ascii_lowercase())
            .unwrap_or_default();
        let args: Vec<Node<'_>> = kids.iter().filter(|k| k.kind() != "object_reference").copied().collect();
        let [arg] = args[..] else { return false };
        if !matches!(func.as_str(), "sum" | "avg")
            || arg.kind() != "term"
            || arg.child_by_field_name("alias").is_some()
        {
            return false;
        }
        let Some(value) = arg.child_by_field_name("value") else { return false };
        for k in &kids {
            if k.kind() == "object_reference" {
                self.claim(*k);
            }
        }
        if let Some(col) = self.operand(value, scope, place, in_cast) {
            self.type_use(col, UseKind::Aggregate { func }, node);
        }
        true
    }

    fn insert(&mut self, ins: Node<'_>) {
        let kids = named_children(ins);
        let mut target = None;
        let mut seen_list = false;
        let mut seen_values = false;
        let mut rest = Vec::new();
        let values_scope = self.new_scope(None);
        self.dml_scope = Some(values_scope);
        for (i, k) in children(ins).iter().enumerate() {
            let _ = i;
            if !k.is_named() {
                continue;
            }
            match k.kind() {
                "object_reference" if target.is_none() => {
                    let kind = self.table_source(*k, TableRole::Target);
                    if let SourceKind::Table(t) = kind {
                        target = Some(t);
                    }
                    self.m.scopes[values_scope].sources.push(Source { kind, alias: None });
                }
                "identifier" if target.is_some() && !seen_list && !seen_values => {
                    // INSERT INTO t AS alias
                    let a = self.name(*k);
                    if let Some(s) = self.m.scopes[values_scope].sources.last_mut() {
                        s.alias = Some(a);
                    }
                }
                "list" if !seen_list && !seen_values => {
                    seen_list = true;
                    for c in named_children(*k) {
                        let id = if c.kind() == "column" { c.named_child(0).unwrap_or(c) } else { c };
                        match target {
                            Some(t) if id.kind() == "identifier" => {
                                self.owned_column(id, t, Place::InsertColumn)
                            }
                            _ => self.expr(c, values_scope, Place::Expr, false),
                        }
                    }
                }
                "keyword_values" => seen_values = true,
                "select" | "from" | "set_operation" | "cte" => rest.push(*k),
                kind if kind.starts_with("keyword_") => {}
                _ => {
                    // VALUES rows, RETURNING: expressions over the target.
                    self.expr(*k, values_scope, Place::Expr, false);
                }
            }
        }
        if !seen_list {
            if let Some(t) = target {
                self.m.positional_inserts.push(t);
            }
        }
        if !rest.is_empty() {
            self.query(&rest, None, false);
        }
        let _ = kids;
    }

    fn update(&mut self, upd: Node<'_>) {
        let scope = self.new_scope(None);
        self.dml_scope = Some(scope);
        let mut target = None;
        for k in named_children(upd) {
            match k.kind() {
                "relation" if target.is_none() => {
                    self.relation(k, scope, false);
                    target = self.m.scopes[scope].sources.last().and_then(|s| match s.kind {
                        SourceKind::Table(t) => Some(t),
                        _ => None,
                    });
                    if target.is_none() {
                        target = Some(usize::MAX);
                    }
                }
                "assignment" => self.assignment(k, scope, target.filter(|t| *t != usize::MAX)),
                "from" => self.sources_and_clauses(k, scope),
                kind if kind.starts_with("keyword_") => {}
                _ => self.expr(k, scope, Place::Expr, false),
            }
        }
    }

    fn assignment(&mut self, a: Node<'_>, scope: ScopeId, target: Option<usize>) {
        if let Some(left) = a.child_by_field_name("left") {
            let unqualified = left.kind() == "field"
                && !named_children(left).iter().any(|c| c.kind() == "object_reference");
            match (target, unqualified, left.child_by_field_name("name")) {
                (Some(t), true, Some(id)) => {
                    self.claim(left);
                    self.owned_column(id, t, Place::SetTarget);
                }
                _ => self.expr(left, scope, Place::SetTarget, false),
            }
        }
        if let Some(right) = a.child_by_field_name("right") {
            self.expr(right, scope, Place::Expr, false);
        }
    }

    fn delete(&mut self, kids: &[Node<'_>]) {
        let scope = self.new_scope(None);
        self.dml_scope = Some(scope);
        for k in kids {
            if k.kind() == "from" {
                self.sources_and_clauses(*k, scope);
            } else {
                self.expr(*k, scope, Place::Expr, false);
            }
        }
    }

    fn merge(&mut self, kids: &[Node<'_>]) {
        let scope = self.new_scope(None);
        let mut target = None;
        let all = kids.to_vec();
        for (i, k) in all.iter().enumerate() {
            match k.kind() {
                "object_reference" => {
                    let role = if target.is_none() { TableRole::Target } else { TableRole::Query };
                    let kind = self.table_source(*k, role);
                    if target.is_none() {
                        target = Some(match kind {
                            SourceKind::Table(t) => t,
                            _ => usize::MAX,
                        });
                    }
                    // An alias follows its table directly.
                    let alias = all.get(i + 1).filter(|n| n.kind() == "identifier").map(|n| self.name(*n));
                    self.m.scopes[scope].sources.push(Source { kind, alias });
                }
                "subquery" => {
                    let kind = self.derived(*k, scope, false);
                    let alias = all.get(i + 1).filter(|n| n.kind() == "identifier").map(|n| self.name(*n));
                    self.m.scopes[scope].sources.push(Source { kind, alias });
                }
                "identifier" => {}
                "when_clause" => {
                    for c in named_children(*k) {
                        if c.kind() == "assignment" {
                            self.assignment(c, scope, target.filter(|t| *t != usize::MAX));
                        } else {
                            self.expr(c, scope, Place::Expr, false);
                        }
                    }
                }
                kind if kind.starts_with("keyword_") => {}
                _ => self.expr(*k, scope, Place::Expr, false),
            }
        }
    }

    fn create_table(&mut self, ct: Node<'_>) {
        let mut table = None;
        for k in named_children(ct) {
            match k.kind() {
                "object_reference" if table.is_none() => table = Some(self.table_ref(k, TableRole::Ddl)),
                "column_definitions" => {
                    if let Some(t) = table {
                        self.column_definitions(k, t);
                    }
                }
                "create_query" => {
                    let first = self.query(&named_children(k), None, false);
                    if !self.m.defs.iter().any(|d| Some(d.table) == table) {
                        self.m.output = first;
                    }
                }
                kind if kind.starts_with("keyword_") => {}
                _ => {
                    let s = self.new_scope(None);
                    self.expr(k, s, Place::Expr, false);
                }
            }
        }
    }

    fn table_scope(&mut self, table: usize) -> ScopeId {
        let s = self.new_scope(None);
        self.m.scopes[s].sources.push(Source { kind: SourceKind::Table(table), alias: None });
        s
    }

    fn column_definitions(&mut self, defs: Node<'_>, table: usize) {
        let scope = self.table_scope(table);
        let list = self.m.def_lists.len();
        self.m.def_lists.push(DefList::default());
        // Table constraints come wrapped in a `constraints` node that also holds the comma
        // before them: flatten it so the list reads element, comma, element...
        let mut flat = Vec::new();
        for k in children(defs) {
            if k.kind() == "constraints" {
                flat.extend(children(k));
            } else {
                flat.push(k);
            }
        }
        for k in flat {
            match k.kind() {
                "," => self.m.def_lists[list].commas.push(k.start_byte()),
                "column_definition" => {
                    let element = self.m.def_lists[list].elements.len();
                    self.m.def_lists[list].elements.push(span(k));
                    self.column_definition(k, table, scope, list, element);
                }
                "constraint" => {
                    self.m.def_lists[list].elements.push(span(k));
                    self.constraint(k, table, scope);
                }
                "comment" | "(" | ")" => {}
                _ => {
                    if k.is_named() {
                        self.m.def_lists[list].elements.push(span(k));
                        self.expr(k, scope, Place::Expr, false);
                    }
                }
            }
        }
    }

    fn column_definition(
        &mut self,
        def: Node<'_>,
        table: usize,
        scope: ScopeId,
        list: usize,
        element: usize,
    ) {
        let Some(name_node) = def.child_by_field_name("name") else { return };
        let name = self.name(name_node);
        let type_span = def.child_by_field_name("type").map(span);
        self.m.defs.push(ColumnDef { name, type_span, span: span(def), table, list, element });
        self.constraint_parts(def, table, scope, &[name_node.id()]);
    }

    fn constraint(&mut self, c: Node<'_>, table: usize, scope: ScopeId) {
        if let Some(n) = c.child_by_field_name("name") {
            self.claim(n);
        }
        self.constraint_parts(c, table, scope, &[]);
    }

    /// The inside of a column definition or table constraint: column lists of this table,
    /// `REFERENCES other (cols)`, CHECK and DEFAULT expressions.
    fn constraint_parts(&mut self, node: Node<'_>, table: usize, scope: ScopeId, skip: &[usize]) {
        let mut referenced: Option<usize> = None;
        let kids = children(node);
        for (i, k) in kids.iter().enumerate() {
            if skip.contains(&k.id()) || node.field_name_for_child(i as u32) == Some("type") {
                continue;
            }
            match k.kind() {
                "ordered_columns" => {
                    for col in named_children(*k) {
                        if let Some(id) = col.child_by_field_name("name") {
                            self.owned_column(id, table, Place::Ddl);
                        } else {
                            self.expr(col, scope, Place::Expr, false);
                        }
                    }
                }
                "object_reference" => referenced = Some(self.table_ref(*k, TableRole::Ddl)),
                "identifier" => match referenced {
                    Some(t) => self.owned_column(*k, t, Place::Ddl),
                    None if node.field_name_for_child(i as u32) == Some("name") => self.claim(*k),
                    None => {}
                },
                kind if kind.starts_with("keyword_") || !k.is_named() => {}
                _ => self.expr(*k, scope, Place::Expr, false),
            }
        }
    }

    fn create_view(&mut self, cv: Node<'_>) {
        // A column list (`CREATE VIEW v (a, b) AS ...`) names the outputs instead.
        let mut listed = false;
        let mut first = None;
        for k in named_children(cv) {
            match k.kind() {
                "object_reference" => {
                    self.table_ref(k, TableRole::Ddl);
                }
                "create_query" => {
                    first = self.query(&named_children(k), None, false);
                }
                kind if kind.starts_with("keyword_") => {}
                _ => {
                    listed = true;
                    let s = self.new_scope(None);
                    self.expr(k, s, Place::Expr, false);
                }
            }
        }
        if !listed {
            self.m.output = first;
        }
    }

    fn create_index(&mut self, ci: Node<'_>) {
        let kids = children(ci);
        let mut table = None;
        let mut later = Vec::new();
        for (i, k) in kids.iter().enumerate() {
            match (k.kind(), ci.field_name_for_child(i as u32)) {
                // The index's own name.
                ("identifier", Some("column")) => self.claim(*k),
                ("object_reference", _) if table.is_none() => {
                    table = Some(self.table_ref(*k, TableRole::Ddl))
                }
                (kind, _) if kind.starts_with("keyword_") || !k.is_named() => {}
                _ => later.push(*k),
            }
        }
        let Some(t) = table else { return };
        let scope = self.table_scope(t);
        for k in later {
            if k.kind() == "index_fields" {
                for f in named_children(k) {
                    match f.child_by_field_name("column") {
                        Some(id) => {
                            self.claim(f);
                            self.owned_column(id, t, Place::Ddl);
                        }
                        None => self.expr(f, scope, Place::Expr, false),
                    }
                }
            } else {
                self.expr(k, scope, Place::Expr, false);
            }
        }
    }

    fn alter_table(&mut self, at: Node<'_>) {
        let mut table = None;
        for k in named_children(at) {
            match k.kind() {
                "object_reference" if table.is_none() => table = Some(self.table_ref(k, TableRole::Ddl)),
                kind if kind.starts_with("keyword_") => {}
                _ => {
                    let Some(t) = table else { continue };
                    let action = self.alter_action(k, t);
                    self.m.alters.push((t, action));
                }
            }
        }
    }

    fn alter_action(&mut self, k: Node<'_>, table: usize) -> AlterAction {
        let field = |n: &str| k.child_by_field_name(n);
        match k.kind() {
            "rename_column" => match (field("old_name"), field("new_name")) {
                (Some(o), Some(n)) => {
                    let old = self.name(o);
                    let new = self.name(n);
                    AlterAction::RenameColumn { old, new }
                }
                _ => AlterAction::Other,
            },
            "drop_column" => match field("name") {
                Some(n) => AlterAction::DropColumn { name: self.name(n) },
                None => AlterAction::Other,
            },
            "alter_column" => match field("name") {
                Some(n) => {
                    let name = self.name(n);
                    let type_span = field("type").map(span);
                    // SET DEFAULT expressions and the like.
                    let scope = self.table_scope(table);
                    for c in named_children(k) {
                        if c.id() != n.id() && field("type").map(|t| t.id()) != Some(c.id()) {
                            self.expr(c, scope, Place::Expr, false);
                        }
                    }
                    AlterAction::AlterColumn { name, type_span }
                }
                None => AlterAction::Other,
            },
            "rename_object" => {
                let to = named_children(k)
                    .into_iter()
                    .find(|c| c.kind() == "object_reference")
                    .map(|o| self.object_parts(o))
                    .unwrap_or_default();
                AlterAction::RenameTable { to }
            }
            "add_column" => {
                // A new column: its name is a definition, not a reference.
                if let Some(def) = named_children(k).into_iter().find(|c| c.kind() == "column_definition") {
                    if let Some(n) = def.child_by_field_name("name") {
                        self.claim(n);
                    }
                    let scope = self.table_scope(table);
                    let skip: Vec<usize> =
                        def.child_by_field_name("name").map(|n| n.id()).into_iter().collect();
                    self.constraint_parts(def, table, scope, &skip);
                }
                AlterAction::Other
            }
            "add_constraint" => {
                let scope = self.table_scope(table);
                for c in named_children(k) {
                    match c.kind() {
                        "identifier" => self.claim(c),
                        "constraint" => self.constraint(c, table, scope),
                        _ => {}
                    }
                }
                AlterAction::Other
            }
            _ => AlterAction::Other,
        }
    }
}
