//! Run-wide settings that change what rules do: the SQL dialect, what renames do to query
//! output names, and how a dbt dataset is renamed.

use serde::{Deserialize, Serialize};

/// SQL dialects ripple distinguishes (identifier quoting and folding, sqlparser dialect).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// Not given: rules accept the common ground and guess per file where it matters.
    #[default]
    Generic,
    /// PostgreSQL.
    Postgres,
    /// MySQL and MariaDB.
    Mysql,
    /// Google BigQuery.
    Bigquery,
    /// Snowflake.
    Snowflake,
    /// Spark SQL and Databricks.
    Spark,
}

impl Dialect {
    /// The dialect a `--dialect` value names, in any case; aliases included.
    pub fn from_name(name: &str) -> Option<Dialect> {
        Some(match name.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Dialect::Postgres,
            "mysql" => Dialect::Mysql,
            "bigquery" => Dialect::Bigquery,
            "snowflake" => Dialect::Snowflake,
            "spark" | "sparksql" | "databricks" => Dialect::Spark,
            "generic" => Dialect::Generic,
            _ => return None,
        })
    }
}

/// What happens to a query's output names when a projected column is renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum OutputNames {
    /// `SELECT user_name` becomes `SELECT username AS user_name`: the result keeps its shape.
    #[default]
    Preserve,
    /// The output column is renamed too, and downstream readers follow.
    Propagate,
}

/// How a table rename renames the dbt dataset it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DbtRename {
    /// A source table gets `identifier: <new>` and keeps its dbt name, so no SQL changes; a
    /// model or seed is renamed by name (its file moves, every `ref()` follows).
    #[default]
    Identifier,
    /// The dbt name changes too: a source table's `name:` and every `source()` call naming
    /// it, a model's or seed's file and every `ref()`.
    Names,
    /// A model or seed keeps its dbt name and gets an `alias` config, so only its relation
    /// is renamed; a source table gets `identifier:`.
    Alias,
}

impl DbtRename {
    /// The mode a `--dbt-rename` value names.
    pub fn from_name(name: &str) -> Option<DbtRename> {
        Some(match name.to_ascii_lowercase().as_str() {
            "identifier" => DbtRename::Identifier,
            "names" => DbtRename::Names,
            "alias" => DbtRename::Alias,
            _ => return None,
        })
    }
}

/// Run-wide settings that change what rules do.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// The SQL dialect (`--dialect`).
    pub dialect: Dialect,
    /// What renames do to query output names (`--output-names`).
    pub output_names: OutputNames,
    /// How a table rename renames a dbt dataset (`--dbt-rename`).
    pub dbt_rename: DbtRename,
}

impl Options {
    /// These settings, and the defaults of any added later.
    pub fn new(dialect: Dialect, output_names: OutputNames) -> Self {
        Options { dialect, output_names, dbt_rename: DbtRename::default() }
    }

    /// These settings with `--dbt-rename` set.
    pub fn with_dbt_rename(self, dbt_rename: DbtRename) -> Self {
        Options { dbt_rename, ..self }
    }
}
