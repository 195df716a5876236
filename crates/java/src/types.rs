//! SQL types as JDBC accessors and Java types, for the conversions ripple makes by itself:
//! widening integer and floating-point changes, where the old Java value always fits.

/// The JDBC family of a SQL type: (getter/setter suffix, primitive, boxed), by rank.
const NUMERIC: [(&str, &str, &str); 5] = [
    ("Short", "short", "Short"),
    ("Int", "int", "Integer"),
    ("Long", "long", "Long"),
    ("Float", "float", "Float"),
    ("Double", "double", "Double"),
];

/// The accessor suffix (`Int`, `Long`) for a SQL type, if it is a plain numeric one.
pub fn accessor(sql_type: &str) -> Option<&'static str> {
    let t = sql_type.trim().to_ascii_uppercase();
    let base = t.split('(').next().unwrap_or("").trim();
    Some(match base {
        "SMALLINT" | "INT2" | "TINYINT" => "Short",
        "INT" | "INTEGER" | "INT4" | "MEDIUMINT" | "SERIAL" => "Int",
        "BIGINT" | "INT8" | "INT64" | "LONG" | "BIGSERIAL" => "Long",
        "REAL" | "FLOAT4" => "Float",
        "DOUBLE" | "DOUBLE PRECISION" | "FLOAT8" | "FLOAT" | "FLOAT64" => "Double",
        _ => return None,
    })
}

fn rank(suffix: &str) -> Option<usize> {
    NUMERIC.iter().position(|(s, _, _)| *s == suffix)
}

/// Does a value of accessor `from` always fit in `to` without a cast in Java (and in the
/// new column)? Integers widen to longer integers, `float` to `double`.
pub fn widens(from: &str, to: &str) -> bool {
    match (rank(from), rank(to)) {
        (Some(a), Some(b)) => a < b && (b <= 2 || a >= 3),
        _ => false,
    }
}

/// The primitive and boxed Java types of an accessor suffix.
pub fn java_types(suffix: &str) -> Option<(&'static str, &'static str)> {
    NUMERIC.iter().find(|(s, _, _)| *s == suffix).map(|(_, p, b)| (*p, *b))
}

/// The accessor suffix of a Java type (`int`, `Integer`), if numeric.
pub fn suffix_of_java(ty: &str) -> Option<&'static str> {
    NUMERIC
        .iter()
        .find(|(_, p, b)| *p == ty || *b == ty || ty == format!("java.lang.{b}"))
        .map(|(s, _, _)| *s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening() {
        assert!(widens("Int", "Long"));
        assert!(widens("Short", "Int"));
        assert!(widens("Float", "Double"));
        assert!(!widens("Long", "Int"));
        assert!(!widens("Long", "Double"));
        assert!(!widens("Int", "Float"));
        assert_eq!(accessor("bigint"), Some("Long"));
        assert_eq!(accessor("NUMERIC(10,2)"), None);
        assert_eq!(suffix_of_java("Integer"), Some("Int"));
    }
}
