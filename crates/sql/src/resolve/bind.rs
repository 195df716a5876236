//! Binding names of the query model to the changed table: does a table reference, a
//! source, or a column reference denote the changed table (and column), with what
//! confidence, or is the answer unknown?

use super::names::{display_parts, ref_parts, NamePart};
use super::scope::{ColumnRef, Model, Place, ScopeId, Source, SourceKind, MAX_STAR_DEPTH};
use ripple_core::{Catalog, Confidence, Ident, OutputNames, TableMatch, TableName};

/// What a column reference binds to, as far as one change is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// The changed column of the changed table.
    Changed(Confidence),
    /// Something else: another table's column, an output alias, a derived column.
    Other,
    /// Several sources could own the name; which ones.
    Ambiguous(Vec<String>),
    /// The name cannot be bound with certainty; why.
    Unresolved(String),
}

/// Does table reference `t` denote `table`?
pub fn table_match(model: &Model, t: usize, table: &TableName) -> Option<Confidence> {
    let tr = &model.tables[t];
    if let Some(j) = &tr.jinja {
        // dbt names a model or source by its table name only.
        return j.name().matches(&table.name().value, table.name().quoted).then_some(Confidence::Likely);
    }
    if tr.jinja_unknown || tr.parts.is_empty() {
        return None;
    }
    match table.matches_parts(&ref_parts(&tr.parts)) {
        TableMatch::Exact => Some(Confidence::Certain),
        TableMatch::Unqualified => Some(Confidence::Likely),
        TableMatch::No => None,
    }
}

/// Does table reference `t` name a BigQuery wildcard table (`events_*`) whose prefix covers
/// `table`? Its human name if so: the query may read the changed table, under any name.
pub fn wildcard_covers(model: &Model, t: usize, table: &TableName) -> Option<String> {
    let tr = &model.tables[t];
    let (last, quals) = tr.parts.split_last()?;
    let prefix = last.value.strip_suffix('*')?.to_ascii_lowercase();
    let (name, table_quals) = table.parts.split_last()?;
    let same_quals =
        quals.iter().rev().zip(table_quals.iter().rev()).all(|(q, p)| p.matches(&q.value, q.quoted()));
    (same_quals && name.value.to_ascii_lowercase().starts_with(&prefix)).then(|| display_parts(&tr.parts))
}

/// The names of the statement's result columns, if every one is known.
fn this_outputs(model: &Model) -> Option<Vec<&NamePart>> {
    let items = &model.scopes.get(model.output?)?.items;
    items.iter().map(|i| i.output.as_ref().filter(|_| i.star.is_none())).collect()
}

/// Human name of a source, for messages.
pub fn source_label(model: &Model, src: &Source) -> String {
    let base = match src.kind {
        SourceKind::Table(t) => {
            let tr = &model.tables[t];
            match &tr.jinja {
                Some(j) => j.to_string(),
                None if tr.this => "{{ this }}".to_string(),
                None if tr.jinja_unknown => "a Jinja-built table".to_string(),
                None => display_parts(&tr.parts),
            }
        }
        SourceKind::Cte(c) => format!("CTE {}", model.ctes[c].name.value),
        SourceKind::Derived(_) => "a derived table".to_string(),
        SourceKind::Unknown => "a table function".to_string(),
    };
    match &src.alias {
        Some(a) if !matches!(src.kind, SourceKind::Table(t) if model.tables[t].parts.last().is_some_and(|p| p.same(a))) =>
        {
            format!("{base} {}", a.value)
        }
        _ => base,
    }
}

/// What a source makes of a column name.
enum Owns {
    /// The name is the changed column of the changed table (possibly behind stars).
    Changed(Confidence),
    /// Another column of that name.
    Has,
    /// Unknown columns: it may have the name.
    Maybe,
    No,
    /// Behind a star, the changed table and other sources that may have the name: who.
    Mixed(String),
    /// An output that is the changed column, renamed because output names propagate: the
    /// references reading it follow the rename.
    Renamed(Confidence),
    /// A wildcard table that may be the changed one: its name.
    Wildcard(String),
}

/// Binds the column references of one model, with what the catalog knows of tables.
pub struct Binder<'a> {
    /// The statement's model.
    pub model: &'a Model,
    /// Tables' columns, for unqualified names in joins.
    pub catalog: &'a Catalog,
    /// Whether views and models keep their output names (`--output-names`).
    pub output_names: OutputNames,
}

