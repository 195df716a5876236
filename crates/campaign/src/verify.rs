//! Running a verify or publish command: `sh -c` in the branch's worktree, output to a log
//! file, killed with its whole process group when its time is up.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How a command ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Its exit code; none when it was killed (by the timeout or a signal).
    pub exit_code: Option<i32>,
    /// Wall time.
    pub duration_ms: u64,
    /// Killed because its time was up.
    pub timed_out: bool,
    /// The last lines of its output, for the journal and the status.
    pub log_tail: String,
}

impl Outcome {
    /// Exited with 0.
    pub fn passed(&self) -> bool {
        self.exit_code == Some(0)
    }

    /// What happened, in a few words.
    pub fn summary(&self) -> String {
        match (self.timed_out, self.exit_code) {
            (true, _) => format!("timed out after {:.1} s", self.duration_ms as f64 / 1000.0),
            (false, Some(code)) => format!("exited {code} in {:.1} s", self.duration_ms as f64 / 1000.0),
            (false, None) => "killed by a signal".to_string(),
        }
    }
}

/// Lines of output the journal keeps of a failed command.
const TAIL_LINES: usize = 20;

/// Runs `command` in `dir` with `env`, writing its output to `log`.
pub fn run(command: &str, dir: &Path, env: &[(&str, String)], timeout: Duration, log: &Path) -> Outcome {
    let started = Instant::now();
    let fail =
        |message: String| Outcome { exit_code: None, duration_ms: 0, timed_out: false, log_tail: message };
    if let Some(parent) = log.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let Ok(out) = std::fs::File::create(log) else { return fail(format!("cannot write {}", log.display())) };
    let Ok(err) = out.try_clone() else { return fail(format!("cannot write {}", log.display())) };
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(command).current_dir(dir).stdin(Stdio::null()).stdout(out).stderr(err).process_group(0);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return fail(format!("cannot run sh: {e}")),
    };
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= timeout => {
                timed_out = true;
                kill_group(child.id());
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    Outcome {
        exit_code: if timed_out { None } else { status.and_then(|s| s.code()) },
        duration_ms: started.elapsed().as_millis() as u64,
        timed_out,
        log_tail: tail(log),
    }
}

fn kill_group(pid: u32) {
    if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
}

fn tail(log: &Path) -> String {
    let text = std::fs::read(log).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n")
}
