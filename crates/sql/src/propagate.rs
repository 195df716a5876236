//! Output names carried across files (`--output-names propagate`). A view, CREATE TABLE AS
//! or dbt model whose result re-exports a renamed column under its old name (a bare
//! `SELECT user_name` or `u.user_name`) renames its own output in that mode, so its readers
//! must follow: each such model yields a derived `rename_column <model>.user_name`, and the
//! models reading it are examined in turn until nothing new is derived. Models that read
//! each other in a cycle are reported and propagate nothing.
//!
//! A model is the table a `CREATE VIEW` / `CREATE TABLE ... AS` statement names, or, for a
//! dbt model file (under a model path of a dbt project, or a file using `ref()` /
//! `source()`), the table named by the file stem, as `{{ ref('stem') }}` names it.

use crate::analysis::is_migration_file;
use crate::dialect::QuotedLiterals;
use crate::ids;
use crate::model::{Binder, Binding, Model, StatementKind};
use crate::prepare::{prepare, PrepareOptions, Prepared};
use crate::resolve::names::NamePart;
use crate::resolve::scope::TableRole;
use crate::source::jinja::Masked;
use ripple_core::discover::SourcePath;
use ripple_core::position::LineIndex;
use ripple_core::prefilter::NameMatcher;
use ripple_core::{
    Catalog, Change, ChangeExpander, ChangeSet, DerivedChange, Dialect, Expansion, Ident, Lang, OutputNames,
    PlanFinding, Request, Severity, SourceText, TableName,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The rule id of propagation findings.
pub const RULE: &str = ids::PROPAGATE_OUTPUT.id;

/// Derivations stop after this many rounds (a chain of models this deep); what is left
/// is reported.
const MAX_ROUNDS: usize = 64;

/// The SQL [`ChangeExpander`]: derives the renames of re-exported output columns.
pub struct OutputPropagation;

impl ChangeExpander for OutputPropagation {
    fn language(&self, request: &Request) -> Option<Lang> {
        (request.options.output_names == OutputNames::Propagate).then_some(Lang::Sql)
    }

    fn expand(&self, files: &[&SourceText], request: &Request, catalog: &Catalog) -> Expansion {
        let mut projects = DbtProjects { layouts: request.config.layouts.clone(), ..DbtProjects::default() };
        propagate_in(files, &request.changes, request.options.dialect, catalog, &mut projects)
    }
}

/// One model output column that re-exports a renamed column.
struct ReExport {
    model: TableName,
    output: NamePart,
    path: PathBuf,
    line: usize,
    column: usize,
}

struct Derived {
    change: Change,
    from: usize,
    reason: String,
    at: ReExport,
}

/// How a name compares for graph keys: dbt and most databases fold unquoted names.
fn key(t: &TableName) -> String {
    t.name().value.to_lowercase()
}

fn same_column(a: &Change, b: &Change) -> bool {
    match (a, b) {
        (
            Change::RenameColumn { table: t1, from: f1, .. },
            Change::RenameColumn { table: t2, from: f2, .. },
        ) => t1.to_string().eq_ignore_ascii_case(&t2.to_string()) && f1.value.eq_ignore_ascii_case(&f2.value),
        _ => false,
    }
}

/// Derives the renames of re-exported output columns, round by round, from the SQL
/// `files`: the derived changes and what to report about them.
pub fn propagate(
    files: &[&SourceText],
    changes: &ChangeSet,
    dialect: Dialect,
    catalog: &Catalog,
) -> Expansion {
    propagate_in(files, changes, dialect, catalog, &mut DbtProjects::default())
}

/// [`propagate`], with the models' names known from `projects` (dbt projects and table
/// layouts).
fn propagate_in(
    files: &[&SourceText],
    changes: &ChangeSet,
    dialect: Dialect,
    catalog: &Catalog,
    projects: &mut DbtProjects,
) -> Expansion {
    let base = changes.changes.len();
    let mut all: Vec<Change> = changes.changes.clone();
    let mut derived: Vec<Derived> = Vec::new();
    // Model → the tables it reads, for every model definition examined.
    let mut reads: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut frontier: Vec<usize> =
        (0..base).filter(|&i| matches!(all[i], Change::RenameColumn { .. })).collect();
    let mut findings = Vec::new();
    let mut cache = Prepares::new(files.len());
    let mut rounds = 0;
    while !frontier.is_empty() {
        rounds += 1;
        if rounds > MAX_ROUNDS {
            for &i in &frontier {
                if let Some(d) = derived.get(i.wrapping_sub(base)) {
                    findings.push(finding(
                        &d.at,
                        Severity::Review,
                        Some(i),
                        format!("models re-export {} through more than {MAX_ROUNDS} levels; their readers were not followed further", d.change.table()),
                    ));
                }
            }
            break;
        }
        let set = ChangeSet::new(frontier.iter().map(|&i| all[i].clone()).collect());
        let matcher = NameMatcher::new(set.watched_names());
        let mut next = Vec::new();
        for (i, source) in files.iter().enumerate() {
            let file = &source.file;
            if is_migration_file(&file.path) {
                // Historical migrations are not rewritten, so their views keep their names.
                continue;
            }
            let options = PrepareOptions { dialect, names: &matcher, changes: &set };
            let Some(prepared) = cache.prepared(i, source, &options) else { continue };
            let found = re_exports(file, prepared, &set, catalog, projects);
            for (model, tables) in found.reads {
                reads.entry(model).or_default().extend(tables);
            }
            for (local, export) in found.exports {
                let global = frontier[local];
                let Change::RenameColumn { table, to, .. } = &all[global] else { continue };
                let change = Change::RenameColumn {
                    table: export.model.clone(),
                    from: Ident { value: export.output.value.clone(), quoted: export.output.quoted() },
                    to: to.clone(),
                };
                if all.iter().any(|c| same_column(c, &change)) {
                    continue;
                }
                let reason = format!(
                    "{} re-exports {table}.{} as output column {} of {}",
                    file.path.to_string_lossy().replace('\\', "/"),
                    export.output.value,
                    export.output.value,
                    export.model
                );
                all.push(change.clone());
                next.push(all.len() - 1);
                derived.push(Derived { change, from: global, reason, at: export });
            }
        }
        frontier = next;
    }

    // Models that read themselves through other models (a cycle of `ref()`s or views)
    // propagate nothing, and neither does what follows from them.
    let cyclic: BTreeSet<String> = reads.keys().filter(|m| on_cycle(m, &reads)).cloned().collect();
    let mut keep = vec![true; derived.len()];
    let mut reported = BTreeSet::new();
    for (i, d) in derived.iter().enumerate() {
        let parent_dropped = d.from >= base && !keep[d.from - base];
        let model = key(d.change.table());
        if cyclic.contains(&model) {
            keep[i] = false;
            if reported.insert(model.clone()) {
                let cycle = cycle_through(&model, &reads).join(" → ");
                findings.push(finding(
                    &d.at,
                    Severity::Review,
                    None,
                    format!(
                        "{} reads its own output through a cycle of models ({cycle}); output column {} was not propagated to its readers",
                        d.change.table(),
                        d.at.output.value
                    ),
                ));
            }
        } else if parent_dropped {
            keep[i] = false;
        }
    }
    let mut index = vec![None; derived.len()];
    let mut next_index = base;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            index[i] = Some(next_index);
            next_index += 1;
        }
    }
    let mut out = Expansion { changes: Vec::new(), findings };
    for (i, d) in derived.into_iter().enumerate() {
        let Some(me) = index[i] else { continue };
        let from = if d.from >= base { index[d.from - base].unwrap_or(d.from) } else { d.from };
        let Change::RenameColumn { to, .. } = &d.change else { continue };
        out.findings.push(finding(
            &d.at,
            Severity::Info,
            Some(me),
            format!(
                "output column {} of {} is renamed to {to} (output names propagate); its readers follow as change #{me}",
                d.at.output.value, d.at.model
            ),
        ));
        out.changes.push(DerivedChange { change: d.change, derived_from: from, reason: d.reason });
    }
    out
}

