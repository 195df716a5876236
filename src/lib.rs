//! ripple as a library: carry a schema change set through consumer code.
//!
//! ```no_run
//! use ripple::{DefaultToolkit, NoProgress, Request, Toolkit};
//! use std::path::Path;
//!
//! let toolkit = DefaultToolkit;
//! let changes = toolkit.load_changes(Path::new("changes.yaml"), Default::default()).unwrap();
//! let request = Request { changes, roots: vec![".".into()], ..Default::default() };
//! let plan = ripple::plan(&toolkit.rules(&[]).unwrap(), &request, &NoProgress).unwrap();
//! println!("{}", plan.to_json());
//! ```

pub use ripple_core as core;
pub use ripple_core::{
    apply_plan, plan, Catalog, Change, ChangeSet, Dialect, InputError, InputErrors, NoProgress, Options,
    OutputNames, Plan, Progress, Request, RuleSet, Toolkit,
};
pub use ripple_rules as rules;
pub use ripple_sql as sql;

mod embedded_sql;
mod unanalysed;

use ripple_core::toolkit::{RuleInfo, RuleTestCase};
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

/// The rules written in Rust.
fn builtin_rules() -> RuleSet {
    let mut set = RuleSet::new();
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

/// The toolkit with every built-in language plugged in: what the `ripple` binary runs.
pub struct DefaultToolkit;

impl Toolkit for DefaultToolkit {
    fn rules(&self, extra: &[PathBuf]) -> Result<RuleSet, InputErrors> {
        let mut set = builtin_rules();
        for rule in RuleLibrary::load(extra)?.engine_rules() {
            set.add(rule);
        }
        Ok(set)
    }

    fn rule_infos(&self, extra: &[PathBuf]) -> Result<Vec<RuleInfo>, InputErrors> {
        let library = RuleLibrary::load(extra)?;
        let mut infos: Vec<RuleInfo> = builtin_rules()
            .rules()
            .iter()
            .filter(|r| library.get(r.id()).is_none())
            .map(|r| RuleInfo {
                id: r.id().to_string(),
                language: r.language(),
                description: String::new(),
                serves: Vec::new(),
                confidence: None,
                source: "built-in (Rust)".into(),
                query: None,
                example: None,
            })
            .collect();
        infos.extend(library.rules.iter().map(|r| RuleInfo {
            id: r.id.clone(),
            language: r.lang,
            description: r.description.clone(),
            serves: r.serves().iter().map(|s| s.to_string()).collect(),
            confidence: Some(r.confidence),
            source: r.display_path(),
            query: Some(r.query_text.clone()),
            example: None,
        }));
        infos.sort_by(|a, b| (a.language, &a.id).cmp(&(b.language, &b.id)));
        Ok(infos)
    }

    fn explain_rule(&self, id: &str, extra: &[PathBuf]) -> Result<Option<RuleInfo>, InputErrors> {
        let library = RuleLibrary::load(extra)?;
        let Some(mut info) = self.rule_infos(extra)?.into_iter().find(|r| r.id == id) else {
            return Ok(None);
        };
        info.example = library.get(id).and_then(|r| ripple_rules::explain_example(r));
        Ok(Some(info))
    }

    fn test_rules(&self, dir: Option<&Path>, update: bool) -> Result<Vec<RuleTestCase>, InputErrors> {
        ripple_rules::run_tests(dir, update, builtin_rules().hosts())
    }

    fn load_changes(&self, path: &Path, dialect: Dialect) -> Result<ChangeSet, InputErrors> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError::file(path, format!("cannot read change file: {e}")))?;
        let is_sql = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("sql"));
        if is_sql {
            ripple_sql::migration::parse_migration(path, &text, dialect)
        } else {
            ripple_core::changefile::parse_change_file(path, &text)
        }
    }

    fn load_catalog(&self, paths: &[PathBuf], dialect: Dialect) -> Result<Catalog, InputErrors> {
        let mut catalog = Catalog::default();
        for table in ripple_sql::catalog::load_catalog_files(paths, dialect)? {
            catalog.add(table);
        }
        Ok(catalog)
    }

    fn schema_diff(&self, old: &Path, new: &Path, dialect: Dialect) -> Result<String, InputErrors> {
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|e| InputError::file(p, format!("cannot read: {e}")))
        };
        let (old_text, new_text) = (read(old)?, read(new)?);
        ripple_sql::schema_diff::schema_diff(old, &old_text, new, &new_text, dialect)
    }
}
