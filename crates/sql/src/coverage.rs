//! How much of a SQL file ripple can analyse for a change set: of the statements that
//! mention a changed name, how many tree-sitter models, how many only the sqlparser
//! fallback models, and how many neither (they stay findings). For measurements.

use crate::model::StatementKind;
use crate::prepare::{prepare, PrepareOptions};
use crate::resolve::statements::Parsed;
use ripple_core::prefilter::NameMatcher;
use ripple_core::{ChangeSet, Dialect};

/// The statements of SQL files that mention a changed name, by how ripple modelled them.

#[derive(Debug, Default, Clone)]
pub struct Coverage {
    /// Statements that mention a changed name in code.
    pub statements: usize,
    /// Modelled from tree-sitter.
    pub tree_sitter: usize,
    /// Modelled from sqlparser only.
    pub fallback: usize,
    /// Parsed by tree-sitter as a statement kind ripple does not analyse.
    pub unsupported: usize,
    /// Modelled by neither: each one's 1-based line and reason.
    pub refused: Vec<(usize, String)>,
}

impl Coverage {
    /// Adds the counts of another file.
    pub fn add(&mut self, o: Coverage) {
        self.statements += o.statements;
        self.tree_sitter += o.tree_sitter;
        self.fallback += o.fallback;
        self.unsupported += o.unsupported;
        self.refused.extend(o.refused);
    }
}

/// Splits and models `text` as the SQL rule does, and counts. `dialect` is the one given
/// (`Generic` for none).
pub fn coverage(text: &str, changes: &ChangeSet, dialect: Dialect) -> Coverage {
    let names = NameMatcher::new(changes.watched_names());
    let mut out = Coverage::default();
    if !names.is_relevant(text.as_bytes()) {
        return out;
    }
    let prepared = prepare(text, &PrepareOptions { dialect, names: &names, changes });
    for unit in prepared.units() {
        out.statements += 1;
        match (&unit.parsed, unit.fallback) {
            (Parsed::Model(_), Some(_)) => out.fallback += 1,
            (Parsed::Model(m), None) if m.kind() == StatementKind::Other => out.unsupported += 1,
            (Parsed::Model(_), None) => out.tree_sitter += 1,
            (Parsed::Unparsed, _) => {
                let at = unit.mentions.first().map_or(unit.span.0, |m| m.start);
                let line = 1 + text.as_bytes()[..at.min(text.len())].iter().filter(|&&b| b == b'\n').count();
                out.refused.push((line, unit.refusal.as_ref().map(|r| r.to_string()).unwrap_or_default()))
            }
        }
    }
    out
}
