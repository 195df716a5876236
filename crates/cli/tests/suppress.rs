//! End-to-end: `ripple: ignore` comments in every language take an edit or a finding out of
//! the plan, and a baseline hides the findings it recorded, matched by path, rule and the
//! text of their line.

mod common;

use common::{copy_tree, ripple, root, scrub, stderr, stdout};
use std::path::Path;

fn plan_in(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["plan", "--format", "json", "--changes", "changes.yaml"];
    args.extend_from_slice(extra);
    args.push(".");
    let o = ripple(dir, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn suppression_comments() {
    let o =
        ripple(&root(), &["plan", "-v", "--changes", "fixtures/suppress/changes.yaml", "fixtures/suppress"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("suppression_comments", scrub(&stdout(&o)));
}

/// Findings of a baseline stay hidden when lines above them move; a new finding shows.
#[test]
fn a_baseline_hides_what_it_recorded() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/suppress"), dir.path());
    let first = plan_in(dir.path(), &["--write-baseline", "baseline.json"]);
    let recorded = first["findings"].as_array().unwrap().len();
    assert!(recorded > 0, "{first:#}");
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap()).unwrap();
    assert_eq!(baseline["findings"].as_array().unwrap().len(), recorded);

    let again = plan_in(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(again["findings"], serde_json::json!([]), "{again:#}");
    assert_eq!(
        again["summary"]["suppressed"],
        first["summary"]["suppressed"].as_u64().unwrap_or(0) + recorded as u64
    );
    assert!(!again["files"].as_array().unwrap().is_empty(), "a baseline hides findings, not edits");

    // Two new lines above every finding, and one new finding.
    let report = dir.path().join("sql/report.sql");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, format!("SELECT 1;\nSELECT legacy_flag FROM users u;\n{text}")).unwrap();
    let later = plan_in(dir.path(), &["--baseline", "baseline.json"]);
    let left: Vec<String> = later["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}:{} {}", f["path"].as_str().unwrap(), f["line"], f["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(left, ["sql/report.sql:2 sql/dropped-column"]);
}

#[test]
fn a_malformed_baseline_is_bad_input_located() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/suppress"), dir.path());
    std::fs::write(dir.path().join("baseline.json"), "{\"version\": 1,\n \"findings\": [1]}\n").unwrap();
    let o = ripple(dir.path(), &["plan", "--changes", "changes.yaml", "--baseline", "baseline.json", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: baseline.json:2:"), "{}", stderr(&o));
}
