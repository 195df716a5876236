//! `--format jsonl`: the plan as JSON lines, for programs that read a large plan file by
//! file. Each line is one object: a `file` object per file with edits or findings (its edits,
//! its diff and its findings, as in the JSON plan, and `moved_to` for a file the plan moves),
//! in path order, then one `summary` object with the changes, the warnings and the counts.

use ripple::core::{PlanEdit, PlanFinding};
use ripple::Plan;
use serde_json::json;
use std::collections::BTreeMap;

/// Calls `line` with each line of the JSON-lines form of `plan` (newline included), so a
/// reader gets each file's object as soon as it is written.
pub fn plan_jsonl(plan: &Plan, mut line: impl FnMut(&str)) {
    #[derive(Default)]
    struct File<'a> {
        language: Option<ripple::core::Lang>,
        edits: &'a [PlanEdit],
        diff: &'a str,
        findings: Vec<&'a PlanFinding>,
    }
    let mut files: BTreeMap<String, File> = BTreeMap::new();
    for f in &plan.files {
        let entry = files.entry(slash(&f.path)).or_default();
        (entry.language, entry.edits, entry.diff) = (Some(f.language), &f.edits, &f.diff);
    }
    for f in &plan.findings {
        files.entry(slash(&f.path)).or_default().findings.push(f);
    }
    for m in &plan.moves {
        files.entry(slash(&m.from)).or_default();
    }
    for (path, file) in &files {
        let mut object = json!({ "type": "file", "path": path });
        if let Some(language) = file.language {
            object["language"] = json!(language);
        }
        object["edits"] = json!(file.edits);
        if !file.diff.is_empty() {
            object["diff"] = json!(file.diff);
        }
        if let Some(m) = plan.moves.iter().find(|m| slash(&m.from) == *path) {
            object["moved_to"] = json!(slash(&m.to));
        }
        object["findings"] = json!(file.findings);
        line(&(object.to_string() + "\n"));
    }
    let mut summary = json!({
        "type": "summary",
        "version": plan.version,
        "changes": plan.changes,
        "summary": plan.summary,
        "review_findings": plan.review_findings(),
    });
    if !plan.warnings.is_empty() {
        summary["warnings"] = json!(plan.warnings);
    }
    line(&(summary.to_string() + "\n"));
}

fn slash(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}
