//! A model named like the changed table that reads it (`models/stripe/subscriptions.sql`
//! selecting from `source('stripe_raw', 'subscriptions')`) is a consumer of the table, not
//! the table: the SQL pass binds `{{ ref('subscriptions') }}` to a change of
//! `raw.stripe_prod_2024_06.subscriptions` only because a ref() carries no schema. Files
//! that reach the table only through such a ref() keep their text; their edits become
//! findings, info when the model keeps the column's name for its readers (its own edit is
//! `new AS old`, or it has none), review otherwise.

use super::matching::candidates;
use super::{CallTarget, DatasetMatch, Node, NodeKind, Project};
use ripple_core::plan::{Plan, PlanFinding};
use ripple_core::Severity;
use ripple_core::TableName;
use std::path::{Path, PathBuf};

/// The datasets of `projects` (not of their packages) that `table` names. A model named
/// like the table that reads it is its consumer, not the table (this module).
pub fn match_table<'p>(projects: &'p [Project], table: &TableName) -> Vec<DatasetMatch<'p>> {
    let mut found = candidates(projects, table);
    let namesakes = namesakes(&found);
    found.retain(|m| !namesakes.iter().any(|n| std::ptr::eq(n.node, m.node)));
    found
}

/// Does `target` name `node`?
fn names(target: &CallTarget, node: &Node) -> bool {
    match (target, node.kind) {
        (CallTarget::Source { source, table }, NodeKind::Source) => {
            node.source.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(source))
                && node.name.eq_ignore_ascii_case(table)
        }
        (CallTarget::Ref { name, .. }, NodeKind::Model | NodeKind::Seed | NodeKind::Snapshot) => {
            node.name.eq_ignore_ascii_case(name)
        }
        _ => false,
    }
}

/// The calls of `project` written in `file`.
fn calls_in<'p>(project: &'p Project, file: &Path) -> impl Iterator<Item = &'p CallTarget> + 'p {
    let file = super::shown(file);
    project.calls.iter().filter(move |c| super::shown(&c.at.path) == file).map(|c| &c.target)
}

/// The inexact model matches among `found` that read one of its exact matches.
pub(crate) fn namesakes<'p>(found: &[DatasetMatch<'p>]) -> Vec<DatasetMatch<'p>> {
    let exact: Vec<&Node> = found.iter().filter(|m| m.exact).map(|m| m.node).collect();
    found
        .iter()
        .filter(|m| !m.exact && !m.by_dbt_name && m.node.kind == NodeKind::Model)
        .filter(|m| {
            m.node
                .file
                .as_deref()
                .is_some_and(|f| calls_in(m.project, f).any(|t| exact.iter().any(|n| names(t, n))))
        })
        .copied()
        .collect()
}

/// Withdraws the files whose edits of a change reach its table only through a namesake model.
pub(crate) fn withdraw_namesake_readers(plan: &mut Plan, projects: &[Project]) {
    let mut withdrawn = Vec::new();
    let mut findings = Vec::new();
    for (i, change) in plan.changes.iter().enumerate() {
        let Some(from) = change.change.column() else { continue };
        let found = candidates(projects, change.table());
        let exact: Vec<&Node> = found.iter().filter(|m| m.exact).map(|m| m.node).collect();
        for m in namesakes(&found) {
            let Some(model_file) = &m.node.file else { continue };
            // The model keeps the column's name for its readers: its own edit is `new AS old`,
            // or it needs none (as after apply).
            let own: Vec<&ripple_core::plan::PlanEdit> = plan
                .files
                .iter()
                .filter(|f| super::shown(&f.path) == super::shown(model_file))
                .flat_map(|f| f.edits.iter().filter(|e| e.change == i))
                .collect();
            let alias = format!(" as {}", from.value.to_ascii_lowercase());
            let keeps_name = own.iter().all(|e| e.after.to_ascii_lowercase().ends_with(&alias));
            for (k, f) in plan.files.iter().enumerate() {
                let shown: PathBuf = super::shown(&f.path);
                let in_project = shown.starts_with(super::shown(&m.project.root));
                if !in_project || shown == super::shown(model_file) || withdrawn.contains(&k) {
                    continue;
                }
                let mut targets = calls_in(m.project, &f.path).peekable();
                if targets.peek().is_none() {
                    continue;
                }
                let targets: Vec<&CallTarget> = targets.collect();
                let via_namesake = targets.iter().any(|t| names(t, m.node));
                let reads_table = targets.iter().any(|t| exact.iter().any(|n| names(t, n)));
                if !via_namesake || reads_table || f.edits.iter().any(|e| e.change != i) {
                    continue;
                }
                withdrawn.push(k);
                for e in &f.edits {
                    let (severity, why) = if keeps_name {
                        (Severity::Info, format!("which keeps `{}` for its readers", from.value))
                    } else {
                        (Severity::Review, "check whether it passes the change on".to_string())
                    };
                    findings.push(PlanFinding {
                        path: f.path.clone(),
                        line: e.line,
                        column: e.column,
                        rule: e.rule.clone(),
                        change: Some(i),
                        severity,
                        reason: ripple_core::Reason::ManualEdit,
                        message: format!(
                            "`{}` here is read from ref('{}'), a model that reads {} rather than being it ({why}); not rewritten to {}",
                            e.before, m.node.name, change.change.table(), e.after
                        ),
                    });
                }
            }
        }
    }
    super::seed_headers::withdraw(plan, &withdrawn, findings);
}
