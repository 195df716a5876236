//! Renaming a dbt dataset, never half-way. A table rename that names a model or a seed
//! moves its file and renames its YAML entry and every `ref()` of it; under `--dbt-rename
//! names` a source table's `name:` and every `source()` call of it are renamed together;
//! under `--dbt-rename alias` a model or seed keeps its name and gets an `alias` config
//! ([`super::alias`]). Only the string literal inside a Jinja call changes, keeping its
//! quotes. Calls are looked for in every file of the project (models, snapshots, macros,
//! tests, analyses, properties files). When one place cannot be rewritten exactly (a call
//! whose arguments are not plain strings, a name YAML cannot take in place, a file that is
//! already there), nothing of that dataset changes and a finding says why.

use super::alias::alias_edits;
use super::calls::{bare_calls, scan};
use super::config_keys::config_keys;
use super::renaming::{at_node, plain_name, Blocker, Work};
use super::{match_table, read_disk, Call, CallTarget, DatasetMatch, Located, Node, NodeKind, Project};
use crate::dbt_yaml::replacement;
use crate::ids::DBT_RENAME;
use ripple_core::plan::{Plan, PlanFinding};
use ripple_core::{Change, Confidence, DbtRename, Edit, Lang, PlanPath, Severity, TableName};
use std::path::{Path, PathBuf};

/// Renames the datasets that the plan's table renames name, as `mode` says.
pub(crate) fn rename_datasets(plan: &mut Plan, roots: &[PathBuf], projects: &[Project], mode: DbtRename) {
    for i in 0..plan.changes.len() {
        let Change::RenameTable { from, to } = &plan.changes[i].change else { continue };
        let (from, to) = (from.clone(), to.clone());
        let matched = chosen(projects, &from);
        let mut renamed = Vec::new();
        for m in &matched {
            let new = to.name().value.clone();
            let result = match (m.node.kind, mode) {
                (NodeKind::Source, DbtRename::Names) if m.node.identifier_at.is_none() => {
                    retarget(m, &new, i).map(|edits| Work { edits, ..Work::default() })
                }
                // A source table gets `identifier:` (the YAML rule), a snapshot is not renamed.
                (NodeKind::Source | NodeKind::Snapshot, _) => continue,
                // A model named by its relation, behind an alias, keeps its name.
                (_, DbtRename::Alias) => alias_edits(m, &new, i),
                _ if !m.by_dbt_name && m.node.relation.identifier != m.node.name => alias_edits(m, &new, i),
                _ => moved(m, &new, i),
            };
            let result = result.and_then(|w| other_schema(&from, &to, m).map_or(Ok(w), Err));
            match result {
                Ok(work) => {
                    if record(plan, roots, i, work, m) {
                        renamed.push(m.node);
                    }
                }
                Err(blockers) => report(plan, i, m, &new, blockers),
            }
        }
        settle_call_findings(plan, i, projects, &matched, &renamed);
        // The engine saw nothing of a change the dbt stage renames or reports.
        let seen = plan.findings.iter().any(|f| f.change == Some(i) && f.rule == DBT_RENAME.id)
            || plan.files.iter().any(|f| f.edits.iter().any(|e| e.change == i));
        if seen {
            plan.warnings.retain(|w| !(w.change == Some(i) && w.message.contains("no edit and no finding")));
        }
    }
}

/// The datasets a rename acts on: the exact matches (else all), only when they are one
/// dataset or one warehouse table declared as a source by several projects (several models
/// are an ambiguity the dbt stage warns of).
fn chosen<'p>(projects: &'p [Project], from: &TableName) -> Vec<DatasetMatch<'p>> {
    let found = match_table(projects, from);
    let exact: Vec<DatasetMatch<'p>> = found.iter().filter(|m| m.exact).copied().collect();
    let candidates = if exact.is_empty() { found } else { exact };
    let all_sources = candidates.iter().all(|m| m.node.kind == NodeKind::Source);
    let one_table = candidates.windows(2).all(|w| w[0].node.physical_name() == w[1].node.physical_name());
    if candidates.len() == 1 || all_sources && one_table {
        candidates
    } else {
        Vec::new()
    }
}

