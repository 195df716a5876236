//! A small lattice of SQL column types: enough to tell a widening type change (nothing
//! that read the column can break) from a narrowing one or a change of class, and to say
//! whether a cast target still holds every value of a column's new type.
//!
//! Types are read from their text as written in a change file or DDL. Aliases follow the
//! dialect: in BigQuery every integer name is INT64, in Snowflake every integer name is
//! NUMBER(38,0), MySQL's FLOAT is single precision while Postgres' FLOAT is double.
//! Whatever is not understood is [`SqlType::Other`], about which nothing is claimed.

use ripple_core::Dialect;
use std::fmt;

/// The class of a type: what operations and literals it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Character data.
    Text,
    /// Binary integers.
    Integer,
    /// Exact numerics with a scale.
    Decimal,
    /// Floating-point numbers.
    Float,
    /// Booleans.
    Boolean,
    /// Dates, times and timestamps.
    Temporal,
    /// JSON documents.
    Json,
    /// Anything the lattice does not classify.
    Other,
}

impl Class {
    /// Integer, decimal or floating-point.
    pub fn is_numeric(self) -> bool {
        matches!(self, Class::Integer | Class::Decimal | Class::Float)
    }

    /// How values of the class compare and sort, for the classes that compare among
    /// themselves: as text, as numbers, as dates and times.
    pub fn compares_as(self) -> Option<&'static str> {
        match self {
            Class::Text => Some("text"),
            c if c.is_numeric() => Some("numbers"),
            Class::Temporal => Some("dates and times"),
            _ => None,
        }
    }

    /// The class's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Class::Text => "text",
            Class::Integer => "integer",
            Class::Decimal => "decimal",
            Class::Float => "floating-point",
            Class::Boolean => "boolean",
            Class::Temporal => "date/time",
            Class::Json => "JSON",
            Class::Other => "other",
        }
    }

    /// The name with its indefinite article, for messages.
    pub fn with_article(self) -> String {
        let name = self.name();
        let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        format!("{article} {name}")
    }
}

/// The kinds of date and time types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Temporal {
    /// A calendar date.
    Date,
    /// Without time zone (Postgres `timestamp`, MySQL/BigQuery `DATETIME`, `TIMESTAMP_NTZ`).
    Timestamp,
    /// An instant (`timestamptz`, BigQuery `TIMESTAMP`, `TIMESTAMP_TZ`/`_LTZ`).
    TimestampTz,
    /// A time of day.
    Time,
}

/// A column type, as far as the lattice understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlType {
    /// Character data; `None` length is unbounded (or so large it never matters).
    Text {
        /// The maximum length in characters.
        len: Option<u32>,
    },
    /// Binary integers, by the number of signed bits their range needs (an unsigned
    /// 32-bit integer needs 33).
    Integer {
        /// Signed bits of the range.
        bits: u32,
    },
    /// Exact numerics; `None` precision is unbounded (Postgres `numeric`).
    Decimal {
        /// Total digits.
        precision: Option<u32>,
        /// Digits after the decimal point.
        scale: u32,
    },
    /// Binary floating-point numbers.
    Float {
        /// Width in bits (32 or 64).
        bits: u32,
    },
    /// Booleans.
    Boolean,
    /// Dates, times and timestamps.
    Temporal(Temporal),
    /// JSON documents.
    Json,
    /// A type the lattice does not understand.
    Other,
}

impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlType::Text { len: Some(n) } => write!(f, "text of at most {n} characters"),
            SqlType::Text { len: None } => f.write_str("text"),
            SqlType::Integer { bits } => write!(f, "{bits}-bit integer"),
            SqlType::Decimal { precision: Some(p), scale } => write!(f, "decimal({p},{scale})"),
            SqlType::Decimal { precision: None, .. } => f.write_str("decimal"),
            SqlType::Float { bits } => write!(f, "{bits}-bit float"),
            SqlType::Boolean => f.write_str("boolean"),
            SqlType::Temporal(Temporal::Date) => f.write_str("date"),
            SqlType::Temporal(Temporal::Timestamp) => f.write_str("timestamp"),
            SqlType::Temporal(Temporal::TimestampTz) => f.write_str("timestamp with time zone"),
            SqlType::Temporal(Temporal::Time) => f.write_str("time"),
            SqlType::Json => f.write_str("JSON"),
            SqlType::Other => f.write_str("other"),
        }
    }
}

