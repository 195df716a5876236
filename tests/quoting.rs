//! A new name that must be quoted in SQL is quoted inside host strings too, with the quotes
//! escaped for the host literal; a host API that takes a column name as a string gets the
//! bare name, since no SQL reads it.

use ripple::{NoProgress, Options, Request};
use std::path::Path;

/// The rewritten text of `file` (written as `text`) when `users.user_name` becomes `to`.
fn rewrite(file: &str, text: &str, to: &str, dialect: ripple::Dialect) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(file), text).expect("file written");
    let changes = dir.path().join("changes.yaml");
    let yaml = format!("changes:\n  - {{kind: rename_column, table: users, from: user_name, to: {to}}}\n");
    std::fs::write(&changes, yaml).expect("change file written");
    let changes = ripple::load_changes(&changes, dialect).expect("changes load");
    let options = Options::new(dialect, Default::default());
    let request = Request::new(changes, vec![dir.path().join(file)]).with_options(options);
    let plan = ripple::plan(&ripple::rules(&[]).expect("rules"), &request, &NoProgress).expect("plans");
    let rewritten =
        plan.files.iter().find(|f| f.path.ends_with(Path::new(file))).map(|f| f.rewritten.clone());
    String::from_utf8(rewritten.unwrap_or_else(|| text.as_bytes().to_vec())).expect("UTF-8")
}

#[test]
fn python_strings_get_escaped_quotes() {
    let text = "def f(cur):\n    cur.execute(\"SELECT user_name FROM users WHERE user_name = %s\", (1,))\n    cur.execute('SELECT id FROM users ORDER BY user_name')\n";
    let out = rewrite("q.py", text, "from", ripple::Dialect::Postgres);
    assert!(
        out.contains(r#"cur.execute("SELECT \"from\" AS user_name FROM users WHERE \"from\" = %s", (1,))"#),
        "{out}"
    );
    assert!(out.contains(r#"cur.execute('SELECT id FROM users ORDER BY "from"')"#), "{out}");
}

#[test]
fn java_strings_get_escaped_quotes() {
    let text = "class Q {\n    String q = \"SELECT user_name FROM users WHERE user_name = ?\";\n}\n";
    let out = rewrite("Q.java", text, "user", ripple::Dialect::Postgres);
    assert!(
        out.contains(r#"String q = "SELECT \"user\" AS user_name FROM users WHERE \"user\" = ?";"#),
        "{out}"
    );
}

#[test]
fn mysql_strings_get_backticks() {
    let text = "def f(cur):\n    cur.execute(\"SELECT id FROM users WHERE user_name = %s\", (1,))\n";
    let out = rewrite("q.py", text, "order", ripple::Dialect::Mysql);
    assert!(out.contains("cur.execute(\"SELECT id FROM users WHERE `order` = %s\", (1,))"), "{out}");
}

#[test]
fn column_apis_get_the_bare_name() {
    let text = "from pyspark.sql import functions as F\n\n\ndef job(spark):\n    users = spark.table(\"users\")\n    return users.filter(\"user_name IS NOT NULL\").select(F.col(\"user_name\"))\n";
    let out = rewrite("job.py", text, "from", ripple::Dialect::Generic);
    // The frame keeps its old column names, renamed from the table's new one.
    assert!(out.contains(r#"spark.table("users").withColumnRenamed("from", "user_name")"#), "{out}");
}
