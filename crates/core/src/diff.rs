//! Unified diffs of planned edits.

use similar::TextDiff;

/// A unified diff between two versions of a file, with `a/` and `b/` headers that
/// `git apply` accepts.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::new();
    out.push_str(&format!("--- a/{path}\n+++ b/{path}\n"));
    for hunk in diff.unified_diff().context_radius(3).missing_newline_hint(true).iter_hunks() {
        out.push_str(&hunk.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unified_diff;

    #[test]
    fn headers_and_hunk() {
        let d = unified_diff("m/x.sql", "select a\nfrom t\n", "select b\nfrom t\n");
        assert_eq!(d, "--- a/m/x.sql\n+++ b/m/x.sql\n@@ -1,2 +1,2 @@\n-select a\n+select b\n from t\n");
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let d = unified_diff("x.sql", "a", "b");
        assert!(d.contains("\\ No newline at end of file"), "{d}");
    }
}
