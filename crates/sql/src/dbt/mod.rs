//! dbt projects as datasets: every source table, model, seed and snapshot of a project, with
//! its dbt name (`ref('m')`, `source('s', 't')`), its physical name (database, schema,
//! identifier, each possibly unknown), its columns where YAML or a seed header say them, and
//! every `ref()`/`source()` call of the project's SQL at its exact span.
//!
//! A project is read from its files: `dbt_project.yml`, the properties YAML under its model,
//! seed and snapshot paths, its SQL and seed CSV files, and `target/manifest.json` when it is
//! there (never required). Files are read through a function, so a plan's rewrites can be
//! read in place of the disk ([`load_projects`]) and checked the way dbt would ([`check`]).

mod alias;
mod calls;
pub mod check;
mod config_keys;
mod dropped_columns;
mod guard;
mod manifest;
mod matching;
mod namesakes;
mod project_file;
mod properties;
mod python_models;
mod rename;
mod renaming;
mod seed_headers;
pub(crate) mod seeds;
mod settle;
mod star_passes;
pub(crate) mod yaml;

pub use check::{check, Problem, ProblemKind};
pub(crate) use matching::spells;
pub use matching::DatasetMatch;
pub use namesakes::match_table;
pub use settle::settle;

use std::path::{Path, PathBuf};

/// Reads a file's text; `None` when it cannot be read (or is gone).
pub type ReadFile<'a> = &'a (dyn Fn(&Path) -> Option<String> + Sync);

/// Reads files from the disk.
pub fn read_disk(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// The text of `file` as the plan rewrites it, if it does.
pub(crate) fn rewritten(plan: &ripple_core::plan::Plan, file: &Path) -> Option<String> {
    plan.files.iter().find(|f| f.path == *file).map(|f| String::from_utf8_lossy(&f.rewritten).into_owned())
}

/// A place in a file: its byte span and the 1-based line and column (in characters) of its
/// start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The file.
    pub path: PathBuf,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in characters.
    pub column: usize,
}

impl Located {
    pub(crate) fn new(path: &Path, text: &str, start: usize, end: usize) -> Self {
        let before = text.get(..start).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Located { path: shown(path), start, end, line, column }
    }

    /// A whole file (line and column 0).
    pub(crate) fn file(path: &Path) -> Self {
        Located { path: shown(path), start: 0, end: 0, line: 0, column: 0 }
    }
}

impl std::fmt::Display for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// A path as plans show it: under the root `.`, without the leading `./`.
pub(crate) fn shown(path: &Path) -> PathBuf {
    path.strip_prefix("./").map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

/// What kind of dbt node a dataset is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    /// A table of a `sources:` entry.
    Source,
    /// A model (`.sql` file under a model path).
    Model,
    /// A seed (`.csv` file under a seed path).
    Seed,
    /// A snapshot (`{% snapshot %}` block under a snapshot path).
    Snapshot,
}

impl NodeKind {
    /// The word dbt uses (`model`, `source`...).
    pub fn word(self) -> &'static str {
        match self {
            NodeKind::Source => "source",
            NodeKind::Model => "model",
            NodeKind::Seed => "seed",
            NodeKind::Snapshot => "snapshot",
        }
    }
}

/// Where a dataset lives in the warehouse, as far as the project says. A model with a custom
/// schema lands in `<target schema>_<custom>` by dbt's default rule, which is unknown
/// without a target: then `schema` is `None` and `custom_schema` holds the custom part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relation {
    /// The database (project in BigQuery), if known.
    pub database: Option<String>,
    /// The schema (dataset in BigQuery), if known.
    pub schema: Option<String>,
    /// A custom schema whose final name depends on the target.
    pub custom_schema: Option<String>,
    /// The table or view name.
    pub identifier: String,
    /// `database` and `schema` came from the manifest: right for the target it was compiled
    /// with, not necessarily for another.
    pub compiled: bool,
}

/// A column as the project describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Its name.
    pub name: String,
    /// Its `data_type`, if YAML gives one.
    pub data_type: Option<String>,
    /// Where the name is written (a YAML `name:` value, a seed header field).
    pub at: Located,
}

