//! End-to-end: a repo whose migrations define a changed table is told, once, that it needs a
//! new migration, and the JSON plan carries the ALTER statements in the repo's dialect; the
//! migrations themselves stay as written.

mod common;

use common::{ripple, root, scrub, stderr, stdout};

fn plan(format: &str) -> String {
    let o = ripple(
        &root().join("fixtures/migration_needed"),
        &["plan", "--format", format, "--changes", "changes.yaml"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn migration_needed_text() {
    insta::assert_snapshot!("migration_needed_text", scrub(&plan("text")));
}

#[test]
fn suggested_migration_in_the_json_plan() {
    let plan: serde_json::Value = serde_json::from_str(&plan("json")).unwrap();
    insta::assert_json_snapshot!("suggested_migration", plan["suggested_migration"]);
    let needed: Vec<&serde_json::Value> = plan["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "core/migration-needed")
        .collect();
    assert_eq!(needed.len(), 1, "once per repo: {plan:#}");
    assert_eq!(
        (needed[0]["severity"].as_str(), needed[0]["reason"].as_str()),
        (Some("review"), Some("migration-needed"))
    );
}

/// A tree without a migration tool gets no such finding and no `suggested_migration`.
#[test]
fn no_migration_tool_no_suggestion() {
    let o = ripple(
        &root().join("fixtures/migration_needed"),
        &["plan", "--format", "json", "--changes", "changes.yaml", "app"],
    );
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(plan.get("suggested_migration").is_none(), "{plan:#}");
}
