use super::*;
use ripple_core::changefile::parse_change_file;
use ripple_core::Change;

fn run(old: &str, new: &str) -> String {
    match schema_diff(Path::new("old.sql"), old, Path::new("new.sql"), new, Dialect::Generic) {
        Ok(yaml) => yaml,
        Err(e) => panic!("{e}"),
    }
}

const OLD: &str = "
CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  user_name VARCHAR(64) NOT NULL,
  age INT,
  legacy_flag BOOLEAN
);
CREATE INDEX users_age ON users (age);
CREATE TABLE accounts (id BIGINT, owner TEXT);
CREATE TABLE audit (id BIGINT);
";

const NEW: &str = "
CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  username VARCHAR(64) NOT NULL,
  age BIGINT,
  email TEXT
);
CREATE TABLE customers (id BIGINT, owner TEXT);
CREATE TABLE events (id BIGINT, at TIMESTAMP);
";

#[test]
fn derives_changes_and_suggestions() {
    let yaml = run(OLD, NEW);
    let expected = "\
# Change file derived by `ripple schema-diff` from old.sql to new.sql.
changes:
  # probable rename: users.user_name -> username (uncomment to apply)
  # - kind: rename_column
  #   table: users
  #   from: user_name
  #   to: username
  # or, if it is not a rename, uncomment this instead:
  # - kind: drop_column
  #   table: users
  #   column: user_name
  - kind: change_type
    table: users
    column: age
    from: INT
    to: BIGINT
  - kind: drop_column
    table: users
    column: legacy_flag
  # added column: users.email TEXT (no change kind; nothing to carry)
  - kind: rename_table
    from: accounts
    to: customers
  # dropped table: audit (no change kind; its readers need review)
  # added table: events (no change kind; nothing to carry)
";
    assert_eq!(yaml, expected);
}

#[test]
fn output_loads_as_a_change_file() {
    let yaml = run(OLD, NEW);
    let set = parse_change_file(Path::new("diff.yaml"), &yaml).unwrap();
    let kinds: Vec<&str> = set.changes.iter().map(Change::kind_name).collect();
    assert_eq!(kinds, vec!["change_type", "drop_column", "rename_table"]);
}

#[test]
fn accepted_suggestion_loads_too() {
    let yaml = run(OLD, NEW);
    let accepted: String = yaml
        .lines()
        .skip_while(|l| !l.contains("probable rename"))
        .skip(1)
        .take(4)
        .map(|l| format!("{}\n", l.replacen("# ", "", 1)))
        .collect();
    let set = parse_change_file(Path::new("diff.yaml"), &format!("changes:\n{accepted}")).unwrap();
    assert_eq!(set.changes[0].to_string(), "rename column users.user_name to username");
}

#[test]
fn no_differences() {
    let yaml = run(OLD, OLD);
    assert_eq!(
        yaml,
        "# Change file derived by `ripple schema-diff` from old.sql to new.sql.\n\
         # No differences: both versions define the same tables, columns and types.\nchanges: []\n"
    );
}

#[test]
fn only_suggestions_leave_an_empty_list() {
    let yaml = run("CREATE TABLE t (a INT, b TEXT);", "CREATE TABLE t (a INT, c TEXT);");
    assert!(yaml.contains("replace `[]` with it.\nchanges: []\n  # probable rename: t.b -> c"), "{yaml}");
}

#[test]
fn quoted_and_qualified_names_round_trip() {
    let old = "CREATE TABLE analytics.\"Orders\" (\"Total\" NUMERIC(10, 2), note TEXT);";
    let new = "CREATE TABLE analytics.\"Orders\" (\"Total\" NUMERIC(12, 2));";
    let yaml = run(old, new);
    assert!(yaml.contains("    table: 'analytics.\"Orders\"'\n    column: '\"Total\"'\n"), "{yaml}");
    let set = parse_change_file(Path::new("diff.yaml"), &yaml).unwrap();
    assert_eq!(
        set.changes[0].to_string(),
        "change type of analytics.\"Orders\".\"Total\" from NUMERIC(10,2) to NUMERIC(12,2)"
    );
    assert_eq!(set.changes[1].to_string(), "drop column analytics.\"Orders\".note");
}

#[test]
fn ambiguous_table_renames_are_not_guessed() {
    let old = "CREATE TABLE a (id INT); CREATE TABLE b (id INT);";
    let new = "CREATE TABLE c (id INT);";
    let yaml = run(old, new);
    assert!(!yaml.contains("rename_table"), "{yaml}");
    assert!(yaml.contains("# dropped table: a") && yaml.contains("# added table: c"), "{yaml}");
}

#[test]
fn mysql_ddl() {
    let old = "CREATE TABLE `users` (`id` INT AUTO_INCREMENT PRIMARY KEY, `nick` VARCHAR(20)) ENGINE=InnoDB;";
    let new = "CREATE TABLE `users` (`id` BIGINT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;";
    let set = parse_change_file(Path::new("d.yaml"), &run(old, new)).unwrap();
    let shown: Vec<String> = set.changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        vec!["change type of \"users\".\"id\" from INT to BIGINT", "drop column \"users\".\"nick\""]
    );
}

#[test]
fn unparsable_ddl_is_an_error_in_that_file() {
    let err = schema_diff(
        Path::new("old.sql"),
        "CREATE TABLE t (a INT);",
        Path::new("new.sql"),
        "CREATE TABLE t (a INT,;",
        Dialect::Postgres,
    )
    .unwrap_err();
    assert_eq!(err.0.len(), 1);
    assert!(err.0[0].to_string().starts_with("new.sql:1:"), "{}", err.0[0]);
}
