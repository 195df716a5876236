//! The few git operations a campaign needs, run by the `git` binary so the user's own
//! configuration, hooks and credentials apply as they do by hand.

use std::path::Path;
use std::process::Command;

/// Runs git in `dir`; its trimmed stdout, or what it said on stderr.
pub fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        Err(format!("git {}: {err}", args.join(" ")))
    }
}

/// The commit the checkout's HEAD is at.
pub fn head(repo: &Path) -> Result<String, String> {
    git(repo, &["rev-parse", "--verify", "HEAD"])
}

/// The commit a local branch points to, if it exists.
pub fn branch_tip(repo: &Path, branch: &str) -> Option<String> {
    git(repo, &["rev-parse", "--verify", "--quiet", &format!("refs/heads/{branch}")]).ok()
}

/// Creates `branch` at `base` and checks it out in a new worktree at `path`; the checkout's
/// own branch, index and working tree stay as they are.
pub fn add_worktree(repo: &Path, path: &Path, branch: &str, base: &str) -> Result<(), String> {
    let path = path.to_string_lossy();
    git(repo, &["worktree", "add", "--quiet", "-b", branch, &path, base]).map(drop)
}

/// Removes a worktree, whether git still knows it or a crash left only its directory.
pub fn remove_worktree(repo: &Path, path: &Path) {
    if path.exists() {
        let _ = git(repo, &["worktree", "remove", "--force", &path.to_string_lossy()]);
        let _ = std::fs::remove_dir_all(path);
    }
    // The repo's directory of worktrees goes with its last one, and the campaign's with that.
    for dir in path.ancestors().skip(1).take(2) {
        let _ = std::fs::remove_dir(dir);
    }
    let _ = git(repo, &["worktree", "prune"]);
}

/// Deletes a local branch if it exists.
pub fn delete_branch(repo: &Path, branch: &str) -> Result<(), String> {
    if branch_tip(repo, branch).is_none() {
        return Ok(());
    }
    git(repo, &["branch", "-D", "--quiet", branch]).map(drop)
}

/// Commits `files` (relative to the worktree) with `message`; the new commit.
pub fn commit(worktree: &Path, files: &[&Path], message: &str) -> Result<String, String> {
    let mut add = vec!["add", "--"];
    let names: Vec<String> = files.iter().map(|f| f.to_string_lossy().into_owned()).collect();
    add.extend(names.iter().map(String::as_str));
    git(worktree, &add)?;
    git(worktree, &["commit", "--quiet", "-m", message])?;
    head(worktree)
}
