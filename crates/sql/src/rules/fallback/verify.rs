//! Rewrites of a statement modelled from sqlparser are checked on the statement itself:
//! the edited statement must parse again in the same dialect, and must not give
//! tree-sitter more errors than before. The file-level validator counts tree-sitter
//! errors over the whole file, and a statement tree-sitter already misreads could tip
//! it into withdrawing every edit of the file; withdrawing here keeps it to the statement.

use super::super::analysis::{Sink, OWNERS};
use super::dialect::sqlparser_dialect;
use ripple_core::lang::syntax_error_count;
use ripple_core::{Dialect, Edit, Lang, Severity};

/// Checks the edits made since `marks` (per-owner edit counts) inside `span`.
pub fn check(sink: &mut Sink<'_>, span: (usize, usize), dialect: Dialect, marks: [usize; OWNERS]) {
    let mut edits: Vec<&Edit> = Vec::new();
    for (out, &m) in sink.outputs.iter().zip(&marks) {
        edits.extend(out.edits.get(m..).unwrap_or(&[]));
    }
    if edits.is_empty() {
        return;
    }
    edits.sort_by_key(|e| (e.start, e.end));
    if edits.windows(2).any(|w| w[0].end > w[1].start) {
        // Overlaps are the merge stage's to report.
        return;
    }
    let why = match (apply(sink.masked.text.as_str(), span, &edits), apply(sink.original, span, &edits)) {
        (Some(masked_after), Some(after)) => {
            let parses = super::parse_one(sqlparser_dialect(dialect).as_ref(), &masked_after).is_ok();
            let before = sink.original.get(span.0..span.1).unwrap_or("");
            let errors = |t: &str| syntax_error_count(&Lang::Sql.parse(t));
            if !parses {
                Some("the rewritten statement would not parse again")
            } else if errors(&after) > errors(before) {
                Some("tree-sitter cannot read this statement and the rewrite would add to its syntax errors")
            } else {
                None
            }
        }
        _ => Some("the rewrite could not be checked"),
    };
    let Some(why) = why else { return };
    for (out, &m) in sink.outputs.iter_mut().zip(&marks) {
        let withdrawn: Vec<Edit> = out.edits.drain(m.min(out.edits.len())..).collect();
        for e in withdrawn {
            let msg = format!("would rewrite this to {:?}, but {why}; not rewritten", e.replacement);
            out.finding((e.start, e.end), &e.rule, Some(e.change), Severity::Review, msg);
        }
    }
}

/// The statement's text at `span` with `edits` (sorted, disjoint, inside it) applied.
fn apply(text: &str, span: (usize, usize), edits: &[&Edit]) -> Option<String> {
    let mut out = String::new();
    let mut at = span.0;
    for e in edits {
        if e.start < at || e.end > span.1 {
            return None;
        }
        out.push_str(text.get(at..e.start)?);
        out.push_str(&e.replacement);
        at = e.end;
    }
    out.push_str(text.get(at..span.1)?);
    Some(out)
}
