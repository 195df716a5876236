//! What ripple knows about each SQL dialect, in one table ([`facts`]), and how the dialect
//! of a file is chosen: the one given by `--dialect`, or a guess from its syntax
//! ([`effective`]); which sqlparser dialects a statement tree-sitter could not read is
//! tried in ([`candidates`]); when a new name must be quoted ([`quoting`]).

mod candidates;
mod guess;
mod quoting;

pub(crate) use candidates::candidates;
pub(crate) use guess::effective;
pub use quoting::{quoting_reason, write_new};

use ripple_core::Dialect;
use sqlparser::dialect::{
    BigQueryDialect, Dialect as SqlDialect, GenericDialect, MySqlDialect, PostgreSqlDialect,
    SnowflakeDialect, SparkSqlDialect,
};

/// The facts of one dialect that change how ripple reads SQL.
pub(crate) struct Facts {
    /// `\'` escapes a quote in every string literal, not only in `E'...'` strings.
    pub backslash_escapes: bool,
    /// A double-quoted `"x"` is a string literal, not a quoted identifier.
    pub double_quotes_string: bool,
    /// `/` of two integers drops the fraction.
    pub integer_division: bool,
    /// A string literal compared with a number or boolean converts to it (BigQuery
    /// converts string literals to dates and times only).
    pub strings_compare_as_numbers: bool,
    /// The character that quotes an identifier.
    pub quote: char,
    /// Reserved words beyond SQL:2016's common ones (`quoting::COMMON`), lower case.
    pub reserved: &'static [&'static str],
    /// Unquoted names fold to upper case.
    pub folds_upper: bool,
    /// `$` may appear in an unquoted name (not first).
    pub dollar_in_names: bool,
    /// The sqlparser dialect that parses it.
    pub sqlparser: fn() -> Box<dyn SqlDialect>,
}

const ANSI: Facts = Facts {
    backslash_escapes: false,
    double_quotes_string: false,
    integer_division: true,
    strings_compare_as_numbers: true,
    quote: '"',
    reserved: &[],
    folds_upper: false,
    dollar_in_names: false,
    sqlparser: || Box::new(GenericDialect),
};

/// MySQL, BigQuery and Spark quote strings either way and escape with backslashes.
const BACKSLASHED: Facts = Facts {
    backslash_escapes: true,
    double_quotes_string: true,
    integer_division: false,
    quote: '`',
    ..ANSI
};

/// The facts of `dialect`; `Generic` is ANSI SQL read by sqlparser's generic dialect.
pub(crate) fn facts(dialect: Dialect) -> &'static Facts {
    static POSTGRES: Facts = Facts {
        reserved: quoting::POSTGRES,
        dollar_in_names: true,
        sqlparser: || Box::new(PostgreSqlDialect {}),
        ..ANSI
    };
    static SNOWFLAKE: Facts = Facts {
        integer_division: false,
        reserved: quoting::SNOWFLAKE,
        folds_upper: true,
        dollar_in_names: true,
        sqlparser: || Box::new(SnowflakeDialect),
        ..ANSI
    };
    static MYSQL: Facts = Facts {
        reserved: quoting::MYSQL,
        dollar_in_names: true,
        sqlparser: || Box::new(MySqlDialect {}),
        ..BACKSLASHED
    };
    static BIGQUERY: Facts = Facts {
        strings_compare_as_numbers: false,
        reserved: quoting::BIGQUERY,
        sqlparser: || Box::new(BigQueryDialect),
        ..BACKSLASHED
    };
    static SPARK: Facts =
        Facts { reserved: quoting::SPARK, sqlparser: || Box::new(SparkSqlDialect), ..BACKSLASHED };
    static GENERIC: Facts = ANSI;
    match dialect {
        Dialect::Generic => &GENERIC,
        Dialect::Postgres => &POSTGRES,
        Dialect::Snowflake => &SNOWFLAKE,
        Dialect::Mysql => &MYSQL,
        Dialect::Bigquery => &BIGQUERY,
        Dialect::Spark => &SPARK,
    }
}

/// The sqlparser dialect for `dialect`.
pub(crate) fn sqlparser_dialect(dialect: Dialect) -> Box<dyn SqlDialect> {
    (facts(dialect).sqlparser)()
}

/// How a double-quoted name that tree-sitter read as a literal is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QuotedLiterals {
    /// An identifier (ANSI quoting: Postgres, Snowflake, and the generic default).
    Identifier,
    /// Could be a string: the dialect is unknown and the file uses backticks.
    Uncertain,
    /// A string (MySQL, BigQuery, Spark).
    String,
}

impl QuotedLiterals {
    /// The rule for a file of `dialect` (its effective one) whose code is `text`.
    pub(crate) fn of(dialect: Dialect, text: &str) -> Self {
        if facts(dialect).double_quotes_string {
            QuotedLiterals::String
        } else if dialect == Dialect::Generic && text.contains('`') {
            QuotedLiterals::Uncertain
        } else {
            QuotedLiterals::Identifier
        }
    }
}
