//! A seed's header is edited by the CSV rule for any change whose table's last part is the
//! seed's name; with the project model in hand, an edit for a change that does not name the
//! seed (another schema's table of that name) is withdrawn, its file left as it was.

use super::{match_table, NodeKind, Project};
use crate::ids::DBT_SEED_HEADER;
use ripple_core::plan::{Plan, PlanFinding};
use ripple_core::{Lang, Severity};

/// Withdraws the seed header edits of changes that do not name the seed.
pub(crate) fn keep_matched(plan: &mut Plan, projects: &[Project]) {
    let names_seed = |change: usize, path: &std::path::Path| {
        plan.changes.get(change).is_some_and(|c| {
            match_table(projects, c.table()).iter().any(|m| {
                m.node.kind == NodeKind::Seed
                    && m.node.file.as_deref().is_some_and(|f| super::shown(f) == super::shown(path))
            })
        })
    };
    let mut findings = Vec::new();
    let mut withdrawn = Vec::new();
    for (k, f) in plan.files.iter().enumerate() {
        if f.language != Lang::Csv || f.edits.iter().all(|e| names_seed(e.change, &f.path)) {
            continue;
        }
        withdrawn.push(k);
        for e in &f.edits {
            findings.push(PlanFinding {
                path: f.path.clone(),
                line: e.line,
                column: e.column,
                rule: DBT_SEED_HEADER.id.to_string(),
                change: Some(e.change),
                severity: Severity::Review,
                reason: DBT_SEED_HEADER.reason,
                message: format!(
                    "change #{} names a table of this seed's name that its dbt project places elsewhere; header field {} was not renamed to {}",
                    e.change, e.before, e.after
                ),
            });
        }
    }
    withdraw(plan, &withdrawn, findings);
}

/// Takes files `withdrawn` (indices) out of the plan, adding `findings`.
pub(crate) fn withdraw(plan: &mut Plan, withdrawn: &[usize], findings: Vec<PlanFinding>) {
    if withdrawn.is_empty() {
        return;
    }
    let mut k = 0;
    plan.files.retain(|_| {
        k += 1;
        !withdrawn.contains(&(k - 1))
    });
    plan.findings.extend(findings);
    plan.findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    plan.summary.files_changed = plan.files.len();
    plan.summary.edits = plan.files.iter().map(|f| f.edits.len()).sum();
    plan.summary.findings = plan.findings.len();
}
