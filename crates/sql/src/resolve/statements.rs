//! Statements, isolated: the file is split into statements by the lexer and each one that
//! mentions a watched name is parsed on its own (tree-sitter included ranges keep file
//! offsets), so an error in one statement never hides or distorts another.

use super::fallback;
use super::names::NamePart;
use super::scope::{self, Model};
use crate::source::jinja::{BlockKind, Masked};
use crate::source::jinja_flow::{self, Flow, Variant};
use crate::source::lex::Lexed;
use crate::source::SqlSource;
use ripple_core::prefilter::{is_word_byte, Mention, NameMatcher};
use ripple_core::ChangeSet;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use tree_sitter::{Node, Parser, Point, Range};

/// What became of a statement.
#[derive(Clone)]
pub enum Parsed {
    /// Tree-sitter found an error (or more than one statement) here.
    Unparsed,
    Model(Arc<Model>),
}

/// A statement that mentions a watched name, parsed and modelled on its own.
#[derive(Clone)]
pub struct Unit {
    /// Its bytes, the terminating `;` included.
    pub span: (usize, usize),
    /// Mentions of watched names in code (not in comments or string literals).
    pub mentions: Vec<Mention>,
    pub parsed: Parsed,
    /// Identifiers naming a watched name that the model did not account for.
    pub unclaimed: Vec<NamePart>,
    /// Why neither parser modelled the statement, when it stays unparsed.
    pub refusal: Option<fallback::Refusal>,
    /// The dialect sqlparser modelled the statement in, when tree-sitter could not.
    pub fallback: Option<ripple_core::Dialect>,
    /// The statement read once per way through its Jinja control flow.
    pub branches: Branches,
}

/// A statement's readings per way through its Jinja `if`s and `for`s.
#[derive(Clone)]
pub enum Branches {
    /// No control flow: the statement is read as masked.
    None,
    /// One unit per way through it (its mentions those the way renders).
    Each(Vec<(Variant, Unit)>),
    /// More ways through it than ripple analyses (the count).
    TooMany(usize),
}

/// What tree-sitter made of each statement of a source (by its index), kept so that
/// modelling the source again for other names parses no statement twice.
#[derive(Default)]
pub(crate) struct Trees {
    whole: Vec<Option<TreeResult>>,
    /// By statement index and variant index.
    variants: HashMap<(usize, usize), TreeResult>,
}

type TreeResult = Result<Option<TreeModel>, fallback::Refusal>;

/// A statement tree-sitter modelled.
struct TreeModel {
    model: Arc<Model>,
    /// Its identifiers and double-quoted literals, sorted: the candidates for names the
    /// model leaves unclaimed.
    names: Vec<NamePart>,
}

impl TreeModel {
    /// The names `names` watches that the model did not account for.
    fn unclaimed(&self, names: &NameMatcher) -> Vec<NamePart> {
        self.names
            .iter()
            .filter(|p| names.is_watched(&p.value) && !self.model.is_claimed(p.span))
            .cloned()
            .collect()
    }
}

/// The statements of the source that mention a name `names` watches in code; `changes`
/// tell the sqlparser fallback which rewrites its model must allow. `trees` keeps what
/// tree-sitter made of the statements across calls on the same source.
pub(crate) fn units(
    source: &SqlSource,
    names: &NameMatcher,
    changes: &ChangeSet,
    trees: &mut Trees,
) -> Vec<Unit> {
    let (masked, lexed, original) = (&source.masked, &source.lexed, source.original.as_str());
    trees.whole.resize_with(lexed.statements.len(), || None);
    let fallback = &fallback::FileContext::new(masked, source.fallback_dialects(), changes);
    // Case folding is a fact of the dialect given, never of a guess from the syntax.
    let folds_upper = source.given == ripple_core::Dialect::Snowflake;
    let mentions: Vec<Mention> =
        names.mentions(original).into_iter().filter(|m| !lexed.is_data(m.start, m.end)).collect();
    let mut out = Vec::new();
    let mut mi = 0;
    let lines = LineStarts::new(&masked.text);
    for (i, &(start, end)) in lexed.statements.iter().enumerate() {
        while mi < mentions.len() && mentions[mi].start < start {
            mi += 1;
        }
        let first = mi;
        while mi < mentions.len() && mentions[mi].end <= end {
            mi += 1;
        }
        let own = match first == mi {
            true => wildcard_mentions(masked, lexed, (start, end), changes),
            false => mentions[first..mi].to_vec(),
        };
        if own.is_empty() {
            continue;
        }
        let mut unit = Unit::new((start, end), own);
        let tree = trees.whole[i].get_or_insert_with(|| tree_model(&masked.text, &lines, masked, unit.span));
        model_unit(&mut unit, tree, names, fallback, folds_upper);
        unit.branches = match jinja_flow::flow(original, masked, unit.span) {
            Flow::Plain => Branches::None,
            Flow::TooMany(n) => Branches::TooMany(n),
            Flow::Variants(variants) => {
                let mut each = Vec::new();
                // A way that renders `{{ exceptions.raise_compiler_error(...) }}` renders no SQL.
                let raises = |v: &Variant| {
                    masked.blocks.iter().any(|b| {
                        b.kind == BlockKind::Expression
                            && unit.span.0 <= b.start
                            && b.end <= unit.span.1
                            && v.is_live(b.start, b.end)
                            && original.get(b.start + 2..b.end - 2).is_some_and(|t| {
                                t.trim_start_matches(|c: char| c == '-' || c.is_whitespace())
                                    .starts_with("exceptions.raise_compiler_error")
                            })
                    })
                };
                for (v, variant) in variants.into_iter().enumerate().filter(|(_, v)| !raises(v)) {
                    let live = unit.mentions.iter().filter(|m| variant.is_live(m.start, m.end)).cloned();
                    let mut branch = Unit::new(unit.span, live.collect());
                    if !branch.mentions.is_empty() {
                        let vmasked = variant.mask(masked);
                        let tree = trees
                            .variants
                            .entry((i, v))
                            .or_insert_with(|| tree_model(&vmasked.text, &lines, &vmasked, unit.span));
                        let fc = fallback::FileContext { masked: &vmasked, ..fallback.clone() };
                        model_unit(&mut branch, tree, names, &fc, folds_upper);
                    }
                    each.push((variant, branch));
                }
                Branches::Each(each)
            }
        };
        out.push(unit);
    }
    out
}

