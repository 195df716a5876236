//! The builder shared by the statement kinds: names with exact byte spans, scopes,
//! table references and column references, recorded into the same `Model` the
//! tree-sitter builder produces. Every failure is an `Err` naming what was not understood,
//! and the statement then stays a finding.

use super::super::names::NamePart;
use super::super::scope::{ColumnRef, Model, Place, Scope, ScopeId, Source, SourceKind, TableRef, TableRole};
use super::offsets::Offsets;
use crate::source::jinja::Masked;
use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};
use sqlparser::dialect::Dialect as SqlDialect;
use sqlparser::tokenizer::TokenWithSpan;

/// What the builder met and could not model, for the finding's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unmodelled(String);

impl From<&str> for Unmodelled {
    fn from(what: &str) -> Self {
        Unmodelled(what.to_string())
    }
}

impl From<String> for Unmodelled {
    fn from(what: String) -> Self {
        Unmodelled(what)
    }
}

pub type R<T> = Result<T, Unmodelled>;

pub struct Builder<'a> {
    /// The masked file text.
    pub text: &'a str,
    pub masked: &'a Masked,
    pub off: Offsets<'a>,
    pub m: Model,
    /// CTEs in view, innermost last.
    pub env: Vec<usize>,
    /// The scope of a DML statement's target, for RETURNING.
    pub dml_scope: Option<ScopeId>,
    /// Whether a part of a dotted path inside one quoted token (BigQuery
    /// `` `project.dataset.table` ``) may be edited in place: only when every new table
    /// name the change set writes needs no quoting.
    pub split_paths_ok: bool,
    /// The statement's tokens, for what the AST keeps no position of.
    pub tokens: Vec<TokenWithSpan>,
    pub dialect: &'a dyn SqlDialect,
    /// The target table of the COPY INTO being read, for the staged fields its query reads.
    pub copy_target: Option<usize>,
}

impl<'a> Builder<'a> {
    pub fn new(
        masked: &'a Masked,
        off: Offsets<'a>,
        split_paths_ok: bool,
        tokens: Vec<TokenWithSpan>,
        dialect: &'a dyn SqlDialect,
    ) -> Self {
        Builder {
            text: &masked.text,
            masked,
            off,
            m: Model::default(),
            env: Vec::new(),
            dml_scope: None,
            split_paths_ok,
            tokens,
            dialect,
            copy_target: None,
        }
    }

    /// The byte span of an identifier, checked against the text: the token there must
    /// spell exactly this identifier.
    pub fn part(&self, id: &Ident) -> R<NamePart> {
        let sp = self.off.span(id.span).ok_or_else(|| format!("no position for `{}`", id.value))?;
        let token = self.text.get(sp.0..sp.1).unwrap_or("");
        let p = NamePart::from_token(token, sp);
        if p.value != id.value || p.quote != id.quote_style {
            return Err(format!("the position of `{}` does not match the text", id.value).into());
        }
        Ok(p)
    }

    /// A name the model accounts for.
    pub fn name(&mut self, id: &Ident) -> R<NamePart> {
        let p = self.part(id)?;
        self.m.claimed.push(p.span);
        Ok(p)
    }

    pub fn claim(&mut self, id: &Ident) -> R<()> {
        self.name(id).map(|_| ())
    }

    pub fn new_scope(&mut self, parent: Option<ScopeId>) -> ScopeId {
        self.m.scopes.push(Scope { parent, ..Scope::default() });
        self.m.scopes.len() - 1
    }

    pub fn push_source(&mut self, scope: ScopeId, kind: SourceKind, alias: Option<NamePart>) {
        self.m.scopes[scope].sources.push(Source { kind, alias });
    }

    /// The parts of a table name, claimed. BigQuery splits a quoted dotted path into
    /// several identifiers sharing the token's span; each gets its own span inside it.
    pub fn object_parts(&mut self, name: &ObjectName) -> R<Vec<NamePart>> {
        let mut idents = Vec::new();
        for p in &name.0 {
            match p {
                ObjectNamePart::Identifier(i) => idents.push(i),
                ObjectNamePart::Function(_) => return Err("a table name computed by a function".into()),
            }
        }
        let mut parts = Vec::new();
        let mut i = 0;
        while i < idents.len() {
            let same = idents[i..].iter().take_while(|x| x.span == idents[i].span).count();
            if same == 1 {
                parts.push(self.name(idents[i])?);
            } else {
                parts.extend(self.split_path(&idents[i..i + same])?);
            }
            i += same;
        }
        if parts.is_empty() {
            return Err("an empty table name".into());
        }
        Ok(parts)
    }

