//! End-to-end: a dropped column of a dbt model (fixtures/dbt_drop: project shop). Its
//! select item leaves the model's final query with its comma, and its YAML entry leaves the
//! properties file whole (tests, description), comments kept (also when a CTE the final
//! query passes on by `*` produces it); a model that reads it through
//! `ref()` is a finding, not an edit. Negative cases: a model that still filters on the
//! column, and one whose projection a Jinja loop builds, keep the column and are findings.

mod common;

use common::{copy_tree, ripple, root, scrub, stderr, stdout};

#[test]
fn a_dropped_model_column_leaves_its_query_and_yaml_and_readers_are_reported() {
    let o =
        ripple(&root(), &["plan", "--changes", "fixtures/dbt_drop/changes/drop.yaml", "fixtures/dbt_drop"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = scrub(&stdout(&o));
    assert!(!text.contains("mailing.sql"), "{text}");
    assert!(
        !text.contains("# fixtures/dbt_drop/shop/models/marts/customers.sql"),
        "a reader is not edited:\n{text}"
    );
    insta::assert_snapshot!("dbt_drop_model_column", text);
}

#[test]
fn a_dropped_model_column_applied_leaves_a_project_dbt_builds() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/dbt_drop"), dir.path());
    let o = ripple(dir.path(), &["apply", "--changes", "changes/drop.yaml", "shop"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = ripple(dir.path(), &["dbt-check", "shop"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = ripple(dir.path(), &["plan", "--format", "json", "--changes", "changes/drop.yaml", "shop"]);
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(plan["files"], serde_json::json!([]), "applying again changes nothing");
    let read = |p: &str| std::fs::read_to_string(dir.path().join("shop").join(p)).unwrap();
    assert_eq!(
        read("models/staging/stg_customers.sql"),
        "select\n    id as customer_id,\n    first_name,\n    {{ dbt.concat(['nick', \"'!'\"]) }} as nickname,\n    email\nfrom {{ source('raw', 'raw_customers') }}\n"
    );
    let yaml = read("models/staging/_staging.yml");
    assert!(
        !yaml.contains("last_name") && yaml.contains("# Contact address.\n      - name: email"),
        "{yaml}"
    );
}
