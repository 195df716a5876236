//! The impact report: every reference to a changed name a plan found, rewritten or not, as
//! one flat list. Its JSON form (`ripple impact --format json`, version 1) is a public
//! contract like the plan's.

use crate::edit::{Confidence, Severity};
use crate::plan::{Plan, PlanChange, Summary, Warning};
use crate::reason::Reason;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Every reference a plan found, in file order.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Impact {
    /// The plan's version (`PLAN_VERSION`).
    pub version: u32,
    /// The changes carried through, as in the plan.
    pub changes: Vec<PlanChange>,
    /// Every reference, by path, line and column.
    pub references: Vec<Reference>,
    /// The plan's warnings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// The plan's counts.
    pub summary: Summary,
}

/// One reference to a changed name.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Reference {
    /// The file, as the plan names it.
    #[serde(serialize_with = "crate::plan::ser_path")]
    pub path: PathBuf,
    /// 1-based line; 0 for the file as a whole.
    pub line: usize,
    /// 1-based column; 0 for the file as a whole.
    pub column: usize,
    /// Index of the change it is about, if one.
    pub change: Option<usize>,
    /// The id of the rule that rewrote or reported it.
    pub rule: String,
    /// What ripple does with it.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What ripple does with a reference: `outcome` in JSON.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// An edit rewrites it.
    Rewritten {
        /// The text replaced.
        before: String,
        /// The new text.
        after: String,
        /// How sure the rule is.
        confidence: Confidence,
    },
    /// A finding reports it.
    Finding {
        /// How much it asks of its reader.
        severity: Severity,
        /// Why it is raised.
        reason: Reason,
        /// What to tell the reader.
        message: String,
    },
}

impl Impact {
    /// The references of `plan`: its edits and its findings, sorted by place (an edit before
    /// a finding at the same place).
    pub fn of(plan: &Plan) -> Impact {
        let mut references = Vec::new();
        for file in &plan.files {
            references.extend(file.edits.iter().map(|e| Reference {
                path: file.path.clone(),
                line: e.line,
                column: e.column,
                change: Some(e.change),
                rule: e.rule.clone(),
                outcome: Outcome::Rewritten {
                    before: e.before.clone(),
                    after: e.after.clone(),
                    confidence: e.confidence,
                },
            }));
        }
        references.extend(plan.findings.iter().map(|f| Reference {
            path: f.path.clone(),
            line: f.line,
            column: f.column,
            change: f.change,
            rule: f.rule.clone(),
            outcome: Outcome::Finding { severity: f.severity, reason: f.reason, message: f.message.clone() },
        }));
        references.sort_by_key(|r| (r.path.to_string_lossy().replace('\\', "/"), r.line, r.column));
        Impact {
            version: plan.version,
            changes: plan.changes.clone(),
            references,
            warnings: plan.warnings.clone(),
            summary: plan.summary.clone(),
        }
    }

    /// The JSON form, pretty-printed, its keys in alphabetical order as they always were.
    pub fn to_json(&self) -> String {
        let value = serde_json::to_value(self).expect("an impact report always serializes");
        serde_json::to_string_pretty(&value).expect("a JSON value always serializes")
    }
}
