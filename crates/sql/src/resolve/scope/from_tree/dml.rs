//! INSERT, UPDATE, DELETE and MERGE: their target table, assignments and sources.

use super::*;

impl<'a> Builder<'a> {
    pub(super) fn insert(&mut self, ins: Node<'_>) {
        let kids = named_children(ins);
        let mut target = None;
        let mut seen_list = false;
        let mut seen_values = false;
        let mut rest = Vec::new();
        let mut shape = InsertShape::default();
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
                    let mut refs = Vec::new();
                    for c in named_children(*k) {
                        let id = if c.kind() == "column" { c.named_child(0).unwrap_or(c) } else { c };
                        match target {
                            Some(t) if id.kind() == "identifier" => {
                                refs.push(self.m.columns.len());
                                self.owned_column(id, t, Place::InsertColumn)
                            }
                            _ => {
                                shape.unmodelled = true;
                                self.expr(c, values_scope, Place::Expr, false)
                            }
                        }
                    }
                    shape.columns = Some((element_list(*k), refs));
                }
                "keyword_values" => seen_values = true,
                "select" | "from" | "set_operation" | "cte" => rest.push(*k),
                kind if kind.starts_with("keyword_") => {
                    shape.unmodelled |= seen_values && kind != "keyword_values"
                }
                kind => {
                    // VALUES rows, RETURNING: expressions over the target.
                    if seen_values && kind == "list" {
                        shape.rows.push(element_list(*k));
                    } else {
                        shape.unmodelled = true;
                    }
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
            shape.select = self.query(&rest, None, false);
            shape.unmodelled |= rest.iter().any(|k| matches!(k.kind(), "set_operation" | "cte"));
        }
        shape.target = target;
        self.m.insert = Some(shape);
        let _ = kids;
    }

    pub(super) fn update(&mut self, upd: Node<'_>) {
        let scope = self.new_scope(None);
        self.dml_scope = Some(scope);
        let mut target = None;
        let mut set_list = ElementList::default();
        for k in children(upd) {
            match k.kind() {
                "assignment" => set_list.elements.push(span(k)),
                "," => set_list.commas.push(k.start_byte()),
                _ => {}
            }
        }
        if set_list.commas.len() + 1 == set_list.elements.len() {
            self.m.set_list = Some(set_list);
        }
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

    pub(super) fn assignment(&mut self, a: Node<'_>, scope: ScopeId, target: Option<usize>) {
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

    pub(super) fn delete(&mut self, kids: &[Node<'_>]) {
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

    pub(super) fn merge(&mut self, kids: &[Node<'_>]) {
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
                    let alias = self.alias_after(&all, i);
                    self.m.scopes[scope].sources.push(Source { kind, alias });
                }
                "subquery" => {
                    let kind = self.derived(*k, scope, false);
                    let alias = self.alias_after(&all, i);
                    self.m.scopes[scope].sources.push(Source { kind, alias });
                }
                "identifier" => {}
                "when_clause" => self.when_clause(*k, scope, target.filter(|t| *t != usize::MAX)),
                kind if kind.starts_with("keyword_") => {}
                _ => self.expr(*k, scope, Place::Expr, false),
            }
        }
    }

    /// The alias that follows the source at `all[i]`, after an optional `AS`.
    fn alias_after(&mut self, all: &[Node<'_>], i: usize) -> Option<NamePart> {
        let next = match all.get(i + 1) {
            Some(n) if n.kind() == "keyword_as" => all.get(i + 2),
            n => n,
        };
        next.filter(|n| n.kind() == "identifier").map(|n| self.name(*n))
    }

    /// One `WHEN ... THEN` branch of MERGE: `UPDATE SET` assignments and `INSERT (cols)` name
    /// columns of the target; the rest are expressions over target and source.
    fn when_clause(&mut self, clause: Node<'_>, scope: ScopeId, target: Option<usize>) {
        let mut after_insert = false;
        for c in named_children(clause) {
            match c.kind() {
                "assignment" => self.assignment(c, scope, target),
                "keyword_insert" => after_insert = true,
                "list" if after_insert => {
                    after_insert = false;
                    for col in named_children(c) {
                        let id = if col.kind() == "column" { col.named_child(0).unwrap_or(col) } else { col };
                        match target {
                            Some(t) if id.kind() == "identifier" => {
                                self.owned_column(id, t, Place::InsertColumn)
                            }
                            _ => self.expr(col, scope, Place::Expr, false),
                        }
                    }
                }
                kind => {
                    if kind == "keyword_values" {
                        after_insert = false;
                    }
                    self.expr(c, scope, Place::Expr, false);
                }
            }
        }
    }
}
