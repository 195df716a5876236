//! One branch's life: made at the checkout's HEAD in a worktree of its own, the group's edits
//! applied and committed, verified, described, published, and its worktree removed; or, on
//! failure, branch and worktree deleted again. Each step is journaled before the next.

use crate::describe::{self, Verification};
use crate::git;
use crate::impact::FileWork;
use crate::journal::{Entry, Event, Journal};
use crate::state::{write_atomic, Manifest, PlannedFinding, PlannedGroup, StateDir};
use crate::verify;
use crate::Repo;
use std::time::Duration;

/// What every branch of a run shares.
pub struct Context<'a> {
    /// The campaign's plan.
    pub manifest: &'a Manifest,
    /// The changes, as the commit message and description list them.
    pub changes: Vec<String>,
    /// Where worktrees, logs and descriptions go.
    pub state: &'a StateDir,
    /// The journal.
    pub journal: &'a Journal,
    /// `--publish`: run for each verified branch.
    pub publish: Option<&'a str>,
}

/// One branch to make.
pub struct Work<'a> {
    /// Its repo.
    pub repo: &'a Repo,
    /// What the manifest says of it.
    pub group: &'a PlannedGroup,
    /// Its files, with the bytes planned against and the rewritten ones.
    pub files: Vec<&'a FileWork>,
    /// The review findings its owners must act on.
    pub findings: Vec<&'a PlannedFinding>,
}

/// The journal could not be written: the run must stop, or it would forget what it did.
#[derive(Debug)]
pub struct JournalError(pub String);

