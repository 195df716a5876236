//! Stage 4, expansion: change expanders derive changes the change set implies without
//! naming them, from the texts the read stage kept for them.

use super::read::ReadFile;
use super::{Request, RuleSet};
use crate::catalog::Catalog;
use crate::change::{Change, ChangeSet};
use crate::lang::Lang;
use crate::plan::PlanFinding;
use crate::source::SourceText;

/// A change the change set implies without naming it: a view or model that re-exports a
/// renamed column under its old name renames its own output when output names propagate,
/// so its readers must follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedChange {
    /// The derived change.
    pub change: Change,
    /// Index of the change this one follows from: in the request's change set, or (past
    /// its end) among the derived changes returned before this one.
    pub derived_from: usize,
    /// Why, for humans: names the file that re-exports the column.
    pub reason: String,
}

/// What a [`ChangeExpander`] found.
#[derive(Debug, Default)]
pub struct Expansion {
    /// In dependency order: each one after the change it derives from.
    pub changes: Vec<DerivedChange>,
    /// What the expander wants a human to see.
    pub findings: Vec<PlanFinding>,
}

/// Derives changes from the change set before the rules run (output names carried across
/// files). The engine only appends what it returns to the change set the rules see.
pub trait ChangeExpander: Send + Sync {
    /// The language whose every file (not only those the prefilter lets through) this
    /// expander reads for `request`; `None` when it has nothing to derive.
    fn language(&self, request: &Request) -> Option<Lang>;

    /// `files` are the texts of every readable file of [`ChangeExpander::language`], in path
    /// order; `catalog` is complete (the `--catalog` files and the DDL of the scanned files).
    fn expand(&self, files: &[&SourceText], request: &Request, catalog: &Catalog) -> Expansion;
}

/// Why a change is in the set the rules see although the request did not name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Derivation {
    /// Index of the change it follows from.
    pub from: usize,
    pub reason: String,
}

/// The change set the rules see.
pub(super) struct Expanded {
    /// The request's changes, then every derived change.
    pub changes: ChangeSet,
    /// Parallel to `changes`: how each derived change follows from another one.
    pub derivations: Vec<Option<Derivation>>,
    pub findings: Vec<PlanFinding>,
}

impl Expanded {
    /// Does the change set name more than the request did?
    pub fn derived_any(&self) -> bool {
        self.derivations.iter().any(Option::is_some)
    }
}

/// The languages whose every file some expander reads for `request`.
pub(super) fn languages(rules: &RuleSet, request: &Request) -> Vec<Lang> {
    let mut langs: Vec<Lang> = rules.expanders().iter().filter_map(|e| e.language(request)).collect();
    langs.sort();
    langs.dedup();
    langs
}

/// Runs the change expanders over the texts kept for them.
pub(super) fn expand(rules: &RuleSet, files: &[ReadFile], request: &Request, catalog: &Catalog) -> Expanded {
    let mut changes = request.changes.clone();
    let mut derivations: Vec<Option<Derivation>> = vec![None; changes.changes.len()];
    let mut findings = Vec::new();
    let base = request.changes.changes.len();
    for expander in rules.expanders() {
        let Some(lang) = expander.language(request) else { continue };
        let texts: Vec<&SourceText> =
            files.iter().filter_map(|f| f.source.as_deref()).filter(|s| s.file.lang == lang).collect();
        let expansion = expander.expand(&texts, request, catalog);
        // This expander counts its own derived changes from `base`; earlier expanders'
        // changes already sit there.
        let shift = changes.changes.len() - base;
        for d in expansion.changes {
            let from = if d.derived_from >= base { d.derived_from + shift } else { d.derived_from };
            if from >= changes.changes.len() || changes.changes.contains(&d.change) {
                continue;
            }
            changes.changes.push(d.change);
            derivations.push(Some(Derivation { from, reason: d.reason }));
        }
        findings.extend(expansion.findings);
    }
    if !changes.origins.is_empty() {
        changes.origins.resize(changes.changes.len(), Default::default());
    }
    Expanded { changes, derivations, findings }
}
