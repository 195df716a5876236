//! End-to-end: tables defined by a file's place (fixtures/layouts). The BigQuery ETL layout
//! is known by default: a column change of a table edits or reports its `query.sql` as for a
//! dbt model, and its `schema.yaml`; its readers follow; a rename of the table reports the
//! folder to move. A custom `{schema}/{table}.sql` layout comes from `ripple.toml`.
//! Look-alikes (a same-named table of another dataset, a place that holds no query) are
//! left alone, and a pattern mistake is located.

mod common;

use common::{copy_tree, ripple, root, scrub, stderr, stdout};

fn plan(dir: &str, args: &[&str]) -> String {
    let mut all = vec!["plan", "-v"];
    all.extend_from_slice(args);
    let o = ripple(&root().join(dir), &all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    scrub(&stdout(&o))
}

#[test]
fn a_column_rename_edits_the_query_its_schema_and_its_readers() {
    insta::assert_snapshot!(
        "layouts_rename_column",
        plan("fixtures/layouts/bqetl", &["--changes", "changes/rename_column.yaml", "."])
    );
}

#[test]
fn a_schema_is_not_renamed_when_its_query_is_not() {
    // The query reads its own table, so its output keeps the name (a capture finding); the
    // schema beside it must keep it too, or the two would disagree.
    insta::assert_snapshot!(
        "layouts_rename_self_read",
        plan("fixtures/layouts/bqetl", &["--changes", "changes/rename_self_read.yaml", "."])
    );
}

#[test]
fn under_propagate_a_reader_that_re_exports_the_column_carries_it_on() {
    insta::assert_snapshot!(
        "layouts_rename_column_propagate",
        plan(
            "fixtures/layouts/bqetl",
            &["--output-names", "propagate", "--changes", "changes/rename_column.yaml", "."]
        )
    );
}

#[test]
fn a_dropped_or_retyped_column_is_reported_where_the_table_produces_it() {
    insta::assert_snapshot!(
        "layouts_drop_column",
        plan("fixtures/layouts/bqetl", &["--changes", "changes/drop_column.yaml", "."])
    );
    insta::assert_snapshot!(
        "layouts_change_type",
        plan("fixtures/layouts/bqetl", &["--changes", "changes/change_type.yaml", "."])
    );
}

#[test]
fn a_table_rename_reports_the_folder_to_move_and_readers_follow() {
    let o = ripple(
        &root().join("fixtures/layouts/bqetl"),
        &["plan", "-v", "--changes", "changes/rename_table.yaml", "."],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The place that holds no query defines nothing: nothing references that table.
    assert!(stderr(&o).contains("rename table sales_derived.refunds_v1"), "{}", stderr(&o));
    insta::assert_snapshot!("layouts_rename_table", scrub(&stdout(&o)));
}

#[test]
fn a_layout_from_the_config_defines_tables() {
    insta::assert_snapshot!(
        "layouts_custom",
        plan("fixtures/layouts/custom", &["--changes", "changes.yaml", "."])
    );
}

#[test]
fn applied_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/layouts/bqetl"), dir.path());
    let o = ripple(dir.path(), &["apply", "--changes", "changes/rename_column.yaml", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let schema =
        std::fs::read_to_string(dir.path().join("sql/shop-prod/sales_derived/orders_v1/schema.yaml"))
            .unwrap();
    assert!(
        schema.contains("  name: total_amount\n") && schema.contains("(order_total is after discounts)"),
        "{schema}"
    );
    let o = ripple(dir.path(), &["plan", "--format", "json", "--changes", "changes/rename_column.yaml", "."]);
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(plan["files"], serde_json::json!([]), "{plan:#}");
}

#[test]
fn a_layout_pattern_mistake_is_located() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/layouts/custom"), dir.path());
    for (text, expected) in [
        (
            "layouts = [\"warehouse/{schema}/{tabel}.sql\"]\n",
            "ripple.toml:1:32: layout `warehouse/{schema}/{tabel}.sql`: unknown placeholder `{tabel}`",
        ),
        (
            "layouts = [\"warehouse/{schema}.sql\"]\n",
            "ripple.toml:1:13: layout `warehouse/{schema}.sql`: a layout names its table",
        ),
        ("layouts = \"{table}.sql\"\n", "ripple.toml:1:11: invalid type"),
    ] {
        std::fs::write(dir.path().join("ripple.toml"), text).unwrap();
        let o = ripple(dir.path(), &["plan", "--changes", "changes.yaml", "."]);
        assert_eq!(o.status.code(), Some(2), "{text}");
        assert!(stderr(&o).contains(expected), "{text}: {}", stderr(&o));
    }
}
