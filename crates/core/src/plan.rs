//! The plan: what ripple would change and what it wants a human to see. Its JSON form
//! (version 1) is a public contract: extend it, never change what exists.

use crate::change::Change;
use crate::edit::{Confidence, Severity};
use crate::error::InputError;
use crate::lang::Lang;
use crate::reason::Reason;
use crate::source::FileStat;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The version of the plan's JSON form.
pub const PLAN_VERSION: u32 = 1;

/// What a run would change, and what it wants a human to see.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Plan {
    /// [`PLAN_VERSION`].
    pub version: u32,
    /// The changes carried through, derived ones last; their indexes are the `change` of edits and findings.
    pub changes: Vec<PlanChange>,
    /// The files with edits, by path.
    pub files: Vec<FilePlan>,
    /// The files the plan renames (a dbt model's or seed's file), in order; a moved file's
    /// edits are in `files` under its old path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moves: Vec<FileMove>,
    /// Every finding, by place.
    pub findings: Vec<PlanFinding>,
    /// What looks wrong with the change set or the paths: a column the catalog does not
    /// know, a change nothing references, nothing to scan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// Per repo whose migrations define a changed table: the migration to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggested_migration: Vec<SuggestedMigration>,
    /// Counts and timing.
    pub summary: Summary,
}

/// A change as the plan carries it: the change itself (its fields as in the change file),
/// and for a change derived from another one, which and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanChange {
    /// The change.
    #[serde(flatten)]
    pub change: Change,
    /// For a derived change: the index of the change it follows from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived_from: Option<usize>,
    /// For a derived change: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The dbt datasets its table names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub datasets: Vec<Dataset>,
}

/// A dataset of a dbt project that a change's table names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Dataset {
    /// The dbt project's name.
    pub project: String,
    /// `source`, `model`, `seed` or `snapshot`.
    pub kind: String,
    /// How dbt code names it: `ref('m')`, `source('s', 't')`.
    pub name: String,
    /// `database.schema.identifier`, `?` for what the project leaves unknown.
    pub relation: String,
    /// Named by its dbt name, or by its physical one.
    pub by: DatasetMatchKind,
    /// Every part the change names is known and agrees.
    pub exact: bool,
}

/// How a change named a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DatasetMatchKind {
    /// `stg_orders`, `ecom.raw_orders`: the name dbt code uses.
    DbtName,
    /// `raw.ecom.orders`: the table in the warehouse.
    PhysicalName,
}

impl From<Change> for PlanChange {
    fn from(change: Change) -> Self {
        PlanChange { change, derived_from: None, reason: None, datasets: Vec::new() }
    }
}

impl std::ops::Deref for PlanChange {
    type Target = Change;
    fn deref(&self) -> &Change {
        &self.change
    }
}

impl std::fmt::Display for PlanChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.derived_from {
            Some(from) => write!(f, "{}, following #{from}", self.change),
            None => self.change.fmt(f),
        }
    }
}

/// One file's edits. Read back from JSON it has its edits and the hash of the bytes they
/// apply to, not the bytes themselves: `apply_saved_plan` reads those again.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FilePlan {
    /// As found under the PATH argument (PATH joined with the relative path): `path`, and
    /// `path_bytes` when it is not UTF-8.
    #[serde(flatten, with = "path_fields")]
    #[schemars(with = "PathFields")]
    pub path: PathBuf,
    /// Relative to the PATH argument; what diffs name.
    #[serde(skip)]
    pub relative: PathBuf,
    /// Its language.
    pub language: Lang,
    /// Its edits, sorted and disjoint.
    pub edits: Vec<PlanEdit>,
    /// Unified diff, `a/` and `b/` relative to the PATH argument.
    pub diff: String,
    /// SHA-256 of the file's bytes as planned against, in lowercase hex: a saved plan is
    /// applied only to a file that still has them.
    #[serde(default)]
    pub sha256: String,
    /// The file's bytes as planned against, and after the edits.
    #[serde(skip)]
    pub original: Vec<u8>,
    /// The file after its edits.
    #[serde(skip)]
    pub rewritten: Vec<u8>,
    /// The file's stat as planned against.
    #[serde(skip)]
    pub stat: FileStat,
}

/// A file the plan renames.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FileMove {
    /// Its path now, as found under the PATH argument.
    #[serde(serialize_with = "ser_path")]
    pub from: PathBuf,
    /// Its new path.
    #[serde(serialize_with = "ser_path")]
    pub to: PathBuf,
    /// SHA-256 of its bytes as planned against, in lowercase hex: it moves only while it
    /// still has them (after its own edits, if it has some).
    #[serde(default)]
    pub sha256: String,
}

/// One edit, located in the file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PlanEdit {
    /// First byte replaced, in the file as on disk.
    pub start: usize,
    /// One past the last byte replaced.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in characters.
    pub column: usize,
    /// The text replaced.
    pub before: String,
    /// The new text.
    pub after: String,
    /// The id of the rule that made it.
    pub rule: String,
    /// Index of the change it serves.
    pub change: usize,
    /// How sure the rule is.
    pub confidence: Confidence,
}

