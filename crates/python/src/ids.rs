//! The rule ids the Python crate prints. See [`ripple_core::ids`] for the registry.

use ripple_core::{Lang, Reason, RuleId};

/// SQL in Python strings, and the code that reads its result.
pub const EMBEDDED_SQL: RuleId = RuleId {
    id: "python/embedded-sql",
    language: Some(Lang::Python),
    reason: Reason::ManualEdit,
    summary: "Rewrites SQL inside Python strings, and reports the code that reads its result.",
    explanation: "String literals that hold SQL (passed to `execute`, `read_sql`, `text()`, \
`spark.sql`...) are carried through the SQL resolver as if they were SQL files; f-string holes \
and bind parameters are kept. Code that reads a column of such a query's result by name \
(`row[\"user_name\"]`) is rewritten when the key is a plain string, and reported otherwise.",
    example: "-- rename column users.user_name to username\n\
before: cur.execute(\"SELECT user_name FROM users WHERE id = %s\", (uid,))\n\
after:  cur.execute(\"SELECT username AS user_name FROM users WHERE id = %s\", (uid,))",
};

/// SQL expressions in PySpark strings.
pub const PYSPARK_SQL_EXPRESSION: RuleId = RuleId {
    id: "python/pyspark-sql-expression",
    language: Some(Lang::Python),
    reason: Reason::ManualEdit,
    summary: "Rewrites SQL expressions in PySpark strings on a frame that reads one table.",
    explanation: "`df.filter(\"...\")`, `where`, `selectExpr` and `F.expr(\"...\")` take SQL \
expressions. When the frame reads one table (`spark.table`, followed through method chains and \
variables assigned once; a join or union stops the trail), the expression is resolved as a query \
on that table would be and rewritten with certainty.",
    example: "-- rename column users.user_name to username, --output-names propagate\n\
before: spark.table(\"users\").filter(\"user_name IS NOT NULL\")\n\
after:  spark.table(\"users\").filter(\"username IS NOT NULL\")",
};

/// The tables of Django models that name none.
pub const DJANGO_DEFAULT_TABLE: RuleId = RuleId {
    id: "python/django-default-table",
    language: Some(Lang::Python),
    reason: Reason::ManualEdit,
    summary: "Follows a rename of the table Django derives for a model without `db_table`.",
    explanation: "A Django model whose `Meta` names no `db_table` maps the table \
`<app label>_<model name lower-cased>`, the app label being the package of its `models.py`. \
Renaming that table keeps the model and adds `db_table = \"<new>\"` to its `Meta` (creating \
`class Meta:` when there is none); abstract and proxy models have no table of their own.",
    example: "-- rename table catalog_genre to catalog_category (in catalog/models.py)\n\
before: class Genre(models.Model):\n            name = models.CharField(max_length=200)\n\
after:  class Genre(models.Model):\n            name = models.CharField(max_length=200)\n\n            \
class Meta:\n                db_table = \"catalog_category\"",
};

/// The columns of SQLModel table models.
pub const SQLMODEL_FIELD: RuleId = RuleId {
    id: "python/sqlmodel-field",
    language: Some(Lang::Python),
    reason: Reason::ManualEdit,
    summary: "Reports the SQLModel field that maps a changed column, in the table model or a base it inherits.",
    explanation: "`class Item(ItemBase, table=True)` maps the table `item` (the class name \
lower-cased, unless `__tablename__` names one); each annotated field of the class, and of the \
base classes it inherits from in the same file, maps the column of its name. Such a field is \
usually shared with the API's schemas (`ItemCreate(ItemBase)`), so ripple reports it rather than \
choose between renaming the field and `sa_column_kwargs={\"name\": ...}`. Relationships and \
fields with their own `sa_column` map no column by their name.",
    example: "-- rename column item.description to details\n\
class ItemBase(SQLModel):\n    description: str | None = None   # reported: rename the field, or sa_column_kwargs\n\
class Item(ItemBase, table=True):\n    id: int | None = Field(default=None, primary_key=True)",
};

/// The ids of the Python crate.
pub const ALL: &[&RuleId] = &[&EMBEDDED_SQL, &PYSPARK_SQL_EXPRESSION, &DJANGO_DEFAULT_TABLE, &SQLMODEL_FIELD];
