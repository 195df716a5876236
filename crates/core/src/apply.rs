//! Writing a plan to disk: atomically (a temp file in the same directory, then a rename),
//! keeping permissions; a file that changed since it was planned is left alone.

use crate::plan::{FilePlan, Plan};
use std::io::Write;
use std::path::PathBuf;

/// Why one file of a plan was not written.
#[derive(Debug, thiserror::Error)]
enum WriteError {
    /// The file cannot be read (to check it is as planned).
    #[error("cannot read: {0}")]
    Read(#[source] std::io::Error),
    /// The path now names a directory, a link or another special file.
    #[error("is no longer a regular file; not written")]
    NotAFile,
    /// Its bytes are not the ones the plan was made from.
    #[error("changed on disk since it was planned; not written (plan again)")]
    Changed,
    /// No temporary file could be made next to it.
    #[error("cannot create a temporary file in {}: {source}", dir.display())]
    TempFile {
        /// The file's directory.
        dir: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The new bytes could not be written to the temporary file.
    #[error("cannot write: {0}")]
    Write(#[source] std::io::Error),
    /// The file's permissions could not be given to the new version.
    #[error("cannot keep permissions: {0}")]
    Permissions(#[source] std::io::Error),
    /// The temporary file could not take the file's place.
    #[error("cannot replace the file: {0}")]
    Replace(#[source] std::io::Error),
}

/// A file of the plan that was not written, and why (as text: reports print it).
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct ApplyError {
    /// The file, as the plan names it.
    pub path: PathBuf,
    /// Why it was not written.
    pub message: String,
}

/// What `apply` did, file by file.
#[derive(Debug, Default)]
pub struct ApplyReport {
    /// Files written, in plan order.
    pub written: Vec<PathBuf>,
    /// Files not written.
    pub failed: Vec<ApplyError>,
}

/// Writes every file of the plan that has edits. Files are independent: one that cannot be
/// written is reported and the others still are.
pub fn apply_plan(plan: &Plan) -> ApplyReport {
    let mut report = ApplyReport::default();
    for file in &plan.files {
        match write_file(file) {
            Ok(()) => report.written.push(file.path.clone()),
            Err(e) => report.failed.push(ApplyError { path: file.path.clone(), message: e.to_string() }),
        }
    }
    report
}

fn write_file(file: &FilePlan) -> Result<(), WriteError> {
    let path = &file.path;
    let meta = std::fs::symlink_metadata(path).map_err(WriteError::Read)?;
    if !meta.is_file() {
        return Err(WriteError::NotAFile);
    }
    // Another length is another file, without reading it; the same length is compared
    // byte for byte.
    if meta.len() != file.stat.len || std::fs::read(path).map_err(WriteError::Read)? != file.original {
        return Err(WriteError::Changed);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".ripple-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|source| WriteError::TempFile { dir: dir.clone(), source })?;
    tmp.write_all(&file.rewritten).map_err(WriteError::Write)?;
    tmp.as_file().sync_all().map_err(WriteError::Write)?;
    tmp.as_file().set_permissions(meta.permissions()).map_err(WriteError::Permissions)?;
    // On failure the temporary file is removed when `tmp` drops: nothing half-written remains.
    tmp.persist(path).map_err(|e| WriteError::Replace(e.error))?;
    Ok(())
}
