//! Host languages: the languages whose code carries SQL and names tables and columns
//! (Python, Java), behind one trait in the spirit of ast-grep's `Language`.
//!
//! A [`Host`] says what its syntax tree offers ripple: string literals and their content,
//! callee and annotation names, comments, docstrings and messages for people, the SQL
//! strings of a file with their byte maps ([`SqlStrings`]), data flow for `bound_to_table`,
//! and its spelling conventions. Everything generic is written once over the trait: the
//! embedded-SQL driver and the safety net (in the `ripple` facade), the predicates of
//! declarative rules (in `ripple-rules`, which finds the host of a rule's language in
//! [`RuleContext::hosts`]).
//!
//! A new host (XML for MyBatis mappers, say) is one module implementing [`Host`]:
//! - [`Host::lang`], with its [`Lang`] registered in `lang.rs` (extension and grammar);
//! - the syntax queries: [`Host::is_string`], [`Host::string_content`],
//!   [`Host::is_text_literal`], [`Host::callee`], [`Host::annotation_name`], and where the
//!   language has them [`Host::is_docstring`], [`Host::is_message`],
//!   [`Host::is_notebook_cell`];
//! - [`Host::sql_strings`]: the file's SQL strings, each a [`Region`] with its evidence,
//!   and any follow-ups on the analysed SQL (result reads, JDBC parameters);
//! - optionally data flow ([`Host::bound_source`], [`Host::call_schema`],
//!   [`Host::class_schema`]) and the host's own Rust rules ([`Host::rules`]).
//!
//! and one entry in the facade's list of hosts. Nothing else changes.

use crate::edit::{Edit, RuleOutput};
use crate::lang::Lang;
use crate::region::{EscapeError, Region};
use crate::rule::{Dialect, Rule, RuleContext, SourceFile};
use std::borrow::Cow;
use std::sync::Arc;
use tree_sitter::{Node, Query};

/// What a host language offers ripple. Methods with a default are what a language without
/// the feature answers.
pub trait Host: Send + Sync {
    /// The language this host parses.
    fn lang(&self) -> Lang;

    /// Is `node` a plain string literal, whose content rule captures read and rewrite?
    fn is_string(&self, node: Node<'_>) -> bool;

    /// The content of a string literal's text, if it is a plain literal: one piece, no
    /// interpolation holes; prefixes and quotes are kept out of the span.
    fn string_content<'t>(&self, literal: &'t str) -> Option<StringContent<'t>>;

    /// Is `node` any literal holding text (a string, a text block, a character), for the
    /// safety net?
    fn is_text_literal(&self, node: Node<'_>) -> bool;

    /// The callee of a call node as written (`spark.read.table`), or `None` if it is no call.
    fn callee(&self, node: Node<'_>, src: &str) -> Option<String>;

    /// The name of an annotation or decorator node (`Table`, `javax.persistence.Table`).
    fn annotation_name(&self, node: Node<'_>, src: &str) -> Option<String>;

    /// Whether `node` is a comment.
    fn is_comment(&self, node: Node<'_>) -> bool {
        node.kind().contains("comment")
    }

    /// Is `node` a docstring (prose, like a comment)?
    fn is_docstring(&self, _node: Node<'_>) -> bool {
        false
    }

    /// Is the string literal `node` a message for people (a log line, an exception) or
    /// another value that is never a database name?
    fn is_message(&self, _node: Node<'_>, _src: &str) -> bool {
        false
    }

    /// Is the comment text a notebook cell kept in comments (code ripple does not read)?
    fn is_notebook_cell(&self, _comment: &str) -> bool {
        false
    }

    /// The SQL strings of `file`, with the host's follow-ups on each.
    fn sql_strings<'f>(&self, file: &'f SourceFile<'_>, ctx: &RuleContext<'_>) -> Box<dyn SqlStrings + 'f>;

    /// The table whose rows `node` holds, following the data flow that `sources` describes
    /// (rule files' `bound_to_table`); with `from_call`, the receivers of the calls around
    /// `node` are followed instead. `None` when the host follows no data flow.
    fn bound_source<'t>(
        &self,
        _node: Node<'_>,
        _src: &'t str,
        _sources: &Sources<'_>,
        _from_call: bool,
    ) -> Option<Source<'t>> {
        None
    }

