//! When a new name ripple writes must be quoted, and how: a reserved word of the dialect
//! or a name that is not a plain identifier would otherwise not parse, or mean something
//! else (`user` is `current_user` in Postgres).

use super::facts;
use ripple_core::{Dialect, Ident};

/// Reserved in SQL:2016 and in every dialect ripple reads: never a bare column or table name.
pub(super) const COMMON: &[&str] = &[
    "all",
    "alter",
    "and",
    "any",
    "as",
    "between",
    "by",
    "case",
    "cast",
    "check",
    "column",
    "constraint",
    "create",
    "cross",
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "delete",
    "distinct",
    "drop",
    "else",
    "end",
    "except",
    "exists",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "in",
    "inner",
    "insert",
    "intersect",
    "into",
    "is",
    "join",
    "left",
    "like",
    "natural",
    "not",
    "null",
    "on",
    "or",
    "order",
    "outer",
    "primary",
    "references",
    "right",
    "select",
    "set",
    "some",
    "table",
    "then",
    "to",
    "true",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "values",
    "when",
    "where",
    "with",
];

/// Reserved in Postgres beyond [`COMMON`].
pub(super) const POSTGRES: &[&str] = &[
    "analyse",
    "analyze",
    "array",
    "asc",
    "asymmetric",
    "both",
    "collate",
    "current_role",
    "deferrable",
    "desc",
    "do",
    "initially",
    "lateral",
    "leading",
    "limit",
    "offset",
    "only",
    "placing",
    "returning",
    "session_user",
    "symmetric",
    "trailing",
    "variadic",
    "window",
];

/// Reserved in MySQL beyond [`COMMON`].
pub(super) const MYSQL: &[&str] = &[
    "asc", "desc", "div", "index", "interval", "key", "keys", "limit", "mod", "range", "read", "regexp",
    "rlike", "schema", "show", "use", "write", "xor",
];

/// Reserved in BigQuery beyond [`COMMON`].
pub(super) const BIGQUERY: &[&str] =
    &["array", "asc", "desc", "interval", "lateral", "limit", "qualify", "range", "rows", "struct", "window"];

/// Reserved in Snowflake beyond [`COMMON`].
pub(super) const SNOWFLAKE: &[&str] =
    &["ilike", "increment", "lateral", "minus", "qualify", "regexp", "rlike", "sample", "window"];

/// Reserved in Spark SQL beyond [`COMMON`].
pub(super) const SPARK: &[&str] = &["asc", "desc", "interval", "lateral", "limit", "window"];

/// Why `name` cannot be written bare in `dialect`, if it cannot.
pub fn quoting_reason(name: &str, dialect: Dialect) -> Option<&'static str> {
    let f = facts(dialect);
    let lower = name.to_ascii_lowercase();
    if COMMON.contains(&lower.as_str()) || f.reserved.contains(&lower.as_str()) {
        return Some("a reserved word");
    }
    let mut chars = name.chars();
    let plain = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || (c == '$' && f.dollar_in_names));
    (!plain).then_some("not a plain identifier")
}

/// `new` as ripple writes it where the code had it bare: quoted with the dialect's quote
/// character when it was quoted in the change file or must be quoted.
pub fn write_new(new: &Ident, dialect: Dialect) -> String {
    if !new.quoted && quoting_reason(&new.value, dialect).is_none() {
        return new.value.clone();
    }
    let f = facts(dialect);
    // An unquoted name folds to upper case in Snowflake: its quoted spelling must too.
    let value = if !new.quoted && f.folds_upper { new.value.to_uppercase() } else { new.value.clone() };
    let q = f.quote;
    format!("{q}{}{q}", value.replace(q, &format!("{q}{q}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_odd_names_are_quoted_per_dialect() {
        let w = |n: &str, d| write_new(&Ident::new(n), d);
        assert_eq!(w("from", Dialect::Postgres), "\"from\"");
        assert_eq!(w("USER", Dialect::Postgres), "\"USER\"");
        assert_eq!(w("order", Dialect::Mysql), "`order`");
        assert_eq!(w("group", Dialect::Bigquery), "`group`");
        assert_eq!(w("select", Dialect::Snowflake), "\"SELECT\"");
        assert_eq!(w("2fa", Dialect::Generic), "\"2fa\"");
        assert_eq!(w("user name", Dialect::Spark), "`user name`");
        assert_eq!(w("a`b", Dialect::Mysql), "`a``b`");
        assert_eq!(w("username", Dialect::Postgres), "username");
        assert_eq!(w("amount$", Dialect::Postgres), "amount$");
        assert_eq!(w("amount$", Dialect::Bigquery), "`amount$`");
        assert_eq!(w("limit", Dialect::Postgres), "\"limit\"");
        assert_eq!(w("limit", Dialect::Generic), "limit");
        assert_eq!(write_new(&Ident::parse("\"Name\""), Dialect::Mysql), "`Name`");
    }
}
