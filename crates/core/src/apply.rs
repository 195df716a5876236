//! Writing a plan to disk: atomically (a temp file in the same directory, then a rename),
//! keeping permissions; a file that changed since it was planned is left alone.

use crate::plan::{FilePlan, Plan};
use std::fmt;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug)]
pub struct ApplyError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ApplyError {}

/// What `apply` did, file by file.
#[derive(Debug, Default)]
pub struct ApplyReport {
    pub written: Vec<PathBuf>,
    pub failed: Vec<ApplyError>,
}

/// Writes every file of the plan that has edits. Files are independent: one that cannot be
/// written is reported and the others still are.
pub fn apply_plan(plan: &Plan) -> ApplyReport {
    let mut report = ApplyReport::default();
    for file in &plan.files {
        match write_file(file) {
            Ok(()) => report.written.push(file.path.clone()),
            Err(message) => report.failed.push(ApplyError { path: file.path.clone(), message }),
        }
    }
    report
}

fn write_file(file: &FilePlan) -> Result<(), String> {
    let path = &file.path;
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("is no longer a regular file; not written".into());
    }
    let current = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    if current != file.original {
        return Err("changed on disk since it was planned; not written (plan again)".into());
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".ripple-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| format!("cannot create a temporary file in {}: {e}", dir.display()))?;
    tmp.write_all(&file.rewritten).map_err(|e| format!("cannot write: {e}"))?;
    tmp.as_file().sync_all().map_err(|e| format!("cannot write: {e}"))?;
    tmp.as_file().set_permissions(meta.permissions()).map_err(|e| format!("cannot keep permissions: {e}"))?;
    // On failure the temporary file is removed when `tmp` drops: nothing half-written remains.
    tmp.persist(path).map_err(|e| format!("cannot replace the file: {}", e.error))?;
    Ok(())
}
