//! Finding the files to scan under each PATH: .gitignore honoured, .git skipped,
//! symlinks never followed (so nothing outside a root is ever read or written).

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
    pub lang: Lang,
}

/// Something under a root that ripple saw and could not scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<SourcePath>,
    pub skipped: Vec<Skipped>,
}

fn display_path(path: &Path) -> PathBuf {
    path.strip_prefix("./").map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// Lists the source files of a known language under every root, sorted and deduplicated.
pub fn discover(roots: &[PathBuf]) -> Result<Discovery, InputError> {
    let mut found = Discovery::default();
    for root in roots {
        let meta = std::fs::symlink_metadata(root)
            .map_err(|e| InputError::file(root, format!("cannot read path: {e}")))?;
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
        let walker = ignore::WalkBuilder::new(root)
            .follow_links(false)
            .require_git(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = match &err {
                        ignore::Error::WithPath { path, .. } => path.clone(),
                        _ => root.clone(),
                    };
                    found
                        .skipped
                        .push(Skipped { path: display_path(&path), reason: format!("cannot walk: {err}") });
                    continue;
                }
            };
            let Some(file_type) = entry.file_type() else { continue };
            let path = entry.path();
            let Some(lang) = Lang::of_path(path) else { continue };
            if file_type.is_symlink() {
                found.skipped.push(Skipped {
                    path: display_path(path),
                    reason: "is a symbolic link; ripple never follows links".into(),
                });
                continue;
            }
            if !file_type.is_file() {
                continue;
            }
            let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            found.files.push(SourcePath { path: display_path(path), relative, lang });
        }
    }
    found.files.sort_by(|a, b| a.path.cmp(&b.path));
    found.files.dedup_by(|a, b| a.path == b.path);
    Ok(found)
}
