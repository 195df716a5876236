//! File names in patches as `git apply` reads them: relative to the current directory,
//! `/` between components, and quoted the way git quotes them when a name holds a quote, a
//! backslash, a control character or a byte outside ASCII (non-UTF-8 names keep their
//! bytes, as octal escapes).

use ripple::core::diff::{path_bytes, quote_c_style as quote};
use std::path::Path;

/// `prefix` (`a/` or `b/`) and `path` as a patch header names them.
pub fn patch_name(prefix: &str, path: &Path, cwd: Option<&Path>) -> String {
    let mut name = prefix.as_bytes().to_vec();
    name.extend(relative_bytes(path, cwd));
    quote(&name)
}

/// The path's bytes, relative to `cwd` when it is absolute, `.` components left out.
fn relative_bytes(path: &Path, cwd: Option<&Path>) -> Vec<u8> {
    match cwd {
        Some(cwd) if path.is_absolute() => path_bytes(&relative_to(path, cwd)),
        _ => path_bytes(path),
    }
}

/// `path` from `cwd`, through `..` where they part.
fn relative_to(path: &Path, cwd: &Path) -> std::path::PathBuf {
    let (p, c): (Vec<_>, Vec<_>) = (path.components().collect(), cwd.components().collect());
    let common = p.iter().zip(&c).take_while(|(a, b)| a == b).count();
    let mut out = std::path::PathBuf::new();
    for _ in common..c.len() {
        out.push("..");
    }
    for part in &p[common..] {
        out.push(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn plain_names_are_not_quoted() {
        assert_eq!(patch_name("a/", Path::new("./t/my file.sql"), None), "a/t/my file.sql");
    }

    #[test]
    fn odd_bytes_are_quoted_as_git_does() {
        assert_eq!(patch_name("b/", Path::new("t/a\tb\"c\\d.sql"), None), "\"b/t/a\\tb\\\"c\\\\d.sql\"");
        assert_eq!(patch_name("a/", Path::new("t/é.sql"), None), "\"a/t/\\303\\251.sql\"");
    }

    #[test]
    fn absolute_paths_are_made_relative_to_the_current_directory() {
        let cwd = Path::new("/work/repo");
        assert_eq!(patch_name("a/", Path::new("/work/repo/t/x.sql"), Some(cwd)), "a/t/x.sql");
        assert_eq!(patch_name("a/", Path::new("/work/other/x.sql"), Some(cwd)), "a/../other/x.sql");
    }
}
