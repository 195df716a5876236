//! End-to-end: dbt projects (fixtures/dbt: shop, with sources, an installed package, a
//! seed, a snapshot and a manifest; finance, with a broken ref and a stale YAML entry).
//! `ripple dbt-check` on its own, a source table rename that keeps every `source()` call
//! resolving, a seed column rename that keeps the project building, and a plan withdrawn
//! because dbt could no longer build the project.

mod common;

use common::{copy_tree, ripple, root, scrub, stderr, stdout};

#[test]
fn dbt_check_reports_what_dbt_would_reject() {
    let o = ripple(&root(), &["dbt-check", "fixtures/dbt"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!("dbt_check_text", stdout(&o));

    let o = ripple(&root(), &["dbt-check", "--format", "json", "fixtures/dbt/finance"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    insta::assert_snapshot!("dbt_check_json", serde_json::to_string_pretty(&doc).unwrap());
}

#[test]
fn dbt_check_passes_a_sound_project_and_rejects_a_tree_without_one() {
    let o = ripple(&root(), &["dbt-check", "fixtures/dbt/shop"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = ripple(&root(), &["dbt-check", "fixtures/sql"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no dbt project (dbt_project.yml) under fixtures/sql"), "{}", stderr(&o));
    let o = ripple(&root(), &["dbt-check", "fixtures/no-such-dir"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn source_rename_sets_identifier_and_the_project_still_builds() {
    let o =
        ripple(&root(), &["plan", "--changes", "fixtures/dbt/changes/source_rename.yaml", "fixtures/dbt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("dbt_source_rename", scrub(&stdout(&o)));

    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/dbt"), dir.path());
    let changes = root().join("fixtures/dbt/changes/source_rename.yaml");
    let o = ripple(dir.path(), &["apply", "--changes", changes.to_str().unwrap(), "shop"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("rewrote shop/models/staging/_sources.yml (1 edits)"), "{}", stdout(&o));
    let o = ripple(dir.path(), &["dbt-check", "shop"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // Applying again changes nothing.
    let o = ripple(dir.path(), &["plan", "--format", "json", "--changes", changes.to_str().unwrap(), "shop"]);
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(plan["files"], serde_json::json!([]));
}

/// A seed's column renamed in its YAML entry, its CSV header and its readers: the project
/// still builds, so nothing is withdrawn.
#[test]
fn a_seed_column_rename_keeps_the_project_building() {
    let o = ripple(
        &root(),
        &["plan", "--format", "json", "--changes", "fixtures/dbt/changes/seed_column.yaml", "fixtures/dbt"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let files: Vec<&str> =
        plan["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(files.contains(&"fixtures/dbt/shop/seeds/country_codes.csv"), "{files:?}");
    assert!(files.contains(&"fixtures/dbt/shop/seeds/_seeds.yml"), "{files:?}");
    let integrity =
        plan["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "sql/dbt-integrity").count();
    assert_eq!(integrity, 0, "{}", stdout(&o));
}

#[test]
fn plan_json_names_the_datasets_of_each_change_and_warns_of_ambiguity() {
    let o = ripple(
        &root(),
        &["plan", "--format", "json", "--changes", "fixtures/dbt/changes/datasets.yaml", "fixtures/dbt"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let shown = serde_json::json!({ "changes": plan["changes"], "warnings": plan["warnings"] });
    insta::assert_snapshot!("dbt_datasets", serde_json::to_string_pretty(&shown).unwrap());
    assert!(
        stderr(&o).contains("warning: change #1 (drop column raw_customers.email) names 2 dbt datasets"),
        "{}",
        stderr(&o)
    );
}

/// A model's column renamed in its YAML and its readers but not in its own SQL would break
/// the project: withdrawn. A string in Jinja spelling a dropped column of a source a model
/// reads is a finding; the same string in a model that does not read it is not.
#[test]
fn model_outputs_guard_the_plan_and_macro_strings_are_reported() {
    let o = ripple(&root(), &["plan", "--changes", "fixtures/dbt/changes/datasets.yaml", "fixtures/dbt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = scrub(&stdout(&o));
    assert!(!text.contains("order_facts.sql"), "{text}");
    insta::assert_snapshot!("dbt_datasets_text", text);
}

/// A model whose outputs are its source's (`*`, a macro) and whose SQL never spells the
/// column passes a rename through: its readers' edits stand.
#[test]
fn a_column_passed_through_a_model_keeps_its_readers_edits() {
    let o = ripple(&root(), &["plan", "--changes", "fixtures/dbt/changes/passthrough.yaml", "fixtures/dbt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("dbt_passthrough", scrub(&stdout(&o)));
}

/// A macro file in a `--rules` directory (`dbt/*.yaml`) joins the built-in ones: the column
/// strings of the project's own macro follow the rename; without it they are findings.
#[test]
fn macro_rules_are_read_from_rules_directories() {
    let dir = "fixtures/dbt_macro_rules";
    let changes = format!("{dir}/changes.yaml");
    let rules = format!("{dir}/rules");
    let project = format!("{dir}/project");
    let with = ripple(&root(), &["plan", "--changes", &changes, "--rules", &rules, &project]);
    assert_eq!(with.status.code(), Some(0), "{}", stderr(&with));
    insta::assert_snapshot!("dbt_macro_rules_dir", scrub(&stdout(&with)));
    let without = ripple(&root(), &["plan", "--changes", &changes, &project]);
    assert_eq!(without.status.code(), Some(0), "{}", stderr(&without));
    let text = scrub(&stdout(&without));
    assert!(!text.contains("['id', 'username']"), "{text}");
    assert!(text.contains("3:59: [sql/dbt-macro-argument]"), "{text}");
}