/// One dataset of a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// Its dbt name: the model, seed or snapshot name, or the source table's `name`.
    pub name: String,
    /// For a source table, the source's name.
    pub source: Option<String>,
    /// Where it lives in the warehouse.
    pub relation: Relation,
    /// The SQL or CSV file that defines it (none for sources).
    pub file: Option<PathBuf>,
    /// Where its name is written: the YAML `name:` of a source table, the file of a model.
    pub defined_at: Located,
    /// Its YAML entry's `name:` (sources, and models, seeds, snapshots that have one).
    pub yaml: Option<Located>,
    /// A source table's `identifier:` value.
    pub identifier_at: Option<Located>,
    /// Its columns: YAML entries, else a seed's header.
    pub columns: Vec<Column>,
    /// A seed's header fields.
    pub header: Vec<Column>,
    /// The output names of a model's SQL, where every one is named (read only for a model
    /// whose YAML lists columns).
    pub produces: Option<Vec<String>>,
}

impl Node {
    /// How dbt code names it: `ref('m')` or `source('s', 't')`.
    pub fn dbt_name(&self) -> String {
        match &self.source {
            Some(s) => format!("source('{s}', '{}')", self.name),
            None => format!("ref('{}')", self.name),
        }
    }

    /// `database.schema.identifier`, unknown parts shown as `?` (a custom schema as
    /// `*_custom`).
    pub fn physical_name(&self) -> String {
        let r = &self.relation;
        let schema = match (&r.schema, &r.custom_schema) {
            (Some(s), _) => s.clone(),
            (None, Some(c)) => format!("*_{c}"),
            (None, None) => "?".into(),
        };
        format!("{}.{schema}.{}", r.database.as_deref().unwrap_or("?"), r.identifier)
    }
}

/// A `ref()` or `source()` call in a project's SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// What it names.
    pub target: CallTarget,
    /// The whole call, `ref(...)`.
    pub at: Located,
    /// The spans of its string arguments' contents (without quotes), in order.
    pub literals: Vec<Located>,
}

/// What a call names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallTarget {
    /// `ref('m')` or `ref('pkg', 'm')`.
    Ref {
        /// The package, for the two-argument form.
        package: Option<String>,
        /// The model, seed or snapshot.
        name: String,
    },
    /// `source('s', 't')`.
    Source {
        /// The source's name.
        source: String,
        /// The table's name.
        table: String,
    },
    /// A call whose arguments are not all string literals (`ref(var('m'))`): not checked.
    Dynamic,
}

impl std::fmt::Display for CallTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallTarget::Ref { package: Some(p), name } => write!(f, "ref('{p}', '{name}')"),
            CallTarget::Ref { package: None, name } => write!(f, "ref('{name}')"),
            CallTarget::Source { source, table } => write!(f, "source('{source}', '{table}')"),
            CallTarget::Dynamic => f.write_str("a dynamic call"),
        }
    }
}

/// A YAML entry of a model, seed or snapshot (`models: - name: m`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyEntry {
    /// `models`, `seeds` or `snapshots`.
    pub kind: NodeKind,
    /// Its `name:`.
    pub name: String,
    /// Where the name is written.
    pub at: Located,
}

/// One dbt project: its `dbt_project.yml` and what its files define.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// The directory holding `dbt_project.yml`.
    pub root: PathBuf,
    /// Its `name:`.
    pub name: String,
    /// Its datasets, in file order.
    pub nodes: Vec<Node>,
    /// Every `ref()`/`source()` of its SQL.
    pub calls: Vec<Call>,
    /// Every YAML entry of a model, seed or snapshot, found or not.
    pub entries: Vec<PropertyEntry>,
    /// The models that unit tests name plainly (`unit_tests: - model: m`).
    pub unit_tests: Vec<PropertyEntry>,
    /// Packages installed under it (`dbt_packages/`), loaded as projects of their own.
    pub packages: Vec<Project>,
    /// Does `packages.yml` (or `dependencies.yml`) declare packages?
    pub declares_packages: bool,
    /// Was `target/manifest.json` read?
    pub manifest: bool,
    /// Files that did not load, with why.
    pub unreadable: Vec<(Located, String)>,
}

impl Project {
    /// The model, seed or snapshot `ref(name)` finds in this project.
    pub fn find_ref(&self, name: &str) -> Vec<&Node> {
        self.nodes
            .iter()
            .filter(|n| n.kind != NodeKind::Source && n.name.eq_ignore_ascii_case(name))
            .collect()
    }

