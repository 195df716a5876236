//! End-to-end: the `ripple` binary over the Python fixture tree (embedded SQL in every
//! string form, the host APIs, output-name modes, and prose that must stay untouched).

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn plan(extra: &[&str]) -> String {
    let mut args = vec!["plan", "--changes", "fixtures/python/changes.yaml"];
    args.extend_from_slice(extra);
    args.push("fixtures/python");
    let o = Command::new(env!("CARGO_BIN_EXE_ripple"))
        .args(&args)
        .current_dir(root())
        .output()
        .expect("run ripple");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).expect("utf-8 stdout");
    // The run time is the one thing that differs between runs.
    text.lines()
        .map(|l| match (l.rfind(", in "), l.rfind(" ms.")) {
            (Some(a), Some(b)) if a < b => format!("{}<t>{}", &l[..a + 5], &l[b..]),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn json(extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["plan", "--format", "json", "--changes", "fixtures/python/changes.yaml"];
    args.extend_from_slice(extra);
    args.push("fixtures/python");
    let o = Command::new(env!("CARGO_BIN_EXE_ripple"))
        .args(&args)
        .current_dir(root())
        .output()
        .expect("run ripple");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

#[test]
fn python_fixture_preserve() {
    insta::assert_snapshot!("python_preserve", plan(&[]));
}

#[test]
fn python_fixture_propagate() {
    insta::assert_snapshot!("python_propagate", plan(&["--output-names", "propagate"]));
}

#[test]
fn negatives_are_never_edited() {
    for extra in [&[][..], &["--output-names", "propagate"][..]] {
        let plan = json(extra);
        let files = plan["files"].as_array().expect("files");
        assert!(
            files.iter().all(|f| !f["path"].as_str().unwrap_or("").ends_with("negatives.py")),
            "negatives.py must stay untouched: {plan:#}"
        );
    }
}