fn finding(at: &ReExport, severity: Severity, change: Option<usize>, message: String) -> PlanFinding {
    PlanFinding {
        path: at.path.clone(),
        line: at.line,
        column: at.column,
        rule: RULE.into(),
        change,
        severity,
        reason: ids::PROPAGATE_OUTPUT.reason,
        message,
    }
}

fn on_cycle(start: &str, reads: &BTreeMap<String, BTreeSet<String>>) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&str> =
        reads.get(start).map(|r| r.iter().map(String::as_str).collect()).unwrap_or_default();
    while let Some(n) = stack.pop() {
        if n == start {
            return true;
        }
        if seen.insert(n) {
            if let Some(r) = reads.get(n) {
                stack.extend(r.iter().map(String::as_str));
            }
        }
    }
    false
}

/// The models of a cycle through `start`, in reading order, `start` first and last.
fn cycle_through(start: &str, reads: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    // Breadth-first over "is read by" edges finds the shortest cycle.
    let mut read_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (model, tables) in reads {
        for t in tables {
            read_by.entry(t.as_str()).or_default().push(model.as_str());
        }
    }
    let mut prev: HashMap<&str, &str> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for &m in read_by.get(n).map(Vec::as_slice).unwrap_or(&[]) {
            if m == start {
                let mut path = vec![start.to_string()];
                let mut cur = n;
                while cur != start {
                    path.push(cur.to_string());
                    cur = prev.get(cur).copied().unwrap_or(start);
                }
                path.push(start.to_string());
                {
                    let n = path.len();
                    path[1..n - 1].reverse();
                }
                return path;
            }
            if !prev.contains_key(m) && m != start {
                prev.insert(m, n);
                queue.push_back(m);
            }
        }
    }
    vec![start.to_string(), start.to_string()]
}

