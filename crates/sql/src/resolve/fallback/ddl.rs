//! CREATE TABLE (column definitions, table constraints, CTAS), CREATE VIEW, CREATE INDEX
//! and ALTER TABLE. The AST keeps no positions for commas, whole elements or types, so
//! those come from the statement's tokens and are checked against the AST: an element
//! list or a type that does not line up fails the statement.

use super::super::names::NamePart;
use super::super::scope::{AlterAction, ColumnDef, ElementList, Place, ScopeId, TableRole};
use super::build::{Builder, R};
use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnOption, ColumnOptionDef, CreateIndex, CreateTable,
    CreateView, DataType, Expr, IndexColumn, RenameTableNameKind, TableConstraint,
};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

/// Most tokens a column type spans (`timestamp(6) with time zone` is 7).
const MAX_TYPE_TOKENS: usize = 16;

impl Builder<'_> {
    pub fn create_table(&mut self, ct: &CreateTable) -> R<()> {
        if ct.like.is_some() || ct.clone.is_some() {
            return Err("CREATE TABLE ... LIKE / CLONE".into());
        }
        let t = self.table_ref(&ct.name, TableRole::Ddl)?;
        if !ct.columns.is_empty() || !ct.constraints.is_empty() {
            self.definitions(ct, t)?;
        }
        if let Some(q) = &ct.query {
            let output = self.query(q, None, false)?;
            // A column list renames the outputs: then they are not the query's names.
            if ct.columns.is_empty() {
                self.m.output = output;
            }
        }
        Ok(())
    }

    fn definitions(&mut self, ct: &CreateTable, t: usize) -> R<()> {
        let after = self.m.tables[t].span.1;
        let defs = self.element_list(after)?;
        if defs.elements.len() != ct.columns.len() + ct.constraints.len() {
            return Err("a CREATE TABLE element list that does not line up".into());
        }
        let elements = defs.elements.clone();
        let list = self.m.def_lists.len();
        self.m.def_lists.push(defs);
        let scope = self.table_scope(t);
        for col in &ct.columns {
            let name = self.name(&col.name)?;
            let element = elements
                .iter()
                .position(|e| e.0 == name.span.0)
                .ok_or("a column definition that does not line up")?;
            let span = elements[element];
            let type_span = self.type_span(name.span.1, span.1, &col.data_type)?;
            self.m.defs.push(ColumnDef { name, type_span: Some(type_span), span, table: t, list, element });
            for o in &col.options {
                self.column_option(o, t, scope)?;
            }
        }
        for c in &ct.constraints {
            self.table_constraint(c, t, scope)?;
        }
        Ok(())
    }

    /// Spans of the elements of the first parenthesised list after `after`, and of its
    /// top-level commas, comments excluded.
    fn element_list(&self, after: usize) -> R<ElementList> {
        let mut elements = Vec::new();
        let mut commas = Vec::new();
        let mut depth = 0usize;
        let mut current: Option<(usize, usize)> = None;
        for tok in &self.tokens {
            let Some(sp) = self.off.span(tok.span) else { continue };
            if sp.0 < after {
                continue;
            }
            match &tok.token {
                Token::LParen if depth == 0 => {
                    depth = 1;
                    continue;
                }
                Token::LParen => depth += 1,
                Token::RParen if depth == 1 => {
                    elements.extend(current.take());
                    return Ok(ElementList { elements, commas });
                }
                Token::RParen => depth = depth.saturating_sub(1),
                Token::Comma if depth == 1 => {
                    elements.push(current.take().ok_or("an empty element")?);
                    commas.push(sp.0);
                    continue;
                }
                Token::Whitespace(_) => continue,
                _ if depth == 0 => return Err("no element list".into()),
                _ => {}
            }
            current = Some(match current {
                Some((s, _)) => (s, sp.1),
                None => sp,
            });
        }
        Err("an unterminated element list".into())
    }

    /// The span of the type written between `from` and `limit`: the longest run of
    /// tokens that parses as exactly `ty`.
    fn type_span(&self, from: usize, limit: usize, ty: &DataType) -> R<(usize, usize)> {
        let want = ty.to_string();
        let mut ends = Vec::new();
        let mut start = None;
        for tok in &self.tokens {
            let Some(sp) = self.off.span(tok.span) else { continue };
            if sp.0 < from || matches!(tok.token, Token::Whitespace(_)) {
                continue;
            }
            if sp.1 > limit || tok.token == Token::SemiColon || ends.len() >= MAX_TYPE_TOKENS {
                break;
            }
            start.get_or_insert(sp.0);
            ends.push(sp.1);
        }
        let start = start.ok_or("a column without a type")?;
        for &end in ends.iter().rev() {
            let Some(text) = self.text.get(start..end) else { continue };
            let Ok(mut p) = Parser::new(self.dialect).try_with_sql(text) else { continue };
            if p.parse_data_type().is_ok_and(|d| d.to_string() == want) && p.peek_token().token == Token::EOF
            {
                return Ok((start, end));
            }
        }
        Err(format!("the type {want} could not be placed").into())
    }

    fn column_option(&mut self, o: &ColumnOptionDef, t: usize, scope: ScopeId) -> R<()> {
        if let Some(n) = &o.name {
            self.claim(n)?;
        }
        match &o.option {
            ColumnOption::Default(e)
            | ColumnOption::Materialized(e)
            | ColumnOption::Alias(e)
            | ColumnOption::OnUpdate(e)
            | ColumnOption::Ephemeral(Some(e)) => self.expr(e, scope, Place::Expr, false)?,
            ColumnOption::Check(c) => self.expr(&c.expr, scope, Place::Expr, false)?,
            ColumnOption::Generated { generation_expr: Some(e), .. } => {
                self.expr(e, scope, Place::Expr, false)?
            }
            ColumnOption::ForeignKey(fk) => {
                for c in &fk.columns {
                    self.owned(c, t, Place::Ddl)?;
                }
                let other = self.table_ref(&fk.foreign_table, TableRole::Ddl)?;
                for c in &fk.referred_columns {
                    self.owned(c, other, Place::Ddl)?;
                }
            }
            ColumnOption::PrimaryKey(pk) => {
                self.index_columns(&pk.columns, t, scope)?;
            }
            ColumnOption::Unique(u) => {
                self.index_columns(&u.columns, t, scope)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn table_constraint(&mut self, c: &TableConstraint, t: usize, scope: ScopeId) -> R<()> {
        match c {
            TableConstraint::Unique(u) => {
                for n in u.name.iter().chain(&u.index_name) {
                    self.claim(n)?;
                }
                self.index_columns(&u.columns, t, scope)?;
                for i in &u.include {
                    self.owned(i, t, Place::Ddl)?;
                }
            }
            TableConstraint::PrimaryKey(pk) => {
                for n in pk.name.iter().chain(&pk.index_name) {
                    self.claim(n)?;
                }
                self.index_columns(&pk.columns, t, scope)?;
                for i in &pk.include {
                    self.owned(i, t, Place::Ddl)?;
                }
            }
            TableConstraint::ForeignKey(fk) => {
                for n in fk.name.iter().chain(&fk.index_name) {
                    self.claim(n)?;
                }
                for c in &fk.columns {
                    self.owned(c, t, Place::Ddl)?;
                }
                let other = self.table_ref(&fk.foreign_table, TableRole::Ddl)?;
                for c in &fk.referred_columns {
                    self.owned(c, other, Place::Ddl)?;
                }
            }
            TableConstraint::Check(ck) => {
                if let Some(n) = &ck.name {
                    self.claim(n)?;
                }
                self.expr(&ck.expr, scope, Place::Expr, false)?;
            }
            TableConstraint::Index(ix) => {
                if let Some(n) = &ix.name {
                    self.claim(n)?;
                }
                self.index_columns(&ix.columns, t, scope)?;
            }
            _ => return Err("a table constraint ripple does not model".into()),
        }
        Ok(())
    }

    /// Columns of an index or key: a bare name belongs to the table, an expression is
    /// read in the table's scope.
    fn index_columns(&mut self, cols: &[IndexColumn], t: usize, scope: ScopeId) -> R<()> {
        for c in cols {
            if let Some(oc) = &c.operator_class {
                self.object_parts(oc)?;
            }
            if c.column.with_fill.is_some() {
                return Err("an index column with WITH FILL".into());
            }
            match &c.column.expr {
                Expr::Identifier(id) => self.owned(id, t, Place::Ddl)?,
                e => self.expr(e, scope, Place::Expr, false)?,
            }
        }
        Ok(())
    }

    pub fn create_view(&mut self, cv: &CreateView) -> R<()> {
        if cv.to.is_some() {
            return Err("CREATE VIEW ... TO".into());
        }
        self.table_ref(&cv.name, TableRole::Ddl)?;
        for c in &cv.columns {
            self.claim(&c.name)?;
        }
        let output = self.query(&cv.query, None, false)?;
        if cv.columns.is_empty() {
            self.m.output = output;
        }
        Ok(())
    }

    pub fn create_index(&mut self, ci: &CreateIndex) -> R<()> {
        if !ci.alter_options.is_empty() {
            return Err("CREATE INDEX options ripple does not model".into());
        }
        if let Some(n) = &ci.name {
            self.object_parts(n)?;
        }
        let t = self.table_ref(&ci.table_name, TableRole::Ddl)?;
        let scope = self.table_scope(t);
        self.index_columns(&ci.columns, t, scope)?;
        for i in &ci.include {
            self.owned(i, t, Place::Ddl)?;
        }
        for e in ci.predicate.iter().chain(&ci.with) {
            self.expr(e, scope, Place::Expr, false)?;
        }
        Ok(())
    }

    pub fn alter_table(&mut self, at: &sqlparser::ast::AlterTable) -> R<()> {
        let t = self.table_ref(&at.name, TableRole::Ddl)?;
        for op in &at.operations {
            let action = self.alter_operation(op, t)?;
            self.m.alters.push((t, action));
        }
        Ok(())
    }

    fn alter_operation(&mut self, op: &AlterTableOperation, t: usize) -> R<AlterAction> {
        Ok(match op {
            AlterTableOperation::RenameColumn { old_column_name, new_column_name } => {
                let old = self.name(old_column_name)?;
                let new = self.name(new_column_name)?;
                AlterAction::RenameColumn { old, new }
            }
            AlterTableOperation::DropColumn { column_names, .. } => {
                let [c] = &column_names[..] else { return Err("DROP COLUMN of several columns".into()) };
                AlterAction::DropColumn { name: self.name(c)? }
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                let name = self.name(column_name)?;
                let scope = self.table_scope(t);
                let type_span = match op {
                    AlterColumnOperation::SetDataType { data_type, using, .. } => {
                        if let Some(u) = using {
                            self.expr(u, scope, Place::Expr, false)?;
                        }
                        let from = self.after_type_keyword(name.span.1)?;
                        Some(self.type_span(from, self.text.len(), data_type)?)
                    }
                    AlterColumnOperation::SetDefault { value } => {
                        self.expr(value, scope, Place::Expr, false)?;
                        None
                    }
                    _ => None,
                };
                AlterAction::AlterColumn { name, type_span }
            }
            AlterTableOperation::RenameTable {
                table_name: RenameTableNameKind::As(n) | RenameTableNameKind::To(n),
            } => {
                let to: Vec<NamePart> = self.object_parts(n)?;
                AlterAction::RenameTable { to }
            }
            AlterTableOperation::AddColumn { column_def, .. } => {
                // A new column: its name is a definition, not a reference.
                self.claim(&column_def.name)?;
                let scope = self.table_scope(t);
                for o in &column_def.options {
                    self.column_option(o, t, scope)?;
                }
                AlterAction::Other
            }
            AlterTableOperation::AddConstraint { constraint, .. } => {
                let scope = self.table_scope(t);
                self.table_constraint(constraint, t, scope)?;
                AlterAction::Other
            }
            AlterTableOperation::DropConstraint { name, .. } => {
                self.claim(name)?;
                AlterAction::Other
            }
            _ => AlterAction::Other,
        })
    }

    /// Where the type of `ALTER COLUMN c [SET DATA] TYPE t` starts.
    fn after_type_keyword(&self, after: usize) -> R<usize> {
        let mut seen_type = false;
        for tok in &self.tokens {
            let Some(sp) = self.off.span(tok.span) else { continue };
            if sp.0 < after || matches!(tok.token, Token::Whitespace(_)) {
                continue;
            }
            if seen_type {
                return Ok(sp.0);
            }
            match &tok.token {
                Token::Word(w) if w.value.eq_ignore_ascii_case("type") && w.quote_style.is_none() => {
                    seen_type = true
                }
                Token::Word(w) if ["set", "data"].iter().any(|k| w.value.eq_ignore_ascii_case(k)) => {}
                _ => return Err("an ALTER COLUMN type ripple could not place".into()),
            }
        }
        Err("an ALTER COLUMN type ripple could not place".into())
    }
}
