//! The plan: what ripple would change and what it wants a human to see. Its JSON form
//! (version 1) is a public contract: extend it, never change what exists.

use crate::change::Change;
use crate::edit::{Confidence, Severity};
use crate::lang::Lang;
use serde::Serialize;
use std::path::PathBuf;

pub const PLAN_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub version: u32,
    pub changes: Vec<PlanChange>,
    pub files: Vec<FilePlan>,
    pub findings: Vec<PlanFinding>,
    pub summary: Summary,
}

/// A change as the plan carries it: the change itself (its fields as in the change file),
/// and for a change derived from another one, which and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanChange {
    #[serde(flatten)]
    pub change: Change,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived_from: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl From<Change> for PlanChange {
    fn from(change: Change) -> Self {
        PlanChange { change, derived_from: None, reason: None }
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

#[derive(Debug, Clone, Serialize)]
pub struct FilePlan {
    /// As found under the PATH argument (PATH joined with the relative path).
    #[serde(serialize_with = "ser_path")]
    pub path: PathBuf,
    /// Relative to the PATH argument; what diffs name.
    #[serde(skip)]
    pub relative: PathBuf,
    pub language: Lang,
    pub edits: Vec<PlanEdit>,
    /// Unified diff, `a/` and `b/` relative to the PATH argument.
    pub diff: String,
    /// The file's bytes as planned against, and after the edits.
    #[serde(skip)]
    pub original: Vec<u8>,
    #[serde(skip)]
    pub rewritten: Vec<u8>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanEdit {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub before: String,
    pub after: String,
    pub rule: String,
    pub change: usize,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanFinding {
    #[serde(serialize_with = "ser_path")]
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub rule: String,
    pub change: Option<usize>,
    pub severity: Severity,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Files of a known language that were read and prefiltered.
    pub files_scanned: usize,
    /// Files that mentioned a changed name and were parsed.
    pub files_parsed: usize,
    pub files_changed: usize,
    pub edits: usize,
    pub findings: usize,
    pub elapsed_ms: u64,
    /// Files not analysed: binary, too large, unreadable, not UTF-8, symlinks.
    pub files_skipped: usize,
    /// Bytes read by the prefilter.
    pub bytes_scanned: u64,
}

impl Plan {
    pub fn review_findings(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Review).count()
    }

    pub fn has_pending_work(&self) -> bool {
        !self.files.is_empty() || self.review_findings() > 0
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a plan always serializes")
    }
}

fn ser_path<S: serde::Serializer>(p: &std::path::Path, s: S) -> Result<S::Ok, S::Error> {
    // Forward slashes on every platform: plans are compared and consumed by scripts.
    s.collect_str(&p.to_string_lossy().replace('\\', "/"))
}