impl Context<'_> {
    fn entry(&self, work: &Work, outcome: Event) -> Entry {
        Entry::new(&self.manifest.change_set, &work.repo.name, &work.group.branch, outcome)
    }

    fn append(&self, entry: Entry) -> Result<(), JournalError> {
        self.journal.append(&entry).map_err(|e| {
            JournalError(format!("{}: cannot write the journal: {e}", self.journal.path().display()))
        })
    }

    /// Makes the branch; its final event.
    pub fn make(&self, work: &Work) -> Result<Event, JournalError> {
        let repo = &work.repo.path;
        let branch = &work.group.branch;
        if git::branch_tip(repo, branch).is_some() {
            let mut e = self.entry(work, Event::Blocked);
            e.reason = Some(format!("branch {branch} already exists and was not made by this campaign"));
            self.append(e)?;
            return Ok(Event::Blocked);
        }
        let base = match git::head(repo) {
            Ok(b) => b,
            Err(reason) => return self.roll_back(work, Failure::plain(reason)),
        };
        let mut e = self.entry(work, Event::Started);
        e.base = Some(base.clone());
        self.append(e)?;
        let worktree = self.state.worktree(&work.repo.name, branch);
        if let Some(parent) = worktree.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if let Err(reason) = git::add_worktree(repo, &worktree, branch, &base) {
            return self.roll_back(work, Failure::plain(reason));
        }
        for f in &work.files {
            let target = worktree.join(&f.relative);
            if std::fs::read(&target).ok().as_deref() != Some(&f.plan.original[..]) {
                let reason = format!(
                    "{} differs from the committed version: commit or stash it in {} first",
                    f.relative.display(),
                    repo.display()
                );
                return self.roll_back(work, Failure::plain(reason));
            }
            if let Err(e) = std::fs::write(&target, &f.plan.rewritten) {
                return self
                    .roll_back(work, Failure::plain(format!("{}: cannot write: {e}", target.display())));
            }
        }
        let paths: Vec<&std::path::Path> = work.files.iter().map(|f| f.relative.as_path()).collect();
        let commit =
            match git::commit(&worktree, &paths, &describe::commit_message(self.manifest, &self.changes)) {
                Ok(c) => c,
                Err(reason) => return self.roll_back(work, Failure::plain(reason)),
            };
        let mut e = self.entry(work, Event::Committed);
        e.commit = Some(commit.clone());
        self.append(e)?;

        let verification = match &work.repo.verify {
            None => Verification::None,
            Some(command) => {
                let log = self.state.log(&work.repo.name, branch, "verify");
                let timeout = Duration::from_secs(work.repo.timeout_secs);
                let outcome = verify::run(command, &worktree, &self.env(work, &base), timeout, &log);
                let verification =
                    Verification::Ran { command, passed: outcome.passed(), summary: outcome.summary() };
                if !outcome.passed() {
                    self.describe(work, &verification);
                    let failure = Failure {
                        reason: format!("verify `{command}` {}", outcome.summary()),
                        exit: outcome.exit_code,
                        ms: Some(outcome.duration_ms),
                        log_tail: Some(outcome.log_tail),
                    };
                    return self.roll_back(work, failure);
                }
                let mut e = self.entry(work, Event::Verified);
                (e.commit, e.verify_exit, e.verify_ms) =
                    (Some(commit.clone()), outcome.exit_code, Some(outcome.duration_ms));
                self.append(e)?;
                verification
            }
        };
        let description = self.describe(work, &verification);
        if let Some(command) = self.publish {
            let log = self.state.log(&work.repo.name, branch, "publish");
            let mut env = self.env(work, &base);
            env.push(("RIPPLE_DESCRIPTION", description.to_string_lossy().into_owned()));
            let timeout = Duration::from_secs(work.repo.timeout_secs);
            let outcome = verify::run(command, &worktree, &env, timeout, &log);
            let mut e =
                self.entry(work, if outcome.passed() { Event::Published } else { Event::PublishFailed });
            if !outcome.passed() {
                (e.reason, e.log_tail) =
                    (Some(format!("publish {}", outcome.summary())), Some(outcome.log_tail));
            }
            self.append(e)?;
        }
        git::remove_worktree(repo, &worktree);
        let mut e = self.entry(work, Event::Finished);
        e.commit = Some(commit);
        self.append(e)?;
        Ok(Event::Finished)
    }

    /// What verify and publish commands are told of the branch.
    fn env(&self, work: &Work, base: &str) -> Vec<(&'static str, String)> {
        vec![
            ("RIPPLE_CAMPAIGN", self.manifest.campaign.clone()),
            ("RIPPLE_REPO", work.repo.name.clone()),
            (
                "RIPPLE_REPO_PATH",
                work.repo
                    .path
                    .canonicalize()
                    .unwrap_or_else(|_| work.repo.path.clone())
                    .to_string_lossy()
                    .into_owned(),
            ),
            ("RIPPLE_BRANCH", work.group.branch.clone()),
            ("RIPPLE_BASE", base.to_string()),
            ("RIPPLE_OWNERS", work.group.owner.clone()),
            ("RIPPLE_TITLE", describe::title(self.manifest)),
        ]
    }

    fn describe(&self, work: &Work, verification: &Verification) -> std::path::PathBuf {
        let path = self.state.description(&work.repo.name, &work.group.branch);
        let text =
            describe::description(self.manifest, &self.changes, work.group, &work.findings, verification);
        let _ = write_atomic(&path, text.as_bytes());
        path
    }

    /// Records a failure, deletes the worktree and the branch, and records that.
    fn roll_back(&self, work: &Work, failure: Failure) -> Result<Event, JournalError> {
        let mut e = self.entry(work, Event::Failed);
        (e.reason, e.verify_exit, e.verify_ms, e.log_tail) =
            (Some(failure.reason.clone()), failure.exit, failure.ms, failure.log_tail);
        self.append(e)?;
        self.clean(work.repo, &work.group.branch);
        let mut e = self.entry(work, Event::RolledBack);
        e.reason = Some(failure.reason);
        self.append(e)?;
        Ok(Event::RolledBack)
    }

    /// Deletes what this campaign made of a branch: its worktree and the branch itself.
    pub fn clean(&self, repo: &Repo, branch: &str) {
        git::remove_worktree(&repo.path, &self.state.worktree(&repo.name, branch));
        if let Err(e) = git::delete_branch(&repo.path, branch) {
            eprintln!("warning: {}: {e}", repo.name);
        }
    }
}

struct Failure {
    reason: String,
    exit: Option<i32>,
    ms: Option<u64>,
    log_tail: Option<String>,
}

impl Failure {
    fn plain(reason: String) -> Self {
        Failure { reason, exit: None, ms: None, log_tail: None }
    }
}