/// Decimal digits every value of a signed integer of `bits` bits may need.
fn digits_of_bits(bits: u32) -> u32 {
    // floor(log10(2^(bits-1))) + 1, without floating point.
    let max = 1u128.checked_shl(bits.saturating_sub(1).min(127)).unwrap_or(u128::MAX);
    let mut d = 0;
    let mut v = max;
    while v > 0 {
        v /= 10;
        d += 1;
    }
    d
}

fn parse_args(s: &str) -> (String, Vec<u32>) {
    match s.split_once('(') {
        Some((head, rest)) => {
            let inner = rest.split(')').next().unwrap_or("");
            let args = inner.split(',').filter_map(|a| a.trim().parse().ok()).collect();
            let tail = rest.split_once(')').map(|(_, t)| t).unwrap_or("");
            (format!("{} {}", head.trim(), tail.trim()).trim().to_string(), args)
        }
        None => (s.to_string(), Vec::new()),
    }
}

impl SqlType {
    /// Reads a type as written (`BIGINT`, `varchar(20)`, `numeric(12, 2)`,
    /// `timestamp with time zone`, `int unsigned`, `INT64`...).
    pub fn parse(text: &str, dialect: Dialect) -> SqlType {
        let lower = text.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase();
        let lower = lower.trim_matches(|c| c == '"' || c == '`');
        let (name, args) = parse_args(lower);
        let unsigned = name.split(' ').any(|w| w == "unsigned");
        let words: Vec<&str> =
            name.split(' ').filter(|w| !matches!(*w, "unsigned" | "signed" | "zerofill")).collect();
        let name = words.join(" ");
        let int = |bits: u32| -> SqlType {
            match dialect {
                Dialect::Bigquery => SqlType::Integer { bits: 64 },
                Dialect::Snowflake => SqlType::Decimal { precision: Some(38), scale: 0 },
                _ => SqlType::Integer { bits: if unsigned { bits + 1 } else { bits } },
            }
        };
        let text_of = |len: Option<u32>| SqlType::Text { len };
        match name.as_str() {
            "tinyint" | "byte" | "byteint" => int(8),
            "smallint" | "int2" | "short" | "smallserial" | "serial2" => int(16),
            "mediumint" | "int3" | "middleint" => int(24),
            "int" | "integer" | "int4" | "serial" | "serial4" => int(32),
            "bigint" | "int8" | "long" | "bigserial" | "serial8" | "int64" => int(64),
            "numeric" | "decimal" | "dec" | "number" | "bignumeric" | "bigdecimal" | "fixed" => {
                match (dialect, name.as_str(), args.as_slice()) {
                    (Dialect::Bigquery, "numeric" | "decimal", []) => {
                        SqlType::Decimal { precision: Some(38), scale: 9 }
                    }
                    // Snowflake NUMBER, DECIMAL and NUMERIC default to NUMBER(38,0).
                    (Dialect::Snowflake | Dialect::Mysql, _, []) => {
                        let p = if dialect == Dialect::Mysql { 10 } else { 38 };
                        SqlType::Decimal { precision: Some(p), scale: 0 }
                    }
                    (Dialect::Spark, _, []) => SqlType::Decimal { precision: Some(10), scale: 0 },
                    (_, _, []) => SqlType::Decimal { precision: None, scale: 0 },
                    (_, _, [p]) => SqlType::Decimal { precision: Some(*p), scale: 0 },
                    (_, _, [p, s, ..]) => SqlType::Decimal { precision: Some(*p), scale: *s },
                }
            }
            "real" | "float4" => SqlType::Float { bits: 32 },
            "double" | "double precision" | "float8" | "float64" | "binary_double" => {
                SqlType::Float { bits: 64 }
            }
            "float" => match (dialect, args.as_slice()) {
                (_, [p, ..]) if *p <= 24 => SqlType::Float { bits: 32 },
                (_, [_, ..]) => SqlType::Float { bits: 64 },
                (Dialect::Mysql | Dialect::Spark, []) => SqlType::Float { bits: 32 },
                _ => SqlType::Float { bits: 64 },
            },
            "text" | "string" | "clob" | "citext" | "tinytext" | "mediumtext" | "longtext" | "ntext" => {
                match (name.as_str(), args.as_slice()) {
                    ("string", [n, ..]) => text_of(Some(*n)),
                    _ => text_of(None),
                }
            }
            "varchar"
            | "character varying"
            | "nvarchar"
            | "varchar2"
            | "nvarchar2"
            | "char varying"
            | "national character varying" => match (dialect, args.as_slice()) {
                (_, [n, ..]) => text_of(Some(*n)),
                _ => text_of(None),
            },
            "char" | "character" | "nchar" | "bpchar" | "national character" => match args.as_slice() {
                [n, ..] => text_of(Some(*n)),
                _ if name == "bpchar" => text_of(None),
                _ => text_of(Some(1)),
            },
            "bool" | "boolean" => SqlType::Boolean,
            "date" => SqlType::Temporal(Temporal::Date),
            "time" | "time without time zone" | "timetz" | "time with time zone" => {
                SqlType::Temporal(Temporal::Time)
            }
            "datetime" | "datetime2" | "smalldatetime" | "timestamp_ntz" | "timestamp without time zone" => {
                SqlType::Temporal(Temporal::Timestamp)
            }
            "timestamptz"
            | "timestamp with time zone"
            | "timestamp_tz"
            | "timestamp_ltz"
            | "timestamp with local time zone"
            | "datetimeoffset" => SqlType::Temporal(Temporal::TimestampTz),
            "timestamp" => match dialect {
                // BigQuery TIMESTAMP is an instant; Snowflake's default mapping is NTZ.
                Dialect::Bigquery => SqlType::Temporal(Temporal::TimestampTz),
                _ => SqlType::Temporal(Temporal::Timestamp),
            },
            "json" | "jsonb" | "variant" | "object" => SqlType::Json,
            _ => SqlType::Other,
        }
    }

