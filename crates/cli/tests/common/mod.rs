//! Helpers shared by the end-to-end tests: run the `ripple` binary, read its output, and
//! make output comparable across runs.
#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, where the fixtures and the README's commands live.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/cli is two levels down")
        .to_path_buf()
}

/// Runs `ripple` in `cwd`, with colors left to the terminal test (stdout is a pipe here).
pub fn ripple(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ripple"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .output()
        .expect("run ripple")
}

/// Runs `ripple` in `cwd`, asserts that it exits 0, and returns its standard output.
pub fn ripple_ok(cwd: &Path, args: &[&str]) -> String {
    let o = ripple(cwd, args);
    assert_eq!(o.status.code(), Some(0), "ripple {}: {}", args.join(" "), stderr(&o));
    stdout(&o)
}

/// Every file below `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    files.sort();
    files
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

/// Replaces the run time, the one thing that differs between runs.
pub fn scrub(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| match (line.rfind(", in "), line.rfind(" ms.")) {
            (Some(a), Some(b)) if a < b => format!("{}<t>{}", &line[..a + 5], &line[b..]),
            _ => line.to_string(),
        })
        .collect()
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `ripple plan -v` over `fixtures/<suite>/<dir>` with the suite's change file and `extra`
/// options, from the repository root: asserts that it exits 0 and returns its scrubbed output.
pub fn plan_fixture(suite: &str, dir: &str, extra: &[&str]) -> String {
    let changes = format!("fixtures/{suite}/changes.yaml");
    let path = format!("fixtures/{suite}/{dir}");
    let mut args = vec!["plan", "-v", "--changes", &changes];
    args.extend_from_slice(extra);
    args.push(&path);
    let o = ripple(&root(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    scrub(&stdout(&o))
}

/// `ripple plan -v --format FORMAT` over the whole of `fixtures/<suite>` with its
/// `changes.yaml`, from the workspace root; its stdout, unscrubbed (JSON must stay JSON).
pub fn plan_suite(suite: &str, format: &str) -> String {
    let changes = format!("fixtures/{suite}/changes.yaml");
    let path = format!("fixtures/{suite}");
    let o = ripple(&root(), &["plan", "-v", "--format", format, "--changes", &changes, &path]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

/// Plans the `negative` fixture of `fixtures/<suite>` in both output-name modes and asserts
/// that nothing is edited and that the output mentions none of `absent`.
pub fn assert_negatives_untouched(suite: &str, absent: &[&str]) {
    for mode in ["preserve", "propagate"] {
        let text = plan_fixture(suite, "negative", &["--output-names", mode]);
        assert!(text.contains("0 edits"), "{mode}: {text}");
        assert!(!text.contains("@@"), "{mode}: {text}");
        for word in absent {
            assert!(!text.contains(word), "{mode}: {text}");
        }
    }
}

/// Applies the change file of `fixtures/<suite>` to a copy of it with `extra` options, and
/// asserts that planning again finds nothing more to edit.
pub fn assert_apply_is_idempotent(suite: &str, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures").join(suite), dir.path());
    let changes = dir.path().join("changes.yaml");
    let changes = changes.to_str().unwrap();
    let run = |command: &[&str]| {
        let mut args = vec![command[0]];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--changes", changes]);
        args.extend_from_slice(&command[1..]);
        args.push(".");
        ripple(dir.path(), &args)
    };
    let o = run(&["apply"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let again = run(&["plan", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_str(&stdout(&again)).unwrap();
    assert_eq!(plan["summary"]["edits"], 0, "{extra:?}: {}", stdout(&again));
}
