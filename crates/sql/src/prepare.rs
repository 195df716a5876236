//! The one way into SQL analysis. [`prepare`] masks Jinja, lexes the text into statements
//! and data, masks bind parameters, settles the effective dialect and its quoting rules,
//! and models each statement that mentions a watched name. The SQL rules, output-name
//! propagation, coverage counts and host-language tracers (JDBC) all start here, so a SQL
//! text is read the same way wherever it comes from.

use crate::model::Model;
use crate::resolve::statements::{self, Parsed, Trees, Unit};
use crate::source::SqlSource;
use ripple_core::prefilter::NameMatcher;
use ripple_core::{ChangeSet, Dialect, RuleContext};

/// How to prepare a SQL text.
#[derive(Clone, Copy)]
pub struct PrepareOptions<'a> {
    /// The dialect given (`--dialect`); with `Generic` the text's syntax decides.
    pub dialect: Dialect,
    /// The names to look for: only statements mentioning one of them are modelled.
    pub names: &'a NameMatcher,
    /// The changes to carry: the sqlparser fallback models only what it could rewrite.
    pub changes: &'a ChangeSet,
}

impl<'a> PrepareOptions<'a> {
    /// The options a rule runs with.
    pub fn of(ctx: &RuleContext<'a>) -> Self {
        PrepareOptions { dialect: ctx.options.dialect, names: ctx.names, changes: ctx.changes }
    }
}

/// A SQL text ready for analysis: masked and lexed, and its statements that mention a
/// watched name, each modelled (or not, when neither parser could read it).
pub struct Prepared {
    source: SqlSource,
    units: Vec<Unit>,
    trees: Trees,
}

/// Prepares `text` (a whole file, or the SQL of a host-language string).
pub fn prepare(text: &str, options: &PrepareOptions<'_>) -> Prepared {
    let source = SqlSource::new(text, options.dialect);
    let mut trees = Trees::default();
    let units = statements::units(&source, options.names, options.changes, &mut trees);
    Prepared { source, units, trees }
}

impl Prepared {
    /// The dialect the text was read in: the one given, or the one its syntax shows.
    pub fn dialect(&self) -> Dialect {
        self.source.dialect
    }

    /// The text with Jinja blocks and bind parameters masked; offsets are the original's.
    pub fn masked_text(&self) -> &str {
        &self.source.masked.text
    }

    /// Is `[start, end)` inside a string literal or a comment?
    pub fn is_data(&self, start: usize, end: usize) -> bool {
        self.source.lexed.is_data(start, end)
    }

    /// The model of each statement that mentions a watched name, in order; `None` for a
    /// statement that could not be modelled.
    pub fn models(&self) -> impl Iterator<Item = Option<&Model>> {
        self.units.iter().map(|u| match &u.parsed {
            Parsed::Model(m) => Some(m.as_ref()),
            Parsed::Unparsed => None,
        })
    }

    pub(crate) fn source(&self) -> &SqlSource {
        &self.source
    }

    pub(crate) fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The statements again for other names and changes, on the same masked and lexed text
    /// and with the models tree-sitter already built.
    pub(crate) fn reunit(&mut self, names: &NameMatcher, changes: &ChangeSet) {
        self.units = statements::units(&self.source, names, changes, &mut self.trees);
    }
}
