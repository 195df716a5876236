//! Run-wide settings that change what rules do: the SQL dialect and what renames do to
//! query output names.

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

/// Run-wide settings that change what rules do.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// The SQL dialect (`--dialect`).
    pub dialect: Dialect,
    /// What renames do to query output names (`--output-names`).
    pub output_names: OutputNames,
}

impl Options {
    /// These settings, and the defaults of any added later.
    pub fn new(dialect: Dialect, output_names: OutputNames) -> Self {
        Options { dialect, output_names }
    }
}
