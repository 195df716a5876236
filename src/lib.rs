//! ripple as a library: carry a schema change set through consumer code.
//!
//! The main flow is the CLI's: parse a change set, plan it over some roots, read the edits
//! and findings, apply the plan. docs/LIBRARY.md shows an agent loop built on it.
//!
//! ```
//! use ripple::{NoProgress, Request};
//! use std::path::Path;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let repo = tempfile::tempdir()?;
//! std::fs::write(repo.path().join("report.sql"), "select user_name from users\n")?;
//!
//! let yaml = "changes:\n  - kind: rename_column\n    table: users\n    from: user_name\n    to: username\n";
//! let loaded = ripple::parse_changes(Path::new("changes.yaml"), yaml, Default::default())?;
//! let request = Request::new(loaded.changes, vec![repo.path().into()]);
//! let plan = ripple::plan(&ripple::default_rules(), &request, &NoProgress)?;
//!
//! for file in &plan.files {
//!     for edit in &file.edits {
//!         // The query's output keeps its name (`--output-names preserve`, the default).
//!         assert_eq!((edit.line, edit.before.as_str(), edit.after.as_str()), (1, "user_name", "username as user_name"));
//!     }
//! }
//! assert_eq!(plan.review_findings(), 0);
//!
//! let report = ripple::apply_plan(&plan);
//! assert!(report.failed.is_empty());
//! assert_eq!(std::fs::read_to_string(repo.path().join("report.sql"))?, "select username as user_name from users\n");
//! # Ok(())
//! # }
//! ```
//!
//! The same flow over files held in memory: an editor's buffers, an agent's working copy.
//! Nothing is read from disk or written to it; the plan's edits go back into the set.
//!
//! ```
//! use ripple::{MemoryFiles, NoProgress, Request};
//! use std::path::Path;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut files: MemoryFiles = [
//!     ("app/report.sql", "select user_name from users\n"),
//!     ("app/etl.py", "rows = cursor.execute(\"SELECT user_name FROM users\").fetchall()\n"),
//!     ("app/notes.sql", "select id from orders\n"),
//! ]
//! .into_iter()
//! .collect();
//!
//! let yaml = "changes:\n  - kind: rename_column\n    table: users\n    from: user_name\n    to: username\n";
//! let changes = ripple::parse_changes(Path::new("changes.yaml"), yaml, Default::default())?.changes;
//! let request = Request::new(changes, vec!["app".into()]).with_files(files.clone());
//! let plan = ripple::plan(&ripple::default_rules(), &request, &NoProgress)?;
//! assert_eq!(plan.summary.files_scanned, 3);
//! assert_eq!(plan.files.len(), 2);
//!
//! let report = files.apply(&plan);
//! assert_eq!(report.written.len(), 2);
//! assert_eq!(files.get("app/report.sql"), Some("select username as user_name from users\n"));
//! assert_eq!(
//!     files.get("app/etl.py"),
//!     Some("rows = cursor.execute(\"SELECT username AS user_name FROM users\").fetchall()\n")
//! );
//!
//! // Planned again, the set has nothing left to change.
//! let again = ripple::plan(&ripple::default_rules(), &request.with_files(files), &NoProgress)?;
//! assert!(again.files.is_empty());
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

pub use ripple_core as core;
pub use ripple_core::{
    apply_plan, apply_plan_with, apply_saved_plan, ApplyOptions, ApplyReport, Catalog, Change, ChangeSet,
    DbtRename, Dialect, InputError, InputErrors, MemoryFiles, NoProgress, Options, OutputNames, Plan,
    Progress, Request, RuleSet,
};
pub use ripple_rules as rules;
pub use ripple_rules::testing::{RuleTestCase, RuleTestStatus};
pub use ripple_sql as sql;

mod embedded_sql;
mod explain;
pub mod ids;
mod unanalysed;

pub use explain::{RuleDocs, RuleInfo};

/// docs/LIBRARY.md, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/LIBRARY.md")]
pub struct LibraryGuide;

