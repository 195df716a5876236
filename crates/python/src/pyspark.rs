//! SQL expressions in PySpark strings: `df.filter("age > 21")`, `where`,
//! `selectExpr("upper(user_name) AS name")`, and `F.expr("...")` inside a call on a frame,
//! when the frame reads one table (`spark.table` / `spark.read.table`, followed through
//! method chains and variables assigned once; a join or union stops the trail).
//!
//! The expression is carried through the SQL resolver inside a statement made up around
//! it (`SELECT 1 FROM t WHERE <expr>`, `SELECT <expr> FROM t`), so it binds exactly as a
//! query on that table would. By default a frame keeps its old column names
//! (`python/pyspark-frame-keeps-names` renames them back where the frame is read), so
//! renames leave expressions alone; with `--output-names propagate` a rename is not
//! aliased back: the frame's column strings down the chain follow it too
//! (`python/pyspark-column`), so the frame keeps one consistent set of names.

use crate::flow::{self, Source};
use crate::ids;
use crate::literal;
use ripple_core::ancestors::Ancestors;
use ripple_core::{Change, Dialect, Lang, OutputNames, Region, Rule, RuleContext, RuleOutput, SourceFile};
use std::collections::HashSet;
use std::sync::OnceLock;
use tree_sitter::{Node, Query};

/// Frame methods whose string arguments are SQL expressions, and the clause each is.
const EXPRESSION_METHODS: [(&str, Clause); 3] =
    [("filter", Clause::Where), ("where", Clause::Where), ("selectExpr", Clause::Select)];

/// Calls on a frame that mix tables: the frame after them is not one table's rows.
const MIXING: [&str; 6] = ["join", "crossJoin", "union", "unionAll", "unionByName", "merge"];

/// What a frame reads: `spark.table("t")` / `spark.read.table("t")`, and the calls that mix.
/// `introduces`: the changed columns' old and new names, which a call in the chain must
/// not define (see [`flow::Sources::introduces`]).
fn frame_sources(introduces: &[String]) -> flow::Sources<'_> {
    static STOPS: OnceLock<Vec<String>> = OnceLock::new();
    let query = sources_query();
    flow::Sources {
        query,
        capture: query.capture_index_for_name("t").expect("capture t"),
        stops_at: STOPS.get_or_init(|| MIXING.iter().map(|m| m.to_string()).collect()),
        introduces,
    }
}

