//! The seam between the engine and the assembled toolkit: the CLI talks to a `Toolkit`,
//! and the `ripple` facade provides one with every language crate plugged in. This keeps
//! the CLI free of language crates and the language crates free of the CLI.

use crate::catalog::Catalog;
use crate::change::ChangeSet;
use crate::edit::Confidence;
use crate::engine::RuleSet;
use crate::error::{InputError, InputErrors};
use crate::lang::Lang;
use crate::rule::Dialect;
use std::path::{Path, PathBuf};

/// A rule as `ripple rules list` and `ripple rules explain` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: String,
    pub language: Lang,
    pub description: String,
    /// The change kinds it serves (`rename_column`...); empty when not declared.
    pub serves: Vec<String>,
    /// Declared by declarative rules; built-in rules decide per edit.
    pub confidence: Option<Confidence>,
    /// Where it is defined: a rule file, or `built-in`.
    pub source: String,
    /// The tree-sitter query of a declarative rule.
    pub query: Option<String>,
    /// A worked example from the rule's fixtures (change set, input, expected result).
    pub example: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleTestStatus {
    Passed,
    Failed,
    /// The snapshot was (re)written by `--update`.
    Updated,
}

/// One fixture case of one rule, after `ripple rules test`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleTestCase {
    pub rule: String,
    pub case: String,
    pub status: RuleTestStatus,
    /// For a failure: the expected and actual snapshot as a diff, or what is wrong with the
    /// fixture.
    pub detail: String,
}

pub trait Toolkit: Sync {
    /// The rules to run: the built-in ones, plus (and overridden by) rule files in `extra`.
    fn rules(&self, extra: &[PathBuf]) -> Result<RuleSet, InputErrors>;

    /// Loads `--changes`: a YAML/JSON change file, or a `.sql` migration of ALTER TABLE
    /// statements.
    fn load_changes(&self, path: &Path, dialect: Dialect) -> Result<ChangeSet, InputErrors>;

    /// Loads `--catalog` DDL files.
    fn load_catalog(&self, paths: &[PathBuf], dialect: Dialect) -> Result<Catalog, InputErrors>;

    /// Derives a change file (YAML text) from two versions of a schema's DDL.
    fn schema_diff(&self, old: &Path, new: &Path, dialect: Dialect) -> Result<String, InputErrors>;

    /// Every rule `rules(extra)` would run, described.
    fn rule_infos(&self, extra: &[PathBuf]) -> Result<Vec<RuleInfo>, InputErrors> {
        Ok(self
            .rules(extra)?
            .rules()
            .iter()
            .map(|r| RuleInfo {
                id: r.id().to_string(),
                language: r.language(),
                description: String::new(),
                serves: Vec::new(),
                confidence: None,
                source: "built-in".into(),
                query: None,
                example: None,
            })
            .collect())
    }

    /// One rule described, with an example from its fixtures when it has some.
    fn explain_rule(&self, id: &str, extra: &[PathBuf]) -> Result<Option<RuleInfo>, InputErrors> {
        Ok(self.rule_infos(extra)?.into_iter().find(|r| r.id == id))
    }

    /// Runs the fixture tests of the rules in `dir` (the built-in rules when `None`);
    /// `update` rewrites the expected snapshots instead of failing.
    fn test_rules(&self, dir: Option<&Path>, _update: bool) -> Result<Vec<RuleTestCase>, InputErrors> {
        let at = dir.unwrap_or(Path::new("."));
        Err(InputError::file(at, "this toolkit has no declarative rules to test").into())
    }
}
