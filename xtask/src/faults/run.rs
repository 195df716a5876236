//! Running the ripple binary with a time limit, and the file-tree chores of the suite.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The change set most faults run with.
pub const CHANGES: &str =
    "changes:\n  - kind: rename_column\n    table: users\n    from: user_name\n    to: username\n";

/// The ripple binary under test.
pub struct Ripple {
    bin: PathBuf,
}

/// How one run ended.
pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub timed_out: bool,
    pub took: Duration,
}

impl Outcome {
    /// A Rust panic, or a death by a signal ripple never sends itself (an abort, a segfault).
    pub fn panicked(&self) -> bool {
        self.code == Some(101) || self.stderr.contains("panicked at") || self.code.is_none()
    }
}

impl Ripple {
    /// The binary given, else the debug build of ripple-cli, built first.
    pub fn new(given: Option<PathBuf>) -> Result<Ripple> {
        if let Some(bin) = given {
            return Ok(Ripple {
                bin: std::fs::canonicalize(&bin).with_context(|| bin.display().to_string())?,
            });
        }
        let root = crate::workspace_root();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--locked", "--quiet", "-p", "ripple-cli"])
            .current_dir(&root)
            .status()
            .context("run cargo build")?;
        if !status.success() {
            bail!("cargo build -p ripple-cli failed");
        }
        let target =
            std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |d| root.join(d));
        Ok(Ripple { bin: target.join("debug").join(format!("ripple{}", std::env::consts::EXE_SUFFIX)) })
    }

    /// Starts ripple in `cwd`; its output goes to files in `cwd`'s parent.
    pub fn spawn(&self, cwd: &Path, args: &[&str]) -> Result<Child> {
        let logs = cwd.parent().unwrap_or(cwd);
        let out = std::fs::File::create(logs.join("ripple.out"))?;
        let err = std::fs::File::create(logs.join("ripple.err"))?;
        Command::new(&self.bin)
            .args(args)
            .current_dir(cwd)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .with_context(|| format!("run {}", self.bin.display()))
    }

    /// Runs ripple in `cwd` and waits at most `limit`.
    pub fn run(&self, cwd: &Path, args: &[&str], limit: Duration) -> Result<Outcome> {
        let started = Instant::now();
        let mut child = self.spawn(cwd, args)?;
        let (code, timed_out) = wait(&mut child, limit)?;
        let logs = cwd.parent().unwrap_or(cwd);
        Ok(Outcome {
            code,
            stdout: std::fs::read(logs.join("ripple.out"))?,
            stderr: String::from_utf8_lossy(&std::fs::read(logs.join("ripple.err"))?).into_owned(),
            timed_out,
            took: started.elapsed(),
        })
    }
}

/// Waits for `child` at most `limit`, then kills it: its exit code (none after a signal) and
/// whether it ran out of time.
pub fn wait(child: &mut Child, limit: Duration) -> Result<(Option<i32>, bool)> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok((status.code(), false));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Ok((None, true));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Does an error message say where: `file:line:column:` on some line?
pub fn located(stderr: &str) -> bool {
    stderr.lines().any(|l| {
        let mut parts = l.split(':').map(str::trim);
        let mut prev_numeric = false;
        // `path:12:3: message`: two numeric fields in a row.
        parts.any(|p| {
            let numeric = !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
            let pair = numeric && prev_numeric;
            prev_numeric = numeric;
            pair
        })
    })
}

/// Writes `text` at `root/rel`, creating folders.
pub fn write(root: &Path, rel: &str, text: impl AsRef<[u8]>) -> Result<()> {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a relative path has a parent"))?;
    std::fs::write(&path, text).with_context(|| path.display().to_string())
}

/// Every file under `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(p),
                _ => out.push(p),
            }
        }
    }
    out.sort();
    out
}

/// ripple's temporary files under `dir`.
pub fn temp_files(dir: &Path) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains(".ripple-")))
        .map(|p| p.display().to_string())
        .collect()
}

/// Copies the tree `from` to `to` (files and folders only).
pub fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    for f in files_under(from) {
        let rel = f.strip_prefix(from)?;
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().expect("under `to`"))?;
        std::fs::copy(&f, &dest).with_context(|| f.display().to_string())?;
    }
    Ok(())
}

/// Gives the owner write access to everything under `dir`, so that it can be removed.
pub fn make_writable(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let _ = std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755));
            let Ok(entries) = std::fs::read_dir(&d) else { continue };
            for e in entries.flatten() {
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(e.path());
                }
            }
        }
    }
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::located;

    #[test]
    fn a_place_is_two_numbers_after_a_name() {
        assert!(located("error: c.yaml:3:7: unknown field `kin`\n"));
        assert!(located("c.yaml:12:1: expected a list"));
        assert!(!located("error: c.yaml: no changes"));
        assert!(!located("error: cannot read 12 files"));
    }
}