/// Every changed column's name, and every renamed column's new name, in lower case.
fn column_names(ctx: &RuleContext<'_>) -> Vec<String> {
    let mut names = Vec::new();
    for (_, c) in ctx.changes.iter() {
        names.extend(c.column().map(|col| col.value.to_ascii_lowercase()));
        if let Change::RenameColumn { to, .. } = c {
            names.push(to.value.to_ascii_lowercase());
        }
    }
    names
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clause {
    Where,
    Select,
}

/// Where a frame's rows come from: `spark.table("t")`, `spark.read.table("t")`.
fn sources_query() -> &'static Query {
    static QUERY: OnceLock<Query> = OnceLock::new();
    QUERY.get_or_init(|| {
        let grammar = Lang::Python.grammar().expect("python grammar");
        Query::new(
            &grammar,
            r#"(call
                 function: (attribute attribute: (identifier) @m)
                 arguments: (argument_list . (string) @t)
                 (#eq? @m "table"))"#,
        )
        .expect("valid query")
    })
}

pub struct SqlExpressions;

impl Rule for SqlExpressions {
    fn id(&self) -> &str {
        ids::PYSPARK_SQL_EXPRESSION.id
    }

    fn language(&self) -> Lang {
        Lang::Python
    }

    /// An expression string names a changed column only where code spells it.
    fn reads_code_only(&self) -> bool {
        true
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        if ctx.changes.is_empty() {
            return;
        }
        let src = file.text;
        let root = file.tree().root_node();
        // Spark SQL, and names that follow the frame rather than keep its old output names.
        let dialect = match ctx.options.dialect {
            Dialect::Generic => Dialect::Spark,
            d => d,
        };
        let mut options = ctx.options.clone();
        (options.dialect, options.output_names) = (dialect, OutputNames::Propagate);
        let spark = RuleContext { options: &options, ..*ctx };
        let introduces = column_names(ctx);
        let mut done = HashSet::new();
        let mut ancestors = Ancestors::new(root);
        for m in file.mentions(ctx.names) {
            let Some((string, args, call)) = enclosing_string(ancestors.at(m.start)) else { continue };
            if !done.insert(string.id()) || out.accounts_for(string.start_byte(), string.end_byte()) {
                continue;
            }
            let Some((clause, frame)) = expression_site(args, call, src) else { continue };
            let Source::Found(table, None) = flow::source_of(frame, src, &frame_sources(&introduces)) else {
                continue;
            };
            if !crate::is_bare_name(table) {
                continue;
            }
            let Some(lit) = literal::read(string, src, false) else { continue };
            let (before, after) = match clause {
                Clause::Where => (format!("SELECT 1 FROM {table} WHERE "), String::new()),
                Clause::Select => ("SELECT ".to_string(), format!(" FROM {table}")),
            };
            let mut region = Region::new();
            region.push_synthetic(&before);
            region.append(&lit.region);
            region.push_synthetic(&after);
            let expression = before.len()..before.len() + lit.region.text().len();
            let mut analysed = ripple_sql::analyse_sql(file.path, region.text(), &spark);
            // What lands in the made-up statement around the expression (the table name) is
            // not in the file: `python/pyspark-table` judges the table where it is written.
            // Statement-level findings (offset 0) stay, placed on the string.
            let inside = |s: usize, e: usize| expression.start <= s && e <= expression.end;
            // By default the frame keeps its old column names (python/pyspark-frame-keeps-names
            // renames them back where it is read): its expressions stay as written.
            let follows = |change: Option<usize>| {
                ctx.options.output_names == OutputNames::Propagate
                    || !change.is_some_and(|i| matches!(ctx.changes.changes[i], Change::RenameColumn { .. }))
            };
            analysed.edits.retain(|e| inside(e.start, e.end) && follows(Some(e.change)));
            analysed.findings.retain(|f| (f.start == 0 || inside(f.start, f.end)) && follows(f.change));
            for e in &mut analysed.edits {
                e.rule = ids::PYSPARK_SQL_EXPRESSION.to_string();
            }
            let escape = |s: &str| lit.escape(s);
            out.extend(region.map_output(analysed, &escape, lit.span));
            // The resolver judged every name in this expression.
            out.seen.push(lit.span);
        }
    }
}

/// The string literal around a mention (`chain` the nodes down to it, outermost first), if
/// the mention is inside one, with its parent and grandparent.
fn enclosing_string<'a>(chain: &[Node<'a>]) -> Option<(Node<'a>, Node<'a>, Node<'a>)> {
    for (i, n) in chain.iter().enumerate().rev() {
        if n.kind() == "string" {
            return Some((*n, *chain.get(i.checked_sub(1)?)?, *chain.get(i.checked_sub(2)?)?));
        }
        if n.kind().ends_with("statement") || n.kind() == "module" {
            return None;
        }
    }
    None
}

/// The clause a string is an expression of, and the frame it applies to: a positional
/// argument (of `args` in `call`) of `frame.filter` / `where` / `selectExpr`, or the one
/// argument of `expr(...)` inside a call on the frame.
fn expression_site<'a>(args: Node<'a>, call: Node<'a>, src: &str) -> Option<(Clause, Node<'a>)> {
    let args = Some(args).filter(|p| p.kind() == "argument_list")?;
    let call = Some(call).filter(|c| c.kind() == "call")?;
    let function = call.child_by_field_name("function")?;
    let text = |n: Node<'_>| src.get(n.start_byte()..n.end_byte()).unwrap_or("");
    let method = match function.kind() {
        "attribute" => text(function.child_by_field_name("attribute")?),
        "identifier" => text(function),
        _ => return None,
    };
    if method == "expr" {
        if args.named_child_count() != 1 {
            return None;
        }
        // The frame is the nearest receiver around the call that holds rows (`F` does not).
        let frame = flow::enclosing_receivers(call).into_iter().find(|r| !is_module(*r, src))?;
        return Some((Clause::Select, frame));
    }
    let (_, clause) = EXPRESSION_METHODS.iter().find(|(m, _)| *m == method)?;
    if function.kind() != "attribute" {
        return None;
    }
    if *clause == Clause::Where && args.named_child_count() != 1 {
        return None;
    }
    Some((*clause, function.child_by_field_name("object")?))
}

/// Does `expr` name an imported module (`F`, `pyspark.sql.functions`)?
fn is_module(expr: Node<'_>, src: &str) -> bool {
    flow::source_of(expr, src, &frame_sources(&[])) == Source::Module
}
