//! Finding the files to scan under each PATH: .gitignore honoured, .git skipped,
//! symlinks never followed (so nothing outside a root is ever read or written), a root given
//! twice under two spellings walked once.

use crate::error::InputError;
use crate::lang::Lang;
use std::path::{Path, PathBuf};

/// A file to scan, and how to name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePath {
    /// The root (PATH argument) joined with `relative`, as reported.
    pub path: PathBuf,
    /// Relative to the root, for diff headers.
    pub relative: PathBuf,
    /// Its language, by extension.
    pub lang: Lang,
}

/// Something under a root that ripple saw and could not scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// As reported.
    pub path: PathBuf,
    /// Why not.
    pub reason: String,
}

/// What discovery found under the roots.
#[derive(Debug, Default)]
pub struct Discovery {
    /// The files to scan, sorted by path.
    pub files: Vec<SourcePath>,
    /// What could not be scanned, sorted by path.
    pub skipped: Vec<Skipped>,
}

fn display_path(path: &Path) -> PathBuf {
    path.strip_prefix("./").map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// Lists the source files of a known language under every root, sorted and deduplicated.
pub fn discover(roots: &[PathBuf]) -> Result<Discovery, InputError> {
    let mut found = Discovery::default();
    // The same tree given twice (`t`, `$PWD/t`) is walked once, under its first spelling.
    let mut seen_roots = std::collections::HashSet::new();
    for root in roots {
        let meta = std::fs::symlink_metadata(root)
            .map_err(|e| InputError::file(root, format!("cannot read path: {e}")))?;
        // A link is reported, not resolved, so it never hides the tree it points to.
        if !meta.file_type().is_symlink()
            && !seen_roots.insert(std::fs::canonicalize(root).unwrap_or_else(|_| root.clone()))
        {
            continue;
        }
        if meta.is_file() {
            if let Some(lang) = Lang::of_path(root) {
                let relative = root.file_name().map(PathBuf::from).unwrap_or_else(|| root.clone());
                found.files.push(SourcePath { path: display_path(root), relative, lang });
            }
            continue;
        }
        if meta.file_type().is_symlink() {
            found.skipped.push(Skipped {
                path: display_path(root),
                reason: "is a symbolic link; ripple never follows links".into(),
            });
            continue;
        }
        // Walk on every core: in a large tree the walk itself is a visible share of a run.
        let shared = std::sync::Mutex::new(std::mem::take(&mut found));
        ignore::WalkBuilder::new(root)
            .follow_links(false)
            .require_git(false)
            // Hidden files and folders are scanned, as `rg --hidden` does: `.github/`,
            // `.config/` hold consumer code as often as any folder; ignore files still apply.
            .hidden(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    let seen = classify(root, entry);
                    let mut found = shared.lock().expect("discovery lock");
                    match seen {
                        Some(Ok(file)) => found.files.push(file),
                        Some(Err(skipped)) => found.skipped.push(skipped),
                        None => {}
                    }
                    ignore::WalkState::Continue
                })
            });
        found = shared.into_inner().expect("discovery lock");
    }
    found.files.sort_by(|a, b| a.path.cmp(&b.path));
    found.files.dedup_by(|a, b| a.path == b.path);
    found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// One walked entry: a file to scan, something to report, or nothing of interest.
fn classify(
    root: &Path,
    entry: Result<ignore::DirEntry, ignore::Error>,
) -> Option<Result<SourcePath, Skipped>> {
    let entry = match entry {
        Ok(e) => e,
        Err(err) => {
            let path = match &err {
                ignore::Error::WithPath { path, .. } => path.clone(),
                _ => root.to_path_buf(),
            };
            return Some(Err(Skipped { path: display_path(&path), reason: format!("cannot walk: {err}") }));
        }
    };
    let file_type = entry.file_type()?;
    let path = entry.path();
    let lang = Lang::of_path(path)?;
    if file_type.is_symlink() {
        return Some(Err(Skipped {
            path: display_path(path),
            reason: "is a symbolic link; ripple never follows links".into(),
        }));
    }
    if !file_type.is_file() {
        return None;
    }
    let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    Some(Ok(SourcePath { path: display_path(path), relative, lang }))
}
