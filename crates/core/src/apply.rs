//! Writing a plan to disk without losing anything. Each file is checked against the bytes it
//! was planned from; its new version is written to a temporary file next to it, given the
//! original's mode, owner, group and extended attributes, and swapped in; what was swapped out
//! is checked again, so a save made meanwhile is put back rather than overwritten. Temporary
//! files carry the writer's pid, so a later run removes those a killed run left behind. A
//! plan's file moves come last, each one rename that never replaces a file.

mod metadata;
mod moves;
mod observe;
mod replace;
mod saved;
mod temp_name;

use crate::plan::{FilePlan, Plan};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Why one file of a plan was not written.
#[derive(Debug, thiserror::Error)]
enum WriteError {
    /// The file cannot be read (to check it is as planned).
    #[error("cannot read: {0}")]
    Read(#[source] std::io::Error),
    /// The path now names a directory, a link or another special file.
    #[error("is no longer a regular file; not written")]
    NotAFile,
    /// Its bytes (or its inode, size or modification time) are not the ones the plan was made
    /// from, when checked first or when checked again while it was replaced.
    #[error("changed on disk since it was planned; not written (plan again)")]
    Changed,
    /// It changed while it was replaced and the user's version could not be put back: it is
    /// kept under the temporary name.
    #[error("changed while it was written and could not be put back; your version is {}: {source}", kept.display())]
    NotPutBack {
        /// Where the user's version is.
        kept: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
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
    /// The new version could not be given the file's owner and group (not allowed, as a
    /// user other than root): writing it would silently change who owns the file.
    #[error("cannot keep its owner and group {uid}:{gid} ({source}); not written")]
    Owner {
        /// The file's owner.
        uid: u32,
        /// The file's group.
        gid: u32,
        /// What failed.
        source: std::io::Error,
    },
    /// An extended attribute of the file could not be read or given to the new version.
    #[error("cannot keep the extended attribute {name} ({source}); not written")]
    Xattr {
        /// The attribute's name.
        name: String,
        /// What failed.
        source: std::io::Error,
    },
    /// A move's new path is taken.
    #[error("cannot be moved: {} is already there; not moved", .0.display())]
    TargetExists(PathBuf),
    /// The file's edits were not written, so it is not moved either.
    #[error("its edits were not written; not moved")]
    NotEdited,
    /// The temporary file could not take the file's place.
    #[error("cannot replace the file: {0}")]
    Replace(#[source] std::io::Error),
    /// A saved plan records no hash of the file's bytes, so they cannot be checked.
    #[error("the plan records no content hash of it; not written (plan again)")]
    NoHash,
    /// An edit of a saved plan does not fit the file's bytes (the plan was edited by hand).
    #[error("the plan's edit at {line}:{column} does not match the file's bytes; not written")]
    EditMismatch {
        /// 1-based line of the edit, as the plan gives it.
        line: usize,
        /// 1-based column of the edit.
        column: usize,
    },
}

impl WriteError {
    /// Left alone on purpose, so that nothing of the user's is lost or silently changed; the
    /// other errors are failures to read or write.
    fn is_refusal(&self) -> bool {
        matches!(
            self,
            WriteError::NotAFile
                | WriteError::Changed
                | WriteError::TargetExists(_)
                | WriteError::NotEdited
                | WriteError::NoHash
                | WriteError::EditMismatch { .. }
                | WriteError::NotPutBack { .. }
                | WriteError::Owner { .. }
                | WriteError::Xattr { .. }
        )
    }
}

/// A file of the plan that was not written, and why (as text: reports print it).
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct ApplyError {
    /// The file, as the plan names it.
    pub path: PathBuf,
    /// Why it was not written.
    pub message: String,
    /// True when the file was left alone on purpose (it changed since it was planned, or its
    /// owner or attributes could not be kept); false when reading or writing failed.
    pub refused: bool,
}

/// What `apply` did, file by file.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ApplyReport {
    /// Files written, in plan order.
    pub written: Vec<PathBuf>,
    /// Files moved (from, to), in plan order.
    pub moved: Vec<(PathBuf, PathBuf)>,
    /// Files not written.
    pub failed: Vec<ApplyError>,
    /// Files not attempted because [`ApplyOptions::stop`] asked to stop, in plan order.
    pub not_attempted: Vec<PathBuf>,
    /// Temporary files of earlier runs whose process is gone, removed before writing.
    pub stale_removed: Vec<PathBuf>,
}

/// How to apply: when to stop, and a hook for tests.
#[derive(Default)]
#[non_exhaustive]
pub struct ApplyOptions<'a> {
    /// Asked before each file; once it says true the remaining files are not attempted (the
    /// file in flight is always finished). A signal handler's flag, typically.
    pub stop: Option<&'a dyn Fn() -> bool>,
    /// Called with a file's path when its new version is ready, just before it replaces the
    /// file: the window in which a user's save must not be lost. Meant for tests.
    pub before_replace: Option<&'a dyn Fn(&Path)>,
}

impl<'a> ApplyOptions<'a> {
    /// With [`ApplyOptions::stop`].
    pub fn with_stop(self, stop: &'a dyn Fn() -> bool) -> Self {
        ApplyOptions { stop: Some(stop), ..self }
    }

