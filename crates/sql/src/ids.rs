//! The rule ids the SQL crate prints: its resolver's rewrites and findings, output
//! propagation, and dbt YAML. See [`ripple_core::ids`] for the registry.

use ripple_core::{Lang, Reason, RuleId};

/// The SQL rule as the engine runs it; its edits and findings carry the ids below.
pub const RESOLVER: RuleId = RuleId::new(
    Lang::Sql,
    "sql/resolver",
    Reason::ManualEdit,
    "Resolves every name in SQL files and SQL strings, then rewrites or reports.",
    "The SQL resolver parses each statement, binds every column and table reference to its \
table through scopes (CTEs, subqueries, aliases, joins) and the catalog, and hands each bound \
reference to the change it concerns. Its edits and findings carry a more specific id \
(`sql/rename-column`, `sql/select-star`...).",
    "-- rename column users.user_name to username\n\
before: SELECT u.user_name FROM users u\n\
after:  SELECT u.username AS user_name FROM users u",
);

/// Column references rewritten for a column rename.
pub const RENAME_COLUMN: RuleId = RuleId::new(
    Lang::Sql,
    "sql/rename-column",
    Reason::ManualEdit,
    "Rewrites references to a renamed column.",
    "Every reference that resolves with certainty to the renamed column is rewritten. With \
`--output-names preserve` (the default) a projected column keeps its output name through an \
alias, so readers of the query's result keep working; with `propagate` the output is renamed \
too.",
    "-- rename column users.user_name to username\n\
before: SELECT user_name FROM users WHERE user_name <> ''\n\
after:  SELECT username AS user_name FROM users WHERE username <> ''",
);

/// A rename that would change what another name means.
pub const CAPTURE: RuleId = RuleId::new(
    Lang::Sql,
    "sql/capture",
    Reason::Capture,
    "A column rename that would make a reference mean something else is not made.",
    "Renaming a reference must not capture another binding: when the new name is already a \
column of another table in scope, an output name of the same query, or otherwise clashes, the \
reference is reported instead of rewritten.",
    "-- rename column users.user_name to username; the catalog says users has a username already\n\
models/report.sql:11:8: review[sql/capture]: users.user_name cannot become username: users \
already has a column username (catalog); not rewritten",
);

/// References in DDL (views, indexes, constraints) rewritten for a column rename.
pub const DDL: RuleId = RuleId::new(
    Lang::Sql,
    "sql/ddl",
    Reason::ManualEdit,
    "Rewrites references to a renamed column inside DDL statements.",
    "CREATE VIEW, CREATE INDEX, constraints and similar DDL that name the renamed column are \
rewritten like queries; an ALTER TABLE that still changes a dropped column is reported.",
    "-- rename column users.user_name to username\n\
before: CREATE INDEX users_name_idx ON users (user_name);\n\
after:  CREATE INDEX users_name_idx ON users (username);",
);

/// A use of a dropped column.
pub const DROPPED_COLUMN: RuleId = RuleId::new(
    Lang::Sql,
    "sql/dropped-column",
    Reason::DroppedRead,
    "Removes a dropped column from the lists that name it; reports any other reference, or a positional INSERT that loses it.",
    "Once the column is dropped, every statement that reads or writes it fails, and an \
INSERT without a column list shifts its values. Where every reference in a statement stands \
in a list (an item of the statement's result, an INSERT column with its values, the value of \
a positional INSERT by the table's column order in the catalog, a SET assignment), the column \
is removed with its comma and its values. Any other use is reported at its line, and the \
statement is left as it is, since what should replace it is a decision.",
    "-- drop column users.legacy_flag\n\
jobs/cleanup.sql:2:8: review[sql/dropped-column]: column users.legacy_flag is dropped; it is \
read here",
);

/// An unqualified name that may belong to several tables.
pub const AMBIGUOUS_COLUMN: RuleId = RuleId::new(
    Lang::Sql,
    "sql/ambiguous-column",
    Reason::Ambiguous,
    "An unqualified column that could belong to more than one table in scope.",
    "When a bare column name could come from the changed table or from another table of the \
same FROM clause and no catalog settles it, ripple does not guess: qualify the reference and \
run again.",
    "models/joined.sql:11:8: review[sql/ambiguous-column]: unqualified `user_name` could belong \
to users u or orders o; the changed column is being renamed to username: qualify it (not \
rewritten)",
);

