//! What host languages hand the engine through [`Host`](crate::Host): the content of a
//! string literal, the SQL strings of a file with their byte maps, the sources data flow
//! finds, and the naming conventions of ORMs. The traits themselves live in
//! [`crate::rule`], beside the context they are given.

use crate::options::Dialect;
use crate::region::Region;
use tree_sitter::Query;

/// The content of a string literal within its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StringContent<'t> {
    /// Offsets of the content in the literal's text.
    pub start: usize,
    /// End of the content in the literal's text.
    pub end: usize,
    /// The quote (`"`, `'`, `"""`...).
    pub quote: &'t str,
}

/// The content between the quotes of `text`, whose prefix (`r`, `b`...) is `prefix` bytes.
pub fn quoted_content(text: &str, prefix: usize) -> Option<StringContent<'_>> {
    let rest = text.get(prefix..)?;
    let quote = ["\"\"\"", "'''", "\"", "'"].into_iter().find(|q| rest.starts_with(q))?;
    if rest.len() < 2 * quote.len() || !rest.ends_with(quote) {
        return None;
    }
    let start = prefix + quote.len();
    Some(StringContent { start, end: text.len() - quote.len(), quote })
}

/// Why a host takes a string for SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// Where the string goes (a SQL API, an annotation) says it is SQL.
    Context,
    /// Only its shape says so: its edits are `Likely`.
    Shape,
}

/// One SQL string of a file, as the driver analyses it.
pub struct SqlString<'a> {
    /// The SQL as the program sees it, mapped byte for byte to the file.
    pub region: &'a Region,
    /// The file span findings that cannot be placed more precisely go to.
    pub span: (usize, usize),
    /// The file spans the resolver accounts for once it has read the string.
    pub judged: &'a [(usize, usize)],
    /// Why the string is taken for SQL (a sink, or only its shape).
    pub evidence: Evidence,
    /// A dialect the string is written in whatever the run's dialect.
    pub dialect: Option<Dialect>,
}

/// What an expression was found to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source<'t> {
    /// A source call; its captured text (the table name, or the SQL it runs), and the
    /// `schema=` keyword argument of the call, if it has one.
    Found(&'t str, Option<&'t str>),
    /// A chain through a method that mixes tables (a join): not one table's rows.
    Mixed,
    /// An imported module or name (`F` in `F.col`): holds no rows.
    Module,
    /// Anything else: its rows cannot be told.
    Unknown,
}

/// The sources of `bound_to_table`.
pub struct Sources<'q> {
    /// The rule's compiled tree-sitter query.
    pub query: &'q Query,
    /// The capture whose receiver must be bound to the table.
    pub capture: u32,
    /// Callees after which a chain no longer carries the table's columns.
    pub stops_at: &'q [String],
    /// Column names (lower case) that a call in the chain must not define: past
    /// `.select(F.col("fee").alias("amount"))`, `.withColumn("amount", ...)` or
    /// `.agg(amount=...)`, a frame's `amount` is not the table's column any more.
    pub introduces: &'q [String],
}

/// Spring Boot's default naming (Hibernate's `CamelCaseToUnderscores`): an underscore
/// before each capital between two lower-case letters, then lower case. `firstName` →
/// `first_name`, `userID` → `userid`.
pub(crate) fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        let between_lower =
            i > 0 && chars[i - 1].is_lowercase() && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        if c.is_uppercase() && between_lower {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Flask-SQLAlchemy's table name for a model class: an underscore before a capital that
/// follows a lower-case letter or digit, or that starts a capitalized word inside the name.
/// `User` → `user`, `UserEvent` → `user_event`, `HTTPLog` → `http_log`.
pub(crate) fn flask_table_name(class: &str) -> String {
    let chars: Vec<char> = class.chars().collect();
    let mut out = String::with_capacity(class.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        let after_lower = i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
        let word_start = i > 0 && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        if c.is_uppercase() && (after_lower || word_start) {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out.trim_start_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::{Host, Hosts, RuleContext, SourceFile, SqlStrings};
    use crate::Lang;
    use std::sync::Arc;
    use tree_sitter::Node;

    #[test]
    fn derived_names() {
        assert_eq!(snake_case("firstName"), "first_name");
        assert_eq!(snake_case("age"), "age");
        assert_eq!(snake_case("userID"), "userid");
        assert_eq!(snake_case("addressLine1"), "address_line1");
        assert_eq!(flask_table_name("User"), "user");
        assert_eq!(flask_table_name("UserEvent"), "user_event");
        assert_eq!(flask_table_name("HTTPLog"), "http_log");
        assert_eq!(flask_table_name("Post2Tag"), "post2_tag");
    }

    #[test]
    fn a_host_replaces_the_one_of_its_language() {
        struct Plain(&'static str);
        impl Host for Plain {
            fn lang(&self) -> Lang {
                Lang::Python
            }
            fn is_string(&self, _: Node<'_>) -> bool {
                false
            }
            fn string_content<'t>(&self, literal: &'t str) -> Option<StringContent<'t>> {
                quoted_content(literal, 0)
            }
            fn is_text_literal(&self, _: Node<'_>) -> bool {
                false
            }
            fn callee(&self, _: Node<'_>, _: &str) -> Option<String> {
                Some(self.0.to_string())
            }
            fn annotation_name(&self, _: Node<'_>, _: &str) -> Option<String> {
                None
            }
            fn sql_strings<'f>(
                &self,
                _: &'f SourceFile<'_>,
                _: &RuleContext<'_>,
            ) -> Box<dyn SqlStrings + 'f> {
                unimplemented!("not needed here")
            }
        }
        let mut hosts = Hosts::default();
        hosts.add(Arc::new(Plain("first")));
        hosts.add(Arc::new(Plain("second")));
        let tree = Lang::Python.parse("x");
        let callee = |lang| hosts.get(lang).and_then(|h| h.callee(tree.root_node(), ""));
        assert_eq!(callee(Lang::Python).as_deref(), Some("second"));
        assert_eq!(callee(Lang::Java), None);
    }

    #[test]
    fn quoted_contents() {
        assert_eq!(quoted_content("'users'", 0).map(|c| c.quote), Some("'"));
        assert_eq!(quoted_content("rb\"x\"", 2).map(|c| (c.start, c.end)), Some((3, 4)));
        assert_eq!(quoted_content("\"\"\"users\"\"\"", 0).map(|c| (c.start, c.end)), Some((3, 8)));
        assert_eq!(quoted_content("\"", 0), None);
        assert_eq!(quoted_content("\"\"", 0), Some(StringContent { start: 1, end: 1, quote: "\"" }));
    }
}

/// What kind of prose a lexical pass found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProseKind {
    /// A comment (`#`, `//`, `/* */`, javadoc).
    Comment,
    /// A docstring, as [`Host::is_docstring`](crate::Host::is_docstring) tells one.
    Docstring,
}

/// A comment or docstring found by a host's lexical pass ([`Host::prose`](crate::Host::prose)),
/// with the byte range its syntax node has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prose {
    /// Its first byte.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// Comment or docstring.
    pub kind: ProseKind,
}

/// The prose of `prose` (sorted and disjoint) that holds `start..end`, if any.
pub fn prose_at(prose: &[Prose], start: usize, end: usize) -> Option<&Prose> {
    let i = prose.partition_point(|p| p.end <= start);
    prose.get(i).filter(|p| p.start <= start && end <= p.end)
}
