//! Rewrites of a statement modelled from sqlparser are checked on the statement itself:
//! the edited statement must parse again in the same dialect, and must not give
//! tree-sitter more errors than before. The file-level validator counts tree-sitter
//! errors over the whole file, and a statement tree-sitter already misreads could tip
//! it into withdrawing every edit of the file; withdrawing here keeps it to the statement.

use super::super::output::{Mark, Output};
use crate::dialect::sqlparser_dialect;
use ripple_core::lang::syntax_error_count;
use ripple_core::{Dialect, Edit, Lang};

/// Checks the edits made since `mark` inside `span`.
pub(crate) fn check(out: &mut Output<'_>, span: (usize, usize), dialect: Dialect, mark: Mark) {
    let mut edits: Vec<(&Edit, _)> = out.edits_since(mark).collect();
    if edits.is_empty() {
        return;
    }
    // Part by part, as the output lists them.
    edits.sort_by_key(|(e, owner)| (e.start, e.end, *owner));
    let edits: Vec<&Edit> = edits.into_iter().map(|(e, _)| e).collect();
    if edits.windows(2).any(|w| w[0].end > w[1].start) {
        // Overlaps are the merge stage's to report.
        return;
    }
    let source = out.source;
    let why = match (apply(&source.masked.text, span, &edits), apply(&source.original, span, &edits)) {
        (Some(masked_after), Some(after)) => {
            let parses = super::parse_one(sqlparser_dialect(dialect).as_ref(), &masked_after).is_ok();
            let before = source.text(span);
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
    out.withdraw_since(mark, |e| {
        format!("would rewrite this to {:?}, but {why}; not rewritten", e.replacement)
    });
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
