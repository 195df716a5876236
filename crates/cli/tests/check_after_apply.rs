//! `apply`, then `plan --check`, over every fixture tree with a change file and in both
//! output-name modes: ripple's own edits must not raise review findings. A review finding
//! left after apply passes only when the first plan reported it already (same path and
//! rule, and the same line text or the same message: an edit elsewhere on its line changes
//! the text, not the finding).

mod common;

use common::{copy_tree, ripple, root, stderr, stdout};
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;

/// Review findings left after apply that are known and not yet fixed, by fixture, mode,
/// path and rule. In preserve mode ripple keeps a frame's old column name with
/// `.withColumnRenamed(new, old)` / `.rename(columns={new: old})`; past that call the frame
/// rules no longer tie the old name's strings to the table, and the safety net reports them.
/// A PySpark `F.col("age")` whose cast ripple retyped was covered by the edit on its line
/// and is then a string no rule accounts for.
const KNOWN: &[(&str, &str, &str, &str)] = &[
    ("python", "preserve", "jobs/etl.py", "python/unanalysed-mention"),
    ("python", "preserve", "jobs/spark_expressions.py", "python/unanalysed-mention"),
    ("python", "propagate", "jobs/etl.py", "python/unanalysed-mention"),
    // In propagate mode the cycles project of fixtures/propagate is withdrawn (the cycle
    // stops propagation, so cycle_a's new output would not match its YAML); apply writes the
    // rest, and planning again finds table users already renamed under cycle_a's reference.
    ("propagate", "propagate", "cycles/models/cycle_a.sql", "sql/capture"),
    // Under propagate the orders model, named like the raw table it reads, outputs the new
    // name after apply; the SQL pass's catalog takes that output for the raw table's columns.
    ("not_columns", "propagate", "shop/models/daily_orders.sql", "sql/capture"),
];

fn plan(tree: &Path, mode: &str, check: bool) -> (Option<i32>, Value) {
    let changes = tree.join("changes.yaml");
    let (changes, tree_arg) = (changes.to_str().unwrap(), tree.to_str().unwrap());
    let mut args = vec!["plan", "--format", "json", "--output-names", mode, "--changes", changes, tree_arg];
    if check {
        args.insert(1, "--check");
    }
    let o = ripple(&root(), &args);
    (o.status.code(), serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o))))
}

/// The review findings of a plan: (relative path, rule, line text, message).
fn reviews(plan: &Value, tree: &Path) -> Vec<(String, String, String, String)> {
    let text = |path: &str, line: u64| {
        let file = std::fs::read_to_string(path).unwrap_or_default();
        file.lines().nth((line as usize).wrapping_sub(1)).unwrap_or("").trim().to_string()
    };
    let prefix = format!("{}/", tree.to_string_lossy().replace('\\', "/"));
    plan["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "review")
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            let line = text(path, f["line"].as_u64().unwrap());
            let relative = path.strip_prefix(&prefix).unwrap_or(path).to_string();
            (relative, f["rule"].as_str().unwrap().into(), line, f["message"].as_str().unwrap().into())
        })
        .collect()
}

#[test]
fn check_after_apply_passes_on_every_fixture() {
    let fixtures = root().join("fixtures");
    let mut trees: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| fixtures.join(name).join("changes.yaml").is_file())
        .collect();
    trees.sort();
    assert!(trees.len() >= 5, "the fixture trees with a change file: {trees:?}");
    let mut failures = Vec::new();
    for name in &trees {
        for mode in ["preserve", "propagate"] {
            let dir = tempfile::tempdir().unwrap();
            let tree = dir.path().join(name);
            copy_tree(&fixtures.join(name), &tree);
            let (_, first) = plan(&tree, mode, false);
            let before = reviews(&first, &tree);
            let by_line: HashSet<_> = before.iter().map(|(p, r, l, _)| (p, r, l)).collect();
            let by_message: HashSet<_> = before.iter().map(|(p, r, _, m)| (p, r, m)).collect();

            let changes = tree.join("changes.yaml");
            let o = ripple(
                &root(),
                &[
                    "apply",
                    "--output-names",
                    mode,
                    "--changes",
                    changes.to_str().unwrap(),
                    tree.to_str().unwrap(),
                ],
            );
            assert!(matches!(o.status.code(), Some(0 | 1)), "{name} {mode}: apply failed: {}", stderr(&o));

            let (code, after) = plan(&tree, mode, true);
            assert_eq!(
                after["files"].as_array().map(Vec::len),
                Some(0),
                "{name} {mode}: edits left after apply"
            );
            let left = reviews(&after, &tree);
            let expected = if left.is_empty() { Some(0) } else { Some(1) };
            if code != expected {
                failures.push(format!(
                    "{name} {mode}: --check exits {code:?} with {} review findings left",
                    left.len()
                ));
            }
            let new: Vec<_> = left
                .into_iter()
                .filter(|(p, r, l, m)| !by_line.contains(&(p, r, l)) && !by_message.contains(&(p, r, m)))
                .filter(|(p, r, _, _)| !KNOWN.contains(&(name.as_str(), mode, p.as_str(), r.as_str())))
                .collect();
            if !new.is_empty() {
                failures.push(format!("{name} {mode}: new review findings after apply: {new:#?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
