//! Looking at a file to be replaced: it must be a regular file holding exactly the bytes the
//! plan was made from; its identity (device, inode, size, modification time) tells later
//! whether the same file is still there untouched.

use super::WriteError;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;
use std::time::SystemTime;

/// What tells one state of a file from another without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Identity {
    dev: u64,
    ino: u64,
    len: u64,
    modified: Option<SystemTime>,
}

/// A file as checked: open, with its stat.
pub(super) struct Observed {
    /// Open for reading: its extended attributes are read through it.
    pub file: File,
    /// Its stat, taken through the open file.
    pub meta: Metadata,
    /// Its identity at that time.
    pub identity: Identity,
}

/// Opens `path` without following a link and checks it holds exactly `expected`. The plan
/// keeps the original bytes, so they are compared exactly rather than by a hash.
pub(super) fn check(path: &Path, expected: &[u8]) -> Result<Observed, WriteError> {
    let meta = std::fs::symlink_metadata(path).map_err(WriteError::Read)?;
    if !meta.is_file() {
        return Err(WriteError::NotAFile);
    }
    let mut file = open_no_follow(path)?;
    let meta = file.metadata().map_err(WriteError::Read)?;
    // Another length is another file, without reading it.
    if !meta.is_file() || meta.len() != expected.len() as u64 {
        return Err(if meta.is_file() { WriteError::Changed } else { WriteError::NotAFile });
    }
    let mut bytes = Vec::with_capacity(expected.len());
    file.read_to_end(&mut bytes).map_err(WriteError::Read)?;
    if bytes != expected {
        return Err(WriteError::Changed);
    }
    let identity = identity(&meta);
    Ok(Observed { file, meta, identity })
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> Result<File, WriteError> {
    use rustix::fs::{Mode, OFlags};
    // Non-blocking, so a FIFO swapped in since the stat cannot hang the run.
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    match rustix::fs::open(path, flags, Mode::empty()) {
        Ok(fd) => Ok(File::from(fd)),
        Err(rustix::io::Errno::LOOP) => Err(WriteError::NotAFile),
        Err(e) => Err(WriteError::Read(e.into())),
    }
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> Result<File, WriteError> {
    File::open(path).map_err(WriteError::Read)
}

#[cfg(unix)]
fn identity(meta: &Metadata) -> Identity {
    use std::os::unix::fs::MetadataExt;
    Identity { dev: meta.dev(), ino: meta.ino(), len: meta.len(), modified: meta.modified().ok() }
}

#[cfg(not(unix))]
fn identity(meta: &Metadata) -> Identity {
    Identity { dev: 0, ino: 0, len: meta.len(), modified: meta.modified().ok() }
}
