//! The interfaces ripple is extended through, and what they are given: a [`Rule`] turns a
//! file into edits and findings; a [`Host`] says what a host language's syntax offers;
//! both get a [`RuleContext`]. They live together because each refers to the others.
//!
//! # Host languages
//!
//! A [`Host`] says what its syntax tree offers ripple: string literals and their content,
//! callee and annotation names, comments, docstrings and messages for people, the SQL
//! strings of a file with their byte maps ([`SqlStrings`]), data flow for `bound_to_table`,
//! and its spelling conventions. Everything generic is written once over the trait: the
//! embedded-SQL driver and the safety net (in the `ripple` facade), the predicates of
//! declarative rules (in `ripple-rules`, which finds the host of a rule's language in
//! [`RuleContext::hosts`]).
//!
//! A new host (as MyBatis XML mappers are) is one module implementing [`Host`]:
//! - [`Host::lang`], with its [`Lang`] registered in `lang.rs` (extension and grammar);
//! - the syntax queries: [`Host::is_string`], [`Host::string_content`],
//!   [`Host::is_text_literal`], [`Host::callee`], [`Host::annotation_name`], and where the
//!   language has them [`Host::is_docstring`], [`Host::is_message`],
//!   [`Host::is_notebook_cell`];
//! - [`Host::sql_strings`]: the file's SQL strings, each a [`Region`](crate::Region) with its evidence,
//!   and any follow-ups on the analysed SQL (result reads, JDBC parameters);
//! - optionally data flow ([`Host::bound_source`], [`Host::call_schema`],
//!   [`Host::class_schema`]) and the host's own Rust rules ([`Host::rules`]).
//!
//! and one entry in the facade's list of hosts. Nothing else changes.

use crate::catalog::Catalog;
use crate::change::ChangeSet;
use crate::edit::{Edit, RuleOutput};
use crate::host::{flask_table_name, snake_case, Prose, Source, Sources, SqlString, StringContent};
use crate::lang::Lang;
use crate::prefilter::{Mention, NameMatcher};
use crate::region::EscapeError;
use std::borrow::Cow;
use std::cell::{Cell, OnceCell};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tree_sitter::{Node, Tree};

pub use crate::options::{DbtRename, Dialect, Options, OutputNames};

/// Everything a rule may consult besides the file itself.
pub struct RuleContext<'a> {
    /// The change set, derived changes included.
    pub changes: &'a ChangeSet,
    /// Run-wide settings.
    pub options: &'a Options,
    /// What is known of table columns.
    pub catalog: &'a Catalog,
    /// The watched names.
    pub names: &'a NameMatcher,
    /// The host languages of the run, for rules that read a host's syntax.
    pub hosts: &'a Hosts,
    /// The table the file defines by its place (a table layout of `ripple.toml`, or the
    /// BigQuery ETL one), or whose columns it lists (a `schema.yaml` beside such a file).
    pub placed: Option<&'a crate::table_layout::Placed>,
}

/// A file as a rule sees it: its text (after any BOM) and its syntax tree, parsed on first
/// use (the SQL resolver parses statement by statement and never needs the whole tree).
pub struct SourceFile<'a> {
    /// The path as reported (the PATH argument joined with the relative path).
    pub path: &'a Path,
    /// Its language.
    pub lang: Lang,
    /// Its text after any byte-order mark.
    pub text: &'a str,
    tree: OnceCell<Tree>,
    parse_time: Cell<Duration>,
    mentions: OnceCell<Vec<Mention>>,
}

impl<'a> SourceFile<'a> {
    /// A file whose tree is parsed on first use.
    pub fn new(path: &'a Path, lang: Lang, text: &'a str) -> Self {
        SourceFile {
            path,
            lang,
            text,
            tree: OnceCell::new(),
            parse_time: Cell::default(),
            mentions: OnceCell::new(),
        }
    }

    /// The whole file's syntax tree.
    pub fn tree(&self) -> &Tree {
        self.tree.get_or_init(|| {
            let started = Instant::now();
            let tree = self.lang.parse(self.text);
            self.parse_time.set(started.elapsed());
            tree
        })
    }

