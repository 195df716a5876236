//! A dropped column is removed from the lists that name it, with its comma and its values:
//! an item of the statement's result, an INSERT column with its value in every VALUES row
//! (or its item of `INSERT ... SELECT`), the value of a positional INSERT by the table's
//! column order in the catalog, a SET assignment. Only when every reference to the column
//! in the statement stands in such an element: anywhere else (WHERE, JOIN, an expression,
//! ORDER BY) the statement fails whatever is removed, so nothing is, and every reference
//! stays a finding.

use super::bind::{table_match, Binder, Binding};
use super::list_removal::removal;
use super::names::ref_parts;
use super::scope::{ElementList, Model, Place, ScopeId};
use crate::dialect::QuotedLiterals;
use crate::source::lex::Lexed;
use ripple_core::{Catalog, Confidence, Ident, TableName};

/// What removing the dropped column from a statement takes.
pub struct Removal {
    /// The column references inside the removed elements: they need no finding.
    pub covered: Vec<usize>,
    /// The positional INSERT whose values were removed by the table's column order.
    pub positional: bool,
    /// The byte spans to delete.
    pub spans: Vec<(usize, usize)>,
    /// The removed items of the statement's result: its readers see one column fewer.
    pub result_items: Vec<(usize, usize)>,
    pub confidence: Confidence,
}

/// A list of the statement, by where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum List {
    Select(ScopeId),
    Columns,
    Row(usize),
    Set,
    /// The `EXCEPT (...)` of a star (by its index).
    Except(usize),
}

struct Planner<'m> {
    model: &'m Model,
    /// Elements to remove: list and position.
    elements: Vec<(List, usize)>,
}

impl<'m> Planner<'m> {
    fn list(&self, l: List) -> Option<&'m ElementList> {
        let m = self.model;
        match l {
            List::Select(s) => Some(&m.scopes[s].list),
            List::Columns => m.insert.as_ref()?.columns.as_ref().map(|(l, _)| l),
            List::Row(j) => m.insert.as_ref()?.rows.get(j),
            List::Set => m.set_list.as_ref(),
            List::Except(s) => m.stars[s].except_list.as_ref().map(|e| &e.list),
        }
    }

    /// Can item `k` of `scope` go without changing anything else the statement names?
    fn removable_item(&self, scope: ScopeId, k: usize) -> bool {
        let sc = &self.model.scopes[scope];
        let output = sc.items.get(k).and_then(|i| i.output.as_ref().filter(|_| i.explicit_alias));
        let sorted_by_alias = output.is_some_and(|o| {
            self.model
                .columns
                .iter()
                .any(|c| c.scope == Some(scope) && c.place == Place::Sort && c.name.same(o))
        });
        !sc.in_set_operation
            && !sc.positional_sort
            && !sorted_by_alias
            && sc.list.elements.len() == sc.items.len()
            && sc.items.iter().all(|i| i.star.is_none())
    }

    /// The values of INSERT column `k` of `n`: one per VALUES row, or the SELECT's item.
    fn values_of(&mut self, k: usize, n: usize) -> bool {
        let Some(shape) = self.model.insert.as_ref() else { return false };
        if shape.unmodelled || (shape.rows.is_empty() == shape.select.is_none()) {
            return false;
        }
        for (j, row) in shape.rows.iter().enumerate() {
            if row.elements.len() != n {
                return false;
            }
            self.elements.push((List::Row(j), k));
        }
        if let Some(s) = shape.select {
            if self.model.scopes[s].items.len() != n || !self.removable_item(s, k) {
                return false;
            }
            self.elements.push((List::Select(s), k));
        }
        true
    }
}

