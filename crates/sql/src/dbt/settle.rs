//! The dbt stage of a plan: which datasets each change names (`changes[i].datasets`), a
//! change that names several is a warning (never a guess), strings in Jinja that spell a
//! changed column of a dataset a model reads (findings), renamed datasets (their files,
//! entries and calls), and the integrity guard.

use super::calls::{jinja_literals, produced};
use super::matching::{resolves_to, spells};
use super::{
    guard::guard, load_projects, match_table, read_disk, DatasetMatch, Located, NodeKind, Problem,
    ProblemKind, Project,
};
use super::{seed_headers, star_passes};
use crate::ids::DBT_MACRO_ARGUMENT;
use ripple_core::plan::{Dataset, DatasetMatchKind, Plan, PlanFinding, Warning};
use ripple_core::Severity;
use ripple_core::{Change, DbtRename, Ident};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Runs the dbt stage over a computed plan of the files under `roots`; `rename` says how a
/// table rename renames a dataset.
pub fn settle(plan: &mut Plan, roots: &[PathBuf], rename: DbtRename) {
    let projects = load_projects(roots, &read_disk);
    if projects.is_empty() {
        return;
    }
    // The model files of the datasets each ambiguous change may name.
    let mut ambiguous: Vec<(usize, Vec<PathBuf>)> = Vec::new();
    for (i, change) in plan.changes.iter_mut().enumerate() {
        let found = match_table(&projects, change.table());
        change.datasets = found.iter().map(dataset).collect();
        let exact: Vec<&DatasetMatch<'_>> = found.iter().filter(|m| m.exact).collect();
        let mut candidates = if exact.is_empty() { found.iter().collect() } else { exact };
        // One warehouse table declared as a source by several projects is one table.
        let mut tables = BTreeSet::new();
        candidates.retain(|m| m.by_dbt_name || tables.insert(m.node.physical_name().to_lowercase()));
        if candidates.len() > 1 {
            ambiguous.push((i, candidates.iter().filter_map(|m| m.node.file.clone()).collect()));
            let names: Vec<String> = candidates
                .iter()
                .map(|m| format!("{} of project {}", m.node.dbt_name(), m.project.name))
                .collect();
            plan.warnings.push(Warning {
                message: format!(
                    "change #{i} ({}) names {} dbt datasets: {}; ripple cannot tell which is meant (qualify the table with its schema or name the dbt node)",
                    change.change,
                    candidates.len(),
                    names.join(", ")
                ),
                change: Some(i),
            });
        }
    }
    unguessed_outputs(plan, &ambiguous);
    macro_arguments(plan, &projects);
    seed_headers::keep_matched(plan, &projects);
    super::namesakes::withdraw_namesake_readers(plan, &projects);
    star_passes::report(plan, &projects);
    super::rename::rename_datasets(plan, roots, &projects, rename);
    super::dropped_columns::readers_reported(plan, &projects);
    super::dropped_columns::remove_entries(plan, roots, &projects);
    let unproduced = unproduced_renames(plan, &projects);
    guard(plan, &projects, unproduced);
}

/// A renamed column of a model, seed or snapshot that the dataset itself would not produce
/// after the plan (its output or header field could not be renamed): its readers' edits
/// would read a column that does not exist. A model whose outputs are not
/// all named (a `*`, a macro) and whose SQL never spells the old name passes the column
/// through from upstream, and is left alone.
fn unproduced_renames(plan: &Plan, projects: &[Project]) -> Vec<(PathBuf, Problem)> {
    let mut out = Vec::new();
    for (i, change) in plan.changes.iter().enumerate() {
        let Change::RenameColumn { from, to, .. } = &change.change else { continue };
        if !plan.files.iter().any(|f| f.edits.iter().any(|e| e.change == i)) {
            continue;
        }
        for m in match_table(projects, change.table()) {
            let Some(file) = &m.node.file else { continue };
            let produces = |name: &Ident, columns: &[String]| columns.iter().any(|c| name.matches(c, false));
            let breaks = match m.node.kind {
                NodeKind::Source => false,
                NodeKind::Seed => {
                    let Some(text) = super::rewritten(plan, file).or_else(|| read_disk(file)) else {
                        continue;
                    };
                    let header: Vec<String> =
                        super::seeds::header(file, &text).into_iter().map(|c| c.name).collect();
                    !produces(to, &header)
                }
                NodeKind::Model | NodeKind::Snapshot => {
                    let Some(text) = super::rewritten(plan, file).or_else(|| read_disk(file)) else {
                        continue;
                    };
                    match produced(&text) {
                        Some(columns) => !produces(to, &columns),
                        None => spells(&text, &from.value) && !spells(&text, &to.value),
                    }
                }
            };
            if !breaks {
                continue;
            }
            out.push((
                m.project.root.clone(),
                Problem {
                    kind: ProblemKind::UnknownColumn,
                    at: Located::file(file),
                    message: format!(
                        "{} {} would not produce column {to}, and the edits of its readers would read a column it does not have",
                        m.node.kind.word(),
                        m.node.dbt_name(),
                    ),
                },
            ));
        }
    }
    out
}