    /// The type's class.
    pub fn class(&self) -> Class {
        match self {
            SqlType::Text { .. } => Class::Text,
            SqlType::Integer { .. } => Class::Integer,
            SqlType::Decimal { .. } => Class::Decimal,
            SqlType::Float { .. } => Class::Float,
            SqlType::Boolean => Class::Boolean,
            SqlType::Temporal(_) => Class::Temporal,
            SqlType::Json => Class::Json,
            SqlType::Other => Class::Other,
        }
    }

    /// Does this type (a cast target, or a column's new type) hold every value of
    /// `value` without loss? `None` when the lattice cannot tell: conversions between
    /// classes (parsing text, time zones) depend on the data.
    pub fn holds(&self, value: &SqlType) -> Option<bool> {
        use SqlType::*;
        match (self, value) {
            (Other, _) | (_, Other) => None,
            (Text { len: None }, Text { .. }) => Some(true),
            (Text { len: Some(_) }, Text { len: None }) => Some(false),
            (Text { len: Some(a) }, Text { len: Some(b) }) => Some(a >= b),
            // Any number or date fits in unbounded text; a bounded one depends on the data.
            (Text { len: None }, _) => Some(true),
            (Text { len: Some(_) }, _) => None,
            (Integer { bits: a }, Integer { bits: b }) => Some(a >= b),
            (Integer { bits }, Decimal { precision, scale }) => {
                Some(*scale == 0 && precision.is_some_and(|p| p < digits_of_bits(*bits)))
            }
            (Integer { .. }, Float { .. }) => Some(false),
            (Decimal { precision: None, .. }, Integer { .. } | Decimal { .. }) => Some(true),
            (Decimal { precision: Some(p), scale }, Integer { bits }) => {
                Some(p.saturating_sub(*scale) >= digits_of_bits(*bits))
            }
            (Decimal { precision: Some(_), .. }, Decimal { precision: None, .. }) => Some(false),
            (Decimal { precision: Some(p), scale: s }, Decimal { precision: Some(q), scale: t }) => {
                Some(p.saturating_sub(*s) >= q.saturating_sub(*t) && s >= t)
            }
            (Decimal { .. }, Float { .. }) => Some(false),
            // Floats are approximate by choice: reading an exact number as a float is the
            // point of the cast, not a narrowing worth a finding.
            (Float { .. }, Integer { .. } | Decimal { .. }) => Some(true),
            (Float { bits: a }, Float { bits: b }) => Some(a >= b),
            (Boolean, Boolean) | (Json, Json) => Some(true),
            (Temporal(a), Temporal(b)) => {
                use self::Temporal as T;
                match (a, b) {
                    _ if a == b => Some(true),
                    (T::Timestamp | T::TimestampTz, T::Date) => Some(true),
                    (T::Date, T::Timestamp | T::TimestampTz) => Some(false),
                    (T::Time, T::Timestamp | T::TimestampTz) => Some(false),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// How a column's type moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    /// Equivalent types (INT and INTEGER; INT and BIGINT in BigQuery).
    Same,
    /// Every old value fits the new type, in the same class or among numbers.
    Widening,
    /// Some old values may not fit the new type.
    Narrowing,
    /// Another class: operations and literals that suit the old type may not suit the new.
    ClassChange,
    /// The old type is not known, or the lattice cannot compare the two.
    Unknown,
}

/// How a column's type changes from `old` (if known) to `new`.
pub fn shift(old: Option<&SqlType>, new: &SqlType) -> Shift {
    let Some(old) = old else { return Shift::Unknown };
    let (oc, nc) = (old.class(), new.class());
    if oc != nc && !(oc.is_numeric() && nc.is_numeric()) {
        return if oc == Class::Other || nc == Class::Other { Shift::Unknown } else { Shift::ClassChange };
    }
    match (new.holds(old), old.holds(new)) {
        (Some(true), Some(true)) => Shift::Same,
        (Some(true), _) => Shift::Widening,
        (Some(false), _) => Shift::Narrowing,
        (None, _) => Shift::Unknown,
    }
}

/// The kind of a literal as written in an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// A whole number.
    Integer,
    /// A number with a fraction or exponent.
    Fraction,
    /// A quoted string, with its content.
    String(String),
    /// `TRUE` or `FALSE`.
    Boolean,
    /// `NULL`.
    Null,
    /// Anything else.
    Other,
}

impl Literal {
    /// The kind of the literal `text`.
    pub fn of(text: &str) -> Literal {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        match lower.as_str() {
            "true" | "false" => return Literal::Boolean,
            "null" => return Literal::Null,
            _ => {}
        }
        // E'...', N'...' and the like are strings too.
        let body = t.trim_start_matches(|c: char| c.is_ascii_alphabetic() && c != '\'');
        if body.len() >= 2 && body.starts_with('\'') && body.ends_with('\'') && body.len() + 2 >= t.len() {
            return Literal::String(body[1..body.len() - 1].replace("''", "'"));
        }
        let num = t.trim_start_matches(['-', '+']);
        if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
            return Literal::Integer;
        }
        if num.parse::<f64>().is_ok() && num.bytes().any(|b| b.is_ascii_digit()) {
            return Literal::Fraction;
        }
        Literal::Other
    }

    /// The literal's kind with its article, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Literal::Integer => "an integer literal",
            Literal::Fraction => "a numeric literal",
            Literal::String(_) => "a string literal",
            Literal::Boolean => "a boolean literal",
            Literal::Null => "NULL",
            Literal::Other => "a literal",
        }
    }

