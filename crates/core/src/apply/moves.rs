//! A plan's file moves. Each is made after the file's own edits are written, as one rename
//! that never replaces a file, so a kill leaves the file under its old name or its new one,
//! never both or neither; and only while the file still has the bytes the plan expects.

use super::WriteError;
use crate::plan::{content_hash, FileMove};
use std::path::Path;

/// Moves one file, or says why not.
pub(super) fn move_file(m: &FileMove) -> Result<(), WriteError> {
    if m.sha256.is_empty() {
        return Err(WriteError::NoHash);
    }
    if std::fs::symlink_metadata(&m.to).is_ok() {
        return Err(WriteError::TargetExists(m.to.clone()));
    }
    let meta = std::fs::symlink_metadata(&m.from).map_err(WriteError::Read)?;
    if !meta.is_file() {
        return Err(WriteError::NotAFile);
    }
    let bytes = std::fs::read(&m.from).map_err(WriteError::Read)?;
    if content_hash(&bytes) != m.sha256 {
        return Err(WriteError::Changed);
    }
    rename_new(&m.from, &m.to)
}

/// Renames `from` to `to` unless `to` exists, in one step where the system can.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn rename_new(from: &Path, to: &Path) -> Result<(), WriteError> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(Errno::EXIST) => Err(WriteError::TargetExists(to.to_path_buf())),
        // A filesystem or kernel without it: checked just before, then renamed.
        Err(Errno::INVAL | Errno::NOSYS) => checked_rename(from, to),
        Err(e) => Err(WriteError::Replace(e.into())),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn rename_new(from: &Path, to: &Path) -> Result<(), WriteError> {
    checked_rename(from, to)
}

fn checked_rename(from: &Path, to: &Path) -> Result<(), WriteError> {
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(WriteError::TargetExists(to.to_path_buf()));
    }
    std::fs::rename(from, to).map_err(WriteError::Replace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(dir: &Path, bytes: &[u8]) -> FileMove {
        FileMove { from: dir.join("a.sql"), to: dir.join("b.sql"), sha256: content_hash(bytes) }
    }

    #[test]
    fn moves_once_and_refuses_a_taken_name_or_changed_bytes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.sql"), "x").unwrap();
        let m = planned(dir.path(), b"x");
        move_file(&m).unwrap();
        assert!(!m.from.exists() && std::fs::read(&m.to).unwrap() == b"x");
        // Again: the file is gone from its old name, nothing changes.
        assert!(matches!(move_file(&m), Err(WriteError::TargetExists(_))));
        std::fs::write(&m.from, "y").unwrap();
        std::fs::remove_file(&m.to).unwrap();
        assert!(matches!(move_file(&m), Err(WriteError::Changed)));
        std::fs::write(&m.to, "z").unwrap();
        std::fs::write(&m.from, "x").unwrap();
        assert!(matches!(move_file(&m), Err(WriteError::TargetExists(_))));
        assert_eq!(std::fs::read(&m.to).unwrap(), b"z");
    }
}