/// A rename into another schema or database is not a rename of the dbt name.
fn other_schema(from: &TableName, to: &TableName, m: &DatasetMatch<'_>) -> Option<Vec<Blocker>> {
    let qualifiers = |t: &TableName| {
        t.parts[..t.parts.len() - 1].iter().map(|p| p.value.to_lowercase()).collect::<Vec<_>>()
    };
    let (f, t) = (qualifiers(from), qualifiers(to));
    let moves = !t.is_empty() && f != t;
    moves.then(|| vec![(at_node(m.node), format!("the rename moves it to another schema ({to})"))])
}

/// The edits that rename a source table's `name:` and every `source()` call naming it.
fn retarget(m: &DatasetMatch<'_>, new: &str, i: usize) -> Result<Vec<(PathBuf, Edit)>, Vec<Blocker>> {
    let mut edits = Vec::new();
    let mut blockers = Vec::new();
    if let Some(at) = &m.node.yaml {
        yaml_name(at, &m.node.name, new, i, &mut edits, &mut blockers);
    }
    calls(m.project, m.node, new, i, &mut edits, &mut blockers);
    if blockers.is_empty() {
        Ok(edits)
    } else {
        Err(blockers)
    }
}

/// The edits that rename a model or seed: its file moves, its YAML entries and every
/// `ref()` naming it follow.
fn moved(m: &DatasetMatch<'_>, new: &str, i: usize) -> Result<Work, Vec<Blocker>> {
    let (node, project) = (m.node, m.project);
    let mut edits = Vec::new();
    let mut blockers = Vec::new();
    let Some(file) = &node.file else { return Err(vec![(at_node(node), "it has no file".into())]) };
    let ext = file.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
    let to = file.with_file_name(format!("{new}.{ext}"));
    if !plain_name(new) {
        blockers.push((at_node(node), format!("{new} is not a name dbt takes for a file")));
    } else if to.exists() {
        blockers.push((at_node(node), format!("{} is already there", to.display())));
    } else if !project.find_ref(new).is_empty() {
        blockers.push((at_node(node), format!("project {} already has a node named {new}", project.name)));
    }
    for entry in
        project.entries.iter().filter(|e| e.kind == node.kind && e.name.eq_ignore_ascii_case(&node.name))
    {
        yaml_name(&entry.at, &entry.name, new, i, &mut edits, &mut blockers);
    }
    if node.kind == NodeKind::Model {
        for test in project.unit_tests.iter().filter(|t| t.name.eq_ignore_ascii_case(&node.name)) {
            yaml_name(&test.at, &test.name, new, i, &mut edits, &mut blockers);
        }
    }
    calls(project, node, new, i, &mut edits, &mut blockers);
    let (keys, notes) = config_keys(project, node);
    for key in &keys {
        yaml_name(key, &node.name, new, i, &mut edits, &mut blockers);
    }
    if blockers.is_empty() {
        Ok(Work { edits, moved: Some((file.clone(), to)), notes })
    } else {
        Err(blockers)
    }
}

/// The edit of a YAML `name:` value at `at`, or why not.
fn yaml_name(
    at: &Located,
    old: &str,
    new: &str,
    i: usize,
    edits: &mut Vec<(PathBuf, Edit)>,
    blockers: &mut Vec<Blocker>,
) {
    let Some(text) = read_disk(&at.path) else {
        blockers.push((at.clone(), "its YAML file cannot be read".into()));
        return;
    };
    match replacement(&text, (at.start, at.end), old, new) {
        Ok(r) => edits.push((at.path.clone(), edit(at.start, at.end, r, i))),
        Err(why) => {
            blockers.push((at.clone(), format!("its YAML name cannot be rewritten in place ({why})")))
        }
    }
}