    /// The source table `source(source, table)` finds in this project.
    pub fn find_source(&self, source: &str, table: &str) -> Vec<&Node> {
        self.nodes
            .iter()
            .filter(|n| {
                n.source.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(source))
                    && n.name.eq_ignore_ascii_case(table)
            })
            .collect()
    }

    /// Is `path` one of this project's files (and not a package's)?
    pub fn owns(&self, path: &Path) -> bool {
        path.starts_with(&self.root) && !self.packages.iter().any(|p| path.starts_with(&p.root))
    }
}

/// Finds the dbt projects under `roots` (directories holding `dbt_project.yml`, `.gitignore`
/// honoured) and loads each, with its installed packages, reading files through `read`.
pub fn load_projects(roots: &[PathBuf], read: ReadFile<'_>) -> Vec<Project> {
    let mut dirs = Vec::new();
    for root in roots {
        let walk = ignore::WalkBuilder::new(root).follow_links(false).build();
        for entry in walk.flatten() {
            if entry.file_name() == "dbt_project.yml" && entry.file_type().is_some_and(|t| t.is_file()) {
                if let Some(dir) = entry.path().parent() {
                    dirs.push(dir.to_path_buf());
                }
            }
        }
    }
    dirs.sort();
    dirs.dedup();
    // A package installed under a project is loaded as that project's package.
    let installed: Vec<PathBuf> = dirs.iter().flat_map(|d| project_file::package_dirs(d, read)).collect();
    dirs.retain(|d| !installed.contains(d));
    dirs.iter().map(|d| load_project(d, read, true)).collect()
}

/// Loads the project in `dir`; with `packages`, its installed packages too.
pub fn load_project(dir: &Path, read: ReadFile<'_>, packages: bool) -> Project {
    load_moved_project(dir, read, packages, &[])
}

/// [`load_project`] as a plan's file moves (`from`, `to`) leave it: a moved file is found
/// at its new path (and read there through `read`).
pub(crate) fn load_moved_project(
    dir: &Path,
    read: ReadFile<'_>,
    packages: bool,
    moves: &[(PathBuf, PathBuf)],
) -> Project {
    let mut project = Project { root: dir.to_path_buf(), ..Project::default() };
    let config = project_file::read(dir, read, &mut project);
    project.name = config.name.clone();
    let mut files = Vec::new();
    for (kind, paths) in [
        (NodeKind::Model, &config.model_paths),
        (NodeKind::Seed, &config.seed_paths),
        (NodeKind::Snapshot, &config.snapshot_paths),
    ] {
        for p in paths {
            let found = walk_files(&dir.join(p), &config.packages_dir(dir));
            let moved = found
                .into_iter()
                .map(|f| moves.iter().find(|(from, _)| same_path(from, &f)).map_or(f, |m| m.1.clone()));
            files.extend(moved.map(|f| (kind, f)));
        }
    }
    let mut props = properties::Properties::default();
    for (_, file) in &files {
        if has_ext(file, &["yml", "yaml"]) {
            properties::read(file, read, &mut props, &mut project);
        }
    }
    for (kind, file) in &files {
        match kind {
            NodeKind::Model if has_ext(file, &["sql"]) => {
                calls::model_file(file, read, &config, &props, &mut project)
            }
            NodeKind::Model if has_ext(file, &["py"]) => {
                python_models::python_model_file(file, read, &mut project)
            }
            NodeKind::Seed if has_ext(file, &["csv"]) => {
                seeds::seed_file(file, read, &config, &props, &mut project)
            }
            NodeKind::Snapshot if has_ext(file, &["sql"]) => {
                calls::snapshot_file(file, read, &props, &mut project)
            }
            _ => {}
        }
    }
    props.add_sources(&mut project);
    project.entries = props.entries.clone();
    manifest::enrich(dir, read, &mut project);
    if packages {
        project.packages =
            project_file::package_dirs(dir, read).iter().map(|d| load_project(d, read, false)).collect();
    }
    project
}

/// Do two paths name the same file, `.` components aside?
pub(crate) fn same_path(a: &Path, b: &Path) -> bool {
    let plain =
        |p: &Path| p.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect::<PathBuf>();
    plain(a) == plain(b)
}

fn has_ext(path: &Path, exts: &[&str]) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// The files under `dir`, sorted, leaving out installed packages.
fn walk_files(dir: &Path, packages: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .follow_links(false)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && !e.path().starts_with(packages))
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}
