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
    /// MyBatis XML mappers (`.xml` files whose root is `<mapper>`): read with an XML
    /// parser by their host, with no tree-sitter grammar.
    #[serde(rename = "mybatis")]
    MyBatis,
    /// dbt seeds (`.csv` files of a dbt project): their header names a dataset's columns.
    Csv,
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
            Lang::MyBatis => "mybatis",
            Lang::Csv => "csv",
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
            "yml" | "yaml" if is_dbt_yaml(path) || crate::table_layout::is_table_schema(path) => {
                Some(Lang::Yaml)
            }
            "xml" if is_mybatis_mapper(path) => Some(Lang::MyBatis),
            "csv" if in_dbt_project(path) => Some(Lang::Csv),
            _ => None,
        }
    }

    /// The tree-sitter grammar, for the languages that have one.
    pub fn grammar(self) -> Option<tree_sitter::Language> {
        match self {
            Lang::Sql => Some(tree_sitter_sql::LANGUAGE.into()),
            Lang::Python => Some(tree_sitter_python::LANGUAGE.into()),
            Lang::Java => Some(tree_sitter_java::LANGUAGE.into()),
            Lang::Yaml | Lang::MyBatis | Lang::Csv => None,
        }
    }

    /// Parses `text` with this language's grammar, reusing one parser per thread.
    ///
    /// YAML and MyBatis XML have no grammar here: their rules edit the text at spans they
    /// read from a YAML loader or an XML reader, and their validation re-reads the result
    /// (see [`yaml_rewrite_error`], [`xml_rewrite_error`]) instead of counting syntax
    /// errors. Their tree is the empty tree every rule interface expects.
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
    !DBT_CONFIG_FILES.iter().any(|c| c.eq_ignore_ascii_case(name)) && in_dbt_project(path)
}

/// Is `path` in a dbt project (a directory with `dbt_project.yml` above it, below the
/// repository root)?
fn in_dbt_project(path: &Path) -> bool {
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

/// Is `path` a MyBatis XML mapper: does its root element, within the first few KiB, open
/// as `<mapper`? Other XML (build files, Spring contexts, layouts) names no SQL.
pub fn is_mybatis_mapper(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(16 * 1024);
    let Ok(file) = std::fs::File::open(path) else { return false };
    if file.take(16 * 1024).read_to_end(&mut head).is_err() {
        return false;
    }
    let head = String::from_utf8_lossy(&head);
    let mut reader = quick_xml::Reader::from_str(&head);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) => return e.name().0 == "mapper",
            Ok(quick_xml::events::Event::Eof) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}

/// The validator of a MyBatis XML rewrite: the new text must read as XML to its end, with
/// the elements of the old one in the same order, since edits only replace SQL text and
/// attribute values. `None` when it does; otherwise why not.
pub fn xml_rewrite_error(before: &str, after: &str) -> Option<String> {
    use quick_xml::events::Event;
    fn shape(text: &str) -> Result<Vec<String>, String> {
        let mut reader = quick_xml::Reader::from_str(text);
        let mut names = Vec::new();
        loop {
            match reader.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) => names.push(e.name().0.to_string()),
                Ok(Event::End(_)) => names.push(String::new()),
                Ok(Event::Eof) => return Ok(names),
                Ok(_) => {}
                Err(e) => return Err(format!("the rewritten XML does not read: {e}")),
            }
        }
    }
    let old = shape(before).ok()?;
    match shape(after) {
        Ok(new) if new == old => None,
        Ok(_) => Some("the rewritten XML has other elements than the original".to_string()),
        Err(why) => Some(why),
    }
}

/// The validator of a CSV rewrite: only header fields change, so every other line stays and
/// the header keeps its number of fields. `None` when it does; otherwise why not.
pub fn csv_rewrite_error(before: &str, after: &str) -> Option<String> {
    fn split(text: &str) -> (usize, &str) {
        let end = text.find('\n').map_or(text.len(), |i| i + 1);
        let mut quoted = false;
        let commas = text[..end]
            .bytes()
            .filter(|b| {
                quoted ^= *b == b'"';
                *b == b',' && !quoted
            })
            .count();
        (commas, &text[end..])
    }
    (split(before) != split(after))
        .then(|| "the rewritten CSV has another header shape or other rows".to_string())
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
            // A mapping may gain keys with scalar values (a source table's `identifier:`);
            // every key it had stays, in order, with its shape.
            (Yaml::Mapping(x), Yaml::Mapping(y)) => {
                let mut theirs = y.iter();
                x.iter().all(|(k1, v1)| {
                    theirs
                        .by_ref()
                        .find(|(k2, v2)| k1 == *k2 || !is_scalar(v2))
                        .is_some_and(|(k2, v2)| k1 == k2 && same_shape(v1, v2))
                }) && theirs.all(|(_, v)| is_scalar(v))
            }
            (Yaml::Sequence(_) | Yaml::Mapping(_), _) | (_, Yaml::Sequence(_) | Yaml::Mapping(_)) => false,
            _ => true,
        }
    }
    fn is_scalar(v: &Yaml) -> bool {
        !matches!(v, Yaml::Sequence(_) | Yaml::Mapping(_))
    }
    let kept = old.len() == new.len() && old.iter().zip(&new).all(|(a, b)| same_shape(a, b));
    (!kept).then(|| "the rewritten YAML has another structure than the original".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yaml_rewrite_keeps_its_shape_or_only_gains_scalar_keys() {
        let before = "tables:\n  - name: users\n    columns: [{name: id}]\n";
        assert_eq!(yaml_rewrite_error(before, &before.replace("users", "people")), None);
        let gained = before.replace("name: users\n", "name: users\n    identifier: people\n");
        assert_eq!(yaml_rewrite_error(before, &gained), None);
        let nested = before.replace("name: users\n", "name: users\n    meta: {a: 1}\n");
        assert!(yaml_rewrite_error(before, &nested).is_some(), "a gained mapping is another shape");
        let lost = "tables:\n  - columns: [{name: id}]\n";
        assert!(yaml_rewrite_error(before, lost).is_some(), "a lost key is another shape");
        assert!(yaml_rewrite_error(before, "tables: [").is_some());
    }

    #[test]
    fn xml_rewrites_must_keep_their_elements() {
        let before = "<mapper><select id=\"a\">SELECT user_name FROM users</select></mapper>";
        assert_eq!(xml_rewrite_error(before, &before.replace("user_name", "username")), None);
        assert!(xml_rewrite_error(before, &before.replace("user_name", "a<b")).is_some());
        assert!(xml_rewrite_error(before, &before.replace("users", "users</select><select>")).is_some());
    }
}
