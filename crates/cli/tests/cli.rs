//! End-to-end tests of the `ripple` binary on the bundled demo and on small trees.

mod common;

use common::{copy_tree, files_under, ripple, ripple_ok, root, scrub, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::Command;

fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/demo"), dir.path());
    dir
}

#[test]
fn demo_plan_text() {
    let text = ripple_ok(&root(), &["plan", "--changes", "fixtures/demo/changes.yaml", "fixtures/demo"]);
    assert!(!text.contains('\x1b'), "no colors when piped");
    insta::assert_snapshot!("demo_plan_text", scrub(&text));
}

#[test]
fn demo_plan_json() {
    let out = ripple_ok(
        &root(),
        &["plan", "--changes", "fixtures/demo/changes.yaml", "--format", "json", "fixtures/demo"],
    );
    let mut plan: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(plan["version"], 1);
    plan["summary"]["elapsed_ms"] = 0.into();
    insta::assert_snapshot!("demo_plan_json", serde_json::to_string_pretty(&plan).unwrap());
}

#[test]
fn colors_only_when_asked_or_on_a_terminal() {
    let o = ripple(
        &root(),
        &["plan", "--color", "always", "--changes", "fixtures/demo/changes.yaml", "fixtures/demo"],
    );
    assert!(stdout(&o).contains("\x1b[32m+"), "added lines are green");
}

#[test]
fn patch_applies_with_git_apply_like_apply_does() {
    let by_patch = demo_copy();
    let by_apply = demo_copy();
    let out = ripple_ok(by_patch.path(), &["plan", "--changes", "changes.yaml", "--format", "patch"]);
    let patch = by_patch.path().join("ripple.patch");
    std::fs::write(&patch, out.as_bytes()).unwrap();
    let git =
        Command::new("git").args(["apply", "ripple.patch"]).current_dir(by_patch.path()).output().unwrap();
    assert!(git.status.success(), "git apply: {}", String::from_utf8_lossy(&git.stderr));
    std::fs::remove_file(&patch).unwrap();

    let out = ripple_ok(by_apply.path(), &["apply", "--changes", "changes.yaml", "."]);
    assert!(out.contains("rewrote "), "{}", out);
    assert_trees_equal(by_patch.path(), by_apply.path());
}

