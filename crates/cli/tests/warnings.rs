//! End-to-end: the change set checked against the tree. A column the catalog does not know,
//! a change nothing references and a tree with nothing to scan are warned about on stderr and
//! in the JSON plan; `--strict` makes them exit 2.

mod common;

use common::{ripple, stderr, stdout};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// A tree whose DDL defines `users`, and a change file that misspells its column.
fn misspelled() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    write(&dir.path().join("src"), "schema.sql", "CREATE TABLE users (id INT, user_name TEXT);\n");
    write(&dir.path().join("src"), "report.sql", "SELECT user_name FROM users;\n");
    write(dir.path(), "changes.yaml", "changes:\n  - {kind: drop_column, table: users, column: user_nme}\n");
    dir
}

#[test]
fn a_misspelled_column_is_warned_about_with_the_nearest_name() {
    let dir = misspelled();
    let o = ripple(dir.path(), &["plan", "--format", "json", "--changes", "changes.yaml", "src"]);
    assert_eq!(o.status.code(), Some(0), "a warning alone does not fail: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning: drop column users.user_nme: users has no column user_nme in the catalog; did you mean user_name?"), "{err}");
    assert!(err.contains("no edit and no finding is about this change"), "{err}");
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let warnings = plan["warnings"].as_array().expect("warnings in the JSON plan");
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().all(|w| w["change"] == 0 && w["message"].is_string()), "{warnings:?}");

    let o = ripple(dir.path(), &["plan", "--strict", "--changes", "changes.yaml", "src"]);
    assert_eq!(o.status.code(), Some(2), "--strict fails on warnings");
    let o = ripple(dir.path(), &["apply", "--strict", "--changes", "changes.yaml", "src"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing written"), "{}", stderr(&o));
}

#[test]
fn a_plan_without_warnings_has_no_warnings_field() {
    let dir = misspelled();
    write(dir.path(), "changes.yaml", "changes:\n  - {kind: drop_column, table: users, column: user_name}\n");
    let o = ripple(dir.path(), &["plan", "--strict", "--format", "json", "--changes", "changes.yaml", "src"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(plan.get("warnings").is_none(), "{plan}");
}

#[test]
fn nothing_to_scan_is_warned_about() {
    let dir = misspelled();
    for tree in ["empty", "text_only"] {
        std::fs::create_dir(dir.path().join(tree)).unwrap();
    }
    write(&dir.path().join("text_only"), "notes.txt", "users.user_name is renamed\n");
    for tree in ["empty", "text_only"] {
        let o = ripple(dir.path(), &["plan", "--format", "json", "--changes", "changes.yaml", tree]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stderr(&o).contains(&format!("warning: no files to scan under {tree}")), "{}", stderr(&o));
        let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(plan["warnings"].as_array().map(Vec::len), Some(1), "{plan}");
        assert!(plan["warnings"][0].get("change").is_none(), "{plan}");
        let o = ripple(dir.path(), &["plan", "--strict", "--changes", "changes.yaml", tree]);
        assert_eq!(o.status.code(), Some(2));
    }
    let o = ripple(dir.path(), &["plan", "--changes", "changes.yaml", "no_such_dir"]);
    assert_eq!(o.status.code(), Some(2), "a path that does not exist is bad input");
}

#[test]
fn info_findings_are_counted_unless_verbose() {
    let dir = misspelled();
    write(&dir.path().join("src"), "job.py", "# reads users.user_name\n");
    write(dir.path(), "changes.yaml", "changes:\n  - {kind: drop_column, table: users, column: user_name}\n");
    let o = ripple(dir.path(), &["plan", "--changes", "changes.yaml", "src"]);
    let text = stdout(&o);
    assert!(text.contains("1 info findings (-v lists them)"), "{text}");
    assert!(!text.contains("info[python/unanalysed-mention]"), "{text}");
    assert!(
        text.contains("src/report.sql: dropped-read (1)"),
        "review findings are grouped by file and reason:\n{text}"
    );
    let o = ripple(dir.path(), &["plan", "-v", "--changes", "changes.yaml", "src"]);
    let text = stdout(&o);
    assert!(text.contains("info[python/unanalysed-mention]") && text.contains("(comment)"), "{text}");
}