/// The edits of every call naming `node` in `project`'s files; a call that may name it but
/// cannot be read (not plain strings) is a blocker.
fn calls(
    project: &Project,
    node: &Node,
    new: &str,
    i: usize,
    edits: &mut Vec<(PathBuf, Edit)>,
    blockers: &mut Vec<Blocker>,
) {
    let func = if node.kind == NodeKind::Source { "source" } else { "ref" };
    for (text, call) in project_calls(project) {
        if call.target == CallTarget::Dynamic && text[call.at.start..].starts_with(func) {
            let written = &text[call.at.start..call.at.end];
            blockers.push((
                call.at.clone(),
                format!("{written} may name it, and its arguments are not plain strings"),
            ));
            continue;
        }
        if !names(project, node, &call.target) {
            continue;
        }
        let literal = if node.kind == NodeKind::Source { call.literals.get(1) } else { call.literals.last() };
        let Some(lit) = literal else { continue };
        let quote = text[..lit.start].chars().next_back().unwrap_or('\'');
        if new.contains([quote, '\\']) {
            blockers.push((lit.clone(), format!("{new} cannot be written between {quote} quotes as it is")));
            continue;
        }
        edits.push((lit.path.clone(), edit(lit.start, lit.end, new.to_string(), i)));
    }
}

/// Does a call of `project` name `node`?
fn names(project: &Project, node: &Node, target: &CallTarget) -> bool {
    match target {
        CallTarget::Source { source, table } => {
            node.kind == NodeKind::Source
                && node.source.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(source))
                && table.eq_ignore_ascii_case(&node.name)
        }
        CallTarget::Ref { package, name } => {
            node.kind != NodeKind::Source
                && name.eq_ignore_ascii_case(&node.name)
                && package.as_ref().is_none_or(|p| p.eq_ignore_ascii_case(&project.name))
        }
        CallTarget::Dynamic => false,
    }
}

