//! The state directory of a campaign: what was planned (`campaign.json`), the journal of
//! what was done (`journal.jsonl`), each repo's results (`repos/`), the PR descriptions,
//! the command logs and, while a branch is made, its worktree.

use crate::shard::Shard;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The plan's file name in a state directory.
pub const MANIFEST: &str = "campaign.json";

/// What a campaign planned, written when it starts (and again, unchanged, when it resumes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The campaign's name: the middle of its branch names.
    pub campaign: String,
    /// The change set's hash: a state directory belongs to one change set.
    pub change_set: String,
    /// The change file, as given.
    pub changes: String,
    /// This runner's shard, if the fleet is split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    /// The branches to make.
    pub groups: Vec<PlannedGroup>,
    /// The repos with edits or review findings.
    pub repos: Vec<PlannedRepo>,
}

/// A branch to make: one owner group's edits in one repo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedGroup {
    /// The repo's name.
    pub repo: String,
    /// The owners, as CODEOWNERS or the catalog name them, joined by spaces.
    pub owner: String,
    /// The branch.
    pub branch: String,
    /// Files and their edit counts.
    pub files: Vec<PlannedFile>,
}

/// A file of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedFile {
    /// Relative to the repo.
    pub path: String,
    /// Its edits.
    pub edits: usize,
}

/// A repo of the campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRepo {
    /// Its name.
    pub name: String,
    /// The checkout.
    pub path: PathBuf,
    /// The datasets it defines.
    pub produces: Vec<String>,
    /// The repos whose datasets it reads.
    pub depends_on: Vec<String>,
    /// Its review findings, each with the owner who must act.
    pub findings: Vec<PlannedFinding>,
}

/// A review finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedFinding {
    /// Who must act.
    pub owner: String,
    /// Relative to the repo.
    pub path: String,
    /// 1-based.
    pub line: usize,
    /// 1-based.
    pub column: usize,
    /// The rule that reports it.
    pub rule: String,
    /// What it says.
    pub message: String,
}

/// Where the pieces of a state directory live.
#[derive(Debug, Clone)]
pub struct StateDir {
    /// The directory, absolute (worktrees are made from other directories).
    pub root: PathBuf,
}

impl StateDir {
    /// Creates the directory if needed.
    pub fn create(root: &Path) -> std::io::Result<StateDir> {
        std::fs::create_dir_all(root)?;
        Ok(StateDir { root: root.canonicalize()? })
    }

    /// A branch's worktree while it is made.
    pub fn worktree(&self, repo: &str, branch: &str) -> PathBuf {
        self.root.join("worktrees").join(repo).join(file_safe(branch))
    }

    /// A branch's PR description.
    pub fn description(&self, repo: &str, branch: &str) -> PathBuf {
        self.root.join("descriptions").join(repo).join(format!("{}.md", file_safe(branch)))
    }

    /// A branch's verify log (`what` = `verify`) or publish log.
    pub fn log(&self, repo: &str, branch: &str, what: &str) -> PathBuf {
        self.root.join("logs").join(repo).join(format!("{}.{what}.log", file_safe(branch)))
    }

    /// A repo's results.
    pub fn repo_result(&self, repo: &str) -> PathBuf {
        self.root.join("repos").join(format!("{repo}.json"))
    }
}

/// The last part of a branch name, which is unique within a campaign's repo.
fn file_safe(branch: &str) -> String {
    branch.rsplit('/').next().unwrap_or(branch).to_string()
}

/// Reads a state directory's manifest.
pub fn read_manifest(state: &Path) -> Result<Option<Manifest>, String> {
    let path = state.join(MANIFEST);
    match std::fs::read_to_string(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: cannot read: {e}", path.display())),
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| format!("{}: {e}", path.display())),
    }
}

/// Writes `bytes` to `path` so a crash leaves the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)?;
    std::fs::File::open(dir)?.sync_all()
}