    /// How long parsing the whole file took, if some rule asked for its tree.
    pub fn parse_time(&self) -> Option<Duration> {
        self.tree.get().map(|_| self.parse_time.get())
    }

    /// Every mention of a watched name, found once per file however many rules ask.
    pub fn mentions(&self, names: &NameMatcher) -> &[Mention] {
        self.mentions.get_or_init(|| names.mentions(self.text))
    }

    /// The tree, if some rule already asked for it.
    pub fn parsed_tree(&self) -> Option<&Tree> {
        self.tree.get()
    }
}

/// A transform: turns a parsed file and the change set into edits and findings.
/// Rules see the original tree only, never their own output, so no rule can loop.
pub trait Rule: Send + Sync {
    /// Stable id, `language/name` (`sql/rename-column`); used in plans and by `--rules`
    /// overrides.
    fn id(&self) -> &str;

    /// The language of the files it runs on.
    fn language(&self) -> Lang;

    /// Adds what the rule finds in `file` to `out`.
    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput);

    /// When the rule runs among the rules of its language.
    fn phase(&self) -> Phase {
        Phase::Main
    }

    /// Runs the rule, without a syntax tree, over a file in which every occurrence of a
    /// watched name or host spelling stands in `prose` (its comments and docstrings, found by
    /// the host's lexical pass, sorted). Returns `false` when the rule cannot do without the
    /// tree: the engine then parses the file and runs every rule as usual. A rule that finds
    /// nothing in prose says so with [`Rule::reads_code_only`]; the default keeps the parse.
    fn run_on_prose(
        &self,
        _file: &SourceFile<'_>,
        _ctx: &RuleContext<'_>,
        _prose: &[Prose],
        _out: &mut RuleOutput,
    ) -> bool {
        self.reads_code_only()
    }

    /// Whether the rule acts only on names written in code, so that a file whose watched
    /// names all stand in prose gives it nothing to do (`run_on_prose` then adds nothing and
    /// needs no tree). `false` by default: a rule that says nothing keeps the parse.
    fn reads_code_only(&self) -> bool {
        false
    }
}

/// When a rule runs among the rules of its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Phase {
    /// With the other rules, on the original tree, seeing no other rule's output.
    #[default]
    Main,
    /// After every main rule of its language, seeing their output in `out`, so that it
    /// reports only what they left unaccounted for (a mention no rule explained).
    SafetyNet,
}

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

    /// Is `node` a docstring (prose, like a comment)? `ancestors` as for [`Host::is_message`].
    fn is_docstring(&self, _node: Node<'_>, _ancestors: &[Node<'_>]) -> bool {
        false
    }

    /// Is the string literal `node` a message for people (a log line, an exception) or
    /// another value that is never a database name? `ancestors` are the nodes containing it,
    /// outermost first, `node` last: climbing by `Node::parent` searches from the root at
    /// every step, which a deep tree makes quadratic.
    fn is_message(&self, _node: Node<'_>, _ancestors: &[Node<'_>], _src: &str) -> bool {
        false
    }

    /// The comments and docstrings of `text`, sorted, from a lexical pass with no parse: each
    /// with the byte range of the comment or docstring node the tree would have. `None` when
    /// the pass cannot tell (something it does not lex with certainty): the file is parsed.
    /// A file whose every mention stands in prose is then reported without a parse (see
    /// [`Rule::run_on_prose`]).
    fn prose(&self, _text: &str) -> Option<Vec<Prose>> {
        None
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

    /// The table a model class of `file` gets from its app when it names none (rule files'
    /// `table_from_class` with `naming: app`): Django's `<app label>_<class lower-cased>`.
    /// `None` when the host has no such convention or the file's app is unknown.
    fn app_class_table(&self, _class: &str, _file: &SourceFile<'_>) -> Option<String> {
        None
    }

    /// The host's own rules written in Rust, besides the embedded-SQL driver and the safety
    /// net that every host gets.
    fn rules(&self) -> Vec<Arc<dyn Rule>> {
        Vec::new()
    }
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