    /// Would a value of type `ty` compare with this literal as it is written, with no
    /// implicit conversion that some dialect refuses or that changes the comparison's
    /// meaning? `None` when the lattice cannot tell.
    pub fn suits(&self, ty: &SqlType) -> Option<bool> {
        let class = ty.class();
        match self {
            Literal::Null | Literal::Other => None,
            Literal::Integer | Literal::Fraction => match class {
                c if c.is_numeric() => Some(true),
                Class::Other | Class::Json => None,
                _ => Some(false),
            },
            Literal::Boolean => match class {
                Class::Boolean => Some(true),
                Class::Other | Class::Json => None,
                _ => Some(false),
            },
            Literal::String(s) => match ty {
                SqlType::Text { .. } => Some(true),
                SqlType::Integer { .. } => Some(looks_integer(s)),
                SqlType::Decimal { .. } | SqlType::Float { .. } => Some(s.trim().parse::<f64>().is_ok()),
                SqlType::Boolean => Some(matches!(
                    s.trim().to_ascii_lowercase().as_str(),
                    "true" | "false" | "t" | "f" | "yes" | "no" | "on" | "off" | "1" | "0"
                )),
                SqlType::Temporal(t) => Some(looks_temporal(s, *t)),
                SqlType::Json | SqlType::Other => None,
            },
        }
    }
}

fn looks_integer(s: &str) -> bool {
    let n = s.trim().trim_start_matches(['-', '+']);
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
}

