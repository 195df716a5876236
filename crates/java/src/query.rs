//! What host code needs to know about the SQL it runs, read from the SQL resolver's query
//! model: which result column a name reads (and whether it is the changed column), and
//! which column a `?` parameter binds.

use ripple_core::{Change, Confidence, RuleContext};
use ripple_sql::model::{Binder, Binding, Model, Place, SourceKind, StatementKind};
use ripple_sql::{prepare, PrepareOptions, Prepared};
use std::collections::HashSet;

/// What a result column read by name (`rs.getString("user_name")`) is, for one change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// The changed column as a bare select item: its output name is the column's name.
    Bare(Confidence),
    /// The changed column under an alias: the name stays, the value is the column's.
    Aliased(Confidence),
    /// Something else (another table's column, an expression, a name the query lacks).
    Other,
    /// `*` over the changed table supplies it.
    Star,
    /// Cannot tell; why.
    Unknown(String),
}

/// What a `?` parameter binds, for one change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// It is compared with, or written to, the changed column.
    Changed(Confidence),
    Other,
    /// Cannot tell; why.
    Unknown(String),
}

/// The SQL of a JDBC call, prepared as the SQL rules prepare it.
pub struct Analysed(Prepared);

/// Parses the statements of `text` that mention a watched name.
pub fn analyse(text: &str, ctx: &RuleContext<'_>) -> Analysed {
    Analysed(prepare(text, &PrepareOptions::of(ctx)))
}

fn column_change(change: &Change) -> Option<(&ripple_core::TableName, &ripple_core::Ident)> {
    Some((change.table(), change.column()?))
}

/// The scope whose select list names the statement's result: the first SELECT that is no
/// CTE body, derived table or subquery.
fn result_scope(m: &Model) -> Option<usize> {
    let inner: HashSet<usize> = m
        .ctes
        .iter()
        .filter_map(|c| c.body)
        .chain(m.scopes.iter().flat_map(|s| {
            s.sources.iter().filter_map(|src| match src.kind {
                SourceKind::Derived(Some(id)) => Some(id),
                _ => None,
            })
        }))
        .collect();
    (0..m.scopes.len()).find(|&i| m.scopes[i].parent.is_none() && !inner.contains(&i))
}

impl Analysed {
    /// The result column named `name` of the query, for `change`.
    pub fn output(&self, name: &str, change: &Change, ctx: &RuleContext<'_>) -> Output {
        let Some((table, column)) = column_change(change) else { return Output::Other };
        if self.0.models().next().is_none() {
            // The SQL mentions no changed name: the column read is not the changed one.
            return Output::Other;
        }
        let mut result = Output::Other;
        for m in self.0.models() {
            let Some(m) = m else { return Output::Unknown("its query could not be parsed".into()) };
            if m.kind() != StatementKind::Query {
                continue;
            }
            let Some(scope) = result_scope(m) else { continue };
            let binder = Binder { model: m, catalog: ctx.catalog, output_names: ctx.options.output_names };
            let sc = &m.scopes[scope];
            let named = sc
                .items
                .iter()
                .find(|i| i.output.as_ref().is_some_and(|o| o.value.eq_ignore_ascii_case(name)));
            match named {
                Some(item) => {
                    let Some(ci) = item.column else { continue };
                    match binder.bind(&m.columns[ci], table, column) {
                        Binding::Changed(conf) if item.explicit_alias => result = Output::Aliased(conf),
                        Binding::Changed(conf) => result = Output::Bare(conf),
                        Binding::Other => {}
                        Binding::Ambiguous(c) => {
                            return Output::Unknown(format!("`{name}` could come from {}", c.join(" or ")))
                        }
                        Binding::Unresolved(why) => return Output::Unknown(why),
                    }
                }
                None => {
                    let star = sc.items.iter().any(|i| i.star.is_some())
                        && sc.sources.iter().any(|s| binder.source_is_changed(s, table).is_some());
                    if star && column.matches(name, false) {
                        result = Output::Star;
                    }
                }
            }
        }
        result
    }

