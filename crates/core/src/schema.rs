//! JSON Schemas of ripple's public documents, derived from the types that read and write
//! them: the change file, the plan and the impact report. docs/schema/ holds them as
//! published; a test keeps the two equal.

use crate::change::Change;
use crate::impact::Impact;
use crate::plan::Plan;
use schemars::JsonSchema;
use serde_json::Value;

/// A document ripple publishes a schema of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// The change file (YAML or JSON).
    Changes,
    /// The JSON plan.
    Plan,
    /// The JSON impact report.
    Impact,
}

impl Document {
    /// Every document, in the order `ripple schema` lists them.
    pub const ALL: [Document; 3] = [Document::Changes, Document::Plan, Document::Impact];

    /// Its name on the command line and in docs/schema/ (`NAME.schema.json`).
    pub fn name(self) -> &'static str {
        match self {
            Document::Changes => "changes",
            Document::Plan => "plan",
            Document::Impact => "impact",
        }
    }

    /// Its JSON Schema (draft 2020-12).
    pub fn schema(self) -> Value {
        match self {
            Document::Changes => change_file_schema(),
            Document::Plan => schemars::schema_for!(Plan).to_value(),
            Document::Impact => schemars::schema_for!(Impact).to_value(),
        }
    }

    /// Its JSON Schema as published: pretty-printed, with a final newline.
    pub fn schema_text(self) -> String {
        serde_json::to_string_pretty(&self.schema()).expect("a schema always serializes") + "\n"
    }
}

/// A change file: what `changefile::parse_change_file` reads.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // only its schema is used: the loader reads YAML with positions
struct ChangeFile {
    /// The changes, applied together; each names the schema as it was before all of them.
    #[schemars(length(min = 1))]
    changes: Vec<Change>,
}

/// The change file's schema. The loader rejects a field a change's kind does not take; the
/// `Change` type cannot say so, as the plan flattens it beside fields of its own.
fn change_file_schema() -> Value {
    let mut schema = schemars::schema_for!(ChangeFile).to_value();
    if let Some(Value::Array(kinds)) = schema.pointer_mut("/$defs/Change/oneOf") {
        for kind in kinds {
            kind["additionalProperties"] = Value::Bool(false);
        }
    }
    schema
}
