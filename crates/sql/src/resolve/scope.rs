//! The query model of one statement: scopes (one per SELECT), their sources (tables, CTEs,
//! derived tables) with aliases, the CTEs in view, column references with byte spans and
//! where they stand, and the DDL elements rules may edit. Built from a tree-sitter tree
//! that has no ERROR node; rules decide from the model, never from the raw text.
//!
//! Every identifier the model understands is recorded as claimed; an identifier that names
//! a watched name and is not claimed is reported by the caller, so a construct the model
//! does not know is never silently skipped.

mod fields;
mod from_tree;

use super::names::NamePart;
use crate::source::jinja::{BlockKind, Masked};
use ripple_core::TableName;

pub use from_tree::build;

/// Chains of CTEs and derived tables deeper than this (or cyclic, as a recursive CTE's)
/// are followed no further.
pub const MAX_STAR_DEPTH: usize = 16;

/// A scope of a model: an index into [`Model::scopes`].
pub type ScopeId = usize;

/// What kind of statement a model is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// A query (SELECT, set operations, WITH ... SELECT).
    Query,
    /// INSERT.
    Insert,
    /// UPDATE.
    Update,
    /// DELETE.
    Delete,
    /// MERGE.
    Merge,
    /// CREATE TABLE (with columns, or AS a query).
    CreateTable,
    /// CREATE VIEW.
    CreateView,
    /// CREATE INDEX.
    CreateIndex,
    /// ALTER TABLE.
    AlterTable,
    /// DROP TABLE.
    DropTable,
    /// A scripting statement (BigQuery `DECLARE`, `SET`) whose expressions may read tables.
    Script,
    /// A statement the model does not analyse (functions, grants, ...), by tree-sitter kind.
    Other,
}

impl StatementKind {
    /// Does the statement define or alter a table's columns?
    pub fn is_ddl(self) -> bool {
        matches!(self, StatementKind::CreateTable | StatementKind::CreateIndex | StatementKind::AlterTable)
    }
}

/// One SELECT (or DML statement body): the sources its column names can bind to.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    pub parent: Option<ScopeId>,
    pub sources: Vec<Source>,
    pub items: Vec<Item>,
    /// Part of a set operation: a trailing ORDER BY names outputs, not inputs.
    pub in_set_operation: bool,
    /// The subquery of an `EXISTS`: its select list does not shape any result.
    pub in_exists: bool,
    /// The select list's layout, one element per item (empty when not modelled).
    pub list: ElementList,
    /// ORDER BY / GROUP BY names a select item by its position.
    pub positional_sort: bool,
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
    /// An unaliased cast, COLLATE or parenthesised expression of one column reference,
    /// which Postgres names after that column: the reference, and where the expression
    /// ends (to add an alias after it) when the parser says.
    pub named_after: Option<(usize, Option<usize>)>,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub kind: SourceKind,
    pub alias: Option<NamePart>,
}

/// What a source of a scope is.
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
    /// The whole reference is `{{ this }}`: the model's own relation, whose name the file's
    /// place gives (`jinja` once the analysis knows it).
    pub this: bool,
}

