//! End-to-end faults of `ripple apply`: a SIGTERM in the middle of a run over a few thousand
//! files, and the same tree given under two spellings.

mod common;

use common::{ripple, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else if e.file_name().to_string_lossy().contains(".ripple-") {
                found.push(e.path());
            }
        }
    }
    found
}

#[test]
fn sigterm_during_apply_leaves_no_temporary_file_and_no_half_written_file() {
    let (dir, paths) = tree(30, 100);
    let out = std::fs::File::create(dir.path().join("out.txt")).unwrap();
    let err = std::fs::File::create(dir.path().join("err.txt")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ripple"))
        .args(["apply", "--changes", "changes.yaml", "t"])
        .current_dir(dir.path())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    // Once the first file of the plan is rewritten, apply is under way.
    while std::fs::read_to_string(&paths[0]).unwrap() == OLD && child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "apply never started");
        std::thread::sleep(Duration::from_millis(2));
    }
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("apply did not stop after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
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