/// One finding, located in its file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PlanFinding {
    /// The file, as reported: `path`, and `path_bytes` when it is not UTF-8.
    #[serde(flatten, with = "path_fields")]
    #[schemars(with = "PathFields")]
    pub path: PathBuf,
    /// 1-based line; 0 for the file as a whole.
    pub line: usize,
    /// 1-based column; 0 for the file as a whole.
    pub column: usize,
    /// The id of the rule (or `core/...` engine check) that reports it.
    pub rule: String,
    /// Index of the change it is about, if one.
    pub change: Option<usize>,
    /// How much it asks of its reader.
    pub severity: Severity,
    /// Why it is raised.
    pub reason: Reason,
    /// What to tell the reader.
    pub message: String,
}

/// The migration a repo needs for the change set, in its tool's dialect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SuggestedMigration {
    /// The repo (the PATH argument).
    #[serde(serialize_with = "ser_path")]
    pub root: PathBuf,
    /// The migration tool, by name.
    pub tool: String,
    /// The dialect of the statements.
    pub dialect: crate::options::Dialect,
    /// One statement per change, in the change set's order.
    pub statements: Vec<String>,
}

/// Something about the request that looks wrong, though the run could go on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Warning {
    /// What to tell the reader.
    pub message: String,
    /// Index of the change it is about, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<usize>,
}

/// Counts of a run.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// Files of a known language that were read and prefiltered.
    pub files_scanned: usize,
    /// Files that mentioned a changed name and were parsed.
    pub files_parsed: usize,
    /// Files with edits.
    pub files_changed: usize,
    /// Edits in all files.
    pub edits: usize,
    /// Findings of every severity.
    pub findings: usize,
    /// Wall time of the run.
    pub elapsed_ms: u64,
    /// Files not analysed: binary, too large, unreadable, not UTF-8, symlinks.
    pub files_skipped: usize,
    /// Bytes read by the prefilter.
    pub bytes_scanned: u64,
    /// Edits and findings taken out by `ripple: ignore` comments, and findings hidden by a
    /// baseline.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub suppressed: usize,
    /// Time per phase, when asked for (`--verbose`, `RIPPLE_TIMINGS=1`); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timings: Option<crate::timings::Timings>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Plan {
    /// A plan of `changes` with nothing to change and nothing to review.
    pub fn empty(changes: Vec<PlanChange>) -> Plan {
        Plan {
            version: PLAN_VERSION,
            changes,
            files: Vec::new(),
            moves: Vec::new(),
            findings: Vec::new(),
            warnings: Vec::new(),
            suggested_migration: Vec::new(),
            summary: Summary::default(),
        }
    }

    /// Findings a human must act on.
    pub fn review_findings(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Review).count()
    }

    /// Is there anything to apply or to review?
    pub fn has_pending_work(&self) -> bool {
        !self.files.is_empty() || !self.moves.is_empty() || self.review_findings() > 0
    }

    /// The plan's JSON form, pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a plan always serializes")
    }

    /// Reads a plan back from its JSON form (`path` names it in messages). What it does not
    /// carry (the files' bytes) is read again when it is applied.
    pub fn from_json(path: &Path, text: &str) -> Result<Plan, InputError> {
        let plan: Plan = serde_json::from_str(text).map_err(|e| {
            // serde_json ends its message with the place, which the error gives on its own.
            let message = e.to_string();
            let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m);
            InputError::at(path, e.line(), e.column(), format!("not a ripple plan: {message}"))
        })?;
        if plan.version != PLAN_VERSION {
            let message =
                format!("plan version {} is not {PLAN_VERSION}, the one this ripple reads", plan.version);
            return Err(InputError::file(path, message));
        }
        Ok(plan)
    }
}

/// The hash a plan records of a file's bytes: SHA-256 in lowercase hex.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A file's path in JSON: text for people and scripts, and the bytes of a name that is not
/// UTF-8, which reading a plan back prefers.
#[derive(Serialize, Deserialize, JsonSchema)]
struct PathFields {
    /// The path, `/` between components; a byte that is not UTF-8 shows as U+FFFD.
    path: String,
    /// The path's bytes, when it is not UTF-8 (`path` cannot hold them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path_bytes: Option<Vec<u8>>,
}

mod path_fields {
    use super::PathFields;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::path::{Path, PathBuf};

    pub fn serialize<S: Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
        let path = p.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/");
        let path_bytes = p.to_str().is_none().then(|| raw_bytes(p));
        PathFields { path, path_bytes }.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        let fields = PathFields::deserialize(d)?;
        Ok(match fields.path_bytes {
            Some(bytes) => from_raw_bytes(bytes),
            None => PathBuf::from(fields.path),
        })
    }

    #[cfg(unix)]
    fn raw_bytes(p: &Path) -> Vec<u8> {
        std::os::unix::ffi::OsStrExt::as_bytes(p.as_os_str()).to_vec()
    }

    #[cfg(not(unix))]
    fn raw_bytes(p: &Path) -> Vec<u8> {
        p.to_string_lossy().into_owned().into_bytes()
    }

    #[cfg(unix)]
    fn from_raw_bytes(bytes: Vec<u8>) -> PathBuf {
        PathBuf::from(<std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes))
    }

    #[cfg(not(unix))]
    fn from_raw_bytes(bytes: Vec<u8>) -> PathBuf {
        PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

pub(crate) fn ser_path<S: serde::Serializer>(p: &std::path::Path, s: S) -> Result<S::Ok, S::Error> {
    // Forward slashes on every platform: plans are compared and consumed by scripts. A
    // backslash is a separator only where it is one (on Unix it is part of a name).
    s.collect_str(&p.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/"))
}
