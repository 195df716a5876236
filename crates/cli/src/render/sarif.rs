//! `--format sarif`: the plan as a SARIF 2.1.0 log, for code-scanning dashboards and review
//! bots. Findings are results located at their line and column; each edit is a result whose
//! fix is the replacement ripple would write; the rules that raised them are described from
//! the rule-id registry (what `ripple rules explain` prints).

use ripple::core::{FilePlan, PlanEdit, PlanFinding, Severity};
use ripple::{Plan, RuleDocs};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log of `plan`, pretty-printed; `docs` describes the rules it names.
pub fn plan_sarif(plan: &Plan, docs: &RuleDocs) -> String {
    let mut rules = Rules::default();
    let mut results = Vec::new();
    for file in &plan.files {
        for edit in &file.edits {
            let index = rules.index(&edit.rule, docs);
            results.push(edit_result(plan, file, edit, index));
        }
    }
    for finding in &plan.findings {
        let index = rules.index(&finding.rule, docs);
        results.push(finding_result(plan, finding, index));
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "ripple",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.descriptors,
            }},
            // ripple's columns count characters, as its text output does.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).expect("a SARIF log serializes") + "\n"
}

/// The rules the results name, each described once; results refer to them by index.
#[derive(Default)]
struct Rules {
    descriptors: Vec<Value>,
    by_id: BTreeMap<String, usize>,
}

impl Rules {
    fn index(&mut self, id: &str, docs: &RuleDocs) -> usize {
        if let Some(&i) = self.by_id.get(id) {
            return i;
        }
        let mut descriptor = json!({ "id": id });
        if let Some(info) = docs.explain(id) {
            let summary = info.description.split("\n\n").next().unwrap_or_default().trim().to_string();
            descriptor["shortDescription"] = json!({ "text": summary });
            descriptor["fullDescription"] = json!({ "text": info.description.trim() });
            let mut help = info.description.trim().to_string();
            if let Some(example) = &info.example {
                help = format!("{help}\n\n{}", example.trim_end());
            }
            descriptor["help"] = json!({ "text": help });
            if let Some(language) = info.language {
                descriptor["properties"] = json!({ "tags": [language] });
            }
        }
        let i = self.descriptors.len();
        self.descriptors.push(descriptor);
        self.by_id.insert(id.to_string(), i);
        i
    }
}

fn edit_result(plan: &Plan, file: &FilePlan, edit: &PlanEdit, rule_index: usize) -> Value {
    let region = edit_region(edit);
    json!({
        "ruleId": edit.rule,
        "ruleIndex": rule_index,
        // An edit is pending work, as `--check` counts it.
        "level": "warning",
        "message": { "text": format!(
            "{} for change #{} ({})",
            match edit.after.trim() {
                "" => format!("delete `{}`", edit.before.trim()),
                after => format!("rewrite `{}` to `{after}`", edit.before.trim()),
            },
            edit.change,
            describe(plan, Some(edit.change))
        )},
        "locations": [location(&file.path, Some(region.clone()))],
        "fixes": [{
            "description": { "text": format!("`{}` -> `{}`", edit.before, edit.after) },
            "artifactChanges": [{
                "artifactLocation": artifact(&file.path),
                "replacements": [{
                    "deletedRegion": region,
                    "insertedContent": { "text": edit.after },
                }],
            }],
        }],
        "properties": { "outcome": "rewritten", "change": edit.change, "confidence": edit.confidence },
    })
}

fn finding_result(plan: &Plan, f: &PlanFinding, rule_index: usize) -> Value {
    let region = (f.line > 0).then(|| json!({ "startLine": f.line, "startColumn": f.column.max(1) }));
    let mut properties = json!({ "outcome": "finding", "reason": f.reason });
    if let Some(change) = f.change {
        properties["change"] = json!(change);
        properties["changeDescription"] = json!(describe(plan, Some(change)));
    }
    json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": match f.severity { Severity::Review => "warning", Severity::Info => "note" },
        "message": { "text": f.message },
        "locations": [location(&f.path, region)],
        "properties": properties,
    })
}

/// The bytes an edit replaces, by line and column and by offset.
fn edit_region(edit: &PlanEdit) -> Value {
    let newlines = edit.before.matches('\n').count();
    let end_column = match edit.before.rfind('\n') {
        Some(i) => edit.before[i + 1..].chars().count() + 1,
        None => edit.column + edit.before.chars().count(),
    };
    json!({
        "startLine": edit.line,
        "startColumn": edit.column,
        "endLine": edit.line + newlines,
        "endColumn": end_column,
        "byteOffset": edit.start,
        "byteLength": edit.end - edit.start,
    })
}

fn location(path: &Path, region: Option<Value>) -> Value {
    let mut physical = json!({ "artifactLocation": artifact(path) });
    if let Some(region) = region {
        physical["region"] = region;
    }
    json!({ "physicalLocation": physical })
}

fn artifact(path: &Path) -> Value {
    json!({ "uri": uri(path) })
}

/// A relative path stays a relative URI reference (resolved against where ripple ran); an
/// absolute one becomes a `file:` URI. Bytes outside the unreserved set are percent-encoded.
fn uri(path: &Path) -> String {
    let slashed = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(slashed.len());
    if path.is_absolute() {
        out.push_str(if slashed.starts_with('/') { "file://" } else { "file:///" });
    }
    for b in slashed.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            b':' if path.is_absolute() => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn describe(plan: &Plan, change: Option<usize>) -> String {
    change.and_then(|i| plan.changes.get(i)).map(|c| c.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::uri;
    use std::path::Path;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri(Path::new("models/a b.sql")), "models/a%20b.sql");
        assert_eq!(uri(Path::new("/srv/app/x#1.py")), "file:///srv/app/x%231.py");
        assert_eq!(uri(Path::new("ünï.sql")), "%C3%BCn%C3%AF.sql");
    }
}
