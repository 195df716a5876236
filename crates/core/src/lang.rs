//! The languages ripple reads, their grammars, and how files map to them.

use serde::Serialize;
use std::cell::RefCell;
use std::path::Path;
use tree_sitter::{Parser, Tree};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Sql,
    Python,
    Java,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Sql, Lang::Python, Lang::Java];

    pub fn name(self) -> &'static str {
        match self {
            Lang::Sql => "sql",
            Lang::Python => "python",
            Lang::Java => "java",
        }
    }

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
            _ => None,
        }
    }

    pub fn grammar(self) -> tree_sitter::Language {
        match self {
            Lang::Sql => tree_sitter_sql::LANGUAGE.into(),
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::Java => tree_sitter_java::LANGUAGE.into(),
        }
    }

    /// Parses `text` with this language's grammar, reusing one parser per thread.
    pub fn parse(self, text: &str) -> Tree {
        thread_local! {
            static PARSERS: RefCell<Vec<(Lang, Parser)>> = const { RefCell::new(Vec::new()) };
        }
        PARSERS.with(|cell| {
            let mut parsers = cell.borrow_mut();
            let idx = match parsers.iter().position(|(l, _)| *l == self) {
                Some(i) => i,
                None => {
                    let mut p = Parser::new();
                    p.set_language(&self.grammar()).expect("bundled grammar is compatible");
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
