//! Declarative rules: YAML rule files with a tree-sitter query, predicates that tie its
//! captures to the change set, and per change kind a rewrite template or a finding. Type
//! maps (`rules/types/*.yaml`) feed the template filters. Built-in rule files are embedded;
//! directories given with `--rules` add rules and override built-ins of the same id.
//!
//! The format is documented in docs/RULES.md.
#![warn(missing_docs)]

mod lazy;
mod rule;
mod syntax;
mod template;
pub mod testing;
pub mod types;
mod yaml;

pub use rule::{DeclarativeRule, RuleOrigin};
pub use testing::{explain_example, run_tests};
pub use types::TypeMaps;

use rayon::prelude::*;
use ripple_core::{InputError, InputErrors, Rule};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Every file of the built-in `rules/` tree: (path relative to it, contents).
pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
    embedded::FILES
}

/// A set of rule files and type maps, read from one place.
struct Source {
    /// (path relative to the rules root, path to show, text).
    files: Vec<(String, PathBuf, String)>,
    builtin: bool,
}

impl Source {
    fn builtin() -> Source {
        let files = embedded::FILES
            .iter()
            .map(|(rel, text)| (rel.to_string(), PathBuf::from("rules").join(rel), text.to_string()))
            .collect();
        Source { files, builtin: true }
    }

    /// The rule files and type maps under `dir` (fixtures are read only by tests).
    fn dir(dir: &Path) -> Result<Source, InputError> {
        let meta = std::fs::metadata(dir)
            .map_err(|e| InputError::file(dir, format!("cannot read rules directory: {e}")))?;
        if !meta.is_dir() {
            return Err(InputError::file(dir, "--rules takes a directory of rule files"));
        }
        let mut files = Vec::new();
        let mut read = |path: PathBuf, rel: String| {
            let text = ripple_core::error::read_text(&path, "cannot read")?;
            files.push((rel, path, text));
            Ok::<(), InputError>(())
        };
        for (path, name) in list(dir) {
            if path.is_dir() {
                for (inner, inner_name) in list(&path) {
                    if inner.is_file() && is_yaml(&inner_name) {
                        read(inner, format!("{name}/{inner_name}"))?;
                    }
                }
            } else if is_yaml(&name) {
                read(path, name)?;
            }
        }
        Ok(Source { files, builtin: false })
    }

    fn type_maps(&self) -> impl Iterator<Item = &(String, PathBuf, String)> {
        self.files.iter().filter(|(rel, _, _)| rel.starts_with("types/") && rel.matches('/').count() == 1)
    }

