//! A model whose outputs are its upstream's through `*` (`select * from {{ ref('m') }}`) and
//! that never names a changed column passes the change on: its own output is renamed (or
//! dropped, or retyped) with `m`'s. ripple reports the star itself; the places that name
//! the passing model's column are found here and reported too, so that none is missed
//! silently: the YAML that describes it (a `columns:` entry, a semantic model over it) and
//! the models that read it by name. Models that pass it on again are followed in turn.

use super::calls::produced;
use super::matching::{resolves_to, spells};
use super::{match_table, Node, NodeKind, Project};
use crate::ids::{DBT_COLUMNS, SELECT_STAR};
use ripple_core::plan::{Plan, PlanFinding};
use ripple_core::{Change, ChangeSet, Severity, TableName};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Adds a finding for each place that names a changed column of a model that passes it on
/// through a star.
pub(crate) fn report(plan: &mut Plan, projects: &[Project]) {
    let read = |path: &Path| -> Option<String> {
        match plan.files.iter().find(|f| super::shown(&f.path) == super::shown(path)) {
            Some(f) => Some(String::from_utf8_lossy(&f.rewritten).into_owned()),
            None => super::read_disk(path),
        }
    };
    let mut found = Vec::new();
    for (i, pc) in plan.changes.iter().enumerate() {
        let change = &pc.change;
        let Some(column) = change.column() else { continue };
        for m in match_table(projects, change.table()) {
            let project = m.project;
            let mut frontier = vec![m.node];
            let mut seen: BTreeSet<String> = BTreeSet::from([m.node.name.to_lowercase()]);
            while let Some(upstream) = frontier.pop() {
                for reader in readers(project, upstream) {
                    let Some(file) = &reader.file else { continue };
                    let Some(text) = read(file) else { continue };
                    if spells(&text, &column.value) || produced(&text).is_some() || !only_stars(&text) {
                        continue;
                    }
                    if !seen.insert(reader.name.to_lowercase()) {
                        continue;
                    }
                    frontier.push(reader);
                    let passed = format!(
                        "model {} passes column {column} of {} on through *, and {}",
                        reader.dbt_name(),
                        upstream.dbt_name(),
                        what(change)
                    );
                    let derived = on_table(change, &reader.name);
                    yaml_places(project, &derived, i, &passed, &read, &mut found);
                    sql_readers(project, reader, column, i, &passed, &read, &mut found);
                }
            }
        }
    }
    found.retain(|f| {
        !plan.findings.iter().any(|g| g.path == f.path && g.line == f.line && g.column == f.column)
    });
    found.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    found.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.column == b.column);
    if found.is_empty() {
        return;
    }
    plan.findings.extend(found);
    plan.findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    plan.summary.findings = plan.findings.len();
}

/// Is every SELECT of a model `select *` (Jinja masked, line comments left out)? Only then
/// are its outputs surely its upstream's.
fn only_stars(text: &str) -> bool {
    let masked = crate::source::jinja::mask(text).text.to_lowercase();
    let code: String =
        masked.lines().map(|l| l.split("--").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '*'))
        .filter(|w| !w.is_empty())
        .collect();
    let selects: Vec<usize> =
        words.iter().enumerate().filter(|(_, w)| **w == "select").map(|(i, _)| i).collect();
    !selects.is_empty() && selects.iter().all(|&i| words.get(i + 1) == Some(&"*"))
}

/// The models of `project` that read `node`.
fn readers<'p>(project: &'p Project, node: &Node) -> Vec<&'p Node> {
    let files: BTreeSet<&Path> = project
        .calls
        .iter()
        .filter(|c| resolves_to(project, &c.target, node))
        .map(|c| c.at.path.as_path())
        .collect();
    project
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Model && n.file.as_deref().is_some_and(|f| files.contains(f)))
        .collect()
}

fn what(change: &Change) -> String {
    match change {
        Change::RenameColumn { to, .. } => format!("so renames it to {to}"),
        Change::DropColumn { .. } => "so drops it".into(),
        Change::ChangeType { to, .. } => format!("so changes its type to {to}"),
        Change::RenameTable { .. } => String::new(),
    }
}

