//! Queries: CTEs, set operations, SELECT scopes with their sources (tables, CTEs, derived
//! tables, LATERAL and table functions) and select items. A source the builder does not
//! understand fails the statement: a missing source would let an unqualified name bind
//! with false certainty.

use super::super::names::NamePart;
use super::super::scope::{
    ColumnRef, Cte, ElementList, ExceptList, Item, Place, ScopeId, SourceKind, StarRef, TableRole, UsingRef,
};
use super::build::{Builder, R};
use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, GroupByExpr, Join, JoinConstraint, JoinOperator, NamedWindowExpr,
    ObjectName, ObjectNamePart, OrderByKind, Query, Select, SelectFlavor, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, TableAlias, TableFactor, TableWithJoins, Value, ValueTableMode,
    WildcardAdditionalOptions,
};

impl Builder<'_> {
    /// A query with its CTEs; returns the scope whose items name the query's outputs.
    pub fn query(&mut self, q: &Query, parent: Option<ScopeId>, in_set: bool) -> R<Option<ScopeId>> {
        if q.settings.is_some() || q.format_clause.is_some() || !q.pipe_operators.is_empty() {
            return Err("a query clause ripple does not model".into());
        }
        let env = self.env.len();
        if let Some(with) = &q.with {
            for cte in &with.cte_tables {
                self.cte(cte, parent, with.recursive)?;
            }
        }
        let first = self.set_expr(&q.body, parent, in_set)?;
        let set_op = matches!(*q.body, SetExpr::SetOperation { .. });
        let sort_scope = match first {
            Some(s) => s,
            None => self.new_scope(parent),
        };
        if let Some(ob) = &q.order_by {
            match &ob.kind {
                OrderByKind::Expressions(items) => {
                    if set_op {
                        // Sorting a set operation names its outputs.
                        self.m.scopes[sort_scope].in_set_operation = true;
                    }
                    for o in items {
                        self.order_by_expr(o, sort_scope, Place::Sort)?;
                    }
                }
                OrderByKind::All(_) => {}
            }
        }
        if let Some(limit) = &q.limit_clause {
            use sqlparser::ast::LimitClause;
            match limit {
                LimitClause::LimitOffset { limit, offset, limit_by } => {
                    for e in limit.iter().chain(offset.as_ref().map(|o| &o.value)).chain(limit_by) {
                        self.expr(e, sort_scope, Place::Expr, false)?;
                    }
                }
                LimitClause::OffsetCommaLimit { offset, limit } => {
                    self.expr(offset, sort_scope, Place::Expr, false)?;
                    self.expr(limit, sort_scope, Place::Expr, false)?;
                }
            }
        }
        self.env.truncate(env);
        Ok(first)
    }

    fn cte(&mut self, cte: &sqlparser::ast::Cte, parent: Option<ScopeId>, recursive: bool) -> R<()> {
        if cte.from.is_some() {
            return Err("a CTE with FROM".into());
        }
        let name = self.name(&cte.alias.name)?;
        let mut columns = Vec::new();
        for c in &cte.alias.columns {
            columns.push(self.name(&c.name)?);
        }
        let idx = self.m.ctes.len();
        self.m.ctes.push(Cte { name, columns, body: None });
        if recursive {
            self.env.push(idx);
        }
        let body = self.query(&cte.query, parent, false)?;
        self.m.ctes[idx].body = body;
        if !recursive {
            self.env.push(idx);
        }
        Ok(())
    }

    fn set_expr(&mut self, body: &SetExpr, parent: Option<ScopeId>, in_set: bool) -> R<Option<ScopeId>> {
        match body {
            SetExpr::Select(s) => self.select(s, parent, in_set).map(Some),
            SetExpr::Query(q) => self.query(q, parent, in_set),
            SetExpr::SetOperation { left, right, .. } => {
                let first = self.set_expr(left, parent, true)?;
                self.set_expr(right, parent, true)?;
                Ok(first)
            }
            SetExpr::Values(v) => {
                let s = self.new_scope(parent);
                for row in &v.rows {
                    for e in row.iter() {
                        self.expr(e, s, Place::Expr, false)?;
                    }
                }
                Ok(None)
            }
            _ => Err("a query body ripple does not model".into()),
        }
    }

    fn select(&mut self, s: &Select, parent: Option<ScopeId>, in_set: bool) -> R<ScopeId> {
        if s.flavor != SelectFlavor::Standard
            || s.into.is_some()
            || !s.lateral_views.is_empty()
            || s.prewhere.is_some()
            || !s.connect_by.is_empty()
            || s.exclude.is_some()
            || s.top.is_some()
        {
            return Err("a SELECT clause ripple does not model".into());
        }
        let scope = self.new_scope(parent);
        self.m.scopes[scope].in_set_operation = in_set;
        for twj in &s.from {
            self.from(twj, scope)?;
        }
        if let Some(sqlparser::ast::Distinct::On(exprs)) = &s.distinct {
            // DISTINCT ON follows the rules of ORDER BY.
            for e in exprs {
                self.expr(e, scope, Place::Sort, false)?;
            }
        }
        for item in &s.projection {
            self.select_item(item, scope)?;
        }
        // BigQuery's `SELECT AS VALUE x`: one value per row, no column named after `x`.
        // (`SELECT AS STRUCT a, b` names its fields as a SELECT names its columns.)
        if matches!(s.value_table_mode, Some(ValueTableMode::AsValue | ValueTableMode::DistinctAsValue)) {
            for it in &mut self.m.scopes[scope].items {
                it.output = None;
                it.named_after = None;
            }
        }
        if let Some(w) = &s.selection {
            self.expr(w, scope, Place::Expr, false)?;
        }
        match &s.group_by {
            GroupByExpr::Expressions(exprs, _) => {
                for e in exprs {
                    self.expr(e, scope, Place::Sort, false)?;
                }
            }
            GroupByExpr::All(_) => {}
        }
        for e in s.cluster_by.iter().chain(&s.distribute_by) {
            self.expr(e, scope, Place::Expr, false)?;
        }
        for o in &s.sort_by {
            self.order_by_expr(o, scope, Place::Sort)?;
        }
        // HAVING and QUALIFY may name output aliases in some dialects: read as a sort
        // key, a name that is also an output alias is never taken for the column.
        if let Some(h) = &s.having {
            self.expr(h, scope, Place::Sort, false)?;
        }
        if let Some(q) = &s.qualify {
            self.expr(q, scope, Place::Sort, false)?;
        }
        for w in &s.named_window {
            self.claim(&w.0)?;
            match &w.1 {
                NamedWindowExpr::NamedWindow(id) => self.claim(id)?,
                NamedWindowExpr::WindowSpec(spec) => self.window_spec(spec, scope)?,
            }
        }
        Ok(scope)
    }

    /// Select-list items, also used for RETURNING.
    pub fn select_item(&mut self, item: &SelectItem, scope: ScopeId) -> R<()> {
        let mut it =
            Item { output: None, explicit_alias: false, column: None, star: None, named_after: None };
        match item {
            SelectItem::UnnamedExpr(e) => match e {
                Expr::Identifier(id) => {
                    let c = self.column(std::slice::from_ref(id), scope, Place::Item, false, true)?;
                    it.output = Some(self.m.columns[c].name.clone());
                    it.column = Some(c);
                }
                Expr::CompoundIdentifier(ids) => {
                    let c = self.column(ids, scope, Place::Item, false, true)?;
                    it.output = Some(self.m.columns[c].name.clone());
                    it.column = Some(c);
                }
                _ => {
                    let before = self.m.columns.len();
                    self.expr(e, scope, Place::Expr, false)?;
                    if self.m.columns.len() == before + 1 && names_after_column(e) {
                        // sqlparser's spans do not reach the end of a cast's type.
                        it.output = Some(self.m.columns[before].name.clone());
                        it.named_after = Some((before, None));
                    }
                }
            },
            SelectItem::ExprWithAlias { expr, alias } => {
                let alias = self.name(alias)?;
                it.output = Some(alias);
                it.explicit_alias = true;
                match expr {
                    Expr::Identifier(id) => {
                        it.column =
                            Some(self.column(std::slice::from_ref(id), scope, Place::Item, false, false)?)
                    }
                    Expr::CompoundIdentifier(ids) => {
                        it.column = Some(self.column(ids, scope, Place::Item, false, false)?)
                    }
                    _ => self.expr(expr, scope, Place::Expr, false)?,
                }
            }
            SelectItem::Wildcard(opts) => {
                let sp = self.off.span(opts.wildcard_token.0.span).ok_or("no position for `*`")?;
                let (except, except_list) = self.star_modifiers(opts, &[], scope, sp.1)?;
                self.m.stars.push(StarRef { qualifier: Vec::new(), span: sp, scope, except, except_list });
                it.star = Some(self.m.stars.len() - 1);
            }
            SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(name), opts) => {
                let qualifier = self.object_parts(name)?;
                let end = self.off.span(opts.wildcard_token.0.span).ok_or("no position for `*`")?.1;
                let sp = (qualifier[0].span.0, end);
                let (except, except_list) = self.star_modifiers(opts, &qualifier, scope, end)?;
                self.m.stars.push(StarRef { qualifier, span: sp, scope, except, except_list });
                it.star = Some(self.m.stars.len() - 1);
            }
            _ => return Err("a select item ripple does not model".into()),
        }
        self.m.scopes[scope].items.push(it);
        Ok(())
    }

    pub fn from(&mut self, twj: &TableWithJoins, scope: ScopeId) -> R<()> {
        self.factor(&twj.relation, scope, TableRole::Query)?;
        for j in &twj.joins {
            self.join(j, scope)?;
        }
        Ok(())
    }

    fn join(&mut self, j: &Join, scope: ScopeId) -> R<()> {
        use JoinOperator as J;
        let constraint = match &j.join_operator {
            J::Join(c)
            | J::Inner(c)
            | J::Left(c)
            | J::LeftOuter(c)
            | J::Right(c)
            | J::RightOuter(c)
            | J::FullOuter(c)
            | J::CrossJoin(c)
            | J::Semi(c)
            | J::LeftSemi(c)
            | J::RightSemi(c)
            | J::Anti(c)
            | J::LeftAnti(c)
            | J::RightAnti(c)
            | J::StraightJoin(c) => c,
            _ => return Err("a join ripple does not model".into()),
        };
        self.factor(&j.relation, scope, TableRole::Query)?;
        match constraint {
            JoinConstraint::On(e) => self.expr(e, scope, Place::Expr, false)?,
            JoinConstraint::Using(names) => {
                for n in names {
                    let id = self.single(n)?;
                    let name = self.name(id)?;
                    let span = name.span;
                    self.m.usings.push(UsingRef { name: Some(name), span, scope });
                }
            }
            JoinConstraint::Natural => {
                // Reported at the joined table: the AST keeps no position for NATURAL.
                let span = match &j.relation {
                    TableFactor::Table { name, .. } => self.name_span(name).ok_or("a NATURAL join")?,
                    _ => return Err("a NATURAL join over a subquery".into()),
                };
                self.m.usings.push(UsingRef { name: None, span, scope });
            }
            JoinConstraint::None => {}
        }
        Ok(())
    }

    /// `AS alias` of a source; a column alias list renames its columns, which is not
    /// modelled: the source's columns become unknown.
    fn alias(&mut self, a: &Option<TableAlias>) -> R<(Option<super::super::names::NamePart>, bool)> {
        let Some(a) = a else { return Ok((None, false)) };
        if a.at.is_some() {
            return Err("a table alias with AT".into());
        }
        let name = self.name(&a.name)?;
        for c in &a.columns {
            self.claim(&c.name)?;
        }
        Ok((Some(name), !a.columns.is_empty()))
    }

    fn factor(&mut self, f: &TableFactor, scope: ScopeId, role: TableRole) -> R<()> {
        match f {
            TableFactor::Table {
                name,
                alias,
                args,
                with_hints,
                version,
                partitions,
                json_path,
                index_hints,
                ..
            } => {
                if !with_hints.is_empty()
                    || version.is_some()
                    || !partitions.is_empty()
                    || json_path.is_some()
                    || !index_hints.is_empty()
                {
                    return Err("a table option ripple does not model".into());
                }
                if let Some(parts) = self.identifier_call(name)? {
                    let t = self.push_table(parts, role);
                    let (alias, renamed) = self.alias(alias)?;
                    let kind = if renamed { SourceKind::Unknown } else { SourceKind::Table(t) };
                    self.push_source(scope, kind, alias);
                    return Ok(());
                }
                if let Some(args) = args {
                    // A table function: its name is no table, its columns are unknown.
                    self.object_parts(name)?;
                    for a in &args.args {
                        self.function_arg(a, scope, Place::Expr, false)?;
                    }
                    let (alias, _) = self.alias(alias)?;
                    self.push_source(scope, SourceKind::Unknown, alias);
                    return Ok(());
                }
                let kind = self.table_source(name, role)?;
                let (alias, renamed) = self.alias(alias)?;
                let kind = if renamed { SourceKind::Unknown } else { kind };
                self.push_source(scope, kind, alias);
            }
            TableFactor::Derived { lateral, subquery, alias, .. } => {
                // Only a LATERAL subquery sees the sources beside it.
                let parent = if *lateral { Some(scope) } else { self.m.scopes[scope].parent };
                let first = self.query(subquery, parent, false)?;
                let (alias, renamed) = self.alias(alias)?;
                let kind = if renamed { SourceKind::Unknown } else { SourceKind::Derived(first) };
                self.push_source(scope, kind, alias);
            }
            TableFactor::Function { name, args, alias, .. } => {
                self.object_parts(name)?;
                for a in args {
                    self.function_arg(a, scope, Place::Expr, false)?;
                }
                let (alias, _) = self.alias(alias)?;
                self.push_source(scope, SourceKind::Unknown, alias);
            }
            TableFactor::TableFunction { expr, alias } => {
                self.expr(expr, scope, Place::Expr, false)?;
                let (alias, _) = self.alias(alias)?;
                self.push_source(scope, SourceKind::Unknown, alias);
            }
            TableFactor::UNNEST { alias, array_exprs, with_offset_alias, .. } => {
                for e in array_exprs {
                    self.expr(e, scope, Place::Expr, false)?;
                }
                let (alias, _) = self.alias(alias)?;
                if let Some(o) = with_offset_alias {
                    self.claim(o)?;
                }
                self.push_source(scope, SourceKind::Unknown, alias);
            }
            TableFactor::NestedJoin { table_with_joins, alias: None } => {
                self.from(table_with_joins, scope)?
            }
            _ => return Err("a FROM item ripple does not model".into()),
        }
        Ok(())
    }

    /// Snowflake `IDENTIFIER('db.t')`: the table the literal names, its parts placed inside
    /// the quotes (written bare there, so only when every new table name is plain).
    fn identifier_call(&mut self, name: &ObjectName) -> R<Option<Vec<NamePart>>> {
        let [ObjectNamePart::Function(call)] = &name.0[..] else { return Ok(None) };
        let f = &call.name;
        if !f.value.eq_ignore_ascii_case("identifier") || f.quote_style.is_some() {
            return Ok(None);
        }
        let [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))] = &call.args[..] else {
            return Ok(None);
        };
        let Value::SingleQuotedString(s) = &v.value else { return Ok(None) };
        let sp = self.off.span(v.span).ok_or("no position for the name IDENTIFIER reads")?;
        let tok = self.text.get(sp.0..sp.1).unwrap_or("");
        let plain = !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.');
        if !self.split_paths_ok || !plain || tok.get(1..tok.len().saturating_sub(1)) != Some(s.as_str()) {
            return Err("IDENTIFIER of a name ripple cannot place".into());
        }
        self.claim(f)?;
        let mut parts = Vec::new();
        let mut at = sp.0 + 1;
        for piece in s.split('.') {
            if piece.is_empty() {
                return Err("IDENTIFIER of a name ripple cannot place".into());
            }
            parts.push(NamePart {
                value: piece.to_string(),
                quote: None,
                span: (at, at + piece.len()),
                exact: false,
            });
            at += piece.len() + 1;
        }
        self.m.claimed.push(sp);
        Ok(Some(parts))
    }

    fn name_span(&self, name: &ObjectName) -> Option<(usize, usize)> {
        let first = self.off.span(name.0.first()?.as_ident()?.span)?;
        let last = self.off.span(name.0.last()?.as_ident()?.span)?;
        Some((first.0, last.1))
    }
}

