//! The published JSON Schemas (docs/schema/) are the ones the types produce and the ones
//! `ripple schema` prints; every fixture's change file, JSON plan and JSON impact report
//! validates against them, and a document that breaks the contract does not.

mod common;

use common::{ripple, root, stderr, stdout};
use ripple::core::Document;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn published(document: Document) -> PathBuf {
    root().join("docs/schema").join(format!("{}.schema.json", document.name()))
}

fn validator(document: Document) -> jsonschema::Validator {
    jsonschema::validator_for(&document.schema()).expect("a valid JSON Schema")
}

/// Every way `instance` breaks the schema, one a line.
fn violations(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator.iter_errors(instance).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

#[test]
fn the_published_schemas_are_the_types_schemas() {
    for document in Document::ALL {
        let path = published(document);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            text == document.schema_text(),
            "{} is not what the types produce: run `ripple schema {} > {}`",
            path.display(),
            document.name(),
            path.display()
        );
        let o = ripple(&root(), &["schema", document.name()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stdout(&o), text);
    }
}

/// A YAML document as JSON, for the change file's schema.
fn yaml_to_json(node: &saphyr::Yaml) -> Value {
    use saphyr::{Scalar, Yaml};
    match node {
        Yaml::Value(Scalar::String(s)) => Value::String(s.to_string()),
        Yaml::Value(Scalar::Integer(i)) => Value::from(*i),
        Yaml::Value(Scalar::FloatingPoint(f)) => Value::from(f.into_inner()),
        Yaml::Value(Scalar::Boolean(b)) => Value::Bool(*b),
        Yaml::Sequence(items) => Value::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Mapping(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.as_str().expect("string keys").to_string(), yaml_to_json(v)))
                .collect(),
        ),
        other => panic!("not in a change file: {other:?}"),
    }
}

/// Every `changes.yaml` under `dir`.
fn change_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            change_files(&path, found);
        } else if path.file_name().is_some_and(|n| n == "changes.yaml") {
            found.push(path);
        }
    }
}

#[test]
fn every_change_file_of_the_fixtures_and_rules_is_valid() {
    use saphyr::LoadableYamlNode;
    let mut files = Vec::new();
    change_files(&root().join("fixtures"), &mut files);
    change_files(&root().join("rules"), &mut files);
    assert!(files.len() > 30, "{files:?}");
    let validator = validator(Document::Changes);
    for file in &files {
        let docs = saphyr::Yaml::load_from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let errors = violations(&validator, &yaml_to_json(&docs[0]));
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
}

#[test]
fn the_change_file_schema_rejects_what_the_loader_rejects() {
    let validator = validator(Document::Changes);
    let bad = [
        serde_json::json!({ "changes": [] }),
        serde_json::json!({ "changes": [{ "kind": "rename_column", "table": "t", "from": "a" }] }),
        serde_json::json!({ "changes": [{ "kind": "rename_column", "table": "t", "from": "a", "to": "b", "column": "c" }] }),
        serde_json::json!({ "changes": [{ "kind": "drop_table", "table": "t" }] }),
        serde_json::json!({ "changes": [{ "kind": "drop_column", "table": "t", "column": "c" }], "version": 1 }),
    ];
    for instance in &bad {
        assert!(!validator.is_valid(instance), "{instance} should not validate");
    }
}

#[test]
fn every_fixture_plan_and_impact_report_is_valid() {
    let fixtures = root().join("fixtures");
    let mut trees: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("changes.yaml").is_file())
        .collect();
    trees.sort();
    assert!(trees.len() >= 5, "{trees:?}");
    let (plan, impact) = (validator(Document::Plan), validator(Document::Impact));
    for tree in &trees {
        let changes = tree.join("changes.yaml");
        let (changes, tree) = (changes.to_str().unwrap(), tree.to_str().unwrap());
        for mode in ["preserve", "propagate"] {
            for (command, validator) in [("plan", &plan), ("impact", &impact)] {
                let args = [command, "--format", "json", "--output-names", mode, "--changes", changes, tree];
                let o = ripple(&root(), &args);
                let doc: Value =
                    serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
                let errors = violations(validator, &doc);
                assert!(errors.is_empty(), "{command} {mode} {tree}: {errors:#?}");
            }
        }
    }
}

#[test]
fn a_plan_that_breaks_the_contract_does_not_validate() {
    let o = ripple(
        &root(),
        &["plan", "--format", "json", "--changes", "fixtures/demo/changes.yaml", "fixtures/demo"],
    );
    let good: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let validator = validator(Document::Plan);
    assert!(validator.is_valid(&good));
    let mut breakages: Vec<(&str, Value)> = Vec::new();
    let mut bad = good.clone();
    bad["findings"][0]["reason"] = "a-reason-ripple-never-gives".into();
    breakages.push(("unknown reason", bad));
    let mut bad = good.clone();
    bad["files"][0]["edits"][0]["confidence"] = "sure".into();
    breakages.push(("unknown confidence", bad));
    let mut bad = good.clone();
    bad["summary"].as_object_mut().unwrap().remove("edits");
    breakages.push(("summary without edits", bad));
    let mut bad = good;
    bad["changes"][0]["kind"] = "rename_everything".into();
    breakages.push(("unknown change kind", bad));
    for (what, instance) in &breakages {
        assert!(!validator.is_valid(instance), "{what} should not validate");
    }
}
