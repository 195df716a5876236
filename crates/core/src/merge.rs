//! Merging the edits of every rule for one file: identical edits collapse, overlapping
//! different edits are a conflict that is reported, never resolved by a guess.

use crate::edit::{Edit, Finding, Severity};

/// Returns the edits to keep (sorted, disjoint) and a finding per conflict.
pub fn merge_edits(mut edits: Vec<Edit>) -> (Vec<Edit>, Vec<Finding>) {
    edits.sort_by(|a, b| (a.start, a.end, &a.replacement).cmp(&(b.start, b.end, &b.replacement)));
    edits.dedup_by(|later, first| {
        later.start == first.start && later.end == first.end && later.replacement == first.replacement
    });

    let mut kept = Vec::new();
    let mut findings = Vec::new();
    let mut i = 0;
    while i < edits.len() {
        // Grow a cluster of edits that overlap one another, transitively.
        let mut j = i + 1;
        let mut cluster_end = edits[i].end;
        while j < edits.len() && edits[i..j].iter().any(|e| e.overlaps(&edits[j])) {
            cluster_end = cluster_end.max(edits[j].end);
            j += 1;
        }
        if j - i == 1 {
            kept.push(edits[i].clone());
        } else {
            let cluster = &edits[i..j];
            let alternatives: Vec<String> =
                cluster.iter().map(|e| format!("{} wants {:?}", e.rule, e.replacement)).collect();
            findings.push(Finding {
                start: cluster[0].start,
                end: cluster_end,
                rule: crate::ids::EDIT_CONFLICT.id.into(),
                change: Some(cluster[0].change),
                severity: Severity::Review,
                message: format!(
                    "conflicting edits of the same code, none applied: {}",
                    alternatives.join("; ")
                ),
                reason: Some(crate::ids::EDIT_CONFLICT.reason),
            });
        }
        i = j;
    }
    (kept, findings)
}

/// Applies sorted, disjoint edits to `text`.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for e in edits {
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.replacement);
        pos = e.end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Confidence;

    fn edit(start: usize, end: usize, to: &str, rule: &str) -> Edit {
        Edit {
            start,
            end,
            replacement: to.into(),
            rule: rule.into(),
            change: 0,
            confidence: Confidence::Certain,
        }
    }

    #[test]
    fn identical_edits_collapse() {
        let (kept, findings) = merge_edits(vec![edit(0, 3, "x", "a"), edit(0, 3, "x", "b")]);
        assert_eq!(kept.len(), 1);
        assert!(findings.is_empty());
    }

    #[test]
    fn overlapping_different_edits_conflict() {
        let (kept, findings) =
            merge_edits(vec![edit(0, 5, "x", "a"), edit(3, 8, "y", "b"), edit(10, 12, "z", "c")]);
        assert_eq!(kept, vec![edit(10, 12, "z", "c")]);
        assert_eq!(findings.len(), 1);
        assert_eq!((findings[0].start, findings[0].end), (0, 8));
        assert!(findings[0].message.contains("a wants \"x\""), "{}", findings[0].message);
        assert!(findings[0].message.contains("b wants \"y\""), "{}", findings[0].message);
    }

    #[test]
    fn same_span_different_text_conflicts() {
        let (kept, findings) = merge_edits(vec![edit(2, 4, "x", "a"), edit(2, 4, "y", "b")]);
        assert!(kept.is_empty());
        assert_eq!(findings.len(), 1);
    }

    #[test]
    fn two_insertions_at_one_point_conflict_but_adjacent_edits_do_not() {
        let (kept, findings) = merge_edits(vec![edit(4, 4, "x", "a"), edit(4, 4, "y", "b")]);
        assert!(kept.is_empty());
        assert_eq!(findings.len(), 1);
        let (kept, findings) = merge_edits(vec![edit(0, 4, "x", "a"), edit(4, 6, "y", "b")]);
        assert_eq!(kept.len(), 2);
        assert!(findings.is_empty());
    }

    #[test]
    fn apply_in_order() {
        let text = "select user_name from users";
        let edits = vec![edit(7, 16, "username", "a"), edit(22, 27, "customers", "b")];
        assert_eq!(apply_edits(text, &edits), "select username from customers");
    }
}