/// How the dropped column leaves the statement's lists, if it can leave all of them.
#[allow(clippy::too_many_arguments)]
pub fn plan(
    model: &Model,
    binder: &Binder<'_>,
    catalog: &Catalog,
    quoted: QuotedLiterals,
    table: &TableName,
    column: &Ident,
    lexed: &Lexed,
    text: &str,
) -> Option<Removal> {
    let mut p = Planner { model, elements: Vec::new() };
    let mut confidence = Confidence::Certain;
    let mut refs = Vec::new();
    for (i, r) in model.columns.iter().enumerate() {
        if !r.name.is(column) || (r.from_literal && quoted == QuotedLiterals::String) {
            continue;
        }
        match binder.bind(r, table, column) {
            Binding::Changed(_) if r.from_literal && quoted == QuotedLiterals::Uncertain => return None,
            Binding::Changed(c) => {
                confidence = confidence.max(c);
                refs.push(i);
            }
            Binding::Other => {}
            Binding::Ambiguous(_) | Binding::Unresolved(_) => return None,
        }
    }
    let insert_select = model.insert.as_ref().and_then(|s| s.select);
    let mut anchors = Vec::new();
    let mut result_items = Vec::new();
    // A star's `EXCEPT (dropped)` goes whole: the star yields the same columns without it.
    let mut clauses = Vec::new();
    for &i in &refs {
        let r = &model.columns[i];
        let except = model.stars.iter().enumerate().find_map(|(s, star)| {
            let e = star.except_list.as_ref()?;
            Some((s, e, e.columns.iter().position(|&c| c == i)?))
        });
        if let Some((s, e, k)) = except {
            if e.list.elements.len() > 1 {
                p.elements.push((List::Except(s), k));
            } else {
                clauses.push(e.clause);
            }
            anchors.push(i);
            continue;
        }
        match r.place {
            Place::Item => {
                let Some(scope) = r.scope else { continue };
                let k = model.scopes[scope]
                    .items
                    .iter()
                    .position(|it| it.column == Some(i) || it.named_after.is_some_and(|(c, _)| c == i));
                // An item of INSERT ... SELECT goes only with its INSERT column.
                match k {
                    Some(k) if model.output == Some(scope) && insert_select != Some(scope) => {
                        if !p.removable_item(scope, k) {
                            return None;
                        }
                        p.elements.push((List::Select(scope), k));
                        anchors.push(i);
                        result_items.push(r.name.span);
                    }
                    _ => {}
                }
            }
            Place::InsertColumn => {
                let (list, cols) = model.insert.as_ref()?.columns.as_ref()?;
                let k = cols.iter().position(|&c| c == i)?;
                if list.elements.len() != cols.len() || !p.values_of(k, cols.len()) {
                    return None;
                }
                p.elements.push((List::Columns, k));
                anchors.push(i);
            }
            Place::SetTarget => {
                let set = model.set_list.as_ref()?;
                let k = set.elements.iter().position(|e| e.0 <= r.name.span.0 && r.name.span.1 <= e.1)?;
                p.elements.push((List::Set, k));
                anchors.push(i);
            }
            _ => {}
        }
    }
    // A positional INSERT into the table: its values by the catalog's column order.
    let mut positional = false;
    if let Some(shape) = model.insert.as_ref().filter(|s| s.columns.is_none()) {
        if let Some(t) = shape.target.filter(|&t| table_match(model, t, table).is_some()) {
            let cols = catalog.columns_of(&ref_parts(&model.tables[t].parts))?;
            let k = cols.iter().position(|c| c.matches(&column.value, column.quoted))?;
            if !p.values_of(k, cols.len()) {
                return None;
            }
            confidence = confidence.max(table_match(model, t, table)?);
            positional = true;
        }
    }
    p.elements.sort();
    p.elements.dedup();
    // Two elements of one list could share a comma: not modelled.
    if p.elements.windows(2).any(|w| w[0].0 == w[1].0) || (p.elements.is_empty() && clauses.is_empty()) {
        return None;
    }
    let mut spans = clauses.clone();
    let mut removed = clauses;
    for &(l, k) in &p.elements {
        let list = p.list(l)?;
        removed.push(*list.elements.get(k)?);
        spans.extend(removal(list, k, lexed, text).ok()?);
    }
    // Every reference must go with a removed element.
    let inside = |span: (usize, usize)| removed.iter().any(|e| e.0 <= span.0 && span.1 <= e.1);
    if refs.iter().any(|&i| !anchors.contains(&i) && !inside(model.columns[i].name.span)) {
        return None;
    }
    let covered = refs.iter().copied().filter(|&i| inside(model.columns[i].name.span)).collect();
    Some(Removal { covered, positional, spans, result_items, confidence })
}
