//! A set of files held in memory (path → text), which a plan reads instead of the disk: an
//! editor's unsaved buffers, an agent's working copy, a test's tree. The plan's edits are
//! applied back into the set, never to disk.

use crate::apply::{ApplyError, ApplyReport};
use crate::discover::{Discovery, SourcePath};
use crate::error::InputError;
use crate::lang::Lang;
use crate::plan::Plan;
use crate::source::FileStat;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Files by path, each with its whole text (a byte-order mark, if any, included).
///
/// Given as [`Request::files`](crate::Request::files), the plan scans the set's files
/// under the request's roots (a root is a file of the set or a folder that holds some; `.`
/// or no root at all is the whole set) and reads nothing from disk. [`MemoryFiles::apply`]
/// writes a plan's edits into the set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryFiles {
    files: BTreeMap<PathBuf, String>,
}

impl MemoryFiles {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Puts `text` at `path` (`./a.sql` is `a.sql`), returning the text it replaces.
    pub fn insert(&mut self, path: impl AsRef<Path>, text: impl Into<String>) -> Option<String> {
        self.files.insert(plain(path.as_ref()), text.into())
    }

    /// The text at `path`.
    pub fn get(&self, path: impl AsRef<Path>) -> Option<&str> {
        self.files.get(&plain(path.as_ref())).map(String::as_str)
    }

    /// Every file, by path.
    pub fn iter(&self) -> impl Iterator<Item = (&Path, &str)> {
        self.files.iter().map(|(p, t)| (p.as_path(), t.as_str()))
    }

    /// Writes each file of `plan` into the set: its edits spliced into the text the set
    /// holds, which must be the text the plan was made from (else the file is refused and
    /// the others are still written).
    pub fn apply(&mut self, plan: &Plan) -> ApplyReport {
        let mut report = ApplyReport::default();
        for file in &plan.files {
            let refused = |message: &str| ApplyError {
                path: file.path.clone(),
                message: message.into(),
                refused: true,
            };
            let Some(text) = self.files.get_mut(&plain(&file.path)) else {
                report.failed.push(refused("not in the file set; not written"));
                continue;
            };
            match crate::apply::spliced(file, text.as_bytes()).map(String::from_utf8) {
                Ok(Ok(rewritten)) => {
                    *text = rewritten;
                    report.written.push(file.path.clone());
                }
                // An edit's bytes are whole characters of UTF-8 text, so it stays text.
                Ok(Err(_)) => report.failed.push(refused("the edits do not leave UTF-8 text; not written")),
                Err(e) => report.failed.push(ApplyError { path: file.path.clone(), ..e }),
            }
        }
        report
    }

    /// The files of a known language under `roots`, as [`crate::discover::discover`] finds
    /// them on disk: each root's files once, sorted; a root the set does not hold is bad input.
    pub(crate) fn discover(&self, roots: &[PathBuf]) -> Result<Discovery, InputError> {
        let whole = [PathBuf::from(".")];
        let roots = if roots.is_empty() { &whole[..] } else { roots };
        let mut found = Discovery::default();
        for root in roots {
            let root_plain = plain(root);
            let under: Vec<(&PathBuf, PathBuf)> = self
                .files
                .keys()
                .filter_map(|path| match path.strip_prefix(&root_plain) {
                    Ok(rest) if rest.as_os_str().is_empty() => Some((path, path.file_name()?.into())),
                    Ok(rest) => Some((path, rest.to_path_buf())),
                    Err(_) => None,
                })
                .collect();
            if under.is_empty() {
                return Err(InputError::file(root, "no such file or folder in the file set"));
            }
            for (path, relative) in under {
                if let Some(lang) = Lang::of_path(path) {
                    found.files.push(SourcePath { path: path.clone(), relative, lang });
                }
            }
        }
        found.files.sort_by(|a, b| a.path.cmp(&b.path));
        found.files.dedup_by(|a, b| a.path == b.path);
        Ok(found)
    }

    /// A file's bytes and stat, as the read stage reads a file on disk.
    pub(crate) fn read(&self, path: &Path) -> std::io::Result<(Vec<u8>, FileStat)> {
        let text = self.files.get(&plain(path)).ok_or(std::io::ErrorKind::NotFound)?;
        Ok((text.clone().into_bytes(), FileStat { len: text.len() as u64 }))
    }
}

impl<P: AsRef<Path>, T: Into<String>> FromIterator<(P, T)> for MemoryFiles {
    fn from_iter<I: IntoIterator<Item = (P, T)>>(files: I) -> Self {
        let mut set = MemoryFiles::new();
        for (path, text) in files {
            set.insert(path, text);
        }
        set
    }
}

/// A path without `.` components, as plans name files (`./a.sql` is `a.sql`; `.` is empty).
fn plain(path: &Path) -> PathBuf {
    path.components().filter(|c| !matches!(c, Component::CurDir)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> MemoryFiles {
        [("./repo/a.sql", "select 1"), ("repo/sub/b.py", "x = 1"), ("notes.txt", "user_name"), ("c.sql", "")]
            .into_iter()
            .collect()
    }

    fn paths(d: &Discovery) -> Vec<(String, String)> {
        d.files.iter().map(|f| (f.path.display().to_string(), f.relative.display().to_string())).collect()
    }

    #[test]
    fn roots_select_files_and_folders_of_the_set() {
        let whole = set().discover(&[]).unwrap();
        assert_eq!(
            paths(&whole),
            [("c.sql", "c.sql"), ("repo/a.sql", "repo/a.sql"), ("repo/sub/b.py", "repo/sub/b.py")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        let repo = set().discover(&["./repo".into(), "repo/a.sql".into()]).unwrap();
        assert_eq!(
            paths(&repo),
            [("repo/a.sql", "a.sql"), ("repo/sub/b.py", "sub/b.py")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        let missing = set().discover(&["rep".into()]).unwrap_err();
        assert_eq!(missing.to_string(), "rep: no such file or folder in the file set");
    }

    #[test]
    fn reads_come_from_the_set() {
        assert_eq!(set().read(Path::new("./repo/a.sql")).unwrap().0, b"select 1");
        assert_eq!(set().read(Path::new("d.sql")).unwrap_err().kind(), std::io::ErrorKind::NotFound);
        assert_eq!(set().get("repo/sub/b.py"), Some("x = 1"));
    }
}