impl<'a> Binder<'a> {
    fn owns(&self, src: &Source, table: &TableName, column: &Ident) -> Owns {
        self.owns_at(src, table, column, 0)
    }

    fn owns_at(&self, src: &Source, table: &TableName, column: &Ident, depth: usize) -> Owns {
        match src.kind {
            SourceKind::Table(t) => {
                if let Some(c) = table_match(self.model, t, table) {
                    return Owns::Changed(c);
                }
                if let Some(w) = wildcard_covers(self.model, t, table) {
                    return Owns::Wildcard(w);
                }
                let tr = &self.model.tables[t];
                // `{{ this }}` (once the file's place names its model) is the model as built
                // before: its columns named as this statement's result names them.
                if let Some(outputs) =
                    (tr.this && tr.jinja.is_some()).then(|| this_outputs(self.model)).flatten()
                {
                    return if outputs.iter().any(|o| o.is(column)) { Owns::Has } else { Owns::No };
                }
                let known = match (&tr.jinja, tr.is_jinja()) {
                    // `{{ ref('m') }}` / `{{ source('s', 't') }}`: look the model or table up.
                    (Some(name), _) => {
                        let parts: Vec<(&str, bool)> =
                            name.parts.iter().map(|p| (p.value.as_str(), p.quoted)).collect();
                        self.catalog.columns_of(&parts)
                    }
                    (None, true) => None,
                    (None, false) => self.catalog.columns_of(&ref_parts(&tr.parts)),
                };
                match known {
                    Some(cols) if cols.iter().any(|c| c.matches(&column.value, column.quoted)) => Owns::Has,
                    Some(_) => Owns::No,
                    None => Owns::Maybe,
                }
            }
            SourceKind::Cte(_) | SourceKind::Derived(_) => self.owns_through(src, table, column, depth),
            SourceKind::Unknown => Owns::Maybe,
        }
    }

    /// What a CTE or derived table makes of `column`: an output it names itself, or a
    /// column its `*` / `t.*` passes on from its own sources, followed down any chain of
    /// stars. Only a chain where the changed table alone can supply the name is `Changed`:
    /// a single source, or other sources whose known columns lack the name.
    fn owns_through(&self, src: &Source, table: &TableName, column: &Ident, depth: usize) -> Owns {
        let model = self.model;
        let body = match src.kind {
            SourceKind::Cte(c) if !model.ctes[c].columns.is_empty() => {
                let has = model.ctes[c].columns.iter().any(|n| n.is(column));
                return if has { Owns::Has } else { Owns::No };
            }
            SourceKind::Cte(c) => model.ctes[c].body,
            SourceKind::Derived(b) => b,
            _ => None,
        };
        let Some(body) = body.filter(|_| depth < MAX_STAR_DEPTH) else { return Owns::Maybe };
        let sc = &model.scopes[body];
        if let Some(item) = sc.items.iter().find(|i| i.output.as_ref().is_some_and(|o| o.is(column))) {
            // A bare column, or a cast of one named after it, passes the column on.
            let bare = item.column.or(item.named_after.map(|(k, _)| k)).filter(|_| !item.explicit_alias);
            let renamed = match bare {
                Some(ci) if self.output_names == OutputNames::Propagate => {
                    match self.bind_at(&model.columns[ci], table, column, depth + 1) {
                        Binding::Changed(conf) => Some(conf),
                        _ => None,
                    }
                }
                _ => None,
            };
            return renamed.map_or(Owns::Has, Owns::Renamed);
        }
        let mut changed: Option<Confidence> = None;
        let mut others = Vec::new();
        let (mut has, mut maybe, mut mixed, mut renamed) = (false, false, None, None);
        for star in model.stars_of(body) {
            for behind in model.star_sources(star) {
                match self.owns_at(behind, table, column, depth + 1) {
                    Owns::Changed(conf) => {
                        changed = Some(changed.map_or(conf, |c| c.max(conf)));
                        continue;
                    }
                    Owns::No => continue,
                    Owns::Has => has = true,
                    Owns::Maybe => maybe = true,
                    Owns::Mixed(who) => mixed = Some(who),
                    Owns::Wildcard(w) => mixed = Some(format!("the wildcard table `{w}`")),
                    Owns::Renamed(conf) => renamed = Some(conf),
                }
                others.push(source_label(model, behind));
            }
        }
        let star = format!("the * of {}", source_label(model, src));
        match (changed, mixed) {
            (Some(conf), None) if others.is_empty() => Owns::Changed(conf),
            (Some(_), _) => Owns::Mixed(format!("{table} or {} behind {star}", others.join(" or "))),
            (None, Some(who)) => Owns::Mixed(who),
            (None, None) if renamed.is_some() => renamed.map_or(Owns::No, Owns::Renamed),
            (None, None) if has => Owns::Has,
            (None, None) if maybe => Owns::Maybe,
            (None, None) => Owns::No,
        }
    }