/// What the models one file defines re-export and read.
#[derive(Default)]
struct FileModels {
    /// Output columns that re-export a column renamed by a change of the round's set (by
    /// its index in the set).
    exports: Vec<(usize, ReExport)>,
    /// Each model's key and the keys of the tables it reads.
    reads: Vec<(String, Vec<String>)>,
}

/// The models a prepared file defines, what they read and which renamed columns they
/// re-export.
fn re_exports(
    file: &SourcePath,
    prepared: &Prepared,
    set: &ChangeSet,
    catalog: &Catalog,
    projects: &mut DbtProjects,
) -> FileModels {
    let source = prepared.source();
    let (text, masked, quoted) = (source.original.as_str(), &source.masked, source.quoted);
    let models: Vec<&Model> = prepared.models().flatten().collect();
    // A dbt model file is one query; with several, which one is the model is unclear.
    let queries = models.iter().filter(|m| m.kind() == StatementKind::Query).count();
    // A file a table layout names defines the table of its place; else a dbt model its stem.
    let placed = projects.layouts.table_of(&file.relative, &file.path);
    let stem_model =
        (queries == 1).then(|| placed.or_else(|| projects.model_name(&file.path, masked))).flatten();
    let lines = LineIndex::new(text);
    let mut out = FileModels::default();
    for model in models {
        let Some(output) = model.output else { continue };
        let name = match model.kind() {
            StatementKind::Query => stem_model.clone(),
            StatementKind::CreateView | StatementKind::CreateTable => defined_table(model),
            _ => None,
        };
        let Some(name) = name else { continue };
        // `CREATE TABLE gold.x AS ... FROM silver.x` reads another table of the same name,
        // not itself: both qualified, differently.
        let qualifier = |parts: &[String]| parts[..parts.len().saturating_sub(1)].join(".").to_lowercase();
        let own: Vec<String> = name.parts.iter().map(|p| p.value.clone()).collect();
        let read = model
            .tables
            .iter()
            .filter(|t| t.role == TableRole::Query)
            .filter(|t| {
                let theirs: Vec<String> = t.parts.iter().map(|p| p.value.clone()).collect();
                !(own.len() > 1 && theirs.len() > 1 && qualifier(&own) != qualifier(&theirs))
                    || theirs.last().map(|n| n.to_lowercase()) != own.last().map(|n| n.to_lowercase())
            })
            .filter_map(|t| match &t.jinja {
                Some(j) => Some(key(j)),
                None if t.jinja_unknown => None,
                None => t.parts.last().map(|p| p.value.to_lowercase()),
            })
            .collect();
        out.reads.push((key(&name), read));
        let binder = Binder { model, catalog, output_names: OutputNames::Propagate };
        for (local, change) in set.iter() {
            let Change::RenameColumn { table, from, .. } = change else { continue };
            for item in &model.scopes[output].items {
                let Some(ci) = item.column.filter(|_| !item.explicit_alias) else { continue };
                let c = &model.columns[ci];
                if !c.bare_item
                    || !c.name.is(from)
                    || (c.from_literal && quoted != QuotedLiterals::Identifier)
                {
                    continue;
                }
                if matches!(binder.bind(c, table, from), Binding::Changed(_)) {
                    let (line, column) = lines.line_col(c.name.span.0);
                    out.exports.push((
                        local,
                        ReExport {
                            model: name.clone(),
                            output: c.name.clone(),
                            path: file.path.clone(),
                            line,
                            column,
                        },
                    ));
                }
            }
        }
    }
    out
}

/// The SQL files, each prepared once: later rounds model its statements again for their
/// own names, on the same masked and lexed text.
struct Prepares {
    files: Vec<Option<Prepared>>,
}

impl Prepares {
    fn new(files: usize) -> Self {
        Prepares { files: (0..files).map(|_| None).collect() }
    }

