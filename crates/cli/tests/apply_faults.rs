//! End-to-end faults of `ripple apply`: a SIGTERM in the middle of a run over a few thousand
//! files, a file saved by someone else after it was planned, and the same tree given under two
//! spellings.

mod common;

use common::{files_under, ripple, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const OLD: &str = "select user_name from users;\n";
const NEW: &str = "select username as user_name from users;\n";
const CHANGES: &str =
    "changes:\n  - kind: rename_column\n    table: users\n    from: user_name\n    to: username\n";

fn tree(dirs: usize, files: usize) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("changes.yaml"), CHANGES).unwrap();
    let mut paths = Vec::new();
    for d in 0..dirs {
        let sub = dir.path().join(format!("t/d{d:02}"));
        std::fs::create_dir_all(&sub).unwrap();
        for f in 0..files {
            let path = sub.join(format!("f{f:03}.sql"));
            std::fs::write(&path, OLD).unwrap();
            paths.push(path);
        }
    }
    (dir, paths)
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(".ripple-"))
        .collect()
}

/// Starts `ripple apply` over the tree and returns once it has rewritten the first file of
/// the plan (its output goes to out.txt and err.txt).
fn apply_under_way(dir: &Path, first: &Path, deadline: Instant) -> Child {
    let out = std::fs::File::create(dir.join("out.txt")).unwrap();
    let err = std::fs::File::create(dir.join("err.txt")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ripple"))
        .args(["apply", "--changes", "changes.yaml", "t"])
        .current_dir(dir)
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .spawn()
        .unwrap();
    while std::fs::read_to_string(first).unwrap() == OLD && child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "apply never started");
        std::thread::sleep(Duration::from_millis(2));
    }
    child
}

fn wait_until(child: &mut Child, deadline: Instant) -> ExitStatus {
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("apply did not stop in time");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn sigterm_during_apply_leaves_no_temporary_file_and_no_half_written_file() {
    let (dir, paths) = tree(30, 100);
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut child = apply_under_way(dir.path(), &paths[0], deadline);
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = wait_until(&mut child, deadline);
    let err = std::fs::read_to_string(dir.path().join("err.txt")).unwrap();
    assert_eq!(status.code(), Some(143), "{err}");
    assert!(err.contains("interrupted by SIGTERM"), "{err}");
    assert_eq!(temp_files(dir.path()), Vec::<PathBuf>::new());
    let mut rewritten = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text == OLD || text == NEW, "{}: {text:?}", path.display());
        rewritten += usize::from(text == NEW);
    }
    assert!(rewritten >= 1, "{err}");

    // The next run finishes the work.
    let o = ripple(dir.path(), &["apply", "--changes", "changes.yaml", "t"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(paths.iter().all(|p| std::fs::read_to_string(p).unwrap() == NEW));
}

#[test]
fn a_file_saved_after_it_was_planned_is_kept_and_apply_exits_1() {
    let (dir, paths) = tree(20, 100);
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut child = apply_under_way(dir.path(), &paths[0], deadline);
    // The last file of the plan is written last: saved now, it changed after it was planned.
    let last = paths.last().unwrap();
    let mine = "select user_name, id from users;\n";
    std::fs::write(last, mine).unwrap();
    let status = wait_until(&mut child, deadline);
    let err = std::fs::read_to_string(dir.path().join("err.txt")).unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("t/d19/f099.sql: changed on disk since it was planned"), "{err}");
    assert_eq!(std::fs::read_to_string(last).unwrap(), mine);
    assert!(paths[..paths.len() - 1].iter().all(|p| std::fs::read_to_string(p).unwrap() == NEW));
    assert_eq!(temp_files(dir.path()), Vec::<PathBuf>::new());
}

#[test]
fn a_tree_given_twice_under_two_spellings_is_planned_and_applied_once() {
    let (dir, paths) = tree(1, 2);
    let absolute = dir.path().join("t");
    let o = ripple(dir.path(), &["apply", "--changes", "changes.yaml", "t", absolute.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let rewrote: Vec<&str> = out.lines().filter(|l| l.starts_with("rewrote ")).collect();
    assert_eq!(rewrote, ["rewrote t/d00/f000.sql (1 edits)", "rewrote t/d00/f001.sql (1 edits)"], "{out}");
    assert!(paths.iter().all(|p| std::fs::read_to_string(p).unwrap() == NEW));
}