    /// Rule files: `*.yaml` at the top or one directory down, except type maps, dbt macro
    /// files (`dbt/`, read by the SQL rules) and the files of a fixture directory (`x/`
    /// beside `x.yaml`).
    fn rule_files(&self) -> impl Iterator<Item = &(String, PathBuf, String)> {
        self.files.iter().filter(|(rel, _, _)| {
            let parts: Vec<&str> = rel.split('/').collect();
            is_yaml(rel)
                && match parts.as_slice() {
                    [_] => true,
                    [dir, _] => {
                        *dir != "types"
                            && *dir != "dbt"
                            && !self
                                .files
                                .iter()
                                .any(|(r, _, _)| r == &format!("{dir}.yaml") || r == &format!("{dir}.yml"))
                    }
                    _ => false,
                }
        })
    }
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// Directory entries, sorted by name; unreadable entries are skipped.
pub(crate) fn list(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(dir)
        .map(|it| it.flatten().map(|e| (e.path(), e.file_name().to_string_lossy().into_owned())).collect())
        .unwrap_or_default();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// Loaded declarative rules: the built-in ones, then those of each extra directory in turn,
/// a later rule replacing an earlier one of the same id.
pub struct RuleLibrary {
    /// The rules, in load order.
    pub rules: Vec<Arc<DeclarativeRule>>,
    /// The type maps their templates' filters use.
    pub types: Arc<TypeMaps>,
}

impl RuleLibrary {
    /// The built-in rules plus the rules in `extra` directories. Every error in every file
    /// is reported, located at `file:line:column`.
    pub fn load(extra: &[PathBuf]) -> Result<RuleLibrary, InputErrors> {
        let (sources, errors) = sources(extra);
        if !errors.is_empty() {
            return Err(InputErrors(errors));
        }
        Self::from_sources(&sources)
    }

    /// Only the rules in `dir` (with the built-in type maps and `dir/types`).
    pub fn load_dir_only(dir: &Path) -> Result<RuleLibrary, InputErrors> {
        let mut lib = Self::from_sources(&[Source::builtin(), Source::dir(dir)?])?;
        lib.rules.retain(|r| matches!(r.origin, RuleOrigin::File(_)));
        Ok(lib)
    }

    fn from_sources(sources: &[Source]) -> Result<RuleLibrary, InputErrors> {
        let mut errors = Vec::new();
        let types = type_maps(sources, &mut errors);
        let mut rules: Vec<Arc<DeclarativeRule>> = Vec::new();
        for source in sources {
            for r in compile(source, &types, &mut errors) {
                match rules.iter_mut().find(|x| x.id == r.id) {
                    Some(slot) => *slot = r,
                    None => rules.push(r),
                }
            }
        }
        if errors.is_empty() {
            Ok(RuleLibrary { rules, types })
        } else {
            Err(InputErrors(errors))
        }
    }

    /// The engine rules of a run: the built-in rules, each compiled the first time a file
    /// of its language reaches it, then the rules in `extra` directories, compiled now so
    /// that their mistakes are reported before the run (a later rule replaces an earlier one
    /// of the same id).
    pub fn load_for_run(extra: &[PathBuf]) -> Result<Vec<Arc<dyn Rule>>, InputErrors> {
        let (sources, mut errors) = sources(extra);
        let types = type_maps(&sources, &mut errors);
        let builtin = &sources[0];
        let mut rules: Vec<Arc<dyn Rule>> = builtin
            .rule_files()
            .filter_map(|(rel, path, text)| {
                lazy::LazyRule::new(rel, path.clone(), text.clone(), Arc::clone(&types))
                    .map(|r| Arc::new(r) as Arc<dyn Rule>)
            })
            .collect();
        for source in &sources[1..] {
            for r in compile(source, &types, &mut errors) {
                let r = r as Arc<dyn Rule>;
                match rules.iter_mut().find(|x| x.id() == r.id()) {
                    Some(slot) => *slot = r,
                    None => rules.push(r),
                }
            }
        }
        if errors.is_empty() {
            Ok(rules)
        } else {
            Err(InputErrors(errors))
        }
    }

    /// The rules as engine rules. They read their language's syntax through the run's
    /// hosts ([`RuleSet::add_host`](ripple_core::RuleSet::add_host)): a rule whose language
    /// has no host finds nothing.
    pub fn engine_rules(&self) -> Vec<Arc<dyn Rule>> {
        self.rules.iter().map(|r| Arc::clone(r) as Arc<dyn Rule>).collect()
    }

    /// The rule with this id, if loaded.
    pub fn get(&self, id: &str) -> Option<&Arc<DeclarativeRule>> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// The built-in source, then one per `extra` directory; the directories that cannot be read.
fn sources(extra: &[PathBuf]) -> (Vec<Source>, Vec<InputError>) {
    let mut sources = vec![Source::builtin()];
    let mut errors = Vec::new();
    for dir in extra {
        match Source::dir(dir) {
            Ok(s) => sources.push(s),
            Err(e) => errors.push(e),
        }
    }
    (sources, errors)
}

/// The type maps of every source, later ones adding to earlier ones.
fn type_maps(sources: &[Source], errors: &mut Vec<InputError>) -> Arc<TypeMaps> {
    let mut types = TypeMaps::default();
    for source in sources {
        for (_, path, text) in source.type_maps() {
            types.load(path, text, errors);
        }
    }
    Arc::new(types)
}

/// The rule files of one source, compiled; two files of one source may not share an id.
fn compile(
    source: &Source,
    types: &Arc<TypeMaps>,
    errors: &mut Vec<InputError>,
) -> Vec<Arc<DeclarativeRule>> {
    // Compiling tree-sitter queries is most of the work: do it on every core.
    let files: Vec<_> = source.rule_files().collect();
    let parsed: Vec<_> = files
        .par_iter()
        .map(|(rel, path, text)| {
            let origin = if source.builtin {
                RuleOrigin::Builtin(rel.clone())
            } else {
                RuleOrigin::File(path.clone())
            };
            rule::parse_rule(path, text, origin, types)
        })
        .collect();
    let mut rules: Vec<Arc<DeclarativeRule>> = Vec::new();
    for ((_, path, _), parsed) in files.iter().zip(parsed) {
        match parsed {
            Ok(r) => match rules.iter().find(|x| x.id == r.id) {
                Some(other) => {
                    let shown = match &other.origin {
                        RuleOrigin::Builtin(rel) => PathBuf::from("rules").join(rel),
                        RuleOrigin::File(p) => p.clone(),
                    };
                    let message = format!("rule id `{}` is already defined in {}", r.id, shown.display());
                    errors.push(InputError::file(path, message));
                }
                None => rules.push(Arc::new(r)),
            },
            Err(e) => errors.extend(e),
        }
    }
    rules
}

/// Parses one rule file's text (for tools and tests), with the built-in type maps.
pub fn parse_rule_file(path: &Path, text: &str) -> Result<DeclarativeRule, InputErrors> {
    let mut errors = Vec::new();
    let mut types = TypeMaps::default();
    for (_, path, text) in Source::builtin().type_maps() {
        types.load(path, text, &mut errors);
    }
    rule::parse_rule(path, text, RuleOrigin::File(path.to_path_buf()), &Arc::new(types)).map_err(InputErrors)
}