/// A name that could not be bound to a table.
pub const UNRESOLVED_COLUMN: RuleId = RuleId::new(
    Lang::Sql,
    "sql/unresolved-column",
    Reason::Unresolved,
    "A mention of a changed column that ripple could not bind to a table.",
    "The resolver found the changed column's name but could not tell which table it belongs \
to (an unknown table, a dialect question such as backtick strings, a source ripple cannot \
see, a `*` over a join that may pass the name on from the changed table or another one). It \
is reported rather than rewritten; `--catalog` or `--dialect` often settles it.",
    "models/legacy.sql:9:10: review[sql/unresolved-column]: `user_name` could come from users or \
events e behind the * of CTE j, which does not say which; not rewritten: name the column in \
that SELECT",
);

/// `SELECT *` over a changed table.
pub const SELECT_STAR: RuleId = RuleId::new(
    Lang::Sql,
    "sql/select-star",
    Reason::StarShape,
    "A `*` over a changed table: the result's shape changes.",
    "`SELECT *` and `t.*` keep working after a rename or drop, but the columns they return \
change, so readers of the result may break. The star is reported for review when its result \
reaches readers outside the statement; a star inside a CTE or derived table that is read only \
by name is not, since each of those references is bound through it and rewritten or reported.",
    "models/export.sql:1:8: review[sql/select-star]: the result shape changes: * includes \
users.user_name, which is renamed",
);

/// `USING` and NATURAL joins over a changed column.
pub const USING_JOIN: RuleId = RuleId::new(
    Lang::Sql,
    "sql/using-join",
    Reason::StarShape,
    "A USING or NATURAL join that involves a changed column.",
    "A join on shared column names depends on both tables keeping the name: renaming or \
dropping it on one side changes or breaks the join, which ripple cannot rewrite on its own.",
    "models/orders.sql:4:22: review[sql/using-join]: USING (user_name) joins on users.user_name, \
which is renamed to username; rewrite the join by hand",
);

/// An ALTER TABLE that performs the change itself.
pub const MIGRATION_STATEMENT: RuleId = RuleId::new(
    Lang::Sql,
    "sql/migration-statement",
    Reason::Historical,
    "A migration statement that performs the change is left as written.",
    "An ALTER TABLE (or RENAME) that carries out a change of the change set is the migration \
itself, not a consumer: it is reported for information and never rewritten.",
    "migrations/0042.sql:1:13: info[sql/migration-statement]: this statement performs the \
change (rename column users.user_name to username); migrations are left as written",
);

/// Table references rewritten for a table rename.
pub const RENAME_TABLE: RuleId = RuleId::new(
    Lang::Sql,
    "sql/rename-table",
    Reason::ManualEdit,
    "Rewrites references to a renamed table.",
    "Every table reference that resolves to the renamed table is rewritten with the \
qualifiers it was written with; a reference the new name would capture is reported instead.",
    "-- rename table users to accounts\n\
before: SELECT id FROM users\n\
after:  SELECT id FROM accounts",
);

/// Output columns renamed through downstream models.
pub const PROPAGATE_OUTPUT: RuleId = RuleId::new(
    Lang::Sql,
    "sql/propagate-output",
    Reason::Derived,
    "With `--output-names propagate`, renames the output columns of models that re-export a renamed column.",
    "A dbt model or view that selects the renamed column under its old name passes that \
name on. With `propagate`, ripple derives a rename of the model's output column and carries \
it through the models that read it, round by round; what it cannot derive is reported.",
    "-- rename column users.user_name to username, --output-names propagate\n\
models/stg_users.sql: SELECT user_name FROM users  ->  SELECT username FROM users\n\
models/report.sql:    SELECT user_name FROM {{ ref('stg_users') }}  ->  SELECT username FROM {{ ref('stg_users') }}",
);

