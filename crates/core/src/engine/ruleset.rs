//! The rules an engine runs, and the catalog sources and change expanders that inform them.

use super::expand::ChangeExpander;
use super::sites::CatalogSource;
use crate::change::ChangeKind;
use crate::change::Ident;
use crate::ids::RuleId;
use crate::lang::Lang;
use crate::options::Dialect;
use crate::reason::Reason;
use crate::rule::{Host, Hosts};
use crate::rule::{Phase, Rule};
use std::sync::Arc;

/// The rules an engine runs, and the catalog sources and change expanders that inform them.
/// Language crates contribute theirs; the `ripple` facade assembles the default set.
#[derive(Clone, Default)]
pub struct RuleSet {
    rules: Vec<Arc<dyn Rule>>,
    catalog_sources: Vec<Arc<dyn CatalogSource>>,
    expanders: Vec<Arc<dyn ChangeExpander>>,
    hosts: Hosts,
    ids: Vec<&'static RuleId>,
    name_writer: Option<NameWriter>,
    /// Every relevant file is parsed, even one whose mentions all stand in prose.
    always_parse: bool,
}

/// How a name is written in SQL of a dialect (quoted when it is reserved or not plain): the
/// SQL crate's knowledge, lent to the statements the engine writes itself.
pub type NameWriter = fn(&Ident, Dialect) -> String;

impl RuleSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a rule; a rule with the id of an existing one replaces it.
    pub fn add(&mut self, rule: Arc<dyn Rule>) {
        if let Some(slot) = self.rules.iter_mut().find(|r| r.id() == rule.id()) {
            *slot = rule;
        } else {
            self.rules.push(rule);
        }
    }

    /// Every rule, in the order they were added.
    pub fn rules(&self) -> &[Arc<dyn Rule>] {
        &self.rules
    }

    /// Registers a host language, which rules reach through [`crate::RuleContext::hosts`].
    pub fn add_host(&mut self, host: Arc<dyn Host>) {
        self.hosts.add(host);
    }

    /// The host languages registered for this run.
    pub fn hosts(&self) -> &Hosts {
        &self.hosts
    }

    /// Registers rule ids, whose default reasons the findings that carry them get.
    pub fn register_ids(&mut self, ids: impl IntoIterator<Item = &'static RuleId>) {
        self.ids.extend(ids);
    }

    /// Why a finding of rule `id` about a change of `kind` is raised when it does not say:
    /// its registered default (a rule id nobody registered: a reference left to a person),
    /// refined by the change.
    pub fn reason_of(&self, id: &str, kind: Option<ChangeKind>) -> Reason {
        self.ids.iter().find(|r| r.id == id).map_or(Reason::ManualEdit, |r| r.reason).refined(kind)
    }

    /// Adds a source of table definitions found in scanned files.
    pub fn add_catalog_source(&mut self, source: Arc<dyn CatalogSource>) {
        self.catalog_sources.push(source);
    }

    /// Adds an expander of the change set.
    pub fn add_expander(&mut self, expander: Arc<dyn ChangeExpander>) {
        self.expanders.push(expander);
    }

    pub(super) fn catalog_sources(&self) -> &[Arc<dyn CatalogSource>] {
        &self.catalog_sources
    }

    /// Sets how names are written in the SQL the engine suggests (`suggested_migration`).
    pub fn set_name_writer(&mut self, writer: NameWriter) {
        self.name_writer = Some(writer);
    }

    /// A name as SQL of `dialect` takes it: as the change set spells it when no writer is set.
    pub(super) fn write_name(&self, name: &Ident, dialect: Dialect) -> String {
        self.name_writer.map_or_else(|| name.to_string(), |w| w(name, dialect))
    }

    pub(super) fn expanders(&self) -> &[Arc<dyn ChangeExpander>] {
        &self.expanders
    }

    /// The same rules, parsing every relevant file: without the lexical shortcut that reports
    /// a file whose every mention stands in a comment or docstring without a parse. The
    /// plan is the same either way; tests compare the two.
    pub fn always_parsing(self) -> Self {
        RuleSet { always_parse: true, ..self }
    }

    /// Whether a file whose mentions all stand in prose may skip its parse.
    pub(super) fn prose_shortcut(&self) -> bool {
        !self.always_parse
    }

    /// The rules of a language in the order they run: the safety net last.
    pub fn for_language(&self, lang: Lang) -> impl Iterator<Item = &Arc<dyn Rule>> {
        let of =
            move |phase: Phase| self.rules.iter().filter(move |r| r.language() == lang && r.phase() == phase);
        of(Phase::Main).chain(of(Phase::SafetyNet))
    }
}
