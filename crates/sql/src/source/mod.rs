//! A SQL text made ready for parsing: Jinja blocks masked, lexed into statements and data
//! (strings, comments), bind parameters masked, read in its effective dialect. Every
//! offset of the masked text is the offset of the original.

pub(crate) mod jinja;
pub(crate) mod jinja_calls;
pub(crate) mod jinja_flow;
pub(crate) mod lex;

use crate::dialect::{self, QuotedLiterals};
use jinja::Masked;
use lex::Lexed;
use ripple_core::Dialect;

/// One SQL text, masked and lexed.
pub(crate) struct SqlSource {
    /// The text as written.
    pub original: String,
    /// Jinja and bind parameters masked, same length as `original`.
    pub masked: Masked,
    pub lexed: Lexed,
    /// The dialect given (`Generic` when none was).
    pub given: Dialect,
    /// The dialect the text is read in: the given one, or a guess from its syntax.
    pub dialect: Dialect,
    pub quoted: QuotedLiterals,
}

impl SqlSource {
    pub(crate) fn new(text: &str, given: Dialect) -> Self {
        let mut masked = jinja::mask(text);
        // Without --dialect, quoting and escapes follow the file's own syntax.
        let dialect = dialect::effective(given, text);
        let lexed = lex::lex(&masked.text, dialect::facts(dialect).backslash_escapes);
        let mut bytes = std::mem::take(&mut masked.text).into_bytes();
        lex::mask_bind_params(&mut bytes, &lexed);
        masked.text = String::from_utf8(bytes).unwrap_or_else(|_| text.to_string());
        let quoted = QuotedLiterals::of(dialect, &masked.text);
        SqlSource { original: text.to_string(), masked, lexed, given, dialect, quoted }
    }

    /// The sqlparser dialects to try, in order, on a statement tree-sitter cannot read.
    pub(crate) fn fallback_dialects(&self) -> Vec<Dialect> {
        dialect::candidates(self.given, &self.masked.text, &self.lexed.data)
    }

    /// The original text at a span (empty if the span is not on char boundaries).
    pub(crate) fn text(&self, span: (usize, usize)) -> &str {
        self.original.get(span.0..span.1).unwrap_or("")
    }
}