/// A cast whose target may no longer fit the new type.
pub const TYPE_CHANGE_CAST: RuleId = RuleId::new(
    Lang::Sql,
    "sql/type-change-cast",
    Reason::TypeRisk,
    "A cast of a column whose type changes may no longer hold.",
    "A CAST or `::` of the changed column was written for the old type. Where the new type \
does not obviously convert to the cast's target, the cast is reported for a check.",
    "-- change type of users.age from INT to TEXT\n\
models/ages.sql:2:8: review[sql/type-change-cast]: users.age becomes TEXT inside \
`CAST(age AS SMALLINT)`, cast to SMALLINT, which does not hold every TEXT value; check that the \
cast still holds",
);

/// A cast to a type narrower than the new one.
pub const TYPE_NARROWING_CAST: RuleId = RuleId::new(
    Lang::Sql,
    "sql/type-narrowing-cast",
    Reason::TypeRisk,
    "A cast of a widened column to a type that cannot hold every new value.",
    "After a widening change (INT to BIGINT), a cast of the column to the old or a narrower \
type can overflow or truncate: it is reported with what may be lost.",
    "-- change type of users.age from INT to BIGINT\n\
models/ages.sql:3:13: review[sql/type-narrowing-cast]: users.age becomes BIGINT; \
`CAST(age AS int)` casts it to int, which does not hold every BIGINT value (32-bit integer < \
64-bit integer): values out of its range fail",
);

/// A write of values that must fit a narrower type.
pub const TYPE_NARROWING_WRITE: RuleId = RuleId::new(
    Lang::Sql,
    "sql/type-narrowing-write",
    Reason::TypeRisk,
    "A write to a column whose type narrows: the values written must fit.",
    "An INSERT or UPDATE of a column whose type narrows (BIGINT to INT, TEXT to VARCHAR(20)) \
can fail or truncate at run time; the write is reported.",
    "-- change type of users.age from BIGINT to SMALLINT\n\
jobs/load.sql:3:5: review[sql/type-narrowing-write]: users.age narrows from BIGINT to SMALLINT: \
the values written here must fit (values above 32767 overflow)",
);

/// A comparison with a literal of the old type.
pub const TYPE_LITERAL_MISMATCH: RuleId = RuleId::new(
    Lang::Sql,
    "sql/type-literal-mismatch",
    Reason::TypeRisk,
    "A comparison of a column whose type changes with a literal of the old type.",
    "`WHERE age = 42` keeps working while age is a number; once it becomes text, the \
comparison converts or fails depending on the dialect. Such comparisons are reported.",
    "-- change type of users.age from INT to TEXT\n\
models/adults.sql:2:40: review[sql/type-literal-mismatch]: users.age becomes TEXT, but \
`age > 18` compares it with an integer literal: text compared with a number fails in Postgres \
and compares as numbers in MySQL",
);

/// A text operation on a column that stops being text.
pub const TYPE_TEXT_OP: RuleId = RuleId::new(
    Lang::Sql,
    "sql/type-text-op",
    Reason::TypeRisk,
    "A text operation on a column that stops being text.",
    "LIKE, `||`, and text functions need text. When the column becomes a number or a date, \
Postgres refuses them and other dialects convert implicitly; each use is reported.",
    "-- change type of users.zip from TEXT to INT\n\
models/zips.sql:2:7: review[sql/type-text-op]: users.zip becomes INT, which is not text: \
`zip LIKE '9%'` needs text (Postgres refuses it; other dialects convert implicitly)",
);

/// Arithmetic on a column whose type changes.
pub const TYPE_NUMERIC_OP: RuleId = RuleId::new(
    Lang::Sql,
    "sql/type-numeric-op",
    Reason::TypeRisk,
    "Arithmetic or a numeric function on a column whose type changes.",
    "Arithmetic needs numbers, and its result type follows its operands: integer division \
becomes exact when a column becomes NUMERIC, and SUM or `+` fail once it becomes text. Each such \
use is reported.",
    "-- change type of users.age from INT to TEXT\n\
models/totals.sql:4:21: review[sql/type-numeric-op]: users.age becomes TEXT, which is not a \
number: `sum(age)` needs one (SUM takes numbers)",
);

