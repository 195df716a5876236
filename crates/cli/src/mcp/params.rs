//! What the MCP tools take and return. Each input type's JSON Schema is the tool's input
//! schema; field docs become its descriptions.

use ripple::core::Plan;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a change set comes from: its text, or a file.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ChangesInput {
    /// The change file's text, YAML or JSON (`changes: [{kind: rename_column, ...}]`).
    #[serde(default)]
    pub changes: Option<String>,
    /// A change file, or a `.sql` migration of ALTER TABLE statements (relative to the
    /// server's working directory).
    #[serde(default)]
    pub changes_path: Option<String>,
    /// SQL dialect of the code and of a `.sql` change file; guessed per file when omitted.
    #[serde(default)]
    pub dialect: Option<DialectParam>,
}

/// A run over code: a change set, the paths to scan and the options of `ripple plan`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct PlanParams {
    /// The change set.
    #[serde(flatten)]
    pub input: ChangesInput,
    /// Repo checkouts or files to scan (default: the server's working directory).
    #[serde(default)]
    pub paths: Vec<String>,
    /// DDL files that describe table columns.
    #[serde(default)]
    pub catalog: Vec<String>,
    /// Directories of extra rule files.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Keep a query's output names when a projected column is renamed (the default), or
    /// rename them through.
    #[serde(default)]
    pub output_names: Option<OutputNamesParam>,
    /// How a table rename renames a dbt dataset: `identifier` (the default) gives a source
    /// table `identifier: <new>` and moves a model's or seed's file; `names` renames a
    /// source table and its `source()` calls; `alias` gives a model or seed an `alias`.
    #[serde(default)]
    pub dbt_rename: Option<DbtRenameParam>,
}

/// SQL dialect.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DialectParam {
    /// PostgreSQL.
    Postgres,
    /// MySQL.
    Mysql,
    /// BigQuery.
    Bigquery,
    /// Snowflake.
    Snowflake,
    /// Spark SQL.
    Spark,
}

/// What happens to a projected column that is renamed.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutputNamesParam {
    /// `username AS user_name`: the query keeps its output names.
    Preserve,
    /// The query's output, the code reading it and downstream models are renamed too.
    Propagate,
}

/// How a table rename renames a dbt dataset.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DbtRenameParam {
    /// A source table gets `identifier: <new>`; a model or seed moves.
    Identifier,
    /// A source table's `name:` and every `source()` call change; a model or seed moves.
    Names,
    /// A model or seed gets an `alias` config; a source table gets `identifier: <new>`.
    Alias,
}

/// A plan to apply: one this server made, or a plan's JSON.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ApplyParams {
    /// The `plan_id` the `plan` tool returned.
    #[serde(default)]
    pub plan_id: Option<String>,
    /// A plan as `plan` (or `ripple plan --format json`) returned it; its paths are taken
    /// from the server's working directory.
    #[serde(default)]
    pub plan: Option<Plan>,
}

/// Two versions of a schema's DDL.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SchemaDiffParams {
    /// The DDL file before the change.
    pub old: String,
    /// The DDL file after the change.
    pub new: String,
    /// SQL dialect of both files; tried in turn when omitted.
    #[serde(default)]
    pub dialect: Option<DialectParam>,
}

/// Extra rule directories, for the rule tools.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct ListRulesParams {
    /// Directories of extra rule files.
    #[serde(default)]
    pub rules: Vec<String>,
}

/// One rule id.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ExplainRuleParams {
    /// The rule id, e.g. `sql/rename-column`.
    pub id: String,
    /// Directories of extra rule files.
    #[serde(default)]
    pub rules: Vec<String>,
}

/// A plan and the id to apply it by.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PlanOutput {
    /// Pass it to `apply` to write exactly this plan.
    pub plan_id: String,
    /// The plan, as `ripple plan --format json` prints it.
    pub plan: Plan,
}

/// What `apply` did.
#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct ApplyOutput {
    /// Files written.
    pub written: Vec<String>,
    /// Files moved, after their edits (a renamed dbt model or seed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub moved: Vec<MovedFile>,
    /// Files left alone on purpose (changed since they were planned, owner not kept), each
    /// with why.
    pub refused: Vec<FileMessage>,
    /// Files that could not be read or written, each with why.
    pub failed: Vec<FileMessage>,
}

/// A file's old and new paths.
#[derive(Debug, Serialize, JsonSchema)]
pub struct MovedFile {
    /// Its old path.
    pub from: String,
    /// Its new path.
    pub to: String,
}

/// A file and what happened to it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FileMessage {
    /// The file, as the plan names it.
    pub path: String,
    /// What happened, as `ripple apply` prints it.
    pub message: String,
}

/// Whether a change set loads, and what it warns about.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ValidateOutput {
    /// True when there are no errors.
    pub valid: bool,
    /// The changes as understood, when valid.
    pub changes: Vec<ripple::Change>,
    /// Every error, located.
    pub errors: Vec<Located>,
    /// Warnings (a new name that ripple will quote), as `ripple plan` prints them.
    pub warnings: Vec<String>,
}

/// A message at a place in a file.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Located {
    /// The file.
    pub path: String,
    /// 1-based; 0 when about the file as a whole.
    pub line: usize,
    /// 1-based; 0 with `line`.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// Every rule id.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListRulesOutput {
    /// By language and id.
    pub rules: Vec<RuleSummary>,
}

/// One rule id, as `ripple rules list` shows it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RuleSummary {
    /// `language/name`.
    pub id: String,
    /// Its first sentence.
    pub summary: String,
    /// The change kinds it serves; empty when not declared.
    pub serves: Vec<String>,
    /// Where it is defined: a rule file, or `built-in (Rust)`.
    pub source: String,
}