    /// Binds column reference `c` for a change of `table`.`column`.
    pub fn bind(&self, c: &ColumnRef, table: &TableName, column: &Ident) -> Binding {
        self.bind_at(c, table, column, 0)
    }

    /// `bind` at a `depth` of binding names inside CTEs and derived tables on the way: a
    /// CTE whose body reads itself would otherwise never end.
    fn bind_at(&self, c: &ColumnRef, table: &TableName, column: &Ident, depth: usize) -> Binding {
        if !c.name.is(column) {
            return Binding::Other;
        }
        if let Some(owner) = c.owner {
            return match table_match(self.model, owner, table) {
                Some(conf) => Binding::Changed(conf),
                None => Binding::Other,
            };
        }
        let Some(scope) = c.scope else { return Binding::Other };
        if !c.qualifier.is_empty() {
            return self.bind_qualified(c, scope, table, column, depth);
        }
        let sc = &self.model.scopes[scope];
        if c.place == Place::Sort {
            // ORDER BY / GROUP BY may name an output alias of the same SELECT.
            if sc.items.iter().any(|i| i.explicit_alias && i.output.as_ref().is_some_and(|o| o.same(&c.name)))
            {
                return Binding::Other;
            }
            if sc.in_set_operation && self.scope_chain_has_changed(scope, table) {
                return Binding::Unresolved(format!(
                    "`{}` in the ORDER BY of a set operation names an output column; not rewritten",
                    c.name.value
                ));
            }
        }
        self.bind_unqualified(c, scope, table, column, depth)
    }

    fn bind_qualified(
        &self,
        c: &ColumnRef,
        scope: ScopeId,
        table: &TableName,
        column: &Ident,
        depth: usize,
    ) -> Binding {
        match self.model.source_named(scope, &c.qualifier) {
            Some((s, i)) => {
                let src = &self.model.scopes[s].sources[i];
                match src.kind {
                    SourceKind::Table(t) => match table_match(self.model, t, table) {
                        Some(conf) => Binding::Changed(conf),
                        None => match wildcard_covers(self.model, t, table) {
                            Some(w) => wildcard(&c.name.value, &w, table),
                            None => Binding::Other,
                        },
                    },
                    SourceKind::Cte(_) | SourceKind::Derived(_) => {
                        self.bind_through(src, table, column, &c.name.value, depth)
                    }
                    SourceKind::Unknown => Binding::Other,
                }
            }
            None => {
                let last = c.qualifier.last().map(|q| q.value.as_str()).unwrap_or("");
                if table.name().matches(last, c.qualifier.last().is_some_and(|q| q.quoted())) {
                    Binding::Unresolved(format!(
                        "qualifier `{}` names no table or alias in scope here; `{}` not rewritten",
                        display_parts(&c.qualifier),
                        c.name.value
                    ))
                } else {
                    Binding::Other
                }
            }
        }
    }

    /// A name read from a CTE or derived table: another column while its output keeps the
    /// name, the changed column when a chain of stars passes it on from the changed table
    /// alone or the output is renamed (output names propagate), unknown when a star passes
    /// it on from the changed table and another source.
    fn bind_through(
        &self,
        src: &Source,
        table: &TableName,
        column: &Ident,
        name: &str,
        depth: usize,
    ) -> Binding {
        match self.owns_at(src, table, column, depth) {
            Owns::Changed(conf) => Binding::Changed(conf),
            Owns::Mixed(who) => behind_star(name, &who),
            Owns::Wildcard(w) => wildcard(name, &w, table),
            // Output names propagate: a reader of the renamed output follows the rename.
            Owns::Renamed(conf) => Binding::Changed(conf),
            Owns::Has | Owns::Maybe | Owns::No => Binding::Other,
        }
    }

