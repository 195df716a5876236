//! The languages ripple reads, their grammars, and how files map to them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::path::Path;
use tree_sitter::{Parser, Tree};

/// A language ripple reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// SQL files and dbt models (`.sql`, `.ddl`).
    Sql,
    /// Python (`.py`, `.pyi`).
    Python,
    /// Java (`.java`).
    Java,
    /// dbt `schema.yml` / `sources.yml` files: read as text, with no tree-sitter grammar.
    Yaml,
}

impl Lang {
    /// The languages with a tree-sitter grammar, which rules may be written for.
    pub const ALL: [Lang; 3] = [Lang::Sql, Lang::Python, Lang::Java];

    /// Its name in rule ids and plans (`sql`).
    pub fn name(self) -> &'static str {
        match self {
            Lang::Sql => "sql",
            Lang::Python => "python",
            Lang::Java => "java",
            Lang::Yaml => "yaml",
        }
    }

    /// The language of a rule id's first part, if it has a grammar.
    pub fn from_name(name: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.name() == name)
    }

    /// The language of a file, by its extension. Files of other kinds are not scanned.
    pub fn of_path(path: &Path) -> Option<Lang> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "sql" | "ddl" => Some(Lang::Sql),
            "py" | "pyi" => Some(Lang::Python),
            "java" => Some(Lang::Java),
            "yml" | "yaml" if is_dbt_yaml(path) => Some(Lang::Yaml),
            _ => None,
        }
    }

    /// The tree-sitter grammar, for the languages that have one.
    pub fn grammar(self) -> Option<tree_sitter::Language> {
        match self {
            Lang::Sql => Some(tree_sitter_sql::LANGUAGE.into()),
            Lang::Python => Some(tree_sitter_python::LANGUAGE.into()),
            Lang::Java => Some(tree_sitter_java::LANGUAGE.into()),
            Lang::Yaml => None,
        }
    }

    /// Parses `text` with this language's grammar, reusing one parser per thread.
    ///
    /// YAML has no grammar here: its rules edit the text at spans they read from a YAML
    /// loader, and its validation re-loads the result (see [`yaml_rewrite_error`]) instead
    /// of counting syntax errors. Its tree is the empty tree every rule interface expects.
    pub fn parse(self, text: &str) -> Tree {
        let (lang, text) = match self.grammar() {
            Some(_) => (self, text),
            None => (Lang::Sql, ""),
        };
        lang.parse_with_grammar(text)
    }

    fn parse_with_grammar(self, text: &str) -> Tree {
        thread_local! {
            static PARSERS: RefCell<Vec<(Lang, Parser)>> = const { RefCell::new(Vec::new()) };
        }
        PARSERS.with(|cell| {
            let mut parsers = cell.borrow_mut();
            let idx = match parsers.iter().position(|(l, _)| *l == self) {
                Some(i) => i,
                None => {
                    let mut p = Parser::new();
                    if let Some(g) = self.grammar() {
                        p.set_language(&g).expect("bundled grammar is compatible");
                    }
                    parsers.push((self, p));
                    parsers.len() - 1
                }
            };
            parsers[idx]
                .1
                .parse(text, None)
                .expect("parsing without a timeout or cancellation always yields a tree")
        })
    }
}

/// How many ERROR and MISSING nodes a tree has: the validator's measure of damage.
pub fn syntax_error_count(tree: &Tree) -> usize {
    let root = tree.root_node();
    if !root.has_error() {
        return 0;
    }
    let mut count = 0;
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            count += 1;
        }
        // Only descend into subtrees that contain an error.
        if node.has_error() && !node.is_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return count;
            }
        }
    }
}

/// Files that configure dbt itself rather than describe models and sources.
const DBT_CONFIG_FILES: [&str; 5] =
    ["dbt_project.yml", "packages.yml", "dependencies.yml", "profiles.yml", "selectors.yml"];

/// Is `path` a YAML file of a dbt project (a directory with `dbt_project.yml` above it)?
/// Only those YAML files are scanned: other YAML (CI, change files, configs) is not code
/// that names columns. The search stops at a repository root (a directory with `.git`).
pub fn is_dbt_yaml(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    if DBT_CONFIG_FILES.iter().any(|c| c.eq_ignore_ascii_case(name)) {
        return false;
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(dir) = parent.canonicalize() else { return false };
    for d in dir.ancestors() {
        if d.join("dbt_project.yml").is_file() {
            return true;
        }
        if d.join(".git").exists() {
            return false;
        }
    }
    false
}

/// The validator of a YAML rewrite: the new text must load, and keep the document shape
/// of the old one (same keys, same sequence lengths, scalars where scalars were), since
/// YAML rules only replace scalar values. `None` when it does; otherwise why not.
pub fn yaml_rewrite_error(before: &str, after: &str) -> Option<String> {
    use saphyr::{LoadableYamlNode, Yaml};
    let old = Yaml::load_from_str(before).ok()?;
    let new = match Yaml::load_from_str(after) {
        Ok(docs) => docs,
        Err(e) => return Some(format!("the rewritten YAML does not load: {}", e.info())),
    };
    fn same_shape(a: &Yaml, b: &Yaml) -> bool {
        match (a, b) {
            (Yaml::Sequence(x), Yaml::Sequence(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_shape(p, q))
            }
            (Yaml::Mapping(x), Yaml::Mapping(y)) => {
                x.len() == y.len()
                    && x.iter().zip(y.iter()).all(|((k1, v1), (k2, v2))| k1 == k2 && same_shape(v1, v2))
            }
            (Yaml::Sequence(_) | Yaml::Mapping(_), _) | (_, Yaml::Sequence(_) | Yaml::Mapping(_)) => false,
            _ => true,
        }
    }
    let kept = old.len() == new.len() && old.iter().zip(&new).all(|(a, b)| same_shape(a, b));
    (!kept).then(|| "the rewritten YAML has another structure than the original".to_string())
}
