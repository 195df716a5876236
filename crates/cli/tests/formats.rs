//! End-to-end: `plan --format sarif|jsonl|github` over the demo and over paths that need
//! escaping (and a file ripple cannot read); the SARIF log is validated against the official
//! SARIF 2.1.0 schema.

mod common;

use common::{ripple, root, scrub, stderr, stdout};

fn plan(format: &str, tree: &str) -> String {
    let changes = format!("{tree}/changes.yaml");
    let o = ripple(&root(), &["plan", "--format", format, "--changes", &changes, tree]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

/// The SARIF 2.1.0 schema as OASIS publishes it (Schemata/sarif-schema-2.1.0.json, as the
/// serde-sarif crate ships it).
fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("crates/cli/tests/data/sarif-schema-2.1.0.json")).unwrap();
    // The patterns of language tags have a lone `]`, a literal in ECMAScript regexes and an
    // error in Rust's: escaped, it means what the schema means.
    let bad = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(text.matches(bad).count(), 2, "the vendored schema is the published one");
    let text = text.replace(bad, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    jsonschema::draft7::new(&serde_json::from_str(&text).unwrap()).expect("the SARIF schema compiles")
}

fn assert_valid_sarif(log: &serde_json::Value) {
    let errors: Vec<String> =
        sarif_validator().iter_errors(log).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

#[test]
fn demo_sarif_is_valid_and_complete() {
    let log: serde_json::Value = serde_json::from_str(&plan("sarif", "fixtures/demo")).expect("JSON");
    assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let fixes = results.iter().filter(|r| r.get("fixes").is_some()).count();
    assert_eq!(fixes, 16, "one result with a fix per edit");
    assert_eq!(results.len(), 16 + 8, "and one per finding");
    insta::assert_snapshot!("demo_sarif", serde_json::to_string_pretty(&log).unwrap());
}

#[test]
fn escaped_paths_and_whole_file_findings_in_sarif() {
    let log: serde_json::Value = serde_json::from_str(&plan("sarif", "fixtures/formats")).expect("JSON");
    assert_valid_sarif(&log);
    insta::assert_snapshot!("formats_sarif", serde_json::to_string_pretty(&log).unwrap());
}

#[test]
fn a_log_the_schema_rejects_is_caught() {
    // The validator is no rubber stamp: a result without a message is not SARIF.
    let mut log: serde_json::Value = serde_json::from_str(&plan("sarif", "fixtures/formats")).unwrap();
    log["runs"][0]["results"][0].as_object_mut().unwrap().remove("message");
    assert!(!sarif_validator().is_valid(&log));
}

/// Each line parsed, the run time zeroed.
fn jsonl(tree: &str) -> Vec<serde_json::Value> {
    plan("jsonl", tree)
        .lines()
        .map(|line| {
            let mut v: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
            if v["type"] == "summary" {
                v["summary"]["elapsed_ms"] = 0.into();
            }
            v
        })
        .collect()
}

#[test]
fn demo_jsonl_is_one_object_per_file_then_a_summary() {
    let lines = jsonl("fixtures/demo");
    let (summary, files) = lines.split_last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert!(files.iter().all(|f| f["type"] == "file"));
    let edits: usize = files.iter().map(|f| f["edits"].as_array().unwrap().len()).sum();
    let findings: usize = files.iter().map(|f| f["findings"].as_array().unwrap().len()).sum();
    assert_eq!((edits, findings), (16, 8));
    let text: String = lines.iter().map(|v| v.to_string() + "\n").collect();
    insta::assert_snapshot!("demo_jsonl", text);
}

#[test]
fn formats_jsonl() {
    let text: String = jsonl("fixtures/formats").iter().map(|v| v.to_string() + "\n").collect();
    insta::assert_snapshot!("formats_jsonl", text);
}

#[test]
fn demo_github_annotations() {
    insta::assert_snapshot!("demo_github", scrub(&plan("github", "fixtures/demo")));
}

#[test]
fn formats_github_annotations_escape_separators() {
    insta::assert_snapshot!("formats_github", scrub(&plan("github", "fixtures/formats")));
}