    /// The schema a call's arguments give the table it names (`schema="staging"`);
    /// `Some("")` when it is not a plain string.
    fn call_schema<'t>(&self, _call: Node<'_>, _src: &'t str) -> Option<&'t str> {
        None
    }

    /// The schema a model class gives its table (SQLAlchemy's `__table_args__`); `Some("")`
    /// when it is not a plain string.
    fn class_schema<'t>(&self, _class: Node<'_>, _src: &'t str) -> Option<&'t str> {
        None
    }

    /// The column an ORM derives from a field name (rule files' `normalize: snake_case`):
    /// Spring Boot's default naming, `firstName` → `first_name`.
    fn field_column(&self, field: &str) -> String {
        snake_case(field)
    }

    /// The table a model class gets when it names none (rule files' `table_from_class`):
    /// Flask-SQLAlchemy's naming, `UserEvent` → `user_event`.
    fn class_table(&self, class: &str) -> String {
        flask_table_name(class)
    }

    /// The host's own rules written in Rust, besides the embedded-SQL driver and the safety
    /// net that every host gets.
    fn rules(&self) -> Vec<Arc<dyn Rule>> {
        Vec::new()
    }
}

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

/// The SQL strings a host found in one file, and its follow-ups on them. The driver calls
/// [`SqlStrings::get`] for each index in turn, then [`SqlStrings::finish`].
pub trait SqlStrings {
    /// How many SQL strings the file has.
    fn len(&self) -> usize;

    /// Whether the file has no SQL string.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The SQL string at `index`.
    fn get(&self, index: usize) -> SqlString<'_>;

    /// The text the SQL resolver reads: the region's, or a masked copy of the same length.
    fn sql_text(&self, index: usize) -> Cow<'_, str> {
        Cow::Borrowed(self.get(index).region.text())
    }

    /// New text as the string's literal must hold it, or why it cannot.
    fn escape(&self, index: usize, new: &str) -> Result<String, EscapeError>;

    /// Edits of the analysed SQL (in region offsets) that the host maps to the file itself,
    /// taken out of `analysed`; the region maps the rest.
    fn map_own(&self, _index: usize, _analysed: &mut RuleOutput) -> RuleOutput {
        RuleOutput::default()
    }

    /// Follow-ups once a string is analysed: `edits` in region offsets, `mapped` the
    /// output mapped to the file. What it returns is added after `mapped`.
    fn analysed(
        &mut self,
        _index: usize,
        _edits: &[Edit],
        _mapped: &RuleOutput,
        _ctx: &RuleContext<'_>,
    ) -> RuleOutput {
        RuleOutput::default()
    }

    /// Follow-ups once every string is analysed, on the driver's whole output for the file.
    fn finish(self: Box<Self>, _ctx: &RuleContext<'_>, _out: &mut RuleOutput) {}
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

/// The hosts of a run, by language.
#[derive(Clone, Default)]
pub struct Hosts(Vec<Arc<dyn Host>>);

impl Hosts {
    /// Adds a host; a host of the same language replaces it.
    pub fn add(&mut self, host: Arc<dyn Host>) {
        self.0.retain(|h| h.lang() != host.lang());
        self.0.push(host);
    }

    /// The host registered for `lang`, if any.
    pub fn get(&self, lang: Lang) -> Option<&dyn Host> {
        self.0.iter().find(|h| h.lang() == lang).map(|h| h.as_ref())
    }
}

/// Spring Boot's default naming (Hibernate's `CamelCaseToUnderscores`): an underscore
/// before each capital between two lower-case letters, then lower case. `firstName` →
/// `first_name`, `userID` → `userid`.
fn snake_case(name: &str) -> String {
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
fn flask_table_name(class: &str) -> String {
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
