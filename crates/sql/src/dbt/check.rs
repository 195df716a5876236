//! The integrity check dbt would make at parse time: every `ref()` and `source()` resolves
//! to a defined node, no two nodes share a name, every YAML entry names a node that exists,
//! and the YAML columns of a seed are in its header, of a model among its SQL's outputs
//! (when every output is named).

use super::{CallTarget, Located, NodeKind, Project};
use std::collections::HashMap;

/// What dbt would reject or lose in a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProblemKind {
    /// A `ref()` that names no model, seed or snapshot.
    UnresolvedRef,
    /// A `source()` that names no source table.
    UnresolvedSource,
    /// Two nodes share a name.
    DuplicateName,
    /// A YAML entry whose model, seed or snapshot does not exist: its tests and docs are lost.
    OrphanEntry,
    /// A YAML column of a seed that its header does not have, or of a model that its SQL
    /// does not produce.
    UnknownColumn,
    /// A project file that does not load.
    Unreadable,
}

impl ProblemKind {
    /// Its name in reports (`unresolved-ref`...).
    pub fn word(self) -> &'static str {
        match self {
            ProblemKind::UnresolvedRef => "unresolved-ref",
            ProblemKind::UnresolvedSource => "unresolved-source",
            ProblemKind::DuplicateName => "duplicate-name",
            ProblemKind::OrphanEntry => "orphan-entry",
            ProblemKind::UnknownColumn => "unknown-column",
            ProblemKind::Unreadable => "unreadable",
        }
    }
}

/// One problem, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What kind.
    pub kind: ProblemKind,
    /// Where.
    pub at: Located,
    /// What to tell the reader; names the nodes, never positions, so the same problem
    /// before and after an edit compares equal.
    pub message: String,
}

/// The problems of one project (its packages are only looked up, not checked).
pub fn check(project: &Project) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut problem =
        |kind, at: &Located, message: String| out.push(Problem { kind, at: at.clone(), message });
    for (at, why) in &project.unreadable {
        problem(ProblemKind::Unreadable, at, format!("{} {why}", at.path.display()));
    }
    let uninstalled = project.declares_packages && project.packages.is_empty();
    for call in &project.calls {
        match &call.target {
            CallTarget::Ref { package, name } => {
                let scope: Vec<&Project> = match package {
                    Some(p) if *p == project.name => vec![project],
                    Some(p) => match project.packages.iter().find(|k| k.name == *p) {
                        Some(k) => vec![k],
                        // A package that is not installed cannot be checked.
                        None => continue,
                    },
                    None => std::iter::once(project).chain(&project.packages).collect(),
                };
                if scope.iter().all(|p| p.find_ref(name).is_empty()) {
                    let tail = if uninstalled && package.is_none() {
                        " (packages.yml declares packages that are not installed; it may be one of theirs)"
                    } else {
                        ""
                    };
                    problem(
                        ProblemKind::UnresolvedRef,
                        &call.at,
                        format!(
                            "{} names no model, seed or snapshot of project {}{tail}",
                            call.target, project.name
                        ),
                    );
                }
            }
            CallTarget::Source { source, table } => {
                let found = std::iter::once(project)
                    .chain(&project.packages)
                    .any(|p| !p.find_source(source, table).is_empty());
                // A properties file that does not load may define it.
                let yaml_unreadable =
                    project.unreadable.iter().any(|(at, _)| !at.path.ends_with("dbt_project.yml"));
                if !found {
                    let tail = if yaml_unreadable {
                        " (a properties file of the project does not load; it may define it)"
                    } else if uninstalled {
                        " (packages.yml declares packages that are not installed; it may be one of theirs)"
                    } else {
                        ""
                    };
                    problem(
                        ProblemKind::UnresolvedSource,
                        &call.at,
                        format!("{} names no source table of project {}{tail}", call.target, project.name),
                    );
                }
            }
            CallTarget::Dynamic => {}
        }
    }
    let mut seen: HashMap<(bool, Option<String>, String), &Located> = HashMap::new();
    for node in &project.nodes {
        let key = (
            node.kind == NodeKind::Source,
            node.source.as_ref().map(|s| s.to_lowercase()),
            node.name.to_lowercase(),
        );
        let at = node.yaml.as_ref().unwrap_or(&node.defined_at);
        if let Some(first) = seen.insert(key, at) {
            problem(
                ProblemKind::DuplicateName,
                at,
                format!("{} {} is defined twice (also at {first})", node.kind.word(), node.dbt_name()),
            );
        }
    }
    for entry in &project.entries {
        let exists =
            project.nodes.iter().any(|n| n.kind == entry.kind && n.name.eq_ignore_ascii_case(&entry.name));
        if !exists {
            problem(
                ProblemKind::OrphanEntry,
                &entry.at,
                format!(
                    "YAML entry {} names no {} of project {}: its tests and docs apply to nothing",
                    entry.name,
                    entry.kind.word(),
                    project.name
                ),
            );
        }
    }
    for test in &project.unit_tests {
        if project.find_ref(&test.name).is_empty() {
            problem(
                ProblemKind::UnresolvedRef,
                &test.at,
                format!(
                    "a unit test names model {}, which project {} does not have",
                    test.name, project.name
                ),
            );
        }
    }
    for node in project.nodes.iter().filter(|n| n.kind == NodeKind::Seed && !n.header.is_empty()) {
        for col in &node.columns {
            if !node.header.iter().any(|h| h.name.eq_ignore_ascii_case(&col.name)) {
                problem(
                    ProblemKind::UnknownColumn,
                    &col.at,
                    format!("column {} of seed {} is not in its CSV header", col.name, node.name),
                );
            }
        }
    }
    for node in project.nodes.iter().filter(|n| n.kind == NodeKind::Model) {
        let Some(produced) = &node.produces else { continue };
        for col in &node.columns {
            if !produced.iter().any(|p| p.eq_ignore_ascii_case(&col.name)) {
                problem(
                    ProblemKind::UnknownColumn,
                    &col.at,
                    format!("column {} of model {} is not an output of its SQL", col.name, node.name),
                );
            }
        }
    }
    out.sort_by(|a, b| (&a.at.path, a.at.start, a.kind).cmp(&(&b.at.path, b.at.start, b.kind)));
    out
}
