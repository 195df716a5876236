//! A declarative rule: a rule file compiled into a tree-sitter query, predicates that tie
//! captures to the change set, and per change kind a rewrite or a finding. It implements
//! the same `Rule` trait as the built-in rules, so the engine cannot tell them apart.

use crate::template::Template;
use crate::types::TypeMaps;
use ripple_core::{ChangeKind, Confidence, Lang, OutputNames, Reason, RuleContext, Severity, SourceFile};
use std::path::PathBuf;
use std::sync::Arc;
use tree_sitter::Query;

mod parse;
mod run;

pub use parse::parse_rule;

const FIELDS: [&str; 7] = ["id", "language", "description", "confidence", "query", "where", "on"];
const BUILTIN_FILTERS: [&str; 2] = ["lower", "upper"];

/// What a `names:` predicate compares a capture with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    Table,
    Column,
}

/// How a capture's text becomes the column it names (rule files' `normalize`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Normalize {
    /// As written.
    AsWritten,
    /// The host's ORM naming of a field (`firstName` → `first_name`).
    SnakeCase,
    /// The column of a foreign-key field (Django's `author` → `author_id`).
    ForeignKey,
}

enum Test {
    /// The capture's text names the changed table or column.
    Names { what: Named, exact: bool, normalize: Normalize },
    /// The nearest call around the capture is to one of these methods.
    InsideCall(Vec<String>),
    /// The nearest annotation (decorator) around the capture is one of these.
    UnderAnnotation(Vec<String>),
    /// The nearest enclosing node of one of `kinds` binds the changed table.
    Enclosing { kinds: Vec<String>, binds: Binds },
    /// The capture's text equals the rendered template; false when it cannot render.
    Equals(Template),
    /// The capture's text differs from the rendered template; true when it cannot render.
    DiffersFrom(Template),
    /// No rule that ran before this one edited, reported or judged a span covering the
    /// capture: a heuristic rule that defers to a precise one.
    Unhandled,
    /// The expression (or the receivers of the calls around the capture) reads rows of
    /// the changed table, followed through receiver chains and single assignments.
    BoundTo(BoundTo),
}

impl Test {
    /// Can the test hold only where code spells a watched name or a host spelling of it (what
    /// the prefilter's matcher finds)? A Django model's table by its app is `<app>_<model>`,
    /// which only a rename's matcher spells.
    fn needs_a_name_in_code(&self) -> bool {
        match self {
            Test::Names { .. } | Test::BoundTo(_) => true,
            Test::Enclosing { binds: Binds::Mentions, .. } => true,
            Test::Enclosing { binds: Binds::Query { by_app, .. }, .. } => !by_app,
            _ => false,
        }
    }
}

struct BoundTo {
    query: Query,
    capture: u32,
    exact: bool,
    /// Look at the receivers of the calls around the capture, not the capture itself.
    from_call: bool,
    /// The source capture is SQL text that mentions the table (a heuristic: `likely`).
    mentions: bool,
    stops_at: Vec<String>,
}

enum Binds {
    /// A match of `query` inside the enclosing node whose `capture` names the table, or
    /// whose `class_capture` is a class whose name gives it (Flask-SQLAlchemy's default, or
    /// with `by_app` the app's: Django's).
    Query { query: Query, capture: u32, class_capture: Option<u32>, by_app: bool, exact: bool, nested: bool },
    /// A string literal inside the enclosing node mentions the table's name: a heuristic,
    /// so a match through it is at most `likely`.
    Mentions,
}

/// Where a rewrite's text goes: in place of the capture, or next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Insert {
    Replace,
    Before,
    After,
    /// Before the capture, on a line of its own with the capture's indentation, unless the
    /// capture shares its line with other code or its annotations stand on its own line.
    LineBefore,
}

struct Predicate {
    capture: u32,
    test: Test,
}

struct Rewrite {
    capture: u32,
    template: Template,
    /// Insert the rendered text before the capture instead of replacing it.
    insert: Insert,
}

struct FindingSpec {
    capture: u32,
    severity: Severity,
    reason: Reason,
    message: Template,
}

struct Action {
    kind: ChangeKind,
    /// Predicates for this change kind only, after the rule's own.
    predicates: Vec<Predicate>,
    output_names: Option<OutputNames>,
    rewrite: Option<Rewrite>,
    finding: Option<FindingSpec>,
}

/// Where a rule file came from: embedded in the binary, or a file on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleOrigin {
    /// Path relative to the `rules/` tree.
    Builtin(String),
    /// A rule file of a `--rules` directory.
    File(PathBuf),
}

/// A compiled rule file.
pub struct DeclarativeRule {
    /// `language/name`.
    pub id: String,
    /// The language of its query.
    pub lang: Lang,
    /// The rule file's `description`.
    pub description: String,
    /// The confidence of its rewrites (`certain` or `likely`).
    pub confidence: Confidence,
    /// The tree-sitter query as written.
    pub query_text: String,
    /// Where the rule file came from.
    pub origin: RuleOrigin,
    query: Query,
    predicates: Vec<Predicate>,
    actions: Vec<Action>,
    types: Arc<TypeMaps>,
}

impl DeclarativeRule {
    /// Where matches can be: when the rule requires a capture to spell a changed name, only
    /// around the mentions of watched names (so most of a file's tree is never visited);
    /// otherwise the whole file.
    fn search_ranges(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>) -> Vec<std::ops::Range<usize>> {
        let spells_a_name = self
            .predicates
            .iter()
            .any(|p| matches!(p.test, Test::Names { normalize: Normalize::AsWritten, .. }));
        if !spells_a_name {
            return std::iter::once(0..file.text.len()).collect();
        }
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        // Each range is a walk from the root: mentions close together share one.
        const GAP: usize = 512;
        for m in file.mentions(ctx.names) {
            match ranges.last_mut() {
                Some(last) if m.start <= last.end + GAP => last.end = last.end.max(m.end),
                _ => ranges.push(m.start..m.end),
            }
        }
        ranges
    }

    /// The change kinds this rule serves, in file order.
    pub fn serves(&self) -> Vec<ChangeKind> {
        self.actions.iter().map(|a| a.kind).collect()
    }

    /// The rule file's path as shown to users.
    pub fn display_path(&self) -> String {
        match &self.origin {
            RuleOrigin::Builtin(rel) => format!("rules/{rel} (built-in)"),
            RuleOrigin::File(p) => p.display().to_string(),
        }
    }
}