    fn bind_unqualified(
        &self,
        c: &ColumnRef,
        scope: ScopeId,
        table: &TableName,
        column: &Ident,
        depth: usize,
    ) -> Binding {
        let mut s = Some(scope);
        while let Some(id) = s {
            let sc = &self.model.scopes[id];
            let mut changed = None;
            let mut candidates = Vec::new();
            let mut has = Vec::new();
            let mut maybe = 0;
            let mut renamed = false;
            for src in &sc.sources {
                match self.owns_at(src, table, column, depth) {
                    Owns::Mixed(who) => return behind_star(&c.name.value, &who),
                    Owns::Wildcard(w) => return wildcard(&c.name.value, &w, table),
                    Owns::Changed(conf) => {
                        changed = Some(changed.map_or(conf, |c: Confidence| c.max(conf)));
                        candidates.push(source_label(self.model, src));
                    }
                    o @ (Owns::Has | Owns::Renamed(_)) => {
                        renamed |= matches!(o, Owns::Renamed(_));
                        has.push(src);
                        candidates.push(source_label(self.model, src));
                    }
                    Owns::Maybe => {
                        maybe += 1;
                        candidates.push(source_label(self.model, src));
                    }
                    Owns::No => {}
                }
            }
            if let Some(conf) = changed {
                if candidates.len() == 1 {
                    return Binding::Changed(conf);
                }
                return Binding::Ambiguous(candidates);
            }
            if has.len() == 1 && maybe == 0 {
                return self.bind_through(has[0], table, column, &c.name.value, depth);
            }
            if renamed {
                // A renamed output and other sources that may have the name.
                return Binding::Ambiguous(candidates);
            }
            if !has.is_empty() {
                return Binding::Other;
            }
            if maybe > 0 {
                // Unknown sources here, the changed table further out: it could be either.
                return match sc.parent.filter(|p| self.scope_chain_has_changed(*p, table)) {
                    Some(_) => {
                        candidates.push(format!("{table} of an enclosing query"));
                        Binding::Ambiguous(candidates)
                    }
                    None => Binding::Other,
                };
            }
            s = sc.parent;
        }
        Binding::Other
    }

    fn scope_chain_has_changed(&self, scope: ScopeId, table: &TableName) -> bool {
        let mut s = Some(scope);
        while let Some(id) = s {
            let sc = &self.model.scopes[id];
            if sc.sources.iter().any(
                |src| matches!(src.kind, SourceKind::Table(t) if table_match(self.model, t, table).is_some()),
            ) {
                return true;
            }
            s = sc.parent;
        }
        false
    }

    /// The scope and source an unqualified reference that binds to the changed table binds
    /// through: the innermost scope, from the reference's outwards, with the changed table
    /// or a chain of stars over it that passes `column` on.
    pub fn changed_source(
        &self,
        c: &ColumnRef,
        table: &TableName,
        column: &Ident,
    ) -> Option<(ScopeId, usize)> {
        let mut s = c.scope;
        while let Some(id) = s {
            let sc = &self.model.scopes[id];
            let changed = |src: &Source| {
                self.source_is_changed(src, table).is_some() || self.passes_changed(src, table, column)
            };
            if let Some(i) = sc.sources.iter().position(changed) {
                return Some((id, i));
            }
            s = sc.parent;
        }
        None
    }

    /// Does a CTE or derived table pass the changed column on, through a chain of stars,
    /// as `column`?
    pub fn passes_changed(&self, src: &Source, table: &TableName, column: &Ident) -> bool {
        !matches!(src.kind, SourceKind::Table(_))
            && matches!(self.owns(src, table, column), Owns::Changed(_) | Owns::Renamed(_))
    }

    /// Does a source of `scope` (a star's expansion) denote the changed table?
    pub fn source_is_changed(&self, src: &Source, table: &TableName) -> Option<Confidence> {
        match src.kind {
            SourceKind::Table(t) => table_match(self.model, t, table),
            _ => None,
        }
    }
}

/// A reference to a wildcard table's column: the table may be the changed one.
fn wildcard(name: &str, pattern: &str, table: &TableName) -> Binding {
    Binding::Unresolved(format!(
        "`{name}` is a column of the wildcard table `{pattern}`, which may include {table}; not rewritten: check the tables it matches"
    ))
}

/// A reference that a star passes on from the changed table or another source.
fn behind_star(name: &str, who: &str) -> Binding {
    Binding::Unresolved(format!(
        "`{name}` could come from {who}, which does not say which; not rewritten: name the column in that SELECT"
    ))
}
