//! End-to-end: `ripple.toml` at a root (or `--config FILE`): excluded files are not scanned,
//! historical files and migration tool layouts are never rewritten, a path's dialect is
//! used for its files, `output-names` is the default mode; mistakes are located.

mod common;

use common::{copy_tree, ripple, root, scrub, stderr, stdout};

#[test]
fn config_at_the_root() {
    let o = ripple(&root().join("fixtures/config"), &["plan", "-v", "--changes", "changes.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("config_at_the_root", scrub(&stdout(&o)));
}

#[test]
fn the_command_line_wins_over_the_config() {
    let o = ripple(
        &root().join("fixtures/config"),
        &["plan", "--format", "json", "--output-names", "preserve", "--changes", "changes.yaml", "models"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let after: Vec<&str> =
        plan["files"][0]["edits"].as_array().unwrap().iter().map(|e| e["after"].as_str().unwrap()).collect();
    assert_eq!(after, ["username AS user_name"], "{plan:#}");
}

#[test]
fn a_sqitch_layout_is_historical() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/config"), dir.path());
    std::fs::write(dir.path().join("sqitch.plan"), "%project=users\n").unwrap();
    let o = ripple(dir.path(), &["plan", "--format", "json", "--changes", "changes.yaml", "."]);
    let plan: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let edited: Vec<&str> =
        plan["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(edited, ["models/report.sql", "warehouse/daily.sql"]);
}

#[test]
fn config_mistakes_are_located() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/config"), dir.path());
    let bad = dir.path().join("bad.toml");
    for (text, expected) in [
        ("exclude = [\"vendor/[\"]\n", "error: bad.toml:1:12: not a glob"),
        ("exclude = \"vendor\"\n", "error: bad.toml:1:11: invalid type"),
        (
            "[[dialect]]\npaths = [\"a/**\"]\ndialect = \"oracle\"\n",
            "error: bad.toml:3:11: unknown dialect `oracle`",
        ),
        ("excludes = []\n", "error: bad.toml:1:1: unknown field `excludes`"),
    ] {
        std::fs::write(&bad, text).unwrap();
        let o = ripple(dir.path(), &["plan", "--config", "bad.toml", "--changes", "changes.yaml", "."]);
        assert_eq!(o.status.code(), Some(2), "{text}");
        assert!(stderr(&o).contains(expected), "{text}: {}", stderr(&o));
    }
    std::fs::write(dir.path().join("ripple.toml"), "output-names = \"rename\"\n").unwrap();
    let o = ripple(dir.path(), &["plan", "--changes", "changes.yaml", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("ripple.toml:1:16: output-names is `preserve` or `propagate`"),
        "{}",
        stderr(&o)
    );
}
