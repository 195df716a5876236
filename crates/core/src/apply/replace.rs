//! Replacing one file: check it, write its new version to a temporary file next to it, then
//! swap the two and check what was swapped out, so that a change made by someone else in the
//! meantime is put back instead of lost.

use super::observe::{self, Identity};
use super::{metadata, temp_name, WriteError};
use crate::plan::FilePlan;
use std::io::Write;
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// The directory a file is replaced in.
pub(super) fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes one file of the plan. On failure the temporary file is removed when it drops:
/// nothing half-written remains.
pub(super) fn write_file(file: &FilePlan, before_replace: Option<&dyn Fn(&Path)>) -> Result<(), WriteError> {
    let path = &file.path;
    let checked = observe::check(path, &file.original)?;
    let dir = dir_of(path);
    let mut tmp = temp_name::create(&dir, path.file_name().unwrap_or(path.as_os_str()))?;
    tmp.write_all(&file.rewritten).map_err(WriteError::Write)?;
    metadata::copy(&checked, tmp.as_file())?;
    tmp.as_file().sync_all().map_err(WriteError::Write)?;
    if let Some(hook) = before_replace {
        hook(path);
    }
    swap_in(tmp, path, &checked.identity, &file.original)
}

/// Exchanges the two names atomically, then checks the file now under the temporary name is
/// the one checked before (same inode, size, time and bytes); if not, exchanges them back.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn swap_in(tmp: NamedTempFile, path: &Path, checked: &Identity, original: &[u8]) -> Result<(), WriteError> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, tmp.path(), CWD, path, RenameFlags::EXCHANGE) {
        Ok(()) => {}
        // A filesystem or kernel without the exchange.
        Err(Errno::INVAL | Errno::NOSYS) => return recheck_and_rename(tmp, path, checked, original),
        // The file was deleted.
        Err(Errno::NOENT) => return Err(WriteError::Changed),
        Err(e) => return Err(WriteError::Replace(e.into())),
    }
    if unchanged(tmp.path(), checked, original) {
        // `tmp` now names the original, which is removed as it drops.
        return Ok(());
    }
    match renameat_with(CWD, tmp.path(), CWD, path, RenameFlags::EXCHANGE) {
        // `tmp` names the new version again, removed as it drops.
        Ok(()) => Err(WriteError::Changed),
        Err(e) => {
            let kept = tmp.into_temp_path().keep().unwrap_or_else(|e| e.path.to_path_buf());
            Err(WriteError::NotPutBack { kept, source: e.into() })
        }
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn swap_in(tmp: NamedTempFile, path: &Path, checked: &Identity, original: &[u8]) -> Result<(), WriteError> {
    recheck_and_rename(tmp, path, checked, original)
}

/// Where there is no exchange: checks the file once more just before the rename, which
/// leaves only the time of one rename for a change to be lost in.
fn recheck_and_rename(
    tmp: NamedTempFile,
    path: &Path,
    checked: &Identity,
    original: &[u8],
) -> Result<(), WriteError> {
    if !unchanged(path, checked, original) {
        return Err(WriteError::Changed);
    }
    tmp.persist(path).map_err(|e| WriteError::Replace(e.error))?;
    Ok(())
}

/// Whether `path` is still the file `checked` described, with the planned bytes.
fn unchanged(path: &Path, checked: &Identity, original: &[u8]) -> bool {
    observe::check(path, original).is_ok_and(|now| now.identity == *checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked_tmp(dir: &Path, original: &[u8]) -> (PathBuf, Identity, NamedTempFile) {
        let path = dir.join("a.sql");
        std::fs::write(&path, original).unwrap();
        let identity = observe::check(&path, original).ok().unwrap().identity;
        let mut tmp = temp_name::create(dir, "a.sql".as_ref()).ok().unwrap();
        tmp.write_all(b"new\n").unwrap();
        (path, identity, tmp)
    }

    #[test]
    fn the_rename_fallback_refuses_a_file_changed_after_its_check() {
        let dir = tempfile::tempdir().unwrap();
        let (path, identity, tmp) = checked_tmp(dir.path(), b"old\n");
        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(b"mine\n").unwrap();
        let err = recheck_and_rename(tmp, &path, &identity, b"old\n").unwrap_err();
        assert!(matches!(err, WriteError::Changed), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"old\nmine\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "the temporary file is removed");
    }

    #[test]
    fn the_rename_fallback_replaces_an_unchanged_file() {
        let dir = tempfile::tempdir().unwrap();
        let (path, identity, tmp) = checked_tmp(dir.path(), b"old\n");
        recheck_and_rename(tmp, &path, &identity, b"old\n").ok().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