/// A changed name inside a function body ripple does not analyse.
pub const UNANALYSED_BODY: RuleId = RuleId::new(
    Lang::Sql,
    "sql/unanalysed-body",
    Reason::Unparsed,
    "A changed name inside a dollar-quoted function or procedure body.",
    "ripple does not analyse the bodies of functions and procedures (`$$ ... $$`), whose \
language may not even be SQL. A body that mentions a changed name is reported for a check by \
hand.",
    "db/functions.sql:5:10: review[sql/unanalysed-body]: user_name mentioned in a dollar-quoted \
function or procedure body, which ripple does not analyse: check it by hand",
);

/// A changed name where the resolver does not bind names.
pub const UNANALYSED_MENTION: RuleId = RuleId::new(
    Lang::Sql,
    "sql/unanalysed-mention",
    Reason::Unparsed,
    "A changed name in a place of a statement where ripple does not resolve names.",
    "Some positions of a parsed statement hold names the resolver does not bind (options, \
dialect-specific clauses). A changed name there is reported rather than left unseen.",
    "models/x.sql:4:20: review[sql/unanalysed-mention]: `user_name` stands where ripple does not \
resolve names; not checked",
);

/// A statement that could not be parsed.
pub const UNPARSED_STATEMENT: RuleId = RuleId::new(
    Lang::Sql,
    "sql/unparsed-statement",
    Reason::Unparsed,
    "A statement that mentions a changed name could not be parsed.",
    "When neither parser understands a statement (or ripple refuses it, for instance for \
templating it cannot see through), the statement is not analysed and its first mention of a \
changed name is reported.",
    "models/odd.sql:1:8: review[sql/unparsed-statement]: this statement could not be parsed, so \
its mention of `user_name` was not checked",
);

/// A kind of statement the resolver does not analyse.
pub const UNSUPPORTED_STATEMENT: RuleId = RuleId::new(
    Lang::Sql,
    "sql/unsupported-statement",
    Reason::Unparsed,
    "A kind of statement ripple does not analyse mentions a changed name.",
    "Statements such as GRANT, COPY or vendor commands parse but are not resolved. One that \
mentions a changed name is reported so that it is checked by hand.",
    "admin/grants.sql:1:20: review[sql/unsupported-statement]: ripple does not analyse this kind \
of statement; its mention of `user_name` was not checked",
);

/// A plan's edits of a dbt project withdrawn because dbt could no longer build it.
pub const DBT_INTEGRITY: RuleId = RuleId {
    id: "sql/dbt-integrity",
    language: Some(Lang::Sql),
    reason: Reason::InvalidRewrite,
    summary: "A dbt project's edits were withdrawn because dbt would no longer compile it.",
    explanation: "After a plan is computed, each dbt project it touches is read again as the \
plan leaves it and checked the way dbt parses it: every ref() and source() resolves to a defined \
node, no two nodes share a name, every YAML entry names a node that exists, a seed's YAML columns \
are in its header. A problem the project did not have before withdraws every edit of the plan in \
that project; each new problem is reported here. `ripple dbt-check PATH` runs the check alone.",
    example: "shop/models/staging/stg_users.sql:5:9: review[sql/dbt-integrity]: source('app', 'users') \
names no source table of project shop after this plan; its 3 edits in project shop are withdrawn",
};

/// A dbt dataset renamed by name (its file, YAML entry and calls), or why not.
pub const DBT_RENAME: RuleId = RuleId {
    id: "sql/dbt-rename",
    language: Some(Lang::Sql),
    reason: Reason::ManualEdit,
    summary: "Renames a dbt dataset everywhere dbt code names it, or reports why not.",
    explanation: "A table rename that names a model or seed moves its file and renames its \
YAML entry and every `ref()` of it; under `--dbt-rename names` a source table's `name:` and every \
`source()` call of it are renamed together; under `--dbt-rename alias` a model or seed gets an \
`alias` config instead. Only the string literal inside a Jinja call changes. When one place \
cannot be rewritten exactly (a call whose arguments are not plain strings, a name the YAML \
cannot take in place, a file that already exists), nothing of that dataset is renamed and this \
finding says why.",
    example: "models/marts/orders.sql:3:15: review[sql/dbt-rename]: ref(var('model')) may name \
model stg_orders, which is renamed to stg_order_lines; not renamed",
};

