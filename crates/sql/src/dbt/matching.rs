//! Which datasets a change's table names: by dbt name (`stg_products` is the model,
//! `ecom.raw_customers` the source table) or by physical name (`raw.raw_customers` is the
//! source table whose schema is `raw`; `project.dataset.table` in BigQuery). Parts a project
//! leaves unknown (a model's target schema) do not rule a dataset out, but make the match
//! inexact.

use super::{CallTarget, Node, NodeKind, Project};
use ripple_core::{Ident, TableName};

/// A dataset a change's table names.
#[derive(Debug, Clone, Copy)]
pub struct DatasetMatch<'p> {
    /// Its project.
    pub project: &'p Project,
    /// The dataset.
    pub node: &'p Node,
    /// Named by its dbt name rather than its physical one.
    pub by_dbt_name: bool,
    /// Every part the change names is known and agrees (not just not contradicted).
    pub exact: bool,
}

/// Every dataset whose names agree with `table`, namesake models included.
pub(crate) fn candidates<'p>(projects: &'p [Project], table: &TableName) -> Vec<DatasetMatch<'p>> {
    let mut out = Vec::new();
    for project in projects {
        for node in &project.nodes {
            if let Some(exact) = by_dbt_name(node, &table.parts) {
                out.push(DatasetMatch { project, node, by_dbt_name: true, exact });
            } else if let Some(exact) = by_physical_name(node, &table.parts) {
                out.push(DatasetMatch { project, node, by_dbt_name: false, exact });
            }
        }
    }
    out
}

fn by_dbt_name(node: &Node, parts: &[Ident]) -> Option<bool> {
    match (node.kind, parts) {
        (NodeKind::Source, [s, t]) => {
            (s.matches(node.source.as_deref()?, false) && t.matches(&node.name, false)).then_some(true)
        }
        (NodeKind::Source, _) => None,
        (_, [m]) => m.matches(&node.name, false).then_some(true),
        _ => None,
    }
}

fn by_physical_name(node: &Node, parts: &[Ident]) -> Option<bool> {
    let r = &node.relation;
    let (last, qualifiers) = parts.split_last()?;
    if !last.matches(&r.identifier, false) {
        return None;
    }
    let mut exact = true;
    let known = [r.schema.as_deref(), r.database.as_deref()];
    for (i, q) in qualifiers.iter().rev().enumerate() {
        match known.get(i).copied().flatten() {
            Some(v) if q.matches(v, false) => continue,
            // The manifest's target is one target: another may name it otherwise.
            Some(_) if !r.compiled => return None,
            _ => {}
        }
        exact = false;
        if let (0, Some(custom)) = (i, &r.custom_schema) {
            // dbt's default rule: `<target schema>_<custom>`, or the custom schema alone
            // under a project's own generate_schema_name.
            let (v, custom) = (q.value.to_ascii_lowercase(), custom.to_ascii_lowercase());
            if v != custom && !v.ends_with(&format!("_{custom}")) {
                return None;
            }
        }
    }
    Some(exact)
}

/// Does `target` (a call of `project`) name `node`?
pub(crate) fn resolves_to(project: &Project, target: &CallTarget, node: &Node) -> bool {
    match target {
        CallTarget::Ref { package, name } => {
            package.as_ref().is_none_or(|p| *p == project.name)
                && project.find_ref(name).iter().any(|n| std::ptr::eq(*n, node))
        }
        CallTarget::Source { source, table } => {
            project.find_source(source, table).iter().any(|n| std::ptr::eq(*n, node))
        }
        CallTarget::Dynamic => false,
    }
}

/// Does `text` spell `name` as a whole word (case-insensitively)?
pub(crate) fn spells(text: &str, name: &str) -> bool {
    let (text, name) = (text.to_lowercase(), name.to_lowercase());
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(&name).any(|(i, _)| {
        !is_word(text[..i].chars().next_back()) && !is_word(text[i + name.len()..].chars().next())
    })
}
