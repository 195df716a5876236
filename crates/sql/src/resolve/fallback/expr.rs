//! Expressions: the column references of every expression a query, DML statement or DDL
//! holds (function calls and their arguments, window specifications, ORDER BY items, JSON
//! paths). An expression the builder does not walk claims nothing, so a watched name inside
//! it fails the statement later.

use super::super::names::NamePart;
use super::super::scope::{Place, ScopeId};
use super::build::{Builder, Unmodelled, R};
use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentClause, FunctionArguments, JsonPathElem,
    OrderByExpr, Spanned, Value, WindowFrameBound, WindowSpec, WindowType,
};

impl Builder<'_> {
    pub(super) fn order_by_expr(&mut self, o: &OrderByExpr, scope: ScopeId, place: Place) -> R<()> {
        if o.with_fill.is_some() {
            return Err("ORDER BY ... WITH FILL".into());
        }
        self.expr(&o.expr, scope, place, false)
    }

    pub(super) fn window_spec(&mut self, w: &WindowSpec, scope: ScopeId) -> R<()> {
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

    pub(super) fn function_arg(
        &mut self,
        a: &FunctionArg,
        scope: ScopeId,
        place: Place,
        in_cast: bool,
    ) -> R<()> {
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
            Expr::Struct { values, fields } => {
                for f in fields {
                    if let Some(n) = &f.field_name {
                        self.claim(n)?;
                    }
                }
                for v in values {
                    match v {
                        // A bare column names its field after itself, as a select item does.
                        Expr::Identifier(id) => {
                            self.column(std::slice::from_ref(id), scope, Place::Item, in_cast, true)?;
                        }
                        Expr::CompoundIdentifier(ids) => {
                            self.column(ids, scope, Place::Item, in_cast, true)?;
                        }
                        _ => self.expr(v, scope, place, in_cast)?,
                    }
                }
            }
            // `expr AS field` of a STRUCT: the field's name is no column.
            Expr::Named { expr, name } => {
                self.expr(expr, scope, place, in_cast)?;
                self.claim(name)?;
            }
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
        // `$2:user_name` in a COPY's query: the first key names a field of the staged files.
        let staged = matches!(value, Expr::Value(v) if matches!(&v.value, Value::Placeholder(p) if p.starts_with('$')));
        let mut first = staged.then_some(self.copy_target).flatten();
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
                    if let Some(t) = first.take() {
                        let part = NamePart::from_token(tok, (at, at + len));
                        self.m.stage_fields.push((t, part));
                    }
                    at += len;
                }
                JsonPathElem::Bracket { key } | JsonPathElem::ColonBracket { key } => {
                    first = None;
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
