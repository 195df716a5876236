//! Unified diffs of planned edits, and file names as git writes them in a patch.

use similar::{ChangeTag, TextDiff};
use std::path::{Component, Path};

/// A unified diff between two versions of a file, with `a/` and `b/` headers that
/// `git apply` accepts. Lines end at `\n` only, as git reads them: a bare `\r` stays inside
/// its line.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    unified_diff_of(path.as_bytes(), old, new)
}

/// [`unified_diff`] of a file named by its bytes (`/` between components), which the
/// headers quote as git does: a non-UTF-8 name keeps its bytes.
pub fn unified_diff_of(path: &[u8], old: &str, new: &str) -> String {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let diff = TextDiff::configure().diff_slices(&old_lines, &new_lines);
    let mut out = String::new();
    let name = |prefix: &[u8]| quote_c_style(&[prefix, path].concat());
    out.push_str(&format!("--- {}\n+++ {}\n", name(b"a/"), name(b"b/")));
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

/// The bytes of a relative path as a patch names it: `/` between components, `.` left out.
pub fn path_bytes(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for c in path.components() {
        let part = match c {
            Component::Normal(p) => p,
            Component::ParentDir => "..".as_ref(),
            _ => continue,
        };
        if !out.is_empty() {
            out.push(b'/');
        }
        out.extend(os_bytes(part));
    }
    out
}

#[cfg(unix)]
fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    std::os::unix::ffi::OsStrExt::as_bytes(s).to_vec()
}

#[cfg(not(unix))]
fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    s.to_string_lossy().into_owned().into_bytes()
}

/// git's `quote_c_style`: the name as is if it needs no quoting, else in double quotes with
/// C escapes and octal for other bytes.
pub fn quote_c_style(name: &[u8]) -> String {
    let needs = |b: u8| b == b'"' || b == b'\\' || !(0x20..0x7f).contains(&b);
    if !name.iter().any(|&b| needs(b)) {
        return String::from_utf8_lossy(name).into_owned();
    }
    let mut out = String::from("\"");
    for &b in name {
        match b {
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b if needs(b) => out.push_str(&format!("\\{b:03o}")),
            b => out.push(b as char),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::{unified_diff, unified_diff_of};

    #[test]
    fn odd_names_are_quoted_in_the_headers() {
        let d = unified_diff_of(b"t/caf\xe9 \"x\".sql", "a\n", "b\n");
        assert_eq!(
            d.lines().take(2).collect::<Vec<_>>(),
            ["--- \"a/t/caf\\351 \\\"x\\\".sql\"", "+++ \"b/t/caf\\351 \\\"x\\\".sql\""]
        );
    }

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
