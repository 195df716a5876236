//! Queries: CTEs, set operations, SELECT scopes with their sources (tables, CTEs, derived
//! tables, LATERAL and table functions), select items, and the column references of every
//! expression. A source the builder does not understand fails the statement: a missing
//! source would let an unqualified name bind with false certainty. An expression it does
//! not walk claims nothing, so a watched name inside it fails the statement later.

use super::super::scope::{Cte, Item, Place, ScopeId, SourceKind, StarRef, TableRole, UsingRef};
use super::build::{Builder, Unmodelled, R};
use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentClause, FunctionArguments, GroupByExpr,
    Join, JoinConstraint, JoinOperator, JsonPathElem, NamedWindowExpr, ObjectName, OrderByExpr, OrderByKind,
    Query, Select, SelectFlavor, SelectItem, SelectItemQualifiedWildcardKind, SetExpr, Spanned, TableAlias,
    TableFactor, TableWithJoins, WildcardAdditionalOptions, WindowFrameBound, WindowSpec, WindowType,
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
            || s.value_table_mode.is_some()
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
        let mut it = Item { output: None, explicit_alias: false, column: None, star: None };
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
                _ => self.expr(e, scope, Place::Expr, false)?,
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
                plain_wildcard(opts)?;
                let sp = self.off.span(opts.wildcard_token.0.span).ok_or("no position for `*`")?;
                self.m.stars.push(StarRef { qualifier: Vec::new(), span: sp, scope });
                it.star = Some(self.m.stars.len() - 1);
            }
            SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(name), opts) => {
                plain_wildcard(opts)?;
                let qualifier = self.object_parts(name)?;
                let end = self.off.span(opts.wildcard_token.0.span).ok_or("no position for `*`")?.1;
                let sp = (qualifier[0].span.0, end);
                self.m.stars.push(StarRef { qualifier, span: sp, scope });
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

    fn name_span(&self, name: &ObjectName) -> Option<(usize, usize)> {
        let first = self.off.span(name.0.first()?.as_ident()?.span)?;
        let last = self.off.span(name.0.last()?.as_ident()?.span)?;
        Some((first.0, last.1))
    }

    fn order_by_expr(&mut self, o: &OrderByExpr, scope: ScopeId, place: Place) -> R<()> {
        if o.with_fill.is_some() {
            return Err("ORDER BY ... WITH FILL".into());
        }
        self.expr(&o.expr, scope, place, false)
    }

    fn window_spec(&mut self, w: &WindowSpec, scope: ScopeId) -> R<()> {
        if let Some(n) = &w.window_name {
            self.claim(n)?;
        }
        // Window PARTITION BY and ORDER BY name input columns.
        for e in &w.partition_by {
            self.expr(e, scope, Place::Expr, false)?;
        }
        for o in &w.order_by {
            self.order_by_expr(o, scope, Place::Expr)?;
        }
        if let Some(frame) = &w.window_frame {
            for b in std::iter::once(&frame.start_bound).chain(frame.end_bound.as_ref()) {
                if let WindowFrameBound::Preceding(Some(e)) | WindowFrameBound::Following(Some(e)) = b {
                    self.expr(e, scope, Place::Expr, false)?;
                }
            }
        }
        Ok(())
    }

    fn function(&mut self, f: &Function, scope: ScopeId, place: Place, in_cast: bool) -> R<()> {
        // The function's name is no column; claimed so that a function named like a
        // watched name does not fail the statement.
        self.object_parts(&f.name)?;
        for args in [&f.parameters, &f.args] {
            match args {
                FunctionArguments::None => {}
                FunctionArguments::Subquery(q) => {
                    self.query(q, Some(scope), false)?;
                }
                FunctionArguments::List(list) => {
                    for a in &list.args {
                        self.function_arg(a, scope, place, in_cast)?;
                    }
                    for c in &list.clauses {
                        match c {
                            FunctionArgumentClause::OrderBy(obs) => {
                                for o in obs {
                                    self.order_by_expr(o, scope, Place::Expr)?;
                                }
                            }
                            FunctionArgumentClause::Where(e) | FunctionArgumentClause::Limit(e) => {
                                self.expr(e, scope, Place::Expr, false)?
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
        for o in &f.within_group {
            self.order_by_expr(o, scope, Place::Expr)?;
        }
        if let Some(e) = &f.filter {
            self.expr(e, scope, Place::Expr, false)?;
        }
        match &f.over {
            Some(WindowType::WindowSpec(spec)) => self.window_spec(spec, scope)?,
            Some(WindowType::NamedWindow(id)) => self.claim(id)?,
            None => {}
        }
        Ok(())
    }

    fn function_arg(&mut self, a: &FunctionArg, scope: ScopeId, place: Place, in_cast: bool) -> R<()> {
        let arg = match a {
            FunctionArg::Named { name, arg, .. } => {
                // A parameter name (`input => ...`), not a column.
                self.claim(name)?;
                arg
            }
            FunctionArg::ExprNamed { arg, .. } => arg,
            FunctionArg::Unnamed(arg) => arg,
        };
        match arg {
            FunctionArgExpr::Expr(e) => self.expr(e, scope, place, in_cast),
            // `count(*)`; a qualified `t.*` stays unclaimed.
            _ => Ok(()),
        }
    }

    /// Walks an expression, recording column references and opening a scope per subquery.
    pub fn expr(&mut self, e: &Expr, scope: ScopeId, place: Place, in_cast: bool) -> R<()> {
        match e {
            Expr::Identifier(id) => {
                self.column(std::slice::from_ref(id), scope, place, in_cast, false)?;
            }
            Expr::CompoundIdentifier(ids) => {
                self.column(ids, scope, place, in_cast, false)?;
            }
            Expr::JsonAccess { value, path } => {
                self.expr(value, scope, place, in_cast)?;
                self.json_path(value, &path.path, scope)?;
            }
            Expr::CompoundFieldAccess { root, .. } => self.expr(root, scope, place, in_cast)?,
            Expr::IsFalse(x)
            | Expr::IsNotFalse(x)
            | Expr::IsTrue(x)
            | Expr::IsNotTrue(x)
            | Expr::IsNull(x)
            | Expr::IsNotNull(x)
            | Expr::IsUnknown(x)
            | Expr::IsNotUnknown(x)
            | Expr::Nested(x)
            | Expr::UnaryOp { expr: x, .. }
            | Expr::Collate { expr: x, .. }
            | Expr::Extract { expr: x, .. }
            | Expr::Ceil { expr: x, .. }
            | Expr::Floor { expr: x, .. }
            | Expr::Prefixed { value: x, .. } => self.expr(x, scope, place, in_cast)?,
            Expr::IsDistinctFrom(a, b)
            | Expr::IsNotDistinctFrom(a, b)
            | Expr::BinaryOp { left: a, right: b, .. }
            | Expr::AnyOp { left: a, right: b, .. }
            | Expr::AllOp { left: a, right: b, .. }
            | Expr::Position { expr: a, r#in: b }
            | Expr::AtTimeZone { timestamp: a, time_zone: b }
            | Expr::RLike { expr: a, pattern: b, .. } => {
                self.expr(a, scope, place, in_cast)?;
                self.expr(b, scope, place, in_cast)?;
            }
            Expr::Like { expr, pattern, escape_char, .. }
            | Expr::ILike { expr, pattern, escape_char, .. }
            | Expr::SimilarTo { expr, pattern, escape_char, .. } => {
                for x in [Some(expr), Some(pattern), escape_char.as_ref()].into_iter().flatten() {
                    self.expr(x, scope, place, in_cast)?;
                }
            }
            Expr::InList { expr, list, .. } => {
                self.expr(expr, scope, place, in_cast)?;
                for x in list {
                    self.expr(x, scope, place, in_cast)?;
                }
            }
            Expr::InSubquery { expr, subquery, .. } => {
                self.expr(expr, scope, place, in_cast)?;
                self.query(subquery, Some(scope), false)?;
            }
            Expr::InUnnest { expr, array_expr, .. } => {
                self.expr(expr, scope, place, in_cast)?;
                self.expr(array_expr, scope, place, in_cast)?;
            }
            Expr::Between { expr, low, high, .. } => {
                for x in [expr, low, high] {
                    self.expr(x, scope, place, in_cast)?;
                }
            }
            Expr::Cast { expr, .. } | Expr::Convert { expr, .. } => self.expr(expr, scope, place, true)?,
            Expr::Substring { expr, substring_from, substring_for, .. } => {
                self.expr(expr, scope, place, in_cast)?;
                for x in substring_from.iter().chain(substring_for) {
                    self.expr(x, scope, place, in_cast)?;
                }
            }
            Expr::Trim { expr, trim_what, trim_characters, .. } => {
                self.expr(expr, scope, place, in_cast)?;
                for x in trim_what.iter().map(|b| &**b).chain(trim_characters.iter().flatten()) {
                    self.expr(x, scope, place, in_cast)?;
                }
            }
            Expr::Overlay { expr, overlay_what, overlay_from, overlay_for } => {
                for x in [Some(expr), Some(overlay_what), Some(overlay_from), overlay_for.as_ref()]
                    .into_iter()
                    .flatten()
                {
                    self.expr(x, scope, place, in_cast)?;
                }
            }
            Expr::Function(f) => self.function(f, scope, place, in_cast)?,
            Expr::Case { operand, conditions, else_result, .. } => {
                for x in operand.iter().chain(else_result) {
                    self.expr(x, scope, place, in_cast)?;
                }
                for c in conditions {
                    self.expr(&c.condition, scope, place, in_cast)?;
                    self.expr(&c.result, scope, place, in_cast)?;
                }
            }
            Expr::Exists { subquery, .. } => {
                if let Some(first) = self.query(subquery, Some(scope), false)? {
                    self.m.scopes[first].in_exists = true;
                }
            }
            Expr::Subquery(q) => {
                self.query(q, Some(scope), false)?;
            }
            Expr::GroupingSets(sets) | Expr::Cube(sets) | Expr::Rollup(sets) => {
                for x in sets.iter().flatten() {
                    self.expr(x, scope, place, in_cast)?;
                }
            }
            Expr::Tuple(xs) => {
                for x in xs {
                    self.expr(x, scope, place, in_cast)?;
                }
            }
            Expr::Array(a) => {
                for x in &a.elem {
                    self.expr(x, scope, place, in_cast)?;
                }
            }
            Expr::Interval(i) => self.expr(&i.value, scope, place, in_cast)?,
            // Literals and constructs not walked: whatever they contain stays unclaimed.
            _ => {}
        }
        Ok(())
    }

    /// Keys of a Snowflake `col:a.b` path are JSON keys, not columns: claimed at their
    /// exact place after the value, or the statement fails.
    fn json_path(&mut self, value: &Expr, path: &[JsonPathElem], scope: ScopeId) -> R<()> {
        let bad = || Unmodelled::from("a JSON path ripple could not place");
        let mut at = self.off.span(value.span()).ok_or_else(bad)?.1;
        let b = self.text.as_bytes();
        let skip_ws = |mut i: usize| {
            while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
                i += 1;
            }
            i
        };
        // Subscripts of the value (`v[0]:c`) are not in its span: step over them.
        if matches!(value, Expr::CompoundFieldAccess { .. }) {
            while b.get(at) == Some(&b'[') {
                at = bracket_end(b, at).ok_or_else(bad)?;
            }
        }
        for elem in path {
            at = skip_ws(at);
            match elem {
                JsonPathElem::Dot { key, quoted } => {
                    if !matches!(b.get(at), Some(b':' | b'.')) {
                        return Err(bad());
                    }
                    at = skip_ws(at + 1);
                    let len = if *quoted { key.len() + 2 } else { key.len() };
                    let tok = self.text.get(at..at + len).ok_or_else(bad)?;
                    let ok = if *quoted {
                        tok.get(1..len - 1) == Some(key.as_str()) && tok.starts_with('"')
                    } else {
                        tok == key
                    };
                    if !ok || key.contains('"') {
                        return Err(bad());
                    }
                    self.m.claimed.push((at, at + len));
                    at += len;
                }
                JsonPathElem::Bracket { key } | JsonPathElem::ColonBracket { key } => {
                    if b.get(at) == Some(&b':') {
                        at = skip_ws(at + 1);
                    }
                    if b.get(at) != Some(&b'[') {
                        return Err(bad());
                    }
                    self.expr(key, scope, Place::Expr, false)?;
                    at = skip_ws(self.off.span(key.span()).ok_or_else(bad)?.1);
                    if b.get(at) != Some(&b']') {
                        return Err(bad());
                    }
                    at += 1;
                }
            }
        }
        Ok(())
    }
}

/// One past the `]` closing the `[` at `open`, skipping quoted strings.
fn bracket_end(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            q @ (b'\'' | b'"') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `*` with EXCLUDE / REPLACE / RENAME / ILIKE changes which columns it yields.
fn plain_wildcard(o: &WildcardAdditionalOptions) -> R<()> {
    if o.opt_ilike.is_some()
        || o.opt_exclude.is_some()
        || o.opt_except.is_some()
        || o.opt_replace.is_some()
        || o.opt_rename.is_some()
        || o.opt_alias.is_some()
    {
        return Err("a `*` with EXCLUDE, REPLACE or RENAME".into());
    }
    Ok(())
}
