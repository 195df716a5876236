//! ripple as a library: carry a schema change set through consumer code.
//!
//! ```no_run
//! use ripple::{NoProgress, Request};
//! use std::path::Path;
//!
//! let changes = ripple::load_changes(Path::new("changes.yaml"), Default::default()).unwrap();
//! let request = Request { changes, roots: vec![".".into()], ..Default::default() };
//! let plan = ripple::plan(&ripple::rules(&[]).unwrap(), &request, &NoProgress).unwrap();
//! println!("{}", plan.to_json());
//! ```
#![warn(missing_docs)]

pub use ripple_core as core;
pub use ripple_core::{
    apply_plan, apply_plan_with, apply_saved_plan, plan, ApplyOptions, ApplyReport, Catalog, Change,
    ChangeSet, Dialect, InputError, InputErrors, NoProgress, Options, OutputNames, Plan, Progress, Request,
    RuleSet,
};
pub use ripple_rules as rules;
pub use ripple_rules::testing::{RuleTestCase, RuleTestStatus};
pub use ripple_sql as sql;

mod embedded_sql;
mod explain;
pub mod ids;
mod unanalysed;

pub use explain::{RuleDocs, RuleInfo};

use ripple_rules::RuleLibrary;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Every built-in rule of every language.
pub fn default_rules() -> RuleSet {
    let mut set = builtin_rules();
    // The embedded rule files are checked by the test suite, so they always load.
    if let Ok(library) = RuleLibrary::load(&[]) {
        for rule in library.engine_rules() {
            set.add(rule);
        }
    }
    set
}

/// The rules to run: the built-in ones, plus (and overridden by) the rule files in the
/// `extra` directories.
pub fn rules(extra: &[PathBuf]) -> Result<RuleSet, InputErrors> {
    let mut set = builtin_rules();
    for rule in RuleLibrary::load(extra)?.engine_rules() {
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
    set.add(Arc::new(ripple_sql::dbt_yaml::DbtYaml));
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
    vec![ripple_java::host(), ripple_python::host()]
}

/// Loads `--changes`: a YAML/JSON change file, or a `.sql` migration of ALTER TABLE
/// statements.
pub fn load_changes(path: &Path, dialect: Dialect) -> Result<ChangeSet, InputErrors> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::file(path, format!("cannot read change file: {e}")))?;
    parse_changes(path, &text, dialect)
}

/// [`load_changes`] over a change set's text; `path` names it in messages, and a `.sql`
/// extension makes it a migration.
pub fn parse_changes(path: &Path, text: &str, dialect: Dialect) -> Result<ChangeSet, InputErrors> {
    let is_sql = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("sql"));
    let set = if is_sql {
        ripple_sql::migration::parse_migration(path, text, dialect)?
    } else {
        let set = ripple_core::changefile::parse_change_file(path, text)?;
        // A migration's types come from sqlparser already; a change file's are free text.
        ripple_sql::change_checks::check_types(path, text, &set, dialect)?;
        set
    };
    for warning in ripple_sql::change_checks::quoting_warnings(path, &set, dialect) {
        eprintln!("{warning}");
    }
    Ok(set)
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