impl Builder<'_> {
    /// BigQuery's `* EXCEPT (a, b)` and `* REPLACE (expr AS a)`: the names in them are
    /// columns of the star's sources (of the one `t.*` names), so they follow a rename.
    /// EXCLUDE, RENAME and ILIKE change what the star yields in ways not modelled.
    /// Returns the names EXCEPT leaves out, and its list as written after the `*` ending
    /// at `star_end`.
    fn star_modifiers(
        &mut self,
        o: &WildcardAdditionalOptions,
        qualifier: &[NamePart],
        scope: ScopeId,
        star_end: usize,
    ) -> R<(Vec<NamePart>, Option<ExceptList>)> {
        if o.opt_ilike.is_some() || o.opt_exclude.is_some() || o.opt_rename.is_some() || o.opt_alias.is_some()
        {
            return Err("a `*` with EXCLUDE, RENAME or ILIKE".into());
        }
        let mut left_out = Vec::new();
        let mut except_list = None;
        if let Some(except) = &o.opt_except {
            let first = self.m.columns.len();
            for id in std::iter::once(&except.first_element).chain(&except.additional_elements) {
                left_out.push(self.star_column(id, qualifier, scope)?);
            }
            let columns = (first..self.m.columns.len()).collect();
            except_list = except_list_of(self.text, star_end, &left_out, columns);
        }
        if let Some(replace) = &o.opt_replace {
            for r in &replace.items {
                self.expr(&r.expr, scope, Place::Expr, false)?;
                self.star_column(&r.column_name, qualifier, scope)?;
            }
        }
        Ok((left_out, except_list))
    }

    /// A column a star's EXCEPT or REPLACE names, qualified as the star is.
    fn star_column(
        &mut self,
        id: &sqlparser::ast::Ident,
        qualifier: &[NamePart],
        scope: ScopeId,
    ) -> R<NamePart> {
        let name = self.name(id)?;
        self.m.columns.push(ColumnRef::scoped(
            qualifier.to_vec(),
            name.clone(),
            scope,
            Place::Expr,
            false,
            false,
            false,
        ));
        Ok(name)
    }
}