/// The prefixes of BigQuery wildcard tables (`events_*`) in a statement that mentions no
/// watched name, where one covers a renamed table: the query may read it.
fn wildcard_mentions(
    masked: &Masked,
    lexed: &Lexed,
    span: (usize, usize),
    changes: &ChangeSet,
) -> Vec<Mention> {
    let renamed: Vec<String> = changes
        .iter()
        .filter_map(|(_, c)| match c {
            ripple_core::Change::RenameTable { from, .. } => Some(from.name().value.to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    let b = masked.text.as_bytes();
    let mut out = Vec::new();
    if renamed.is_empty() {
        return out;
    }
    for star in (span.0..span.1.min(b.len())).filter(|&i| b[i] == b'*') {
        let start = (span.0..star).rev().take_while(|&i| is_word_byte(b[i])).last().unwrap_or(star);
        let prefix = masked.text[start..star].to_ascii_lowercase();
        // A table name's place: after `.`, a backtick or FROM/JOIN, and the name ends there.
        let before = masked.text[span.0..start].trim_end().to_ascii_lowercase();
        let table_place =
            before.ends_with(['.', '`']) || before.ends_with("from") || before.ends_with("join");
        let ends =
            b.get(star + 1).is_none_or(|c| matches!(c, b'`' | b';' | b')' | b',') || c.is_ascii_whitespace());
        if start < star
            && table_place
            && ends
            && !lexed.is_data(start, star)
            && renamed.iter().any(|n| n.starts_with(&prefix) && n.len() > prefix.len())
        {
            out.push(Mention { start, end: star, name: 0 });
        }
    }
    out
}

impl Unit {
    fn new(span: (usize, usize), mentions: Vec<Mention>) -> Self {
        Unit {
            span,
            mentions,
            parsed: Parsed::Unparsed,
            unclaimed: Vec::new(),
            refusal: None,
            fallback: None,
            branches: Branches::None,
        }
    }
}

/// Models `unit` from what tree-sitter made of it, or else with sqlparser.
/// With `folds_upper` (Snowflake given) quoted names are case-exact.
fn model_unit(
    unit: &mut Unit,
    tree: &TreeResult,
    names: &NameMatcher,
    fallback: &fallback::FileContext<'_>,
    folds_upper: bool,
) {
    model_unit_as_read(unit, tree, names, fallback);
    if folds_upper {
        if let Parsed::Model(m) = &mut unit.parsed {
            let mut folded = Model::clone(m);
            if folded.fold_quoted_upper() {
                *m = Arc::new(folded);
            }
        }
    }
}

fn model_unit_as_read(
    unit: &mut Unit,
    tree: &TreeResult,
    names: &NameMatcher,
    fallback: &fallback::FileContext<'_>,
) {
    match tree {
        Ok(Some(tree)) => {
            unit.unclaimed = tree.unclaimed(names);
            unit.parsed = Parsed::Model(tree.model.clone());
        }
        Ok(None) => {}
        Err(too_deep) => {
            // Neither parser's tree may be walked: sqlparser's would be as deep.
            unit.refusal = Some(too_deep.clone());
            return;
        }
    }
    let unsupported = match &unit.parsed {
        Parsed::Unparsed => true,
        Parsed::Model(m) => m.kind() == scope::StatementKind::Other,
    };
    if unsupported {
        // Tree-sitter failed or read a kind it does not model: sqlparser may still
        // model it (every mention claimed).
        match fallback::model(fallback, unit.span, &unit.mentions) {
            Ok((model, dialect)) => {
                unit.parsed = Parsed::Model(Arc::new(model));
                unit.unclaimed.clear();
                unit.fallback = Some(dialect);
            }
            Err(why) => unit.refusal = Some(why),
        }
    }
}

/// The deepest syntax tree the modellers walk. They recurse along the tree, so a statement
/// nested deeper (thousands of parentheses, a chain of thousands of `+` or `OR`) is refused
/// as a whole rather than risk the stack; real queries stay far below it.
pub(crate) const MAX_DEPTH: usize = 400;

/// The model tree-sitter builds of the statement at `span`, if it reads it cleanly; an error
/// if the statement nests deeper than [`MAX_DEPTH`].
fn tree_model(text: &str, lines: &LineStarts, masked: &Masked, span: (usize, usize)) -> TreeResult {
    let (start, end) = span;
    let range = Range {
        start_byte: start,
        end_byte: end,
        start_point: lines.point(start),
        end_point: lines.point(end),
    };
    let Some(tree) = parse_range(text, range) else { return Ok(None) };
    let root = tree.root_node();
    if depth_exceeds(root, MAX_DEPTH) {
        return Err(fallback::Refusal::TooDeep(MAX_DEPTH));
    }
    Ok(model_of(root, text, masked))
}

/// Does the tree under `root` nest deeper than `limit`? Walked with a cursor, so any depth
/// is measured without recursion.
fn depth_exceeds(root: Node<'_>, limit: usize) -> bool {
    let mut cursor = root.walk();
    let mut depth = 0usize;
    loop {
        if depth > limit {
            return true;
        }
        if cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return false;
            }
            depth -= 1;
        }
    }
}

fn model_of(root: Node<'_>, text: &str, masked: &Masked) -> Option<TreeModel> {
    if root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    let mut stmts = Vec::new();
    for c in root.named_children(&mut cursor) {
        match c.kind() {
            "statement" => stmts.push(c),
            "comment" | "marginalia" => {}
            _ => return None,
        }
    }
    let [stmt] = stmts[..] else { return None };
    if misread_keyword(stmt, text) {
        return None;
    }
    let model = Arc::new(scope::build(stmt, text, masked));
    Some(TreeModel { model, names: name_parts(stmt, text) })
}

/// Words that never name a column, table or function when unquoted: tree-sitter reading
/// one as an identifier (`DISTINCT ON (x)` as a call of `ON`, a keyword taken for an
/// alias) has misread the statement.
const RESERVED: &[&str] = &[
    "and",
    "as",
    "between",
    "by",
    "case",
    "create",
    "cross",
    "delete",
    "distinct",
    "drop",
    "else",
    "end",
    "except",
    "from",
    "group",
    "having",
    "inner",
    "insert",
    "intersect",
    "into",
    "is",
    "join",
    "lateral",
    "like",
    "limit",
    "natural",
    "not",
    "null",
    "offset",
    "on",
    "or",
    "order",
    "outer",
    "over",
    "returning",
    "select",
    "set",
    "then",
    "union",
    "update",
    "using",
    "values",
    "when",
    "where",
    "with",
];

fn misread_keyword(node: Node<'_>, text: &str) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier" {
            let t = text.get(n.byte_range()).unwrap_or("");
            if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(t)) {
                return true;
            }
            continue;
        }
        let mut c = n.walk();
        stack.extend(n.children(&mut c));
    }
    false
}