impl TableRef {
    /// A reference with its Jinja part resolved: a whole `{{ ref('x') }}` placeholder names
    /// table `x`; any other overlap with Jinja makes the table unknown.
    pub fn new(parts: Vec<NamePart>, span: (usize, usize), role: TableRole, masked: &Masked) -> Self {
        let mut jinja = None;
        let mut jinja_unknown = false;
        let mut this = false;
        for (i, p) in parts.iter().enumerate() {
            if let Some(b) = masked.block_at(p.span.0, p.span.1) {
                match (&b.table, parts.len(), i) {
                    (Some(t), 1, 0) if b.kind == BlockKind::Expression => jinja = Some(t.clone()),
                    (None, 1, 0) if b.this => {
                        this = true;
                        jinja_unknown = true;
                    }
                    _ => jinja_unknown = true,
                }
            } else if masked.touches(p.span.0, p.span.1) {
                jinja_unknown = true;
            }
        }
        TableRef { parts, span, role, jinja, jinja_unknown, this }
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

impl ColumnRef {
    /// A column named in `scope`, where binding decides its table.
    pub fn scoped(
        qualifier: Vec<NamePart>,
        name: NamePart,
        scope: ScopeId,
        place: Place,
        in_cast: bool,
        bare_item: bool,
        from_literal: bool,
    ) -> Self {
        ColumnRef {
            qualifier,
            name,
            scope: Some(scope),
            owner: None,
            place,
            in_cast,
            bare_item,
            from_literal,
        }
    }

    /// A column of a known table by position (INSERT list, SET target, DDL).
    pub fn owned(name: NamePart, owner: usize, place: Place) -> Self {
        ColumnRef {
            qualifier: Vec::new(),
            name,
            scope: None,
            owner: Some(owner),
            place,
            in_cast: false,
            bare_item: false,
            from_literal: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct StarRef {
    pub qualifier: Vec<NamePart>,
    pub span: (usize, usize),
    pub scope: ScopeId,
    /// The columns BigQuery's `* EXCEPT (...)` leaves out.
    pub except: Vec<NamePart>,
    /// Where that `EXCEPT (...)` stands, when its text was read cleanly.
    pub except_list: Option<ExceptList>,
}

/// The list of a star's `EXCEPT (a, b)`: its elements, and the whole clause (from the end
/// of the `*`, its leading space included) to take out when its one element goes.
#[derive(Debug, Clone)]
pub struct ExceptList {
    pub list: ElementList,
    pub clause: (usize, usize),
    /// The column references of its names, in order.
    pub columns: Vec<usize>,
}

/// A column of `USING (...)`, or a NATURAL join (no name).
#[derive(Debug, Clone)]
pub struct UsingRef {
    pub name: Option<NamePart>,
    pub span: (usize, usize),
    pub scope: ScopeId,
}

/// An INSERT: where its columns and values stand, to remove a dropped column with them.
#[derive(Debug, Clone, Default)]
pub struct InsertShape {
    /// The target table (index into `Model::tables`).
    pub target: Option<usize>,
    /// The column list, and its column references in the same order.
    pub columns: Option<(ElementList, Vec<usize>)>,
    /// The rows of VALUES.
    pub rows: Vec<ElementList>,
    /// The SELECT of `INSERT ... SELECT`.
    pub select: Option<ScopeId>,
    /// A part the shape does not model (a column list of expressions, a VALUES row that
    /// is not a list, DEFAULT VALUES...).
    pub unmodelled: bool,
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

/// A comma-separated list in order (the elements of CREATE TABLE, a select list, an
/// INSERT column list or VALUES row, the assignments of SET), for clean removals.
#[derive(Debug, Clone, Default)]
pub struct ElementList {
    /// Byte spans of the elements (column definitions and table constraints, items...).
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
    /// An operand of `||` or an argument of `CONCAT`: read as text.
    Concat,
    /// An argument of `COALESCE` / `IFNULL` / `NVL` with a literal fallback, as written.
    Coalesce { literal: String },
}

/// The query model of one statement; every span is a byte span of the file (or region).
#[derive(Debug, Default, Clone)]
pub struct Model {
    /// What the statement is; `None` until the builder knows.
    pub kind: Option<StatementKind>,
    /// Every SELECT (or DML body); a scope id is an index here.
    pub scopes: Vec<Scope>,
    /// Every table reference.
    pub tables: Vec<TableRef>,
    /// Every CTE definition.
    pub ctes: Vec<Cte>,
    /// Every column reference.
    pub columns: Vec<ColumnRef>,
    /// Every `*` and `t.*`.
    pub stars: Vec<StarRef>,
    /// Every `USING (...)` list and NATURAL join.
    pub usings: Vec<UsingRef>,
    /// Column definitions of CREATE TABLE.
    pub defs: Vec<ColumnDef>,
    /// The element lists of CREATE TABLE.
    pub def_lists: Vec<ElementList>,
    /// ALTER TABLE actions, with the altered table.
    pub alters: Vec<(usize, AlterAction)>,
    /// INSERT targets without a column list (they rely on column order).
    pub positional_inserts: Vec<usize>,
    /// The INSERT's shape, when the statement is one.
    pub insert: Option<InsertShape>,
    /// The assignments of `UPDATE ... SET`.
    pub set_list: Option<ElementList>,
    /// Byte spans of every identifier the model accounted for.
    pub claimed: Vec<(usize, usize)>,
    /// The statement writes keywords in upper case.
    pub upper_keywords: bool,
    /// Typed uses of column references (casts, comparisons with literals, operators).
    pub type_uses: Vec<TypeUse>,
    /// Snowflake `COPY INTO t FROM (SELECT $1:field FROM @stage)`: the fields of staged
    /// files read into table `t` (index into `tables`): data that may spell a column's name.
    pub stage_fields: Vec<(usize, NamePart)>,
    /// The SELECT whose items name the statement's result columns (a query, CREATE VIEW,
    /// CREATE TABLE AS), unless something else names them (a view's column list).
    pub output: Option<ScopeId>,
}

impl Model {
    /// Marks the quoted column names and output names as case-exact, in a dialect that
    /// folds unquoted names to upper case (Snowflake: `"USER_NAME"` is `user_name`,
    /// `"user_name"` is not). `false` when nothing is quoted.
    pub fn fold_quoted_upper(&mut self) -> bool {
        let mut any = false;
        let names = self.columns.iter_mut().map(|c| &mut c.name);
        let outputs = self.scopes.iter_mut().flat_map(|s| &mut s.items).filter_map(|i| i.output.as_mut());
        let except = self.stars.iter_mut().flat_map(|s| &mut s.except);
        for n in names.chain(outputs).chain(except).filter(|n| n.quoted()) {
            n.exact = true;
            any = true;
        }
        any
    }

    /// What the statement is ([`StatementKind::Other`] if unknown).
    pub fn kind(&self) -> StatementKind {
        self.kind.unwrap_or(StatementKind::Other)
    }

    /// Did the model account for the identifier at `span`?
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

    /// Does the result of `scope` reach readers outside the statement? Not when it is the
    /// body of a CTE or derived table that no star passing its result on expands: its
    /// readers then name their columns, and each reference is bound on its own.
    pub fn passes_out(&self, scope: ScopeId) -> bool {
        self.passes_out_at(scope, 0)
    }

    fn passes_out_at(&self, scope: ScopeId, depth: usize) -> bool {
        let reads_body = |src: &Source| match src.kind {
            SourceKind::Cte(c) => self.ctes[c].body == Some(scope),
            SourceKind::Derived(b) => b == Some(scope),
            _ => false,
        };
        if !self.is_body(scope) || depth > MAX_STAR_DEPTH {
            return true;
        }
        self.stars.iter().any(|star| {
            self.star_sources(star).into_iter().any(reads_body)
                && !self.scopes[star.scope].in_exists
                && self.passes_out_at(star.scope, depth + 1)
        })
    }

    /// Is `scope` the body of a CTE or derived table?
    pub fn is_body(&self, scope: ScopeId) -> bool {
        let reads_body = |src: &Source| match src.kind {
            SourceKind::Cte(c) => self.ctes[c].body == Some(scope),
            SourceKind::Derived(b) => b == Some(scope),
            _ => false,
        };
        self.ctes.iter().any(|c| c.body == Some(scope))
            || self.scopes.iter().any(|sc| sc.sources.iter().any(reads_body))
    }

    /// The sources a star expands: every source of its SELECT, or the one `t.*` names.
    pub fn star_sources(&self, star: &StarRef) -> Vec<&Source> {
        if star.qualifier.is_empty() {
            return self.scopes[star.scope].sources.iter().collect();
        }
        self.source_named(star.scope, &star.qualifier)
            .map(|(s, i)| &self.scopes[s].sources[i])
            .into_iter()
            .collect()
    }

    /// The stars of the select list of `scope`.
    pub fn stars_of(&self, scope: ScopeId) -> impl Iterator<Item = &StarRef> {
        self.scopes[scope].items.iter().filter_map(|i| i.star.map(|s| &self.stars[s]))
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