/// The SQL rules' findings on Jinja calls ("rename it in the dbt model or source
/// definition") that the dbt stage settles for change `i`: at a call of a renamed dataset
/// (`renamed`), and at a call of a dataset of a project where the change named others, which
/// is a look-alike (another source's table of the same name).
fn settle_call_findings(
    plan: &mut Plan,
    i: usize,
    projects: &[Project],
    matched: &[DatasetMatch<'_>],
    renamed: &[&Node],
) {
    let mut settled: Vec<(PathBuf, usize)> = Vec::new();
    for project in projects {
        let ours: Vec<&Node> =
            matched.iter().filter(|m| std::ptr::eq(m.project, project)).map(|m| m.node).collect();
        if ours.is_empty() {
            continue;
        }
        let calls = project_calls(project);
        for (_, call) in &calls {
            let of = |n: &Node| names(project, n, &call.target);
            let renamed_here = renamed.iter().any(|n| ours.iter().any(|o| std::ptr::eq(*o, *n)) && of(n));
            let lookalike = !ours.iter().any(|n| of(n)) && project.nodes.iter().any(of);
            let alone =
                calls.iter().filter(|(_, c)| c.at.path == call.at.path && c.at.line == call.at.line).count()
                    == 1;
            if (renamed_here || lookalike) && alone {
                settled.push((call.at.path.clone(), call.at.line));
            }
        }
    }
    plan.findings.retain(|f| {
        // A Python model's `dbt.ref("m")` is a string the Python host cannot tie to SQL.
        let python = f.rule == "python/unanalysed-mention" && f.path.extension().is_some_and(|e| e == "py");
        !((python || f.change == Some(i) && f.rule == crate::ids::RENAME_TABLE.id)
            && settled.iter().any(|(p, l)| same(p, &f.path) && *l == f.line))
    });
    plan.summary.findings = plan.findings.len();
}

/// Every `ref()`/`source()` call of the project's own files, with its file's text: Jinja in
/// SQL files, and calls written in properties files. Installed packages, `target/` and
/// `logs/` are not the project's.
fn project_calls(project: &Project) -> Vec<(std::sync::Arc<str>, Call)> {
    let skip = ["target", "logs", "dbt_packages", "dbt_modules"].map(|d| project.root.join(d));
    let walk = ignore::WalkBuilder::new(&project.root).follow_links(false).build();
    let mut out = Vec::new();
    for entry in walk.flatten() {
        let path = entry.path();
        if !entry.file_type().is_some_and(|t| t.is_file())
            || skip.iter().any(|s| path.starts_with(s))
            || !project.owns(path)
        {
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let found = match ext.as_str() {
            "sql" => read_disk(path).map(|t| (scan(path, &t).0, t)),
            "yml" | "yaml" => read_disk(path).map(|t| (bare_calls(path, &t), t)),
            "py" => read_disk(path).map(|t| (super::python_models::python_calls(path, &t), t)),
            _ => None,
        };
        if let Some((calls, text)) = found {
            let text: std::sync::Arc<str> = text.into();
            out.extend(calls.into_iter().map(|c| (text.clone(), c)));
        }
    }
    out
}

fn edit(start: usize, end: usize, replacement: String, change: usize) -> Edit {
    Edit { start, end, replacement, rule: DBT_RENAME.id.to_string(), change, confidence: Confidence::Certain }
}

/// The work of one dataset, in the plan; a file that cannot take it is a finding, false, and
/// none of the work is left in the plan.
fn record(plan: &mut Plan, roots: &[PathBuf], i: usize, work: Work, m: &DatasetMatch<'_>) -> bool {
    let before = (plan.files.clone(), plan.moves.clone(), plan.summary.clone());
    let mut by_file: Vec<(PathBuf, Vec<Edit>)> = Vec::new();
    for (path, e) in work.edits {
        match by_file.iter_mut().find(|(p, _)| *p == path) {
            Some((_, v)) => v.push(e),
            None => by_file.push((path, vec![e])),
        }
    }
    let mut whole = true;
    for (path, edits) in by_file {
        let lang = match path.extension().and_then(|e| e.to_str()) {
            Some("sql") => Lang::Sql,
            Some("py") => Lang::Python,
            _ => Lang::Yaml,
        };
        let target = plan_path(plan, roots, &path);
        if let Err(why) = plan.add_edits(&target, lang, edits) {
            report(plan, i, m, "", vec![(Located::file(&path), why)]);
            whole = false;
        }
    }
    if let Some((from, to)) = work.moved {
        let (from, to) = (plan_path(plan, roots, &from), plan_path(plan, roots, &to));
        if let Err(why) = plan.add_move(&from, &to) {
            report(plan, i, m, "", vec![(Located::file(&from.path), why)]);
            whole = false;
        }
    }
    if whole {
        let why = format!(
            "this key is spelled like {} {}, away from its own config path; if it configures it, the rename leaves it behind: rename it by hand",
            m.node.kind.word(),
            m.node.name
        );
        add_findings(plan, i, work.notes.into_iter().map(|at| (at, why.clone())));
    } else {
        let findings = plan.summary.findings;
        (plan.files, plan.moves, plan.summary) = before;
        plan.summary.findings = findings;
    }
    whole
}

/// `path` as the plan names files: as a file plan has it, else under its PATH argument.
pub(crate) fn plan_path(plan: &Plan, roots: &[PathBuf], path: &Path) -> PlanPath {
    if let Some(f) = plan.files.iter().find(|f| same(&f.path, path)) {
        return PlanPath { path: f.path.clone(), relative: f.relative.clone() };
    }
    for root in roots {
        if let Ok(rel) = plain(path).strip_prefix(plain(root)) {
            return PlanPath { path: root.join(rel), relative: rel.to_path_buf() };
        }
    }
    PlanPath::under(roots, path)
}

fn plain(path: &Path) -> PathBuf {
    path.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect()
}

fn same(a: &Path, b: &Path) -> bool {
    super::same_path(a, b)
}

/// One finding per blocker: the dataset is not renamed.
fn report(plan: &mut Plan, i: usize, m: &DatasetMatch<'_>, new: &str, blockers: Vec<Blocker>) {
    let found = blockers.into_iter().map(|(at, why)| {
        let what = if new.is_empty() {
            format!("{} of project {} is not renamed: {why}", m.node.dbt_name(), m.project.name)
        } else {
            format!(
                "{} {} of project {} is not renamed to {new} (nor any place naming it): {why}",
                m.node.kind.word(),
                m.node.dbt_name(),
                m.project.name
            )
        };
        (at, what)
    });
    add_findings(plan, i, found);
}

/// A `dbt/rename` review finding of change `i` at each place, the plan's findings kept in
/// order.
fn add_findings(plan: &mut Plan, i: usize, found: impl IntoIterator<Item = Blocker>) {
    for (at, message) in found {
        plan.findings.push(PlanFinding {
            path: at.path.clone(),
            line: at.line,
            column: at.column,
            rule: DBT_RENAME.id.to_string(),
            change: Some(i),
            severity: Severity::Review,
            reason: DBT_RENAME.reason,
            message,
        });
    }
    plan.findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    plan.summary.findings = plan.findings.len();
}