/// The identifiers and double-quoted literals under `node`, sorted.
fn name_parts(node: Node<'_>, text: &str) -> Vec<NamePart> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        let is_name = n.kind() == "identifier"
            || (n.kind() == "literal" && text.as_bytes().get(n.start_byte()) == Some(&b'"'));
        if is_name {
            let sp = (n.start_byte(), n.end_byte());
            out.push(NamePart::from_token(text.get(sp.0..sp.1).unwrap_or(""), sp));
            continue;
        }
        let mut c = n.walk();
        stack.extend(n.children(&mut c));
    }
    out.sort_by_key(|p| p.span);
    out
}

fn parse_range(text: &str, range: Range) -> Option<tree_sitter::Tree> {
    thread_local! {
        static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
    }
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&tree_sitter_sql::LANGUAGE.into()).ok()?;
            *slot = Some(p);
        }
        let parser = slot.as_mut()?;
        parser.set_included_ranges(&[range]).ok()?;
        let tree = parser.parse(text, None);
        // Leave the parser ready for whole-text use.
        let _ = parser.set_included_ranges(&[]);
        tree
    })
}

/// Byte offset to tree-sitter point (row, byte column).
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> Self {
        let mut v = vec![0];
        v.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        LineStarts(v)
    }

    fn point(&self, offset: usize) -> Point {
        let row = self.0.partition_point(|&s| s <= offset).saturating_sub(1);
        Point { row, column: offset - self.0[row] }
    }
}
