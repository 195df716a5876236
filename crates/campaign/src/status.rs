//! `campaign status` and `campaign merge`: what the journal says of each planned branch,
//! per repo and per owner, over one state directory or the shards' several.

use crate::journal::{self, Entry, Event};
use crate::state::{self, Manifest};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where a branch stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BranchState {
    /// Not tried yet (or the campaign stopped before it).
    Planned,
    /// A run is making it, or was killed while it did (the next run makes it again).
    InProgress,
    /// Made, committed and verified (or no verify command); its worktree is gone.
    Done,
    /// Failed and deleted, or deleted by `campaign rollback`.
    RolledBack,
    /// Not made: a producer did not verify, or the branch name was taken.
    Blocked,
}

/// One branch.
#[derive(Debug, Clone, Serialize)]
pub struct BranchStatus {
    /// The branch.
    pub branch: String,
    /// Its owners.
    pub owner: String,
    /// Where it stands.
    pub state: BranchState,
    /// Its edits were committed.
    pub applied: bool,
    /// Its verify command passed.
    pub verified: bool,
    /// It failed (to apply, commit or verify).
    pub failed: bool,
    /// Its publish command passed.
    pub published: bool,
    /// Its commit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The verify command's exit code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_exit: Option<i32>,
    /// Why it failed, was rolled back or blocked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The end of the failed command's log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_tail: Option<String>,
}

/// One repo.
#[derive(Debug, Clone, Serialize)]
pub struct RepoStatus {
    /// Its name.
    pub repo: String,
    /// Its branches.
    pub branches: Vec<BranchStatus>,
    /// Its review findings, none of which ripple can close.
    pub findings_open: usize,
}

/// Counts over branches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Branches planned.
    pub planned: usize,
    /// Committed.
    pub applied: usize,
    /// Verified.
    pub verified: usize,
    /// Failed.
    pub failed: usize,
    /// Deleted again.
    pub rolled_back: usize,
    /// Not made.
    pub blocked: usize,
    /// Review findings.
    pub findings_open: usize,
}

/// The status of a campaign.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// Its name.
    pub campaign: String,
    /// The change set's hash.
    pub change_set: String,
    /// Over every branch.
    pub totals: Counts,
    /// By owner.
    pub owners: BTreeMap<String, Counts>,
    /// By repo name.
    pub repos: Vec<RepoStatus>,
}

/// Reads one state directory, or merges several (the shards of one campaign).
pub fn load_status(states: &[PathBuf]) -> Result<Status, String> {
    let mut status: Option<Status> = None;
    for dir in states {
        let manifest = state::read_manifest(dir)?
            .ok_or_else(|| format!("{}: no campaign here (campaign.json is missing)", dir.display()))?;
        let one = status_of(&manifest, &journal::read(dir));
        status = Some(match status {
            None => one,
            Some(s) => merge(s, one, dir)?,
        });
    }
    let mut status = status.ok_or("no state directory given")?;
    status.repos.sort_by(|a, b| a.repo.cmp(&b.repo));
    Ok(status)
}

fn merge(mut into: Status, other: Status, dir: &Path) -> Result<Status, String> {
    if into.change_set != other.change_set || into.campaign != other.campaign {
        return Err(format!(
            "{}: campaign `{}` (change set {}) is not campaign `{}` (change set {})",
            dir.display(),
            other.campaign,
            other.change_set,
            into.campaign,
            into.change_set
        ));
    }
    for repo in other.repos {
        if into.repos.iter().any(|r| r.repo == repo.repo) {
            return Err(format!("{}: repo `{}` is in two state directories", dir.display(), repo.repo));
        }
        into.repos.push(repo);
    }
    add(&mut into.totals, &other.totals);
    for (owner, counts) in other.owners {
        add(into.owners.entry(owner).or_default(), &counts);
    }
    Ok(into)
}

fn add(into: &mut Counts, c: &Counts) {
    into.planned += c.planned;
    into.applied += c.applied;
    into.verified += c.verified;
    into.failed += c.failed;
    into.rolled_back += c.rolled_back;
    into.blocked += c.blocked;
    into.findings_open += c.findings_open;
}

fn status_of(manifest: &Manifest, entries: &[Entry]) -> Status {
    let by_branch = journal::by_branch(entries);
    let mut totals = Counts::default();
    let mut owners: BTreeMap<String, Counts> = BTreeMap::new();
    let mut repos = Vec::new();
    for repo in &manifest.repos {
        let mut branches = Vec::new();
        for group in manifest.groups.iter().filter(|g| g.repo == repo.name) {
            let events =
                by_branch.get(&(group.repo.clone(), group.branch.clone())).map_or(&[][..], |v| &v[..]);
            let b = branch_status(&group.branch, &group.owner, events);
            let counts = owners.entry(group.owner.clone()).or_default();
            for c in [&mut totals, counts] {
                c.planned += 1;
                c.applied += usize::from(b.applied);
                c.verified += usize::from(b.verified);
                c.failed += usize::from(b.failed);
                c.rolled_back += usize::from(b.state == BranchState::RolledBack);
                c.blocked += usize::from(b.state == BranchState::Blocked);
            }
            branches.push(b);
        }
        for f in &repo.findings {
            owners.entry(f.owner.clone()).or_default().findings_open += 1;
            totals.findings_open += 1;
        }
        repos.push(RepoStatus { repo: repo.name.clone(), branches, findings_open: repo.findings.len() });
    }
    Status {
        campaign: manifest.campaign.clone(),
        change_set: manifest.change_set.clone(),
        totals,
        owners,
        repos,
    }
}

/// A branch's standing from its journal entries: those of its last attempt, plus a
/// rollback that came after it.
fn branch_status(branch: &str, owner: &str, events: &[&Entry]) -> BranchStatus {
    let from = events.iter().rposition(|e| e.outcome == Event::Abandoned).map_or(0, |i| i + 1);
    let attempt = &events[from..];
    let has = |o: Event| attempt.iter().any(|e| e.outcome == o);
    let last = attempt.last().map(|e| e.outcome);
    let state = match last {
        None if from > 0 => BranchState::InProgress,
        None => BranchState::Planned,
        Some(Event::Finished) => BranchState::Done,
        Some(Event::RolledBack) => BranchState::RolledBack,
        Some(Event::Blocked) => BranchState::Blocked,
        Some(_) => BranchState::InProgress,
    };
    let reason = attempt.iter().rev().find_map(|e| e.reason.clone()).filter(|_| state != BranchState::Done);
    BranchStatus {
        branch: branch.to_string(),
        owner: owner.to_string(),
        state,
        applied: has(Event::Committed),
        verified: has(Event::Verified),
        failed: has(Event::Failed),
        published: has(Event::Published),
        commit: attempt.iter().rev().find_map(|e| e.commit.clone()),
        verify_exit: attempt.iter().rev().find_map(|e| e.verify_exit),
        reason,
        log_tail: attempt.iter().rev().find_map(|e| e.log_tail.clone()),
    }
}
