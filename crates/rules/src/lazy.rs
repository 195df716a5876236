//! Built-in rules compiled on first use. Compiling tree-sitter queries was nearly all of
//! ripple's start-up, and a run only needs the rules of languages whose files survive the
//! prefilter: a SQL-only tree compiles none.

use crate::rule::{self, DeclarativeRule, RuleOrigin};
use crate::types::TypeMaps;
use ripple_core::{Lang, Rule, RuleContext, RuleOutput, SourceFile};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// A built-in rule file, parsed and compiled the first time a file of its language reaches it.
pub(crate) struct LazyRule {
    id: String,
    lang: Lang,
    path: PathBuf,
    rel: String,
    text: String,
    types: Arc<TypeMaps>,
    rule: OnceLock<Option<DeclarativeRule>>,
}

impl LazyRule {
    /// The rule at `rel` (`language/name.yaml`), or `None` when its path names no language:
    /// the id and language come from the path, which the loader requires to match the file.
    pub(crate) fn new(rel: &str, path: PathBuf, text: String, types: Arc<TypeMaps>) -> Option<LazyRule> {
        let (dir, file) = rel.split_once('/')?;
        let name = file.strip_suffix(".yaml").or_else(|| file.strip_suffix(".yml"))?;
        let lang = Lang::from_name(dir)?;
        Some(LazyRule {
            id: format!("{dir}/{name}"),
            lang,
            path,
            rel: rel.to_string(),
            text,
            types,
            rule: OnceLock::new(),
        })
    }

    fn compiled(&self) -> Option<&DeclarativeRule> {
        self.rule
            .get_or_init(|| {
                let origin = RuleOrigin::Builtin(self.rel.clone());
                // The test suite loads every embedded rule eagerly, so this does not fail.
                rule::parse_rule(&self.path, &self.text, origin, &self.types).ok()
            })
            .as_ref()
    }
}

impl Rule for LazyRule {
    fn id(&self) -> &str {
        &self.id
    }

    fn language(&self) -> Lang {
        self.lang
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        if file.lang != self.lang {
            return;
        }
        if let Some(rule) = self.compiled() {
            rule.run(file, ctx, out);
        }
    }

    fn run_on_prose(
        &self,
        file: &SourceFile<'_>,
        ctx: &RuleContext<'_>,
        prose: &[ripple_core::host::Prose],
        out: &mut RuleOutput,
    ) -> bool {
        self.compiled().is_none_or(|rule| rule.run_on_prose(file, ctx, prose, out))
    }
}

#[cfg(test)]
mod tests {
    use crate::RuleLibrary;

    #[test]
    fn every_builtin_rule_is_named_by_its_path_and_compiles() {
        let eager = RuleLibrary::load(&[]).expect("the built-in rules load");
        let lazy = RuleLibrary::load_for_run(&[]).expect("the built-in rules load");
        let eager: Vec<(&str, _)> = eager.rules.iter().map(|r| (r.id.as_str(), r.lang)).collect();
        let lazy: Vec<(&str, _)> = lazy.iter().map(|r| (r.id(), r.language())).collect();
        assert_eq!(lazy, eager);
    }
}
