//! The rule ids the Java crate prints. See [`ripple_core::ids`] for the registry.

use ripple_core::{Lang, Reason, RuleId};

/// SQL in Java strings and text blocks.
pub const EMBEDDED_SQL: RuleId = RuleId::new(
    Lang::Java,
    "java/embedded-sql",
    Reason::ManualEdit,
    "Rewrites SQL inside Java string literals and text blocks.",
    "Strings that hold SQL (JDBC `prepareStatement`, Spring `JdbcTemplate`, JPA `@Query` and \
native queries...) are carried through the SQL resolver; concatenations and `?` or `:name` \
parameters are kept. What cannot be rewritten safely is reported at its line.",
    "-- rename column users.user_name to username\n\
before: jdbc.query(\"SELECT user_name FROM users WHERE id = ?\", mapper, id);\n\
after:  jdbc.query(\"SELECT username AS user_name FROM users WHERE id = ?\", mapper, id);",
);

/// JPA entity fields that follow a column's type change.
pub const JPA_FIELD_TYPE: RuleId = RuleId::new(
    Lang::Java,
    "java/jpa-field-type",
    Reason::TypeRisk,
    "Widens the type of a JPA entity field, its getter and its setter, with the column's type.",
    "When a column mapped by an entity field widens (INT to BIGINT), the field and its plain \
accessors in the same class change type (`Integer` to `Long`). Any other use of the field leaves \
the class as it is and says why; callers in other classes are reported as having to follow.",
    "-- change type of users.age from INT to BIGINT\n\
before: private Integer age;  public Integer getAge() { return age; }\n\
after:  private Long age;  public Long getAge() { return age; }",
);

/// `ResultSet` reads of a query's columns.
pub const RESULTSET_COLUMN: RuleId = RuleId::new(
    Lang::Java,
    "java/resultset-column",
    Reason::ManualEdit,
    "Follows a changed column into the `ResultSet` getters that read the query's result.",
    "`rs.getString(\"user_name\")` reads a column of the query it was executed for. When the \
query's output is renamed the label is rewritten; when the column is dropped or its type \
changes, the getter is reported, or changed (`getInt` to `getLong`) when the variable it \
feeds can follow.",
    "-- change type of users.age from INT to BIGINT\n\
before: int age = rs.getInt(\"age\");\n\
after:  long age = rs.getLong(\"age\");",
);

/// `PreparedStatement` setters of a changed column's parameter.
pub const STATEMENT_PARAMETER: RuleId = RuleId::new(
    Lang::Java,
    "java/statement-parameter",
    Reason::TypeRisk,
    "Follows a column's type change into the `PreparedStatement` setter of its parameter.",
    "A `?` parameter bound to a column whose type changes is set with a setter of the old type. \
When ripple can tell which parameter binds the column, the setter is changed (`setInt` to \
`setLong`) or reported when the value may not fit.",
    "-- change type of users.age from INT to BIGINT\n\
before: ps.setInt(1, age);  // UPDATE users SET age = ? WHERE id = ?\n\
after:  ps.setLong(1, age);",
);

/// The ids of the Java crate.
pub const ALL: &[&RuleId] = &[&EMBEDDED_SQL, &JPA_FIELD_TYPE, &RESULTSET_COLUMN, &STATEMENT_PARAMETER];
