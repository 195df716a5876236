//! The one interface every transform implements, built-in or declarative.

use crate::catalog::Catalog;
use crate::change::ChangeSet;
use crate::edit::RuleOutput;
use crate::host::Hosts;
use crate::lang::Lang;
use crate::prefilter::{Mention, NameMatcher};
use serde::Serialize;
use std::cell::OnceCell;
use std::path::Path;
use tree_sitter::Tree;

/// SQL dialects ripple distinguishes (identifier quoting and folding, sqlparser dialect).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// Not given: rules accept the common ground and guess per file where it matters.
    #[default]
    Generic,
    /// PostgreSQL.
    Postgres,
    /// MySQL and MariaDB.
    Mysql,
    /// Google BigQuery.
    Bigquery,
    /// Snowflake.
    Snowflake,
    /// Spark SQL and Databricks.
    Spark,
}

impl Dialect {
    /// The dialect a `--dialect` value names, in any case; aliases included.
    pub fn from_name(name: &str) -> Option<Dialect> {
        Some(match name.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Dialect::Postgres,
            "mysql" => Dialect::Mysql,
            "bigquery" => Dialect::Bigquery,
            "snowflake" => Dialect::Snowflake,
            "spark" | "sparksql" | "databricks" => Dialect::Spark,
            "generic" => Dialect::Generic,
            _ => return None,
        })
    }
}

/// What happens to a query's output names when a projected column is renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum OutputNames {
    /// `SELECT user_name` becomes `SELECT username AS user_name`: the result keeps its shape.
    #[default]
    Preserve,
    /// The output column is renamed too, and downstream readers follow.
    Propagate,
}

/// Run-wide settings that change what rules do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The SQL dialect (`--dialect`).
    pub dialect: Dialect,
    /// What renames do to query output names (`--output-names`).
    pub output_names: OutputNames,
}

/// Everything a rule may consult besides the file itself.
pub struct RuleContext<'a> {
    /// The change set, derived changes included.
    pub changes: &'a ChangeSet,
    /// Run-wide settings.
    pub options: &'a Options,
    /// What is known of table columns.
    pub catalog: &'a Catalog,
    /// The watched names.
    pub names: &'a NameMatcher,
    /// The host languages of the run, for rules that read a host's syntax.
    pub hosts: &'a Hosts,
}

/// A file as a rule sees it: its text (after any BOM) and its syntax tree, parsed on first
/// use (the SQL resolver parses statement by statement and never needs the whole tree).
pub struct SourceFile<'a> {
    /// The path as reported (the PATH argument joined with the relative path).
    pub path: &'a Path,
    /// Its language.
    pub lang: Lang,
    /// Its text after any byte-order mark.
    pub text: &'a str,
    tree: OnceCell<Tree>,
    mentions: OnceCell<Vec<Mention>>,
}

impl<'a> SourceFile<'a> {
    /// A file whose tree is parsed on first use.
    pub fn new(path: &'a Path, lang: Lang, text: &'a str) -> Self {
        SourceFile { path, lang, text, tree: OnceCell::new(), mentions: OnceCell::new() }
    }

    /// The whole file's syntax tree.
    pub fn tree(&self) -> &Tree {
        self.tree.get_or_init(|| self.lang.parse(self.text))
    }

    /// Every mention of a watched name, found once per file however many rules ask.
    pub fn mentions(&self, names: &NameMatcher) -> &[Mention] {
        self.mentions.get_or_init(|| names.mentions(self.text))
    }

    /// The tree, if some rule already asked for it.
    pub fn parsed_tree(&self) -> Option<&Tree> {
        self.tree.get()
    }
}

/// A transform: turns a parsed file and the change set into edits and findings.
/// Rules see the original tree only, never their own output, so no rule can loop.
pub trait Rule: Send + Sync {
    /// Stable id, `language/name` (`sql/rename-column`); used in plans and by `--rules`
    /// overrides.
    fn id(&self) -> &str;

    fn language(&self) -> Lang;

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput);

    /// When the rule runs among the rules of its language.
    fn phase(&self) -> Phase {
        Phase::Main
    }
}

/// When a rule runs among the rules of its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Phase {
    /// With the other rules, on the original tree, seeing no other rule's output.
    #[default]
    Main,
    /// After every main rule of its language, seeing their output in `out`, so that it
    /// reports only what they left unaccounted for (a mention no rule explained).
    SafetyNet,
}
