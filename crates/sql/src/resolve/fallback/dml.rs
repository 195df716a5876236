//! INSERT, UPDATE, DELETE and MERGE: the written table is the scope's target, its columns
//! by position (INSERT lists, SET targets, ON CONFLICT columns) belong to it directly.

use super::super::names::NamePart;
use super::super::scope::{Place, ScopeId, SourceKind, TableRole};
use super::build::{Builder, R};
use sqlparser::ast::{
    Assignment, AssignmentTarget, ConflictTarget, Delete, FromTable, Insert, Merge, MergeAction,
    MergeInsertKind, MergeUpdateKind, OnConflictAction, OnInsert, SetExpr, TableFactor, TableObject, Update,
    UpdateTableFromKind,
};

impl Builder<'_> {
    pub fn insert(&mut self, ins: &Insert) -> R<()> {
        if ins.partitioned.is_some()
            || !ins.after_columns.is_empty()
            || !ins.assignments.is_empty()
            || ins.output.is_some()
            || ins.insert_alias.is_some()
            || ins.settings.is_some()
            || ins.format_clause.is_some()
            || ins.multi_table_insert_type.is_some()
            || !ins.multi_table_into_clauses.is_empty()
            || !ins.multi_table_when_clauses.is_empty()
            || ins.multi_table_else_clause.is_some()
        {
            return Err("an INSERT clause ripple does not model".into());
        }
        let TableObject::TableName(name) = &ins.table else {
            return Err("INSERT into a table function".into());
        };
        let scope = self.new_scope(None);
        self.dml_scope = Some(scope);
        let kind = self.table_source(name, TableRole::Target)?;
        let target = match kind {
            SourceKind::Table(t) => Some(t),
            _ => None,
        };
        let alias = match &ins.table_alias {
            Some(a) => Some(self.name(&a.alias)?),
            None => None,
        };
        self.push_source(scope, kind, alias.clone());
        for c in &ins.columns {
            let id = self.single(c)?;
            match target {
                Some(t) => self.owned(id, t, Place::InsertColumn)?,
                None => return Err("INSERT into a CTE".into()),
            }
        }
        if ins.columns.is_empty() {
            if let Some(t) = target {
                self.m.positional_inserts.push(t);
            }
        }
        if let Some(src) = &ins.source {
            match &*src.body {
                SetExpr::Values(v) if src.with.is_none() && src.order_by.is_none() => {
                    for row in &v.rows {
                        for e in row.iter() {
                            self.expr(e, scope, Place::Expr, false)?;
                        }
                    }
                }
                _ => {
                    self.query(src, None, false)?;
                }
            }
        }
        match &ins.on {
            None => {}
            Some(OnInsert::DuplicateKeyUpdate(assignments)) => {
                // MySQL: values read the target row (and VALUES(col) the inserted one).
                for a in assignments {
                    self.assignment(a, scope, target)?;
                }
            }
            Some(OnInsert::OnConflict(oc)) => {
                let t = target.ok_or("ON CONFLICT on a CTE")?;
                match &oc.conflict_target {
                    Some(ConflictTarget::Columns(cols)) => {
                        for c in cols {
                            self.owned(c, t, Place::Ddl)?;
                        }
                    }
                    Some(ConflictTarget::OnConstraint(n)) => {
                        self.object_parts(n)?;
                    }
                    None => {}
                }
                if let OnConflictAction::DoUpdate(du) = &oc.action {
                    // The existing row answers to the table (or its alias), the proposed
                    // one to `excluded`.
                    let s = self.new_scope(None);
                    self.push_source(s, SourceKind::Table(t), alias);
                    let excluded = NamePart {
                        value: "excluded".into(),
                        quote: None,
                        span: self.m.tables[t].span,
                        exact: false,
                    };
                    self.push_source(s, SourceKind::Table(t), Some(excluded));
                    for a in &du.assignments {
                        self.assignment(a, s, Some(t))?;
                    }
                    if let Some(w) = &du.selection {
                        self.expr(w, s, Place::Expr, false)?;
                    }
                }
            }
            Some(_) => return Err("an INSERT conflict clause ripple does not model".into()),
        }
        if let Some(items) = &ins.returning {
            for it in items {
                self.select_item(it, scope)?;
            }
        }
        Ok(())
    }

    /// `col = value`: an unqualified target column belongs to the written table.
    fn assignment(&mut self, a: &Assignment, scope: ScopeId, target: Option<usize>) -> R<()> {
        let targets = match &a.target {
            AssignmentTarget::ColumnName(n) => std::slice::from_ref(n),
            AssignmentTarget::Tuple(ns) => &ns[..],
        };
        for n in targets {
            let idents: Vec<_> =
                n.0.iter().map(|p| p.as_ident().cloned()).collect::<Option<_>>().ok_or("a SET target")?;
            match (target, &idents[..]) {
                (Some(t), [id]) => self.owned(id, t, Place::SetTarget)?,
                _ => {
                    self.column(&idents, scope, Place::SetTarget, false, false)?;
                }
            }
        }
        self.expr(&a.value, scope, Place::Expr, false)
    }

    pub fn update(&mut self, u: &Update) -> R<()> {
        if u.output.is_some() || !u.table.joins.is_empty() {
            return Err("an UPDATE form ripple does not model".into());
        }
        let scope = self.new_scope(None);
        self.dml_scope = Some(scope);
        let TableFactor::Table { name, alias, args: None, .. } = &u.table.relation else {
            return Err("UPDATE of something other than a table".into());
        };
        let kind = self.table_source(name, TableRole::Target)?;
        let target = match kind {
            SourceKind::Table(t) => Some(t),
            _ => None,
        };
        let alias = match alias {
            Some(a) if a.columns.is_empty() && a.at.is_none() => Some(self.name(&a.name)?),
            Some(_) => return Err("an UPDATE alias with columns".into()),
            None => None,
        };
        self.push_source(scope, kind, alias);
        if let Some(UpdateTableFromKind::BeforeSet(f) | UpdateTableFromKind::AfterSet(f)) = &u.from {
            for twj in f {
                self.from(twj, scope)?;
            }
        }
        for a in &u.assignments {
            self.assignment(a, scope, target)?;
        }
        if let Some(w) = &u.selection {
            self.expr(w, scope, Place::Expr, false)?;
        }
        for o in &u.order_by {
            self.expr(&o.expr, scope, Place::Expr, false)?;
        }
        if let Some(l) = &u.limit {
            self.expr(l, scope, Place::Expr, false)?;
        }
        if let Some(items) = &u.returning {
            for it in items {
                self.select_item(it, scope)?;
            }
        }
        Ok(())
    }

    pub fn delete(&mut self, d: &Delete) -> R<()> {
        if !d.tables.is_empty() || d.output.is_some() {
            return Err("a multi-table DELETE".into());
        }
        let (FromTable::WithFromKeyword(from) | FromTable::WithoutKeyword(from)) = &d.from;
        let [twj] = &from[..] else { return Err("DELETE from several tables".into()) };
        if !twj.joins.is_empty() {
            return Err("DELETE with a join".into());
        }
        let scope = self.new_scope(None);
        self.dml_scope = Some(scope);
        let TableFactor::Table { name, alias, args: None, .. } = &twj.relation else {
            return Err("DELETE from something other than a table".into());
        };
        let kind = self.table_source(name, TableRole::Target)?;
        let alias = match alias {
            Some(a) if a.columns.is_empty() && a.at.is_none() => Some(self.name(&a.name)?),
            Some(_) => return Err("a DELETE alias with columns".into()),
            None => None,
        };
        self.push_source(scope, kind, alias);
        for twj in d.using.iter().flatten() {
            self.from(twj, scope)?;
        }
        if let Some(w) = &d.selection {
            self.expr(w, scope, Place::Expr, false)?;
        }
        for o in &d.order_by {
            self.expr(&o.expr, scope, Place::Expr, false)?;
        }
        if let Some(l) = &d.limit {
            self.expr(l, scope, Place::Expr, false)?;
        }
        if let Some(items) = &d.returning {
            for it in items {
                self.select_item(it, scope)?;
            }
        }
        Ok(())
    }

    pub fn merge(&mut self, mg: &Merge) -> R<()> {
        if mg.output.is_some() {
            return Err("MERGE with OUTPUT".into());
        }
        let scope = self.new_scope(None);
        let TableFactor::Table { name, alias, args: None, .. } = &mg.table else {
            return Err("MERGE into something other than a table".into());
        };
        let kind = self.table_source(name, TableRole::Target)?;
        let target = match kind {
            SourceKind::Table(t) => t,
            _ => return Err("MERGE into a CTE".into()),
        };
        let alias = match alias {
            Some(a) if a.columns.is_empty() && a.at.is_none() => Some(self.name(&a.name)?),
            Some(_) => return Err("a MERGE alias with columns".into()),
            None => None,
        };
        self.push_source(scope, kind, alias);
        let source = sqlparser::ast::TableWithJoins { relation: mg.source.clone(), joins: Vec::new() };
        self.from(&source, scope)?;
        self.expr(&mg.on, scope, Place::Expr, false)?;
        for c in &mg.clauses {
            if let Some(p) = &c.predicate {
                self.expr(p, scope, Place::Expr, false)?;
            }
            match &c.action {
                MergeAction::Update(u) => {
                    let MergeUpdateKind::Set(assignments) = &u.kind else {
                        return Err("`UPDATE SET *` writes the target's columns by name from the source, which ripple does not follow".into());
                    };
                    for a in assignments {
                        self.assignment(a, scope, Some(target))?;
                    }
                    for p in u.update_predicate.iter().chain(&u.delete_predicate) {
                        self.expr(p, scope, Place::Expr, false)?;
                    }
                }
                MergeAction::Insert(i) => {
                    for col in &i.columns {
                        let id = self.single(col)?;
                        self.owned(id, target, Place::InsertColumn)?;
                    }
                    match &i.kind {
                        MergeInsertKind::Values(v) => {
                            for row in &v.rows {
                                for e in row.iter() {
                                    self.expr(e, scope, Place::Expr, false)?;
                                }
                            }
                        }
                        _ => return Err("`INSERT *` or `INSERT ROW` writes the target's columns by name from the source, which ripple does not follow".into()),
                    }
                    if let Some(p) = &i.insert_predicate {
                        self.expr(p, scope, Place::Expr, false)?;
                    }
                }
                MergeAction::Delete { .. } | MergeAction::DoNothing { .. } => {}
            }
        }
        Ok(())
    }
}
