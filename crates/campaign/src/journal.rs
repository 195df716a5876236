//! The append-only journal of a campaign: one JSON object a line, each fsynced before the
//! step it records is taken further, so a run killed at any moment knows what it did.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The journal's file name in a state directory.
pub const JOURNAL: &str = "journal.jsonl";

/// What happened to a branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// About to create the branch and worktree (nothing of it may exist yet).
    Started,
    /// The group's edits are committed on the branch.
    Committed,
    /// The verify command passed.
    Verified,
    /// The verify command failed, or the edits could not be applied.
    Failed,
    /// The publish command passed.
    Published,
    /// The publish command failed; the branch stays.
    PublishFailed,
    /// Done: the branch stays, its worktree is gone.
    Finished,
    /// The branch and worktree were deleted.
    RolledBack,
    /// Not made: a producer it waits for did not verify, or the branch name was taken.
    Blocked,
    /// A run was killed while making it: what it had made is deleted, to be made again.
    Abandoned,
}

impl Event {
    /// Nothing more happens to the branch in this campaign.
    pub fn is_final(self) -> bool {
        matches!(self, Event::Finished | Event::RolledBack | Event::Blocked)
    }
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// UTC, RFC 3339.
    pub time: String,
    /// The ripple version that wrote it.
    pub ripple: String,
    /// The change set's hash.
    pub change_set: String,
    /// The repo's name.
    pub repo: String,
    /// The branch.
    pub branch: String,
    /// What happened.
    pub outcome: Event,
    /// The commit the branch started from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// The branch's commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The verify command's exit code (none: killed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_exit: Option<i32>,
    /// The verify command's wall time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_ms: Option<u64>,
    /// Why, for a failure, a rollback or a block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The last lines of a failed command's output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_tail: Option<String>,
}

impl Entry {
    /// An entry of now, to fill in.
    pub fn new(change_set: &str, repo: &str, branch: &str, outcome: Event) -> Self {
        Entry {
            time: now_rfc3339(),
            ripple: env!("CARGO_PKG_VERSION").to_string(),
            change_set: change_set.to_string(),
            repo: repo.to_string(),
            branch: branch.to_string(),
            outcome,
            base: None,
            commit: None,
            verify_exit: None,
            verify_ms: None,
            reason: None,
            log_tail: None,
        }
    }
}

/// An open journal: appends are serialized and each one is on disk before it returns.
pub struct Journal {
    file: std::sync::Mutex<std::fs::File>,
    path: PathBuf,
}

impl Journal {
    /// Opens (or creates) the journal of a state directory. A line torn by a crash is closed
    /// with a newline, so it is skipped on reading and never glued to the next entry.
    pub fn open(state: &Path) -> std::io::Result<Journal> {
        let path = state.join(JOURNAL);
        let existed = path.exists();
        let mut file = std::fs::OpenOptions::new().create(true).append(true).read(true).open(&path)?;
        let bytes = std::fs::read(&path)?;
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            file.write_all(b"\n")?;
            file.sync_data()?;
        }
        if !existed {
            std::fs::File::open(state)?.sync_all()?;
        }
        Ok(Journal { file: std::sync::Mutex::new(file), path })
    }

    /// Appends an entry and fsyncs it.
    pub fn append(&self, entry: &Entry) -> std::io::Result<()> {
        let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
        line.push('\n');
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(line.as_bytes())?;
        file.sync_data()
    }

    /// The journal's file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Every entry of a state directory's journal, in order; a torn line is skipped.
pub fn read(state: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(state.join(JOURNAL)).unwrap_or_default();
    text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// The entries of each branch, by (repo, branch), in order.
pub fn by_branch(entries: &[Entry]) -> BTreeMap<(String, String), Vec<&Entry>> {
    let mut map: BTreeMap<(String, String), Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        map.entry((e.repo.clone(), e.branch.clone())).or_default().push(e);
    }
    map
}

/// Now as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let secs = now.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_torn_last_line_is_skipped_and_not_glued_to_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let entry = Entry::new("h", "r", "b", Event::Started);
        let line = serde_json::to_string(&entry).unwrap();
        std::fs::write(dir.path().join(JOURNAL), format!("{line}\n{}", &line[..10])).unwrap();
        let journal = Journal::open(dir.path()).unwrap();
        journal.append(&Entry::new("h", "r", "b", Event::Committed)).unwrap();
        let read = read(dir.path());
        assert_eq!(read.iter().map(|e| e.outcome).collect::<Vec<_>>(), [Event::Started, Event::Committed]);
        assert!(read[0].time.ends_with('Z') && read[0].time.len() == 24, "{}", read[0].time);
    }
}
