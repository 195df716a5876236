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

/// Each line parsed, the run time zeroed, in the order written.
fn jsonl_stream(tree: &str) -> Vec<serde_json::Value> {
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

/// What a reader of the stream ends with: the last line of each path, by path, then the
/// summary.
fn jsonl(tree: &str) -> Vec<serde_json::Value> {
    let mut lines = jsonl_stream(tree);
    let summary = lines.pop().expect("a summary line");
    let mut last = std::collections::BTreeMap::new();
    for line in lines {
        last.insert(line["path"].as_str().expect("a file line has a path").to_string(), line);
    }
    last.into_values().chain([summary]).collect()
}

#[test]
fn jsonl_streams_each_file_once_unless_a_later_stage_changes_it() {
    let stream = jsonl_stream("fixtures/demo");
    let (summary, files) = stream.split_last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert!(files.iter().all(|f| f["type"] == "file"));
    // The last line of each path is the JSON plan's content for it.
    let json: serde_json::Value = serde_json::from_str(&plan("json", "fixtures/demo")).unwrap();
    for line in jsonl("fixtures/demo").iter().filter(|l| l["type"] == "file") {
        let path = line["path"].as_str().unwrap();
        let findings: Vec<&serde_json::Value> =
            json["findings"].as_array().unwrap().iter().filter(|f| f["path"] == path).collect();
        assert_eq!(line["findings"].as_array().unwrap().iter().collect::<Vec<_>>(), findings, "{path}");
        let file = json["files"].as_array().unwrap().iter().find(|f| f["path"] == path);
        assert_eq!(line["edits"], file.map_or(serde_json::json!([]), |f| f["edits"].clone()), "{path}");
    }
    // Only the migration-needed finding comes after the run: its file's line is the one
    // written then, after every file the scan finished.
    let migration: Vec<usize> = (0..files.len())
        .filter(|&i| {
            files[i]["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "core/migration-needed")
        })
        .collect();
    assert_eq!(migration, [files.len() - 1], "{files:#?}");
    let mut lines_of = std::collections::BTreeMap::new();
    for f in files {
        *lines_of.entry(f["path"].as_str().unwrap()).or_insert(0) += 1;
    }
    let revised = files[files.len() - 1]["path"].as_str().unwrap();
    assert!(lines_of.iter().all(|(p, n)| *n == 1 || (*n == 2 && *p == revised)), "{lines_of:?}");
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