    /// File `i` prepared for the round's names and changes, if it mentions one of them.
    fn prepared(&mut self, i: usize, source: &SourceText, options: &PrepareOptions<'_>) -> Option<&Prepared> {
        if !options.names.is_relevant(source.bytes()) {
            return None;
        }
        let slot = &mut self.files[i];
        match slot {
            None => Some(slot.insert(prepare(source.text(), options))),
            Some(prepared) => {
                prepared.reunit(options.names, options.changes);
                Some(prepared)
            }
        }
    }
}

/// The table a CREATE VIEW / CREATE TABLE AS statement defines.
fn defined_table(model: &Model) -> Option<TableName> {
    let t = model.tables.iter().find(|t| t.role == TableRole::Ddl)?;
    if t.is_jinja() || t.parts.is_empty() {
        return None;
    }
    Some(TableName {
        parts: t.parts.iter().map(|p| Ident { value: p.value.clone(), quoted: p.quoted() }).collect(),
    })
}

/// dbt projects found above model files, by directory.
#[derive(Default)]
struct DbtProjects {
    /// Directory → the project root and its model paths, if the directory is in one.
    cache: HashMap<PathBuf, Option<(PathBuf, Vec<String>)>>,
    /// The layouts whose files define the table their path names.
    layouts: ripple_core::table_layout::TableLayouts,
}

impl DbtProjects {
    /// The model a dbt model file defines (its stem), if `path` is one: under a model path
    /// of the dbt project above it, or, outside any project, a file that uses `ref()` or
    /// `source()`.
    fn model_name(&mut self, path: &Path, masked: &Masked) -> Option<TableName> {
        let stem = path.file_stem()?.to_str()?;
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let dir = dir.canonicalize().ok()?;
        let project = match self.cache.get(&dir) {
            Some(p) => p.clone(),
            None => {
                let p = find_project(&dir);
                self.cache.insert(dir.clone(), p.clone());
                p
            }
        };
        let is_model = match project {
            Some((root, model_paths)) => {
                let rel = dir.strip_prefix(&root).ok()?;
                model_paths.iter().any(|m| rel.starts_with(m.trim_end_matches('/')))
            }
            None => masked.blocks.iter().any(|b| b.table.is_some()),
        };
        is_model.then(|| TableName { parts: vec![Ident::new(stem)] })
    }
}

fn find_project(dir: &Path) -> Option<(PathBuf, Vec<String>)> {
    for d in dir.ancestors() {
        let file = d.join("dbt_project.yml");
        if file.is_file() {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            return Some((d.to_path_buf(), model_paths(&text)));
        }
        if d.join(".git").exists() {
            return None;
        }
    }
    None
}

/// `model-paths` (or the older `source-paths`) of a `dbt_project.yml`, as a flow list or a
/// block list of plain or quoted strings; dbt's default `models` otherwise.
fn model_paths(text: &str) -> Vec<String> {
    let unquote = |s: &str| s.trim().trim_matches(|c| c == '"' || c == '\'').to_string();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix("model-paths:").or_else(|| line.strip_prefix("source-paths:"))
        else {
            continue;
        };
        let rest = rest.split(" #").next().unwrap_or("").trim();
        let paths: Vec<String> = if let Some(list) = rest.strip_prefix('[') {
            list.trim_end_matches(']').split(',').map(unquote).filter(|s| !s.is_empty()).collect()
        } else {
            lines
                .clone()
                .take_while(|l| l.trim_start().starts_with('-') || l.trim().is_empty())
                .filter_map(|l| l.trim_start().strip_prefix('-').map(unquote))
                .filter(|s| !s.is_empty())
                .collect()
        };
        if !paths.is_empty() {
            return paths;
        }
    }
    vec!["models".to_string()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_paths_forms() {
        assert_eq!(model_paths("name: x\n"), vec!["models"]);
        assert_eq!(model_paths("model-paths: [\"models\", 'more']\n"), vec!["models", "more"]);
        assert_eq!(model_paths("model-paths:\n  - a\n  - \"b\"\nseed-paths: [s]\n"), vec!["a", "b"]);
    }

    #[test]
    fn cycles() {
        let mut reads: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        reads.entry("a".into()).or_default().insert("users".into());
        reads.entry("a".into()).or_default().insert("b".into());
        reads.entry("b".into()).or_default().insert("a".into());
        reads.entry("c".into()).or_default().insert("a".into());
        assert!(on_cycle("a", &reads));
        assert!(on_cycle("b", &reads));
        assert!(!on_cycle("c", &reads));
        assert_eq!(cycle_through("a", &reads), vec!["a", "b", "a"]);
    }
}
