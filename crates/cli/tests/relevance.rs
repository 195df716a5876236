//! End-to-end: a review finding is about the changed dataset. Routes, view names and other
//! strings that only name a table whose name stays, a changed column's name in a file that
//! never names its table, and statements ripple cannot model that name neither are info;
//! what does reach the changed table stays for review.

mod common;

use common::scrub;

fn plan(format: &str) -> String {
    common::plan_suite("relevance", format)
}

#[test]
fn relevance_text() {
    insta::assert_snapshot!("relevance_text", scrub(&plan("text")));
}

/// Every finding, `path:line severity reason`: what a reviewer is handed and what is only
/// counted.
#[test]
fn review_only_what_reaches_the_changed_table() {
    let plan: serde_json::Value = serde_json::from_str(&plan("json")).unwrap();
    let lines: Vec<String> = plan["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap().trim_start_matches("fixtures/relevance/");
            format!(
                "{path}:{} {} {}",
                f["line"],
                f["severity"].as_str().unwrap(),
                f["reason"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_snapshot!("relevance_findings", lines.join("\n"));
}
