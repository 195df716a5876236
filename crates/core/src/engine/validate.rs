//! Stage 6, merge and validate: the edits of every rule of a file are merged (conflicts
//! become findings), and withdrawn together if the rewritten file would parse worse.

use crate::edit::{Edit, Finding, RuleOutput, Severity};
use crate::ids;
use crate::lang::{csv_rewrite_error, syntax_error_count, xml_rewrite_error, yaml_rewrite_error, Lang};
use crate::merge::{apply_edits, merge_edits};

/// What the rules of a file settled on.
pub(super) struct Settled {
    /// The edits to make: sorted, disjoint, and leaving the file no worse parsed than before.
    pub edits: Vec<Edit>,
    /// Every finding, conflicts and withdrawals included.
    pub findings: Vec<Finding>,
}

/// Merges and validates the output of a file's rules.
pub(super) fn settle(lang: Lang, text: &str, tree: Option<&tree_sitter::Tree>, out: RuleOutput) -> Settled {
    let (edits, mut findings) = merge_edits(out.edits);
    findings.extend(out.findings);
    let edits = validate(lang, text, tree, edits, &mut findings);
    Settled { edits, findings }
}

/// The validator: a rewritten file must parse with no more syntax errors than before.
/// Otherwise every edit of the file is withdrawn and a finding says why.
/// `tree` is the original's tree when it was parsed already; without it, the original is
/// parsed only if the rewrite has syntax errors to compare with.
pub fn validate(
    lang: Lang,
    text: &str,
    tree: Option<&tree_sitter::Tree>,
    edits: Vec<Edit>,
    findings: &mut Vec<Finding>,
) -> Vec<Edit> {
    if edits.is_empty() {
        return edits;
    }
    let new_text = apply_edits(text, &edits);
    let why = if lang.grammar().is_none() {
        // No grammar to count errors with (YAML, XML, CSV): the rewrite must load and keep its
        // shape.
        let error = match lang {
            Lang::MyBatis => xml_rewrite_error(text, &new_text),
            Lang::Csv => csv_rewrite_error(text, &new_text),
            _ => yaml_rewrite_error(text, &new_text),
        };
        match error {
            None => return edits,
            Some(why) => why,
        }
    } else {
        let after = syntax_error_count(&lang.parse(&new_text));
        if after == 0 {
            return edits;
        }
        let before = match tree {
            Some(t) => syntax_error_count(t),
            None => syntax_error_count(&lang.parse(text)),
        };
        if after <= before {
            return edits;
        }
        format!("the rewritten file would have {after} syntax errors instead of {before}")
    };
    for e in &edits {
        findings.push(Finding {
            start: e.start,
            end: e.end,
            rule: ids::INVALID_REWRITE.id.into(),
            change: Some(e.change),
            severity: Severity::Review,
            message: format!(
                "edit withdrawn: {} wanted {:?} here, but {why}; all edits of this file were withdrawn",
                e.rule, e.replacement
            ),
            reason: Some(ids::INVALID_REWRITE.reason),
        });
    }
    Vec::new()
}