use ripple_rules::RuleLibrary;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Runs the whole pipeline and returns the plan; never writes. The edits of a dbt project
/// that the plan would leave unable to compile (a `ref()` or `source()` that no longer
/// resolves, two nodes of one name) are withdrawn, each new problem a finding.
///
/// Over files held in memory ([`Request::files`]) nothing is read from disk; the dbt stage,
/// which reads its projects from disk, does not run, and a warning says so when the set
/// holds a `dbt_project.yml`.
pub fn plan(rules: &RuleSet, request: &Request, progress: &dyn Progress) -> Result<Plan, InputError> {
    let mut plan = ripple_core::plan(rules, request, progress)?;
    ripple_sql::table_schema::settle(&mut plan);
    let started = std::time::Instant::now();
    match &request.files {
        None => {
            ripple_sql::dbt::settle(&mut plan, &request.roots, request.options.dbt_rename);
            let files = plan.files.len();
            if let Some(timings) = &mut plan.summary.timings {
                timings.add("dbt", started.elapsed(), files);
            }
        }
        Some(set) if set.iter().any(|(path, _)| path.ends_with("dbt_project.yml")) => {
            plan.warnings.push(ripple_core::Warning {
                message: "the file set holds a dbt project, which ripple checks on disk only: the edits of its \
                          models are not guarded against leaving it unable to compile (run `ripple dbt-check` \
                          after writing them)"
                    .into(),
                change: None,
            })
        }
        Some(_) => {}
    }
    Ok(plan)
}

/// The dbt projects under `roots` and what dbt would reject or lose in each
/// (`ripple dbt-check`); a root that does not exist is bad input.
pub fn dbt_check(
    roots: &[PathBuf],
) -> Result<Vec<(ripple_sql::dbt::Project, Vec<ripple_sql::dbt::Problem>)>, InputErrors> {
    if let Some(missing) = roots.iter().find(|r| !r.exists()) {
        return Err(InputError::file(missing, "no such file or directory").into());
    }
    let projects = ripple_sql::dbt::load_projects(roots, &ripple_sql::dbt::read_disk);
    Ok(projects
        .into_iter()
        .map(|p| {
            let problems = ripple_sql::dbt::check(&p);
            (p, problems)
        })
        .collect())
}

/// Every built-in rule of every language.
pub fn default_rules() -> RuleSet {
    let mut set = builtin_rules();
    // The embedded rule files are checked by the test suite, so they always load.
    for rule in RuleLibrary::load_for_run(&[]).unwrap_or_default() {
        set.add(rule);
    }
    set
}

/// The rules to run: the built-in ones, plus (and overridden by) the rule files in the
/// `extra` directories.
pub fn rules(extra: &[PathBuf]) -> Result<RuleSet, InputErrors> {
    let mut set = builtin_rules();
    // dbt macros the directories describe (`dbt/*.yaml`) join the SQL resolver's.
    for rule in ripple_sql::rules_with(extra)? {
        set.add(rule);
    }
    for rule in RuleLibrary::load_for_run(extra)? {
        set.add(rule);
    }
    Ok(set)
}

/// The rules written in Rust.
fn builtin_rules() -> RuleSet {
    let mut set = RuleSet::new();
    set.register_ids(ids::all());
    for rule in ripple_sql::rules() {
        set.add(rule);
    }
    set.add_catalog_source(Arc::new(ripple_sql::catalog::SqlCatalogSource));
    set.add_expander(Arc::new(ripple_sql::propagate::OutputPropagation));
    set.set_name_writer(ripple_sql::write_new);
    set.add(Arc::new(ripple_sql::dbt_yaml::DbtYaml));
    set.add(Arc::new(ripple_sql::table_schema::TableSchema));
    set.add(Arc::new(ripple_sql::dbt_seed::DbtSeed));
    for host in hosts() {
        set.add(Arc::new(embedded_sql::EmbeddedSql::new(Arc::clone(&host))));
        host.rules().into_iter().for_each(|rule| set.add(rule));
        set.add(Arc::new(unanalysed::UnanalysedMentions::new(Arc::clone(&host))));
        set.add_host(host);
    }
    set
}

