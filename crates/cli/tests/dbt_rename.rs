//! End-to-end: renaming dbt datasets never half-way (fixtures/dbt_rename: warehouse, with
//! sources, models, a seed, a macro, a test and an analysis; reporting, with a model of the
//! same name as one of warehouse's; dynamic, whose ref() goes through a var). Each kind of
//! rename is planned (a snapshot), applied to a copy, checked with `ripple dbt-check`, and
//! planned again to nothing; a model's move is a patch git applies.

mod common;

use common::{copy_tree, files_under, ripple, ripple_ok, root, scrub, stderr, stdout};
use std::path::Path;
use std::process::Command;

const TREE: &str = "fixtures/dbt_rename";

fn changes(name: &str) -> String {
    root().join(TREE).join("changes").join(name).to_string_lossy().into_owned()
}

fn plan_text(name: &str, extra: &[&str]) -> String {
    let changes = changes(name);
    let mut args = vec!["plan", "--changes", changes.as_str()];
    args.extend(extra);
    args.push(TREE);
    scrub(&ripple_ok(&root(), &args))
}

fn plan_json(dir: &Path, name: &str, extra: &[&str], path: &str) -> serde_json::Value {
    let changes = changes(name);
    let mut args = vec!["plan", "--format", "json", "--changes", changes.as_str()];
    args.extend(extra);
    args.push(path);
    serde_json::from_str(&ripple_ok(dir, &args)).expect("a JSON plan")
}

/// Applies a rename to a copy of the warehouse project, checks it the way dbt would, and
/// plans it again: nothing is left to do. Returns the copy's files after.
fn apply_and_check(name: &str, extra: &[&str]) -> (String, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join(TREE).join("warehouse"), &dir.path().join("warehouse"));
    let changes = changes(name);
    let mut args = vec!["apply", "--changes", changes.as_str()];
    args.extend(extra);
    args.push("warehouse");
    let applied = scrub(&ripple_ok(dir.path(), &args));
    let o = ripple(dir.path(), &["dbt-check", "warehouse"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let again = plan_json(dir.path(), name, extra, "warehouse");
    assert_eq!(again["files"], serde_json::json!([]), "{again}");
    assert_eq!(again.get("moves"), None, "{again}");
    let files = files_under(dir.path())
        .iter()
        .map(|p| p.strip_prefix(dir.path()).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    (applied, files)
}

#[test]
fn a_source_table_renamed_by_names_renames_every_source_call_and_its_entry() {
    insta::assert_snapshot!("source_names", plan_text("source_names.yaml", &["--dbt-rename", "names"]));
    let (applied, _) = apply_and_check("source_names.yaml", &["--dbt-rename", "names"]);
    assert!(applied.contains("rewrote warehouse/models/staging/_sources.yml (1 edits)"), "{applied}");
}

#[test]
fn a_source_table_rename_sets_identifier_by_default() {
    let text = plan_text("source_names.yaml", &[]);
    assert!(text.contains("+        identifier: products_v2"), "{text}");
    assert!(text.contains("1 edits in 1 files"), "{text}");
}

#[test]
fn a_model_rename_moves_its_file_and_every_ref_follows() {
    insta::assert_snapshot!("model_move", plan_text("model.yaml", &[]));
    let (applied, files) = apply_and_check("model.yaml", &[]);
    assert!(
        applied.contains(
            "renamed warehouse/models/staging/stg_products.sql -> warehouse/models/staging/stg_items.sql"
        ),
        "{applied}"
    );
    assert!(files.contains(&"warehouse/models/staging/stg_items.sql".to_string()), "{files:?}");
    assert!(!files.contains(&"warehouse/models/staging/stg_products.sql".to_string()), "{files:?}");
}

#[test]
fn a_model_rename_by_alias_sets_its_alias_and_changes_no_ref() {
    insta::assert_snapshot!("model_alias", plan_text("model.yaml", &["--dbt-rename", "alias"]));
    apply_and_check("model.yaml", &["--dbt-rename", "alias"]);
}

#[test]
fn a_seed_rename_moves_its_csv() {
    insta::assert_snapshot!("seed_move", plan_text("seed.yaml", &[]));
    let (_, files) = apply_and_check("seed.yaml", &[]);
    assert!(files.contains(&"warehouse/seeds/iso_countries.csv".to_string()), "{files:?}");
}

/// Two projects with a model of the name: a warning, nothing renamed. A ref() through a
/// var may name the model: a finding, nothing renamed.
#[test]
fn an_ambiguous_or_dynamic_rename_changes_nothing() {
    let plan = plan_json(&root(), "ambiguous.yaml", &[], TREE);
    assert_eq!(plan["files"], serde_json::json!([]));
    assert_eq!(plan.get("moves"), None);
    let warnings = serde_json::to_string_pretty(&plan["warnings"]).unwrap();
    assert!(warnings.contains("names 2 dbt datasets"), "{warnings}");
    let plan = plan_json(&root(), "dynamic.yaml", &[], TREE);
    assert_eq!(plan["files"], serde_json::json!([]));
    assert_eq!(plan.get("moves"), None);
    insta::assert_snapshot!("dynamic", serde_json::to_string_pretty(&plan["findings"]).unwrap());
}

/// The plan's JSON names the move; its patch is one git applies (a rename with its
/// edits); `apply --plan` makes it exactly.
#[test]
fn a_move_in_json_in_a_patch_and_in_a_saved_plan() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join(TREE).join("warehouse"), &dir.path().join("warehouse"));
    let plan = plan_json(dir.path(), "model.yaml", &[], "warehouse");
    assert_eq!(plan["moves"][0]["from"], "warehouse/models/staging/stg_products.sql");
    assert_eq!(plan["moves"][0]["to"], "warehouse/models/staging/stg_items.sql");

    let git = |args: &[&str]| {
        let o = Command::new("git").args(args).current_dir(dir.path()).output().expect("git");
        assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    };
    git(&["init", "-q"]);
    let changes = changes("model.yaml");
    let patch = ripple_ok(dir.path(), &["plan", "--format", "patch", "--changes", &changes, "warehouse"]);
    assert!(patch.contains("rename from warehouse/models/staging/stg_products.sql\nrename to warehouse/models/staging/stg_items.sql\n"), "{patch}");
    std::fs::write(dir.path().join("p.patch"), &patch).unwrap();
    git(&["apply", "--check", "p.patch"]);

    let saved = dir.path().join("plan.json");
    std::fs::write(&saved, serde_json::to_string(&plan).unwrap()).unwrap();
    let o = ripple(dir.path(), &["apply", "--plan", saved.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.path().join("warehouse/models/staging/stg_items.sql").is_file());
    assert_eq!(ripple(dir.path(), &["dbt-check", "warehouse"]).status.code(), Some(0));
    // The plan again: its source is gone, so nothing moves and nothing is overwritten.
    let o = ripple(dir.path(), &["apply", "--plan", saved.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("stg_products.sql"), "{}", stderr(&o));

    // git applies the patch to the tree as it was.
    let fresh = tempfile::tempdir().unwrap();
    copy_tree(&root().join(TREE).join("warehouse"), &fresh.path().join("warehouse"));
    std::fs::write(fresh.path().join("p.patch"), &patch).unwrap();
    let o = Command::new("git").args(["apply", "p.patch"]).current_dir(fresh.path()).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(fresh.path().join("warehouse/models/staging/stg_items.sql").is_file());
    assert!(!fresh.path().join("warehouse/models/staging/stg_products.sql").exists());
    assert_eq!(ripple(fresh.path(), &["dbt-check", "warehouse"]).status.code(), Some(0));
}