/// A string reads as a value of the temporal type without losing a part of it: a date
/// literal carries no time of day, a timestamp literal starts with a date.
fn looks_temporal(s: &str, t: Temporal) -> bool {
    let s = s.trim();
    let date_like = s.len() >= 8
        && s.bytes().take(4).all(|b| b.is_ascii_digit())
        && matches!(s.as_bytes().get(4), Some(b'-' | b'/'));
    match t {
        Temporal::Date => date_like && s.len() <= 10,
        Temporal::Timestamp | Temporal::TimestampTz => date_like,
        Temporal::Time => s.contains(':'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> SqlType {
        SqlType::parse(s, Dialect::Generic)
    }

    #[test]
    fn aliases_by_dialect() {
        assert_eq!(t("INT4"), SqlType::Integer { bits: 32 });
        assert_eq!(t("int8"), SqlType::Integer { bits: 64 });
        assert_eq!(t("INTEGER"), t("int"));
        assert_eq!(t("int(11) unsigned"), SqlType::Integer { bits: 33 });
        assert_eq!(t("character varying(20)"), SqlType::Text { len: Some(20) });
        assert_eq!(t("numeric(12, 2)"), SqlType::Decimal { precision: Some(12), scale: 2 });
        assert_eq!(t("timestamp with time zone"), SqlType::Temporal(Temporal::TimestampTz));
        assert_eq!(t("geography"), SqlType::Other);
        let bq = |s| SqlType::parse(s, Dialect::Bigquery);
        assert_eq!(bq("INT64"), bq("SMALLINT"));
        let sf = |s| SqlType::parse(s, Dialect::Snowflake);
        assert_eq!(sf("INT"), sf("NUMBER(38,0)"));
        assert_eq!(sf("BIGINT"), sf("TINYINT"));
        assert_eq!(SqlType::parse("FLOAT", Dialect::Mysql), SqlType::Float { bits: 32 });
        assert_eq!(SqlType::parse("FLOAT", Dialect::Postgres), SqlType::Float { bits: 64 });
    }

    #[test]
    fn shifts() {
        let s = |a: &str, b: &str| shift(Some(&t(a)), &t(b));
        assert_eq!(s("int", "bigint"), Shift::Widening);
        assert_eq!(s("smallint", "int"), Shift::Widening);
        assert_eq!(s("bigint", "int"), Shift::Narrowing);
        assert_eq!(s("int", "integer"), Shift::Same);
        assert_eq!(s("int", "numeric(12,2)"), Shift::Widening);
        assert_eq!(s("int", "numeric(8,2)"), Shift::Narrowing);
        assert_eq!(s("numeric(10,2)", "numeric(12,2)"), Shift::Widening);
        assert_eq!(s("varchar(20)", "text"), Shift::Widening);
        assert_eq!(s("text", "varchar(20)"), Shift::Narrowing);
        assert_eq!(s("timestamp", "date"), Shift::Narrowing);
        assert_eq!(s("date", "timestamp"), Shift::Widening);
        assert_eq!(s("int", "text"), Shift::ClassChange);
        assert_eq!(s("text", "int"), Shift::ClassChange);
        assert_eq!(s("int", "uuid"), Shift::Unknown);
        assert_eq!(shift(None, &t("bigint")), Shift::Unknown);
        let bq = |s| SqlType::parse(s, Dialect::Bigquery);
        assert_eq!(shift(Some(&bq("INT")), &bq("BIGINT")), Shift::Same);
    }

    #[test]
    fn holds() {
        assert_eq!(t("int").holds(&t("bigint")), Some(false));
        assert_eq!(t("bigint").holds(&t("int")), Some(true));
        assert_eq!(t("text").holds(&t("bigint")), Some(true));
        assert_eq!(t("varchar(10)").holds(&t("text")), Some(false));
        assert_eq!(t("int").holds(&t("text")), None);
        assert_eq!(t("numeric(19,0)").holds(&t("bigint")), Some(true));
        assert_eq!(t("numeric(18,0)").holds(&t("bigint")), Some(false));
        assert_eq!(t("bigint").holds(&t("numeric(18,0)")), Some(true));
        assert_eq!(t("date").holds(&t("timestamp")), Some(false));
        assert_eq!(digits_of_bits(64), 19);
        assert_eq!(digits_of_bits(32), 10);
        assert_eq!(digits_of_bits(16), 5);
        assert_eq!(digits_of_bits(0), 1);
        assert_eq!(digits_of_bits(500), 39);
    }

    #[test]
    fn literals() {
        assert_eq!(Literal::of("42"), Literal::Integer);
        assert_eq!(Literal::of("-3"), Literal::Integer);
        assert_eq!(Literal::of("18.5"), Literal::Fraction);
        assert_eq!(Literal::of("'abc'"), Literal::String("abc".into()));
        assert_eq!(Literal::of("E'a''b'"), Literal::String("a'b".into()));
        assert_eq!(Literal::of("TRUE"), Literal::Boolean);
        assert_eq!(Literal::of("inf"), Literal::Other);
        assert_eq!(Literal::Integer.suits(&t("text")), Some(false));
        assert_eq!(Literal::of("'abc'").suits(&t("int")), Some(false));
        assert_eq!(Literal::of("'42'").suits(&t("int")), Some(true));
        assert_eq!(Literal::of("'2024-01-01 10:00'").suits(&t("date")), Some(false));
        assert_eq!(Literal::of("'2024-01-01'").suits(&t("date")), Some(true));
        assert_eq!(Literal::of("'2024-01-01'").suits(&t("timestamp")), Some(true));
    }
}
