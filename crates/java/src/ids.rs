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

/// Spring Data JDBC names derived from class and property names.
pub const SPRING_DATA_DEFAULT_NAMING: RuleId = RuleId::new(
    Lang::Java,
    "java/spring-data-default-naming",
    Reason::ManualEdit,
    "Follows a rename into the table and column names Spring Data JDBC derives from an aggregate's names.",
    "An aggregate class with Spring Data's `@Id` and no `@Table` maps to the snake_case of its \
class name (`PetType` to `pet_type`), and a property without `@Column` to the snake_case of its \
name (`birthDate` to `birth_date`); so do the components of a record with `@Table`. A rename adds \
`@Table(\"new\")` or `@Column(\"new\")` (and its import), which keeps the Java names. A property \
whose type may be an entity, a drop and a type change are reported. Files of JPA or of another \
Spring Data store are left to their own rules.",
    "-- rename column owner.telephone to phone\n\
before: @Id private Integer id;  private String telephone;\n\
after:  @Id private Integer id;  @Column(\"phone\")\n  private String telephone;",
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

/// SQL in MyBatis XML mapper statements.
pub const MYBATIS_EMBEDDED_SQL: RuleId = RuleId::new(
    Lang::MyBatis,
    "mybatis/embedded-sql",
    Reason::ManualEdit,
    "Rewrites the SQL of MyBatis XML mapper statements.",
    "Each `<select>`, `<insert>`, `<update>`, `<delete>`, `<selectKey>` and `<sql>` fragment is \
read with an XML reader and carried through the SQL resolver. Dynamic tags render as MyBatis \
would with every condition true (`<where>`, `<set>`, `<trim>` drop their overrides, `<foreach>` \
renders once, `<include>` inlines a fragment of the same file); each `<choose>` alternative is \
analysed on its own. `#{}` parameters and `${}` substitutions are never rewritten, nor is text \
written with entities (`&lt;`); CDATA is rewritten in place. A mapper that is not well-formed \
XML is reported.",
    "-- rename table users to accounts\n\
before: <select id=\"find\">SELECT * FROM users WHERE id = #{id}</select>\n\
after:  <select id=\"find\">SELECT * FROM accounts WHERE id = #{id}</select>",
);

/// `<resultMap>` columns and `resultType` mapping by column name.
pub const MYBATIS_RESULT_MAP: RuleId = RuleId::new(
    Lang::MyBatis,
    "mybatis/result-map-column",
    Reason::ManualEdit,
    "Follows a renamed output column into the `<resultMap>` `column=` attributes that map it.",
    "A result map names output columns of the queries that use it (`resultMap=\"...\"` in the \
same mapper). When every such query outputs the new name after the rewrite (a bare column under \
`--output-names propagate`, or `*`, which cannot be aliased), the attribute is rewritten; when \
only some do, when a query cannot be resolved, or when the column is dropped or retyped, it is \
reported. A query mapped onto a class by column name (`resultType`) whose output name changes is \
reported.",
    "-- rename column users.user_name to username (--output-names propagate)\n\
before: <result column=\"user_name\" property=\"userName\"/>\n\
after:  <result column=\"username\" property=\"userName\"/>",
);

/// Mapper lines that mention a changed name and that no rule accounted for.
pub const MYBATIS_UNANALYSED_MENTION: RuleId = RuleId::new(
    Lang::MyBatis,
    "mybatis/unanalysed-mention",
    Reason::UntiedString,
    "A mention of a changed name in a MyBatis mapper that no rule accounted for.",
    "Mentions outside the SQL the mapper's statements were read as: in an XML comment \
(information), in a Java name such as a `#{}` parameter, a `property=`, a `type=` or a `test=` \
(information), or anywhere else (review).",
    "src/main/resources/UserMapper.xml:12:30: info[mybatis/unanalysed-mention]: `user_name` in a \
Java name (a parameter, property, type or test), not a database name; left as written",
);

/// The ids of the Java crate.
pub const ALL: &[&RuleId] = &[
    &EMBEDDED_SQL,
    &JPA_FIELD_TYPE,
    &SPRING_DATA_DEFAULT_NAMING,
    &RESULTSET_COLUMN,
    &STATEMENT_PARAMETER,
    &MYBATIS_EMBEDDED_SQL,
    &MYBATIS_RESULT_MAP,
    &MYBATIS_UNANALYSED_MENTION,
];