/// A string in Jinja that spells a changed column, in a model that reads the changed dataset.
pub const DBT_MACRO_ARGUMENT: RuleId = RuleId {
    id: "sql/dbt-macro-argument",
    language: Some(Lang::Sql),
    reason: Reason::ManualEdit,
    summary: "A string inside Jinja that spells a changed column of a dataset the model reads.",
    explanation: "Macros take column names as strings (`{{ cents_to_dollars('amount_cents') }}`, \
`dbt_utils.star(except=[...])`, `config(unique_key=...)`). ripple never edits Jinja, and cannot \
tell a column name from another string there; in a model whose ref() or source() reads the \
changed dataset, such a string is reported so that it is not missed.",
    example: "models/stg_orders.sql:4:26: review[sql/dbt-macro-argument]: 'amount_cents' inside \
Jinja spells column amount_cents of source('ecom', 'raw_orders'), which this model reads; if it \
names that column, update it by hand",
};

/// A column name passed to a dbt macro that rules/dbt/ describes.
pub const DBT_MACRO_COLUMN: RuleId = RuleId {
    id: "sql/dbt-macro-column",
    language: Some(Lang::Sql),
    reason: Reason::ManualEdit,
    summary: "Renames column names passed as strings to dbt macros known to take them.",
    explanation: "Some macros take column names as strings: `dbt_utils.star(from=ref('m'), \
except=[...])`, `dbt_utils.generate_surrogate_key([...])`, `dbt_utils.surrogate_key`, \
`dbt_utils.pivot`, `dbt_utils.unpivot(exclude=[...])`, `dbt_utils.get_column_values(table, \
column)`. The YAML files of rules/dbt/ say, for each macro, which arguments are column names and \
whose columns they are: the relation in another argument (`ref()` or `source()`), or the \
sources of the SELECT the call stands in. A renamed column of the changed table there is \
renamed inside the string; a dropped or retyped one is reported, and so is one whose relation \
ripple cannot read. A column of another relation is left alone. Strings passed to any other \
macro are reported by sql/dbt-macro-argument.",
    example: "-- rename column stg_users.user_name to username\n\
before: {{ dbt_utils.star(from=ref('stg_users'), except=['user_name']) }}\n\
after:  {{ dbt_utils.star(from=ref('stg_users'), except=['username']) }}",
};

/// A column name in a Jinja list that a loop reads as columns.
pub const JINJA_LIST_COLUMN: RuleId = RuleId {
    id: "sql/jinja-list-column",
    language: Some(Lang::Sql),
    reason: Reason::ManualEdit,
    summary: "Renames column names in Jinja lists that a `{% for %}` loop uses as columns.",
    explanation: "dbt models loop over lists of column names: `{% set cols = ['a', 'b'] %}` \
then `{% for c in cols %} sum({{ c }}) {% endfor %}`, or the list written in the `for` itself. \
Where the loop's body uses `{{ c }}` as a column, each string of the list is bound as that \
column would be. One that is the changed column in every use is renamed in the list, or leaves \
the list with its comma when dropped; one that some use reads otherwise, or a list read other \
than by loops, is reported. A column of another table is left alone.",
    example: "-- rename column payments.amount_cents to amount\n\
before: {% set cols = ['amount_cents', 'fee'] %}\n\
after:  {% set cols = ['amount', 'fee'] %}",
};

/// Column lists of dbt `schema.yml` files.
pub const DBT_COLUMNS: RuleId = RuleId {
    id: "yaml/dbt-columns",
    language: Some(Lang::Yaml),
    reason: Reason::ManualEdit,
    summary: "Renames and reports columns in dbt schema.yml and sources.yml files.",
    explanation: "dbt documents and tests columns by name in YAML. A renamed column of a \
source or model is renamed in its `columns:` entry (tests and descriptions follow it); a dropped \
column's entry is reported.",
    example: "-- rename column users.user_name to username\n\
before: columns:\n          - name: user_name\n\
after:  columns:\n          - name: username",
};