fn assert_trees_equal(a: &Path, b: &Path) {
    for entry in std::fs::read_dir(a).unwrap() {
        let entry = entry.unwrap();
        let other = b.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            assert_trees_equal(&entry.path(), &other);
        } else {
            assert_eq!(
                std::fs::read_to_string(entry.path()).unwrap(),
                std::fs::read_to_string(&other).unwrap(),
                "{}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn apply_twice_changes_nothing_the_second_time() {
    let dir = demo_copy();
    let first = ripple(dir.path(), &["apply", "--changes", "changes.yaml"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let after_first = demo_snapshot(dir.path());
    let second = ripple(dir.path(), &["plan", "--changes", "changes.yaml", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_str(&stdout(&second)).unwrap();
    assert_eq!(plan["files"].as_array().unwrap().len(), 0, "{}", stdout(&second));
    ripple(dir.path(), &["apply", "--changes", "changes.yaml"]);
    assert_eq!(demo_snapshot(dir.path()), after_first);
}

fn demo_snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(dir).into_iter().map(|p| (p.clone(), std::fs::read(p).unwrap())).collect()
}

#[test]
fn check_exits_1_with_pending_work_and_0_without() {
    let o = ripple(&root(), &["plan", "--check", "--changes", "fixtures/demo/changes.yaml", "fixtures/demo"]);
    assert_eq!(o.status.code(), Some(1));
    let clean = tempfile::tempdir().unwrap();
    std::fs::write(clean.path().join("q.sql"), "select id from orders;\n").unwrap();
    let changes = root().join("fixtures/demo/changes.yaml");
    let o = ripple(clean.path(), &["plan", "--check", "--changes", changes.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn a_bad_change_file_exits_2_with_its_location_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sql = "select user_name from users;\n";
    std::fs::write(dir.path().join("q.sql"), sql).unwrap();
    std::fs::write(
        dir.path().join("changes.yaml"),
        "changes:\n  - kind: rename_column\n    table: users\n    from: user_name\n  - kind: rename_colum\n    table: users\n",
    )
    .unwrap();
    let o = ripple(dir.path(), &["apply", "--changes", "changes.yaml", "."]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("changes.yaml:2:"), "names the file and line of the incomplete change: {err}");
    assert!(err.contains("changes.yaml:5:"), "and of the unknown kind: {err}");
    assert_eq!(std::fs::read_to_string(dir.path().join("q.sql")).unwrap(), sql);
}

#[test]
fn unreadable_inputs_exit_2_with_the_path() {
    let o = ripple(&root(), &["plan", "--changes", "no/such/changes.yaml", "fixtures/demo"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/changes.yaml: cannot read change file"), "{}", stderr(&o));

    let o = ripple(&root(), &["plan", "--changes", "fixtures/demo/changes.yaml", "no/such/dir"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/dir: cannot read path"), "{}", stderr(&o));

    let o = ripple(&root(), &["plan", "--frobnicate"]);
    assert_eq!(o.status.code(), Some(2), "usage errors exit 2");
}

#[test]
fn help_documents_commands_and_exit_codes() {
    let o = ripple(&root(), &["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    for word in ["plan", "apply", "impact", "schema-diff", "Exit codes"] {
        assert!(help.contains(word), "--help mentions {word}: {help}");
    }
}

#[test]
fn impact_lists_every_reference() {
    let out = ripple_ok(&root(), &["impact", "--changes", "fixtures/demo/changes.yaml", "fixtures/demo"]);
    insta::assert_snapshot!("demo_impact_text", scrub(&out));
}

#[test]
fn a_migration_works_as_a_change_set() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("q.sql"), "SELECT user_name FROM users;\n").unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let migration = elsewhere.path().join("0042_rename.sql");
    std::fs::write(&migration, "ALTER TABLE users RENAME COLUMN user_name TO username;\n").unwrap();
    let out = ripple_ok(dir.path(), &["plan", "--changes", migration.to_str().unwrap(), "--format", "patch"]);
    assert!(out.contains("+SELECT username AS user_name FROM users;"), "{}", out);
}

#[test]
fn schema_diff_prints_a_loadable_change_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("old.sql"),
        "CREATE TABLE users (id INT, age INT, legacy_flag BOOLEAN);\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("new.sql"), "CREATE TABLE users (id INT, age BIGINT);\n").unwrap();
    let out = ripple_ok(dir.path(), &["schema-diff", "old.sql", "new.sql"]);
    insta::assert_snapshot!("schema_diff_users", out);
    std::fs::write(dir.path().join("derived.yaml"), out.as_bytes()).unwrap();
    std::fs::write(dir.path().join("q.sql"), "select legacy_flag from users;\n").unwrap();
    let o = ripple(dir.path(), &["plan", "--changes", "derived.yaml", "q.sql"]);
    assert_eq!(o.status.code(), Some(0), "the derived change file loads: {}", stderr(&o));
}

#[test]
fn ddl_in_the_scanned_tree_resolves_unqualified_columns_in_joins() {
    let out = ripple_ok(
        &root(),
        &["plan", "--changes", "fixtures/catalog/changes.yaml", "--format", "patch", "fixtures/catalog"],
    );
    insta::assert_snapshot!("catalog_from_scanned_ddl", out);

    // Without the DDL the same join is ambiguous: findings, no edit.
    let o = ripple(
        &root(),
        &[
            "plan",
            "--changes",
            "fixtures/catalog/changes.yaml",
            "--format",
            "json",
            "fixtures/catalog/reports",
        ],
    );
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(plan["files"].as_array().unwrap().len(), 0);
    let rules: Vec<&str> =
        plan["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, vec!["sql/ambiguous-column", "sql/ambiguous-column"]);
}

#[test]
fn catalog_files_given_with_catalog_resolve_the_same_join() {
    let out = ripple_ok(
        &root(),
        &[
            "plan",
            "--changes",
            "fixtures/catalog/changes.yaml",
            "--catalog",
            "fixtures/catalog/schema/orders.sql",
            "--catalog",
            "fixtures/catalog/schema/users.sql",
            "--format",
            "patch",
            "fixtures/catalog/reports",
        ],
    );
    assert!(out.contains("+SELECT username AS user_name, SUM(total) AS revenue"), "{}", out);

    let o = ripple(
        &root(),
        &[
            "plan",
            "--changes",
            "fixtures/catalog/changes.yaml",
            "--catalog",
            "fixtures/demo/changes.yaml",
            "fixtures/catalog",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("fixtures/demo/changes.yaml: no CREATE TABLE or CREATE VIEW"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn dbt_models_tell_the_catalog_their_columns() {
    let out = ripple_ok(
        &root(),
        &[
            "plan",
            "--changes",
            "fixtures/catalog_dbt/changes.yaml",
            "--color",
            "never",
            "fixtures/catalog_dbt",
        ],
    );
    insta::assert_snapshot!("catalog_from_dbt_models", scrub(&out));
}