    /// With [`ApplyOptions::before_replace`].
    pub fn with_before_replace(self, hook: &'a dyn Fn(&Path)) -> Self {
        ApplyOptions { before_replace: Some(hook), ..self }
    }
}

/// Writes every file of the plan that has edits. Files are independent: one that cannot be
/// written is reported and the others still are.
pub fn apply_plan(plan: &Plan) -> ApplyReport {
    apply_plan_with(plan, &ApplyOptions::default())
}

/// [`apply_plan`], with a way to stop early and a hook into each replacement.
pub fn apply_plan_with(plan: &Plan, options: &ApplyOptions<'_>) -> ApplyReport {
    write_all(plan, options, |file| Ok(Cow::Borrowed(file)))
}

/// Writes exactly the edits of a plan read back from JSON ([`Plan::from_json`]): each file
/// whose bytes still have the plan's hash gets the plan's edits and nothing else; any other
/// is refused, and the rest are still written.
pub fn apply_saved_plan(plan: &Plan, options: &ApplyOptions<'_>) -> ApplyReport {
    write_all(plan, options, saved::prepare)
}

/// The bytes of `file` after the plan's edits, spliced into `original`, which must be the
/// bytes the plan was made from (by its hash, else by its bytes): for a file set held in
/// memory ([`crate::MemoryFiles`]), where no write can fail.
pub(crate) fn spliced(file: &FilePlan, original: &[u8]) -> Result<Vec<u8>, ApplyError> {
    let same = match file.sha256.is_empty() {
        true => file.original == original,
        false => crate::plan::content_hash(original) == file.sha256,
    };
    let refused = |message: String| ApplyError { path: file.path.clone(), message, refused: true };
    if !same {
        return Err(refused("changed since it was planned; not written (plan again)".into()));
    }
    saved::splice(file, original).map_err(|e| refused(e.to_string()))
}

/// Writes each file of `plan` as `prepare` makes it ready.
fn write_all(
    plan: &Plan,
    options: &ApplyOptions<'_>,
    prepare: impl Fn(&FilePlan) -> Result<Cow<'_, FilePlan>, WriteError>,
) -> ApplyReport {
    let mut report = ApplyReport::default();
    let dirs: BTreeSet<PathBuf> = plan.files.iter().map(|f| replace::dir_of(&f.path)).collect();
    for dir in &dirs {
        report.stale_removed.extend(temp_name::remove_stale(dir));
    }
    for (i, file) in plan.files.iter().enumerate() {
        if options.stop.is_some_and(|stop| stop()) {
            report.not_attempted.extend(plan.files[i..].iter().map(|f| f.path.clone()));
            report.not_attempted.extend(plan.moves.iter().map(|m| m.from.clone()));
            return report;
        }
        match prepare(file).and_then(|ready| replace::write_file(&ready, options.before_replace)) {
            Ok(()) => report.written.push(file.path.clone()),
            Err(e) => report.failed.push(ApplyError {
                path: file.path.clone(),
                message: e.to_string(),
                refused: e.is_refusal(),
            }),
        }
    }
    for (i, m) in plan.moves.iter().enumerate() {
        if options.stop.is_some_and(|stop| stop()) {
            report.not_attempted.extend(plan.moves[i..].iter().map(|m| m.from.clone()));
            break;
        }
        let edited = plan.files.iter().any(|f| f.path == m.from);
        let result = if edited && !report.written.contains(&m.from) {
            Err(WriteError::NotEdited)
        } else {
            moves::move_file(m)
        };
        match result {
            Ok(()) => report.moved.push((m.from.clone(), m.to.clone())),
            Err(e) => report.failed.push(ApplyError {
                path: m.from.clone(),
                message: e.to_string(),
                refused: e.is_refusal(),
            }),
        }
    }
    report
}