/// The header of a dbt seed's CSV file.
pub const DBT_SEED_HEADER: RuleId = RuleId {
    id: "csv/dbt-seed-header",
    language: Some(Lang::Csv),
    reason: Reason::ManualEdit,
    summary: "Renames a dbt seed's column in its CSV header; reports a dropped one.",
    explanation: "A seed's columns are the fields of its CSV file's first line. A renamed column \
of the seed (named by its file stem, `ref('seed')`, or by a name whose last part is the stem) is \
renamed in the header, in its quoting, and nothing else of the file changes; its YAML entry and \
its readers follow the same change. A dropped column would need a field removed from every row: \
it is reported.",
    example: "-- rename column raw_customers.last_name to surname\n\
before: id,first_name,last_name\n\
after:  id,first_name,surname",
};

/// A renamed table that a file defines by its place (a table layout).
pub const LAYOUT_MOVE: RuleId = RuleId::new(
    Lang::Sql,
    "sql/layout-move",
    Reason::ManualEdit,
    "A renamed table is defined by a file whose path names it: the file or folder must move.",
    "In a plain-SQL warehouse laid out one query per table (`sql/<project>/<dataset>/<table>/query.sql` \
as BigQuery ETL repos are, or a `layouts` pattern of ripple.toml), the path is the table's name. A \
rename of that table is reported at the file with where its folder (or file) goes; ripple never \
moves it. Its readers' references follow as for any table rename.",
    "sql/shop/sales_derived/orders_v1/query.sql:1:1: review[sql/layout-move]: table \
sales_derived.orders_v1 is renamed to orders_v2; this file defines it by its place \
(shop.sales_derived.orders_v1, layout `**/sql/{project}/{dataset}/{table}/query.sql`): move \
sql/shop/sales_derived/orders_v1 to sql/shop/sales_derived/orders_v2; ripple does not move files of a layout",
);

/// The `schema.yaml` beside a BigQuery ETL `query.sql`.
pub const TABLE_SCHEMA: RuleId = RuleId {
    id: "yaml/table-schema",
    language: Some(Lang::Yaml),
    reason: Reason::ManualEdit,
    summary: "Renames a column in the schema.yaml beside a BigQuery ETL query; reports a dropped one.",
    explanation: "A BigQuery ETL table folder (`sql/<project>/<dataset>/<table>/`) lists the \
table's columns in `schema.yaml` as `fields:` entries. A renamed column of that table is renamed \
in its top-level entry's `name:` (nothing else of the file changes); a dropped column's entry and \
a retyped column's `type:` are reported, as is an entry that cannot be rewritten in place.",
    example: "-- rename column sales_derived.orders_v1.order_total to total_amount\n\
before: fields:\n- name: order_total\n\
after:  fields:\n- name: total_amount",
};

/// The ids of the SQL crate.
pub const ALL: &[&RuleId] = &[
    &RESOLVER,
    &RENAME_COLUMN,
    &CAPTURE,
    &DDL,
    &DROPPED_COLUMN,
    &AMBIGUOUS_COLUMN,
    &UNRESOLVED_COLUMN,
    &SELECT_STAR,
    &USING_JOIN,
    &MIGRATION_STATEMENT,
    &RENAME_TABLE,
    &LAYOUT_MOVE,
    &PROPAGATE_OUTPUT,
    &TYPE_CHANGE_CAST,
    &TYPE_NARROWING_CAST,
    &TYPE_NARROWING_WRITE,
    &TYPE_LITERAL_MISMATCH,
    &TYPE_TEXT_OP,
    &TYPE_NUMERIC_OP,
    &UNANALYSED_BODY,
    &UNANALYSED_MENTION,
    &UNPARSED_STATEMENT,
    &UNSUPPORTED_STATEMENT,
    &DBT_COLUMNS,
    &TABLE_SCHEMA,
    &DBT_INTEGRITY,
    &DBT_MACRO_ARGUMENT,
    &DBT_MACRO_COLUMN,
    &JINJA_LIST_COLUMN,
    &DBT_SEED_HEADER,
    &DBT_RENAME,
];