    fn split_path(&mut self, idents: &[&Ident]) -> R<Vec<NamePart>> {
        let sp = self.off.span(idents[0].span).ok_or("no position for a quoted path")?;
        let token = self.text.get(sp.0..sp.1).unwrap_or("");
        let inner =
            token.strip_prefix('`').and_then(|t| t.strip_suffix('`')).ok_or("an unexpected path token")?;
        if !self.split_paths_ok || inner.contains('`') {
            return Err("a quoted dotted table path".into());
        }
        let mut out = Vec::new();
        let mut at = sp.0 + 1;
        let pieces: Vec<&str> = inner.split('.').collect();
        if pieces.len() != idents.len() {
            return Err("a quoted dotted table path".into());
        }
        for (piece, id) in pieces.iter().zip(idents) {
            if *piece != id.value || piece.is_empty() {
                return Err("a quoted dotted table path".into());
            }
            // Unquoted inside the backticks: a new name is written bare in its place.
            out.push(NamePart {
                value: piece.to_string(),
                quote: None,
                span: (at, at + piece.len()),
                exact: false,
            });
            at += piece.len() + 1;
        }
        self.m.claimed.push(sp);
        Ok(out)
    }

    pub fn push_table(&mut self, parts: Vec<NamePart>, role: TableRole) -> usize {
        let span = (parts[0].span.0, parts[parts.len() - 1].span.1);
        self.m.tables.push(TableRef::new(parts, span, role, self.masked));
        self.m.tables.len() - 1
    }

    /// A table named in FROM/JOIN/DML: a CTE in view when unqualified and so named.
    pub fn table_source(&mut self, name: &ObjectName, role: TableRole) -> R<SourceKind> {
        let parts = self.object_parts(name)?;
        if parts.len() == 1 && role != TableRole::Ddl {
            if let Some(&c) = self.env.iter().rev().find(|&&c| self.m.ctes[c].name.same(&parts[0])) {
                return Ok(SourceKind::Cte(c));
            }
        }
        Ok(SourceKind::Table(self.push_table(parts, role)))
    }

    pub fn table_ref(&mut self, name: &ObjectName, role: TableRole) -> R<usize> {
        let parts = self.object_parts(name)?;
        Ok(self.push_table(parts, role))
    }

    /// A column reference by a (possibly qualified) name.
    pub fn column(
        &mut self,
        idents: &[Ident],
        scope: ScopeId,
        place: Place,
        in_cast: bool,
        bare: bool,
    ) -> R<usize> {
        let (last, quals) = idents.split_last().ok_or("an empty column name")?;
        let mut qualifier = Vec::new();
        for q in quals {
            qualifier.push(self.name(q)?);
        }
        let name = self.name(last)?;
        // An unqualified double-quoted name is a string in some dialects: the rules
        // decide by the file's dialect, as for tree-sitter's literal reading.
        let from_literal = qualifier.is_empty() && name.quote == Some('"');
        self.m.columns.push(ColumnRef::scoped(qualifier, name, scope, place, in_cast, bare, from_literal));
        Ok(self.m.columns.len() - 1)
    }

    /// A column of a known table by position (INSERT list, SET target, DDL).
    pub fn owned(&mut self, id: &Ident, owner: usize, place: Place) -> R<()> {
        let name = self.name(id)?;
        self.m.columns.push(ColumnRef::owned(name, owner, place));
        Ok(())
    }

    /// A single-identifier object name (column lists of INSERT, USING, DDL).
    pub fn single<'n>(&self, name: &'n ObjectName) -> R<&'n Ident> {
        match &name.0[..] {
            [ObjectNamePart::Identifier(i)] => Ok(i),
            _ => Err("a qualified name in a column list".into()),
        }
    }

    /// A scope whose only source is `table` (DDL expressions).
    pub fn table_scope(&mut self, table: usize) -> ScopeId {
        let s = self.new_scope(None);
        self.push_source(s, SourceKind::Table(table), None);
        s
    }
}
