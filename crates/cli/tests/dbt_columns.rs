//! End-to-end: column changes of dbt models and seeds (fixtures/dbt_columns: project store).
//! A model's own output follows a rename where the model produces it (an alias in a CTE
//! passed on by `*`, a bare column of the final SELECT), its YAML entry follows, and its
//! readers alias back (preserve) or follow (propagate); a seed's header field follows; the
//! project still builds after the plan is applied, and applying again changes nothing.
//! Negative cases: another model's same-named column, a CTE named like the model, a macro
//! argument that is not the model's column.

mod common;

use common::{copy_tree, ripple, root, scrub, stderr, stdout};

fn plan(changes: &str, extra: &[&str]) -> String {
    let changes = format!("fixtures/dbt_columns/changes/{changes}");
    let mut args = vec!["plan", "--changes", changes.as_str()];
    args.extend_from_slice(extra);
    args.push("fixtures/dbt_columns");
    let o = ripple(&root(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    scrub(&stdout(&o))
}

#[test]
fn a_model_column_rename_changes_the_model_and_its_readers_alias_back() {
    let text = plan("model_rename.yaml", &[]);
    for untouched in ["price_list.sql", "stg_supplies.sql", "sql/dbt-integrity"] {
        assert!(!text.contains(untouched), "{untouched}:\n{text}");
    }
    insta::assert_snapshot!("dbt_model_rename_preserve", text);
}

#[test]
fn a_model_column_rename_propagates_through_its_readers() {
    let text = plan("model_rename.yaml", &["--output-names", "propagate"]);
    assert!(!text.contains("sql/dbt-integrity"), "{text}");
    insta::assert_snapshot!("dbt_model_rename_propagate", text);
}

#[test]
fn a_model_column_rename_applied_leaves_a_project_dbt_builds() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/dbt_columns"), dir.path());
    for changes in ["model_rename.yaml", "seed_rename.yaml"] {
        let changes = format!("changes/{changes}");
        let o = ripple(dir.path(), &["apply", "--changes", &changes, "store"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let o = ripple(dir.path(), &["dbt-check", "store"]);
        assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
        let o = ripple(dir.path(), &["plan", "--format", "json", "--changes", &changes, "store"]);
        let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(plan["files"], serde_json::json!([]), "{changes}: applying again changes nothing");
    }
    let read = |p: &str| std::fs::read_to_string(dir.path().join("store").join(p)).unwrap();
    assert!(read("models/staging/stg_products.sql").contains("{{ cents_to_dollars('price') }} as unit_price"));
    assert!(read("models/marts/order_items.sql").contains("products.unit_price as product_price"));
    assert_eq!(
        read("seeds/raw_stores.csv"),
        "id,\"shop name\",opened_on\r\n1,Downtown,2020-01-01\r\n2,\"Uptown, North\",2021-06-01\r\n"
    );
}

#[test]
fn a_model_output_read_again_after_it_is_produced_is_reported() {
    insta::assert_snapshot!("dbt_model_rename_reread", plan("reread.yaml", &[]));
}

#[test]
fn a_seed_column_rename_rewrites_its_header() {
    insta::assert_snapshot!("dbt_seed_rename", plan("seed_rename.yaml", &[]));
}

#[test]
fn a_model_column_type_change_and_drop() {
    insta::assert_snapshot!("dbt_model_retype", plan("model_retype.yaml", &[]));
}
