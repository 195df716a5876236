//! End-to-end: output names carried across files (`--output-names propagate`) through a dbt
//! project (models, `schema.yml`, `sources.yml`), a chain of plain SQL views and a cycle,
//! against the default preserve mode.

mod common;

use common::{copy_tree, ripple, root, scrub, stdout};
use std::process::Output;

fn plan(mode: &str, format: &str) -> Output {
    ripple(
        &root(),
        &[
            "plan",
            "-v",
            "--changes",
            "fixtures/propagate/changes.yaml",
            "--output-names",
            mode,
            "--format",
            format,
            "fixtures/propagate",
        ],
    )
}

#[test]
fn preserve_keeps_model_outputs() {
    let o = plan("preserve", "text");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(!text.contains("schema.yml"), "preserve never touches model columns:\n{text}");
    assert!(!text.contains("sql/propagate-output"), "nothing is derived:\n{text}");
    insta::assert_snapshot!("propagate_preserve_text", scrub(&text));
}

#[test]
fn propagate_follows_models_across_files() {
    let o = plan("propagate", "text");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    insta::assert_snapshot!("propagate_propagate_text", scrub(&stdout(&o)));
}

#[test]
fn propagate_json_names_derived_changes() {
    let o = plan("propagate", "json");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    let changes = plan["changes"].as_array().expect("changes");
    // The change set as given comes first, unchanged: no derived fields (the dbt datasets
    // its table names are listed beside them).
    let mut first = changes[0].clone();
    let datasets = first.as_object_mut().and_then(|o| o.remove("datasets"));
    assert_eq!(
        first,
        serde_json::json!({"kind": "rename_column", "table": "users", "from": "user_name", "to": "username"})
    );
    assert_eq!(
        datasets.and_then(|d| d.as_array().map(Vec::len)),
        Some(2),
        "source app.users of both projects"
    );
    assert!(changes[1].get("derived_from").is_none());
    // Each derived change follows the one it derives from.
    for (i, c) in changes.iter().enumerate().skip(2) {
        let from = c["derived_from"].as_u64().expect("derived_from") as usize;
        assert!(from < i, "{c}");
        assert!(c["reason"].as_str().is_some_and(|r| r.contains(".sql re-exports")), "{c}");
    }
    insta::assert_json_snapshot!("propagate_json_changes", changes);
}

#[test]
fn propagate_apply_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/propagate"), dir.path());
    let args = ["--changes", "changes.yaml", "--output-names", "propagate", "."];
    let first = ripple(dir.path(), &[&["apply"][..], &args[..]].concat());
    assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
    let schema = std::fs::read_to_string(dir.path().join("warehouse/models/schema.yml")).unwrap();
    assert!(schema.contains("      - name: username\n        description: \"Login name\""), "{schema}");
    let again = ripple(dir.path(), &[&["plan", "--format", "json"][..], &args[..]].concat());
    let plan: serde_json::Value = serde_json::from_str(&stdout(&again)).expect("valid JSON");
    assert_eq!(plan["summary"]["edits"], 0, "a second run changes nothing: {plan}");
}
