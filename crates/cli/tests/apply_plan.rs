//! `ripple apply --plan plan.json`: exactly the edits of a saved plan are written; a file
//! changed since it was planned is refused (exit 1, a message naming it) while the others are
//! written; a plan that does not read back is bad input.

mod common;

use common::{copy_tree, ripple, root, scrub, stderr, stdout};
use std::path::Path;

/// The demo tree copied to a temporary directory, with its JSON plan saved as plan.json
/// (paths relative to the directory, which is where apply runs).
fn planned_demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/demo"), &dir.path().join("demo"));
    let o = ripple(dir.path(), &["plan", "--format", "json", "--changes", "demo/changes.yaml", "demo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::write(dir.path().join("plan.json"), stdout(&o)).unwrap();
    dir
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap()
}

/// Every file of the tree, relative, with its text.
fn tree_files(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                files.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn a_saved_plan_writes_what_apply_writes() {
    let saved = planned_demo();
    let o = ripple(saved.path(), &["apply", "--plan", "plan.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");

    let direct = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/demo"), &direct.path().join("demo"));
    let o = ripple(direct.path(), &["apply", "--changes", "demo/changes.yaml", "demo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(tree_files(&saved.path().join("demo")), tree_files(&direct.path().join("demo")));
}

#[test]
fn a_file_changed_since_the_plan_is_refused_and_the_others_are_written() {
    let dir = planned_demo();
    let changed = "demo/analytics/reports/active_users.sql";
    let mine = read(dir.path(), changed) + "-- saved by someone else\n";
    std::fs::write(dir.path().join(changed), &mine).unwrap();

    let o = ripple(dir.path(), &["apply", "--plan", "plan.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!(
        "apply_plan_refuses_a_changed_file",
        format!("{}\n---\n{}", scrub(&stdout(&o)), stderr(&o))
    );
    assert_eq!(read(dir.path(), changed), mine, "the changed file is left as its owner saved it");
    assert!(read(dir.path(), "demo/warehouse/models/staging/stg_users.sql").contains("username"));

    // Everything else is written now: a second run refuses every file and writes nothing.
    let before = tree_files(dir.path());
    let o = ripple(dir.path(), &["apply", "--plan", "plan.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(tree_files(dir.path()), before);
}

#[test]
fn an_edit_that_does_not_fit_the_file_is_refused() {
    let dir = planned_demo();
    let text = read(dir.path(), "plan.json");
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    let path = plan["files"][0]["path"].as_str().unwrap().to_string();
    let edit = &mut plan["files"][0]["edits"][0];
    edit["before"] = serde_json::Value::String("not what is there".into());
    let (line, column) = (edit["line"].as_u64().unwrap(), edit["column"].as_u64().unwrap());
    std::fs::write(dir.path().join("plan.json"), plan.to_string()).unwrap();
    let original = read(dir.path(), &path);

    let o = ripple(dir.path(), &["apply", "--plan", "plan.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let expected = format!(
        "error: {path}: the plan's edit at {line}:{column} does not match the file's bytes; not written\n"
    );
    assert_eq!(stderr(&o), expected);
    assert_eq!(read(dir.path(), &path), original);
}

#[test]
fn a_plan_that_does_not_read_back_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.json"), "{\"version\": 1,\n \"changes\": 3}\n").unwrap();
    let o = ripple(dir.path(), &["apply", "--plan", "plan.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: plan.json:2:13: not a ripple plan: invalid type: integer `3`, expected a sequence\n"
    );

    let demo = planned_demo();
    let text = read(demo.path(), "plan.json").replacen("\"version\": 1", "\"version\": 2", 1);
    std::fs::write(dir.path().join("plan.json"), text).unwrap();
    let o = ripple(dir.path(), &["apply", "--plan", "plan.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: plan.json: plan version 2 is not 1, the one this ripple reads\n");
}

#[test]
fn plan_and_changes_do_not_go_together() {
    let dir = tempfile::tempdir().unwrap();
    let o = ripple(dir.path(), &["apply", "--plan", "plan.json", "--changes", "c.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
    let o = ripple(dir.path(), &["apply"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--changes <FILE>"), "{}", stderr(&o));
}
