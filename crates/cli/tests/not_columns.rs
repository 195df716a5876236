//! End-to-end: names that are not columns are info, and the columns a reviewer must see are
//! not lost. Bean properties, request parameters, `setattr` field lists and JSON body keys
//! keep their names when ripple keeps a model attribute's; a MyBatis Generator criteria
//! class and a SQLModel table model (with the fields it inherits) are about their table; a
//! dbt model named like the changed warehouse table reads it and is not it, so its readers
//! keep their text, and a source's `loaded_at_field` follows the rename.

mod common;

use common::scrub;

fn plan(format: &str) -> String {
    common::plan_suite("not_columns", format)
}

#[test]
fn not_columns_text() {
    insta::assert_snapshot!("not_columns_text", scrub(&plan("text")));
}

/// Every finding, `path:line severity reason rule`, and every edit, `path:line before -> after`.
#[test]
fn names_that_are_not_columns_are_info() {
    let plan: serde_json::Value = serde_json::from_str(&plan("json")).unwrap();
    let short =
        |p: &serde_json::Value| p.as_str().unwrap().trim_start_matches("fixtures/not_columns/").to_string();
    let mut lines: Vec<String> = plan["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} {} {}",
                short(&f["path"]),
                f["line"],
                f["severity"].as_str().unwrap(),
                f["reason"].as_str().unwrap(),
                f["rule"].as_str().unwrap()
            )
        })
        .collect();
    for file in plan["files"].as_array().unwrap() {
        for e in file["edits"].as_array().unwrap() {
            lines.push(format!(
                "{}:{} edit {} -> {}",
                short(&file["path"]),
                e["line"],
                e["before"],
                e["after"]
            ));
        }
    }
    insta::assert_snapshot!("not_columns_findings", lines.join("\n"));
}