/// The list of `EXCEPT (a, b)` right after a `*` ending at `star_end`, read from the text:
/// only blanks between its words, parentheses, names and commas (no comment).
fn except_list_of(
    text: &str,
    star_end: usize,
    names: &[NamePart],
    columns: Vec<usize>,
) -> Option<ExceptList> {
    let blank = |a: usize, b: usize| text.get(a..b).is_some_and(|t| t.chars().all(char::is_whitespace));
    let rest = text.get(star_end..)?;
    let kw = rest.len() - rest.trim_start().len();
    let after_kw = star_end + kw + "except".len();
    if !text.get(star_end + kw..after_kw)?.eq_ignore_ascii_case("except") {
        return None;
    }
    let open = after_kw + text.get(after_kw..)?.find('(')?;
    let first = names.first()?;
    if !blank(after_kw, open) || !blank(open + 1, first.span.0) {
        return None;
    }
    let mut commas = Vec::new();
    for w in names.windows(2) {
        let comma = w[0].span.1 + text.get(w[0].span.1..w[1].span.0)?.find(',')?;
        if !blank(w[0].span.1, comma) || !blank(comma + 1, w[1].span.0) {
            return None;
        }
        commas.push(comma);
    }
    let last = names.last()?.span.1;
    let close = last + text.get(last..)?.find(')')?;
    if !blank(last, close) {
        return None;
    }
    let elements = names.iter().map(|n| n.span).collect();
    Some(ExceptList { list: ElementList { elements, commas }, clause: (star_end, close + 1), columns })
}

/// Is `e` a cast, COLLATE or parenthesised expression of a bare column, through any nesting?
fn names_after_column(e: &Expr) -> bool {
    match e {
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => true,
        Expr::Cast { expr, .. } | Expr::Nested(expr) | Expr::Collate { expr, .. } => names_after_column(expr),
        _ => false,
    }
}
