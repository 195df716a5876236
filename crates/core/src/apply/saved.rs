//! A plan read back from JSON carries each file's edits and the hash of the bytes they were
//! planned against, not the bytes: they are read again, checked against the hash, and the
//! edits spliced in, so that exactly the reviewed edits are written.

use super::WriteError;
use crate::plan::{content_hash, FilePlan};
use crate::source::FileStat;
use std::borrow::Cow;

/// The file of a saved plan, with its bytes as on disk and after the plan's edits; refused
/// when the bytes are not the ones planned against.
pub(super) fn prepare(file: &FilePlan) -> Result<Cow<'_, FilePlan>, WriteError> {
    if file.sha256.is_empty() {
        return Err(WriteError::NoHash);
    }
    let original = std::fs::read(&file.path).map_err(WriteError::Read)?;
    if content_hash(&original) != file.sha256 {
        return Err(WriteError::Changed);
    }
    let rewritten = splice(file, &original)?;
    let stat = FileStat { len: original.len() as u64 };
    Ok(Cow::Owned(FilePlan { original, rewritten, stat, ..file.clone() }))
}

/// The bytes after the plan's edits, each of which must replace exactly its `before`, in
/// order and without overlap.
pub(super) fn splice(file: &FilePlan, original: &[u8]) -> Result<Vec<u8>, WriteError> {
    let mut out = Vec::with_capacity(original.len());
    let mut at = 0;
    for e in &file.edits {
        let fits =
            at <= e.start && e.start <= e.end && original.get(e.start..e.end) == Some(e.before.as_bytes());
        if !fits {
            return Err(WriteError::EditMismatch { line: e.line, column: e.column });
        }
        out.extend_from_slice(&original[at..e.start]);
        out.extend_from_slice(e.after.as_bytes());
        at = e.end;
    }
    out.extend_from_slice(&original[at..]);
    Ok(out)
}
