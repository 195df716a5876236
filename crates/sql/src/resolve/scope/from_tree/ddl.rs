//! CREATE TABLE / VIEW / INDEX and ALTER TABLE: the definitions the DDL rules may edit.

use super::*;

impl<'a> Builder<'a> {
    pub(super) fn create_table(&mut self, ct: Node<'_>) {
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

    pub(super) fn table_scope(&mut self, table: usize) -> ScopeId {
        let s = self.new_scope(None);
        self.m.scopes[s].sources.push(Source { kind: SourceKind::Table(table), alias: None });
        s
    }

    pub(super) fn column_definitions(&mut self, defs: Node<'_>, table: usize) {
        let scope = self.table_scope(table);
        let list = self.m.def_lists.len();
        self.m.def_lists.push(ElementList::default());
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

    pub(super) fn column_definition(
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

    pub(super) fn constraint(&mut self, c: Node<'_>, table: usize, scope: ScopeId) {
        if let Some(n) = c.child_by_field_name("name") {
            self.claim(n);
        }
        self.constraint_parts(c, table, scope, &[]);
    }

    /// The inside of a column definition or table constraint: column lists of this table,
    /// `REFERENCES other (cols)`, CHECK and DEFAULT expressions.
    pub(super) fn constraint_parts(&mut self, node: Node<'_>, table: usize, scope: ScopeId, skip: &[usize]) {
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

    pub(super) fn create_view(&mut self, cv: Node<'_>) {
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

    pub(super) fn create_index(&mut self, ci: Node<'_>) {
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

    pub(super) fn alter_table(&mut self, at: Node<'_>) {
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

    pub(super) fn alter_action(&mut self, k: Node<'_>, table: usize) -> AlterAction {
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
