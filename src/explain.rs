//! What `ripple rules list` and `ripple rules explain` show: every registered rule id (the
//! built-in rules and the findings they raise) and every declarative rule.

use crate::ids;
use ripple_core::{ChangeKind, Confidence, InputErrors, Lang, RuleId};
use ripple_rules::{DeclarativeRule, RuleLibrary};
use std::path::PathBuf;

/// A rule id as `ripple rules list` and `ripple rules explain` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuleInfo {
    /// `language/name`.
    pub id: String,
    /// The language it reads; `None` for the engine's own ids (`core/...`).
    pub language: Option<Lang>,
    /// What it does; the first sentence is its summary.
    pub description: String,
    /// The change kinds it serves; empty when not declared.
    pub serves: Vec<ChangeKind>,
    /// Declared by declarative rules; built-in rules decide per edit.
    pub confidence: Option<Confidence>,
    /// Where it is defined: a rule file, or `built-in (Rust)`.
    pub source: String,
    /// The tree-sitter query of a declarative rule.
    pub query: Option<String>,
    /// A worked example: before and after, or the finding it raises.
    pub example: Option<String>,
}

impl RuleInfo {
    fn registered(id: &RuleId) -> RuleInfo {
        let example = id.example.lines().map(|l| format!("    {l}\n")).collect::<String>();
        RuleInfo {
            id: id.id.to_string(),
            language: id.language,
            description: format!("{}\n\n{}", id.summary, id.explanation),
            serves: Vec::new(),
            confidence: None,
            source: "built-in (Rust)".into(),
            query: None,
            example: Some(format!("Example:\n{example}")),
        }
    }

    fn declarative(rule: &DeclarativeRule) -> RuleInfo {
        RuleInfo {
            id: rule.id.clone(),
            language: Some(rule.lang),
            description: rule.description.clone(),
            serves: rule.serves(),
            confidence: Some(rule.confidence),
            source: rule.display_path(),
            query: Some(rule.query_text.clone()),
            example: None,
        }
    }
}

/// The documentation of every rule id: the registered ones and the declarative rules
/// (built-in, then those of extra directories, which override a rule of the same id).
pub struct RuleDocs {
    library: RuleLibrary,
}

impl RuleDocs {
    /// Loads the declarative rules, with those of the `extra` directories.
    pub fn load(extra: &[PathBuf]) -> Result<RuleDocs, InputErrors> {
        Ok(RuleDocs { library: RuleLibrary::load(extra)? })
    }

    /// Every rule id, by language and id.
    pub fn list(&self) -> Vec<RuleInfo> {
        let mut infos: Vec<RuleInfo> =
            ids::all().filter(|id| self.library.get(id.id).is_none()).map(RuleInfo::registered).collect();
        infos.extend(self.library.rules.iter().map(|r| RuleInfo::declarative(r)));
        infos.sort_by(|a, b| (a.language, &a.id).cmp(&(b.language, &b.id)));
        infos
    }

    /// One rule id described, with a worked example (a declarative rule's from its
    /// fixtures); `None` when no rule has this id.
    pub fn explain(&self, id: &str) -> Option<RuleInfo> {
        if let Some(rule) = self.library.get(id) {
            let example = ripple_rules::explain_example(rule);
            return Some(RuleInfo { example, ..RuleInfo::declarative(rule) });
        }
        ids::find(id).map(RuleInfo::registered)
    }
}