/// A model's own outputs are edited for a change of its name; when the change names several
/// datasets, which model is meant is a guess: the edits of those models' files for it are
/// withdrawn, each a finding.
fn unguessed_outputs(plan: &mut Plan, ambiguous: &[(usize, Vec<PathBuf>)]) {
    let mut withdrawn = Vec::new();
    let mut findings = Vec::new();
    for (k, f) in plan.files.iter().enumerate() {
        let Some((i, _)) = ambiguous.iter().find(|(i, files)| {
            files.iter().any(|p| super::shown(p) == super::shown(&f.path))
                && f.edits.iter().any(|e| e.change == *i)
        }) else {
            continue;
        };
        withdrawn.push(k);
        for e in f.edits.iter().filter(|e| e.change == *i) {
            findings.push(PlanFinding {
                path: f.path.clone(),
                line: e.line,
                column: e.column,
                rule: e.rule.clone(),
                change: Some(*i),
                severity: Severity::Review,
                reason: ripple_core::Reason::Ambiguous,
                message: format!(
                    "change #{i} names several dbt datasets, this model among them; {:?} was not rewritten to {:?} (qualify the change's table)",
                    e.before, e.after
                ),
            });
        }
    }
    seed_headers::withdraw(plan, &withdrawn, findings);
}

/// Strings in Jinja that spell a changed column, in the models that read its dataset: a
/// finding each, unless a rule already reported that place or it is a column argument of a
/// macro the SQL rule reads (sql/dbt-macro-column).
fn macro_arguments(plan: &mut Plan, projects: &[Project]) {
    let mut found = Vec::new();
    for (i, change) in plan.changes.iter().enumerate() {
        let Some(column) = change.column() else { continue };
        for m in match_table(projects, change.table()) {
            let readers: BTreeSet<&Path> = m
                .project
                .calls
                .iter()
                .filter(|c| resolves_to(m.project, &c.target, m.node))
                .map(|c| c.at.path.as_path())
                .collect();
            for path in readers {
                let Some(text) = read_disk(path) else { continue };
                // Column arguments of the macros rules/dbt/ describes are the SQL rule's.
                let governed = crate::macros::governed(&text);
                for (value, start, end) in jinja_literals(&text) {
                    if !column.matches(value, false) || governed.contains(&(start, end)) {
                        continue;
                    }
                    let at = Located::new(path, &text, start, end);
                    found.push(PlanFinding {
                        path: at.path.clone(),
                        line: at.line,
                        column: at.column,
                        rule: DBT_MACRO_ARGUMENT.id.to_string(),
                        change: Some(i),
                        severity: Severity::Review,
                        reason: DBT_MACRO_ARGUMENT.reason.refined(Some(change.kind())),
                        message: format!(
                            "'{value}' inside Jinja spells column {column} of {}, which this model reads; if it names that column, update it by hand",
                            m.node.dbt_name()
                        ),
                    });
                }
            }
        }
    }
    // An edited string (a list a loop reads as columns) is settled.
    let edited = |f: &PlanFinding| {
        plan.files.iter().filter(|p| p.path == f.path).flat_map(|p| p.edits.iter()).any(|e| {
            e.line == f.line && e.column <= f.column && f.column <= e.column + e.before.chars().count()
        })
    };
    found.retain(|f| {
        !edited(f)
            && !plan.findings.iter().any(|g| g.path == f.path && g.line == f.line && g.column == f.column)
    });
    found.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.column == b.column);
    if found.is_empty() {
        return;
    }
    // A change the engine saw nothing about may now have findings here.
    plan.warnings.retain(|w| {
        !(w.message.contains("no edit and no finding")
            && found.iter().any(|f| f.change.is_some() && f.change == w.change))
    });
    plan.findings.extend(found);
    plan.findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    plan.summary.findings = plan.findings.len();
}

fn dataset(m: &DatasetMatch<'_>) -> Dataset {
    Dataset {
        project: m.project.name.clone(),
        kind: m.node.kind.word().to_string(),
        name: m.node.dbt_name(),
        relation: m.node.physical_name(),
        by: if m.by_dbt_name { DatasetMatchKind::DbtName } else { DatasetMatchKind::PhysicalName },
        exact: m.exact,
    }
}
