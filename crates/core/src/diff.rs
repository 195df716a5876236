//! Unified diffs of planned edits.

use similar::{ChangeTag, TextDiff};

/// A unified diff between two versions of a file, with `a/` and `b/` headers that
/// `git apply` accepts. Lines end at `\n` only, as git reads them: a bare `\r` stays inside
/// its line.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let diff = TextDiff::configure().diff_slices(&old_lines, &new_lines);
    let mut out = String::new();
    out.push_str(&format!("--- a/{path}\n+++ b/{path}\n"));
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&format!("{}\n", hunk.header()));
        for change in hunk.iter_changes() {
            out.push(match change.tag() {
                ChangeTag::Equal => ' ',
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
            });
            let line = change.value();
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
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
        assert_eq!(d, "--- a/x.sql\n+++ b/x.sql\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n");
    }

    #[test]
    fn a_bare_cr_stays_inside_its_line() {
        let d = unified_diff("x.sql", "select a\rfrom t\n", "select b\rfrom t\n");
        assert_eq!(d, "--- a/x.sql\n+++ b/x.sql\n@@ -1 +1 @@\n-select a\rfrom t\n+select b\rfrom t\n");
    }
}
