//! Temporary files: `.<name>.ripple-<pid>-<8 letters or digits>.tmp` next to the file they
//! replace, created exclusively (never over an existing file). The pid tells a later run that
//! one is stale (its process is gone) and may be removed; nothing else is ever removed.

use super::WriteError;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

const MARK: &str = ".ripple-";
const SUFFIX: &str = ".tmp";
const RANDOM_LEN: usize = 8;
/// Room for the rest of the name within the usual 255-byte limit.
const NAME_KEPT: usize = 200;

/// A new, empty temporary file in `dir` for the file named `name`.
pub(super) fn create(dir: &Path, name: &OsStr) -> Result<NamedTempFile, WriteError> {
    let mut shown = name.to_string_lossy().into_owned();
    if shown.len() > NAME_KEPT {
        let cut = (0..=NAME_KEPT).rev().find(|&i| shown.is_char_boundary(i)).unwrap_or(0);
        shown.truncate(cut);
    }
    tempfile::Builder::new()
        .prefix(&format!(".{shown}{MARK}{}-", std::process::id()))
        .suffix(SUFFIX)
        .rand_bytes(RANDOM_LEN)
        .tempfile_in(dir)
        .map_err(|source| WriteError::TempFile { dir: dir.to_path_buf(), source })
}

/// The pid in a temporary file's name, or None when the name is not exactly one of ours.
fn writer_pid(file_name: &OsStr) -> Option<u32> {
    let name = file_name.to_str()?;
    let rest = name.strip_prefix('.')?.strip_suffix(SUFFIX)?;
    let (rest, random) = rest.split_at_checked(rest.len().checked_sub(RANDOM_LEN)?)?;
    if !random.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let rest = rest.strip_suffix('-')?;
    let digits = rest.len() - rest.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (rest, pid) = rest.split_at(digits);
    let original = rest.strip_suffix(MARK)?;
    if original.is_empty() || pid.len() > 10 {
        return None;
    }
    pid.parse().ok().filter(|&pid| pid > 0)
}

/// Removes from `dir` the temporary files whose writer is gone, and says which.
pub(super) fn remove_stale(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = writer_pid(&entry.file_name()) else { continue };
        if pid == std::process::id() || is_alive(pid) {
            continue;
        }
        // Only a regular file, never a link or a directory of that name.
        if entry.file_type().is_ok_and(|t| t.is_file()) && std::fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed.sort();
    removed
}

/// Whether a process of that pid exists; when in doubt, yes.
#[cfg(unix)]
fn is_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else { return true };
    !matches!(rustix::process::test_kill_process(pid), Err(rustix::io::Errno::SRCH))
}

#[cfg(not(unix))]
fn is_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_names_of_ours_carry_a_pid() {
        let pid = |s: &str| writer_pid(OsStr::new(s));
        assert_eq!(pid(".a.sql.ripple-4242-aZ09bY18.tmp"), Some(4242));
        assert_eq!(pid(".x.ripple-1.ripple-77-abcdefgh.tmp"), Some(77));
        for not_ours in [
            ".a.sql.ripple-4242-aZ09bY1.tmp",
            ".a.sql.ripple-4242-aZ09bY18.tmp.bak",
            "a.sql.ripple-4242-aZ09bY18.tmp",
            "..ripple-4242-aZ09bY18.tmp",
            ".a.sql.ripple--aZ09bY18.tmp",
            ".a.sql.ripple-0-aZ09bY18.tmp",
            ".a.sql.ripple-12345678901-aZ09bY18.tmp",
            ".a.sql.ripple-42x-aZ09bY18.tmp",
            ".a.sql.ripple-42-aZ09b-18.tmp",
            ".ripple-aZ09bY.tmp",
        ] {
            assert_eq!(pid(not_ours), None, "{not_ours}");
        }
    }

    #[test]
    fn a_new_temporary_file_is_named_after_its_file_and_this_process() {
        let dir = tempfile::tempdir().unwrap();
        let long = "n".repeat(250);
        for name in ["report.sql", long.as_str()] {
            let tmp = create(dir.path(), OsStr::new(name)).unwrap();
            let file_name = tmp.path().file_name().unwrap();
            assert_eq!(writer_pid(file_name), Some(std::process::id()), "{file_name:?}");
        }
    }
}