/// The host languages, whose code carries SQL and names tables and columns. A new host is
/// one more entry here.
pub fn hosts() -> Vec<Arc<dyn ripple_core::Host>> {
    vec![ripple_java::host(), ripple_java::mybatis_host(), ripple_python::host()]
}

/// A change set as read from its text, with what looks doubtful about it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LoadedChanges {
    /// The changes.
    pub changes: ChangeSet,
    /// One message per doubtful new name (a reserved word, or not a plain identifier in the
    /// dialect, which ripple will quote), located in the change file.
    pub warnings: Vec<String>,
}

/// Loads `--changes`: a YAML/JSON change file, or a `.sql` migration of ALTER TABLE
/// statements. Warnings about the change set are printed on stderr; [`parse_changes`]
/// returns them instead.
pub fn load_changes(path: &Path, dialect: Dialect) -> Result<ChangeSet, InputErrors> {
    let text = ripple_core::changefile::read_change_text(path)?;
    let loaded = parse_changes(path, &text, dialect)?;
    for warning in &loaded.warnings {
        eprintln!("{warning}");
    }
    Ok(loaded.changes)
}

/// Parses a change set from `text`: a YAML/JSON change file, or a migration of ALTER TABLE
/// statements when `name` ends in `.sql`. `name` is what messages call the file; nothing is
/// read from disk.
///
/// ```
/// use std::path::Path;
///
/// let sql = "ALTER TABLE users RENAME COLUMN user_name TO username;";
/// let loaded = ripple::parse_changes(Path::new("m.sql"), sql, ripple::Dialect::Postgres).unwrap();
/// assert_eq!(loaded.changes.changes.len(), 1);
///
/// let error = ripple::parse_changes(Path::new("c.yaml"), "changes:\n  - kind: rename\n", Default::default())
///     .unwrap_err();
/// assert!(error.to_string().starts_with("c.yaml:2:"), "{error}");
/// ```
pub fn parse_changes(name: &Path, text: &str, dialect: Dialect) -> Result<LoadedChanges, InputErrors> {
    let is_sql = name.extension().is_some_and(|e| e.eq_ignore_ascii_case("sql"));
    let changes = if is_sql {
        ripple_sql::migration::parse_migration(name, text, dialect)?
    } else {
        let set = ripple_core::changefile::parse_change_file(name, text)?;
        // A migration's types come from sqlparser already; a change file's are free text.
        ripple_sql::change_checks::check_types(name, text, &set, dialect)?;
        set
    };
    let warnings = ripple_sql::change_checks::quoting_warnings(name, &changes, dialect);
    Ok(LoadedChanges { changes, warnings })
}

/// Loads `--catalog` DDL files.
pub fn load_catalog(paths: &[PathBuf], dialect: Dialect) -> Result<Catalog, InputErrors> {
    let mut catalog = Catalog::default();
    for table in ripple_sql::catalog::load_catalog_files(paths, dialect)? {
        catalog.add(table);
    }
    Ok(catalog)
}

/// Derives a change file (YAML text) from two versions of a schema's DDL.
pub fn schema_diff(old: &Path, new: &Path, dialect: Dialect) -> Result<String, InputErrors> {
    let read =
        |p: &Path| std::fs::read_to_string(p).map_err(|e| InputError::file(p, format!("cannot read: {e}")));
    let (old_text, new_text) = (read(old)?, read(new)?);
    ripple_sql::schema_diff::schema_diff(old, &old_text, new, &new_text, dialect)
}

/// Runs the fixture tests of the rules in `dir` (the built-in rules when `None`); `update`
/// rewrites the expected snapshots instead of failing.
pub fn test_rules(dir: Option<&Path>, update: bool) -> Result<Vec<RuleTestCase>, InputErrors> {
    ripple_rules::run_tests(dir, update, builtin_rules().hosts())
}