    /// Positions of the JDBC `?` parameters in code, in order; `holes` are placeholders of
    /// Java operands, not parameters.
    fn params(&self, holes: &[(usize, usize)]) -> Vec<usize> {
        let masked = self.0.masked_text();
        masked
            .bytes()
            .enumerate()
            .filter(|&(i, b)| {
                b == b'?'
                    && !self.0.is_data(i, i + 1)
                    && !holes.iter().any(|&(s, e)| s <= i && i < e)
                    && !masked.as_bytes().get(i + 1).is_some_and(|c| matches!(c, b'?' | b'|' | b'&'))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// What the `index`-th (1-based) `?` parameter binds.
    pub fn param(
        &self,
        index: usize,
        holes: &[(usize, usize)],
        change: &Change,
        ctx: &RuleContext<'_>,
    ) -> Param {
        let Some((table, column)) = column_change(change) else { return Param::Other };
        let params = self.params(holes);
        let Some(&at) = index.checked_sub(1).and_then(|i| params.get(i)) else {
            return Param::Unknown(format!("the SQL has no parameter {index}"));
        };
        if self.0.models().next().is_none() {
            return Param::Other;
        }
        for m in self.0.models() {
            let Some(m) = m else { return Param::Unknown("its SQL could not be parsed".into()) };
            let binder = Binder { model: m, catalog: ctx.catalog, output_names: ctx.options.output_names };
            let Some(ci) = self.param_column(m, at) else { continue };
            return match binder.bind(&m.columns[ci], table, column) {
                Binding::Changed(conf) => Param::Changed(conf),
                Binding::Other => Param::Other,
                Binding::Ambiguous(c) => {
                    Param::Unknown(format!("its column could belong to {}", c.join(" or ")))
                }
                Binding::Unresolved(why) => Param::Unknown(why),
            };
        }
        // The parameter stands where no column is compared or written (LIMIT ?, f(?)):
        // only a statement that uses the changed column leaves doubt.
        let uses = self.0.models().flatten().any(|m| {
            let binder = Binder { model: m, catalog: ctx.catalog, output_names: ctx.options.output_names };
            m.columns.iter().any(|c| matches!(binder.bind(c, table, column), Binding::Changed(_)))
        });
        if uses {
            Param::Unknown(format!("parameter {index} is not simply compared with or written to a column"))
        } else {
            Param::Other
        }
    }

    /// The column reference parameter `at` is compared with (`col = ?`, `col IN (?, ?)`,
    /// `col BETWEEN ? AND ?`), set to (`SET col = ?`), or inserted into (`(a, b) VALUES (?, ?)`).
    fn param_column(&self, m: &Model, at: usize) -> Option<usize> {
        const GAPS: [&str; 14] = [
            "=",
            "<>",
            "!=",
            "<",
            ">",
            "<=",
            ">=",
            "like",
            "notlike",
            "ilike",
            "in(",
            "notin(",
            "between",
            "betweenand",
        ];
        let mut best: Option<(usize, usize)> = None;
        for (i, c) in m.columns.iter().enumerate() {
            let end = c.name.span.1;
            if end > at || matches!(c.place, Place::InsertColumn | Place::Ddl) {
                continue;
            }
            let gap: String =
                self.0.masked_text().get(end..at)?.chars().filter(|ch| !ch.is_whitespace()).collect();
            let gap = gap.to_ascii_lowercase();
            let norm: String =
                if gap.starts_with("in(") || gap.starts_with("notin(") || gap.starts_with("between") {
                    gap.chars().filter(|ch| *ch != '?' && *ch != ',').collect()
                } else {
                    gap
                };
            if GAPS.contains(&norm.as_str()) && best.is_none_or(|(_, e)| end > e) {
                best = Some((i, end));
            }
        }
        if let Some((i, _)) = best {
            return Some(i);
        }
        // INSERT ... (a, b) VALUES (?, ?): by position, when every value is a parameter.
        let cols: Vec<usize> =
            (0..m.columns.len()).filter(|&i| m.columns[i].place == Place::InsertColumn).collect();
        let last = m.columns.get(*cols.last()?)?.name.span.1;
        let rest = self.0.masked_text().get(last..)?;
        let lower = rest.to_ascii_lowercase();
        let v = lower.find("values")?;
        let open = last + v + lower[v..].find('(')?;
        let close = open + self.0.masked_text().get(open..)?.find(')')?;
        if !(open < at && at < close) {
            return None;
        }
        let inside = self.0.masked_text().get(open + 1..close)?;
        let values: Vec<&str> = inside.split(',').map(str::trim).collect();
        if values.len() != cols.len() || values.iter().any(|v| *v != "?") {
            return None;
        }
        let position = self.0.masked_text().get(open + 1..at)?.matches(',').count();
        cols.get(position).copied()
    }
}