/// The same column change, of table `name`.
fn on_table(change: &Change, name: &str) -> Change {
    let mut derived = change.clone();
    let table = TableName::parse(name);
    match &mut derived {
        Change::RenameColumn { table: t, .. }
        | Change::DropColumn { table: t, .. }
        | Change::ChangeType { table: t, .. } => *t = table,
        Change::RenameTable { .. } => {}
    }
    derived
}

/// The YAML of `project` that names the passing model's column: each place the YAML rule
/// would edit or report for the derived change, as a finding.
fn yaml_places(
    project: &Project,
    derived: &Change,
    change: usize,
    passed: &str,
    read: &dyn Fn(&Path) -> Option<String>,
    found: &mut Vec<PlanFinding>,
) {
    let changes = ChangeSet::new(vec![derived.clone()]);
    for path in yaml_files(project) {
        let Some(text) = read(&path) else { continue };
        let out = crate::dbt_yaml::analyse(&text, &changes, ripple_core::DbtRename::default());
        let starts = out.edits.iter().map(|e| e.start).chain(out.findings.iter().map(|f| f.start));
        for start in starts {
            let at = super::Located::new(&path, &text, start, start);
            found.push(finding(
                &at,
                DBT_COLUMNS.id,
                DBT_COLUMNS.reason,
                change,
                format!("{passed}: this YAML names that column; update it by hand"),
            ));
        }
    }
}

/// The SQL of the models that read the passing model and name the column.
fn sql_readers(
    project: &Project,
    passing: &Node,
    column: &ripple_core::Ident,
    change: usize,
    passed: &str,
    read: &dyn Fn(&Path) -> Option<String>,
    found: &mut Vec<PlanFinding>,
) {
    for reader in readers(project, passing) {
        let Some(file) = &reader.file else { continue };
        let Some(text) = read(file) else { continue };
        let masked = crate::source::jinja::mask(&text);
        let (lower, name) = (masked.text.to_lowercase(), column.value.to_lowercase());
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        for (start, _) in lower.match_indices(&name) {
            let end = start + name.len();
            let line = &lower[lower[..start].rfind('\n').map_or(0, |p| p + 1)..start];
            let bounded = !word(lower[..start].chars().next_back()) && !word(lower[end..].chars().next());
            // A line comment's words are prose; `as name` names an output of its own.
            let alias = lower[..start].trim_end().ends_with(" as");
            if !bounded || line.contains("--") || alias {
                continue;
            }
            let at = super::Located::new(file, &text, start, end);
            found.push(finding(
                &at,
                SELECT_STAR.id,
                SELECT_STAR.reason,
                change,
                format!("{passed}: this reads {} by that name; update it by hand", passing.dbt_name()),
            ));
        }
    }
}

fn finding(
    at: &super::Located,
    rule: &str,
    reason: ripple_core::Reason,
    change: usize,
    message: String,
) -> PlanFinding {
    PlanFinding {
        path: at.path.clone(),
        line: at.line,
        column: at.column,
        rule: rule.to_string(),
        change: Some(change),
        severity: Severity::Review,
        reason,
        message,
    }
}

/// The properties YAML of a project (not of its packages, nor its build output).
fn yaml_files(project: &Project) -> Vec<PathBuf> {
    let target = project.root.join("target");
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(&project.root)
        .follow_links(false)
        .build()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| {
            p.is_file()
                && project.owns(p)
                && !p.starts_with(&target)
                && p.extension().and_then(|e| e.to_str()).is_some_and(|e| e == "yml" || e == "yaml")
                && ripple_core::lang::is_dbt_yaml(p)
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::only_stars;

    #[test]
    fn a_model_of_stars_only_passes_its_upstream_on() {
        assert!(only_stars("with p as (\n    select * from {{ ref('m') }}\n)\n\nselect * from p\n"));
        assert!(!only_stars("with p as (select a, b from {{ ref('m') }}) select * from p"));
        assert!(!only_stars("select p.* from {{ ref('m') }} p"));
        assert!(only_stars("-- select a from x\nselect * from {{ ref('m') }}"));
        assert!(!only_stars("{{ latest_record(ref('m')) }}"));
    }
}
