use super::*;
use crate::change::{Change, Ident, TableName};

fn parse(text: &str) -> Result<ChangeSet, InputErrors> {
    parse_change_file(Path::new("changes.yaml"), text)
}

/// Every error as `line:column: message`.
fn errors(text: &str) -> Vec<String> {
    match parse(text) {
        Ok(set) => panic!("expected errors, got {set:?}"),
        Err(e) => e.0.iter().map(|e| format!("{}:{}: {}", e.line, e.column, e.message)).collect(),
    }
}

fn one_error(text: &str) -> String {
    let all = errors(text);
    assert_eq!(all.len(), 1, "{all:#?}");
    all[0].clone()
}

fn table(raw: &str) -> TableName {
    TableName::parse(raw)
}

#[test]
fn reads_every_kind_from_yaml_with_origins() {
    let text = "\
# the design example
changes:
  - kind: rename_column
    table: analytics.users
    from: user_name
    to: username
  - kind: change_type
    table: users
    column: age
    from: INT
    to: BIGINT
  - kind: drop_column
    table: users
    column: legacy_flag
  - kind: rename_table
    from: users
    to: customers
";
    let set = parse(text).unwrap();
    assert_eq!(
        set.changes,
        vec![
            Change::RenameColumn {
                table: table("analytics.users"),
                from: Ident::new("user_name"),
                to: Ident::new("username")
            },
            Change::ChangeType {
                table: table("users"),
                column: Ident::new("age"),
                from: Some("INT".into()),
                to: "BIGINT".into()
            },
            Change::DropColumn { table: table("users"), column: Ident::new("legacy_flag") },
            Change::RenameTable { from: table("users"), to: table("customers") },
        ]
    );
    let lines: Vec<(usize, usize)> = set.origins.iter().map(|o| (o.line, o.column)).collect();
    assert_eq!(lines, vec![(3, 5), (7, 5), (12, 5), (15, 5)]);
}

#[test]
fn reads_json() {
    let text = r#"{
  "changes": [
    {"kind": "rename_column", "table": "users", "from": "user_name", "to": "username"},
    {"kind": "change_type", "table": "users", "column": "age", "to": "BIGINT"}
  ]
}"#;
    let set = parse(text).unwrap();
    assert_eq!(set.changes.len(), 2);
    assert_eq!(
        set.changes[1],
        Change::ChangeType {
            table: table("users"),
            column: Ident::new("age"),
            from: None,
            to: "BIGINT".into()
        }
    );
    assert_eq!((set.origins[0].line, set.origins[0].column), (3, 5));
}

#[test]
fn json_errors_are_located() {
    let text = "{\"changes\": [\n  {\"kind\": \"drop_column\", \"table\": \"users\", \"colum\": \"a\"}\n]}";
    assert_eq!(
        errors(text),
        vec![
            "2:3: missing field `column` (drop_column needs table, column)",
            "2:45: unknown field `colum` in drop_column (did you mean `column`?)",
        ]
    );
}

#[test]
fn keeps_quoted_names_quoted() {
    let text = "changes:\n  - kind: rename_column\n    table: '\"Analytics\".users'\n    from: '\"UserName\"'\n    to: user_name\n";
    let set = parse(text).unwrap();
    let Change::RenameColumn { table, from, .. } = &set.changes[0] else { panic!() };
    assert_eq!(table.parts, vec![Ident { value: "Analytics".into(), quoted: true }, Ident::new("users")]);
    assert_eq!(from, &Ident { value: "UserName".into(), quoted: true });
}

#[test]
fn yaml_syntax_error() {
    assert_eq!(
        one_error("changes:\n  - kind: drop_column\n    table: [users\n"),
        "4:1: invalid YAML: while parsing a flow sequence, expected ',' or ']'"
    );
}

#[test]
fn duplicate_key_is_a_syntax_error() {
    assert_eq!(
        one_error("changes:\n  - kind: drop_column\n    kind: rename_table\n"),
        "3:5: invalid YAML: duplicated key in mapping"
    );
}

#[test]
fn empty_file() {
    assert_eq!(one_error("# nothing\n"), "1:1: the change file is empty: expected a `changes:` list");
}

#[test]
fn two_documents() {
    let text = "changes:\n  - {kind: drop_column, table: t, column: c}\n---\nchanges: []\n";
    assert_eq!(one_error(text), "4:1: a change file holds one YAML document; another one starts here");
}

#[test]
fn top_level_not_a_mapping() {
    assert_eq!(
        one_error("- kind: drop_column\n"),
        "1:1: expected a mapping with a `changes:` list at the top level, found a list"
    );
}

#[test]
fn no_changes_list() {
    assert_eq!(
        errors("chnages:\n  - kind: drop_column\n"),
        vec![
            "1:1: unknown top-level field `chnages` (did you mean `changes`?)",
            "1:1: missing `changes`: the top level needs a `changes:` list",
        ]
    );
}

#[test]
fn changes_not_a_list() {
    assert_eq!(one_error("changes: users\n"), "1:10: `changes` must be a list of changes, found a string");
}

#[test]
fn empty_list() {
    assert_eq!(one_error("changes: []\n"), "1:10: `changes` is empty: list at least one change");
}

#[test]
fn item_not_a_mapping() {
    assert_eq!(
        one_error("changes:\n  - rename users\n"),
        "2:5: change 1 must be a mapping with a `kind`, found a string"
    );
}

#[test]
fn missing_kind() {
    assert_eq!(
        one_error("changes:\n  - table: users\n    column: a\n"),
        "2:5: missing field `kind` (one of rename_column, change_type, drop_column, rename_table)"
    );
}

#[test]
fn unknown_kind() {
    assert_eq!(
        one_error("changes:\n  - kind: rename_col\n    table: users\n"),
        "2:11: unknown kind `rename_col` (did you mean `rename_column`?); \
         kinds are rename_column, change_type, drop_column, rename_table"
    );
    assert_eq!(
        one_error("changes:\n  - kind: add_column\n"),
        "2:11: unknown kind `add_column`; kinds are rename_column, change_type, drop_column, rename_table"
    );
}

#[test]
fn empty_kind() {
    assert_eq!(
        one_error("changes:\n  - kind:\n    table: users\n"),
        "2:5: `kind` is empty (one of rename_column, change_type, drop_column, rename_table)"
    );
}

#[test]
fn missing_fields() {
    assert_eq!(
        errors("changes:\n  - kind: rename_column\n    table: users\n"),
        vec![
            "2:5: missing field `from` (rename_column needs table, from, to)",
            "2:5: missing field `to` (rename_column needs table, from, to)",
        ]
    );
}

#[test]
fn empty_fields() {
    assert_eq!(
        errors("changes:\n  - kind: drop_column\n    table: ''\n    column:\n"),
        vec!["3:12: `table` is empty", "4:5: `column` is empty"]
    );
}

#[test]
fn wrong_types() {
    assert_eq!(
        errors("changes:\n  - kind: change_type\n    table: [users]\n    column: 12\n    to: true\n"),
        vec![
            "3:12: `table` must be a table name, found a list",
            "4:13: `column` must be a column name, found a number",
            "5:9: `to` must be a type name, found a boolean",
        ]
    );
}

#[test]
fn unknown_field_with_and_without_a_suggestion() {
    assert_eq!(
        errors("changes:\n  - kind: drop_column\n    tabel: users\n    column: a\n    reason: old\n"),
        vec![
            "2:5: missing field `table` (drop_column needs table, column)",
            "3:5: unknown field `tabel` in drop_column (did you mean `table`?)",
            "5:5: unknown field `reason` in drop_column (drop_column takes table, column)",
        ]
    );
}

#[test]
fn invalid_names() {
    assert_eq!(
        errors(
            "changes:\n  - kind: rename_column\n    table: a..b\n    from: users.name\n    to: 'x\"'\n\
             \x20 - kind: drop_column\n    table: my table\n    column: '\"open'\n"
        ),
        vec![
            "3:12: invalid table name `a..b`: empty name part",
            "4:11: invalid column name `users.name`: a column name has no dots (the table goes in `table`)",
            "5:9: invalid column name `x\"`: unclosed quote",
            "7:12: invalid table name `my table`: spaces, quotes, brackets, commas and semicolons need a quoted name",
            "8:13: invalid column name `\"open`: unclosed quote",
        ]
    );
}

#[test]
fn rename_to_the_same_name() {
    assert_eq!(
        errors(
            "changes:\n  - {kind: rename_column, table: users, from: Name, to: name}\n\
             \x20 - {kind: rename_table, from: analytics.users, to: users}\n"
        ),
        vec!["2:57: `users.Name` is renamed to itself", "3:53: table `analytics.users` is renamed to itself",]
    );
}

#[test]
fn quoted_case_change_is_a_real_rename() {
    let text = "changes:\n  - {kind: rename_column, table: users, from: '\"UserName\"', to: username}\n";
    assert!(parse(text).is_ok());
}

#[test]
fn duplicate_change() {
    assert_eq!(
        one_error(
            "changes:\n  - {kind: drop_column, table: users, column: a}\n  - {kind: drop_column, table: USERS, column: A}\n"
        ),
        "3:5: duplicate change: drop column USERS.A is already given at line 2"
    );
}

fn contradiction(first: &str, second: &str) -> String {
    one_error(&format!("changes:\n  - {first}\n  - {second}\n"))
}

#[test]
fn two_renames_of_one_column() {
    assert_eq!(
        contradiction(
            "{kind: rename_column, table: users, from: a, to: b}",
            "{kind: rename_column, table: users, from: a, to: c}"
        ),
        "3:5: column `users.a` is renamed twice: to `c` here and to `b` at line 2"
    );
}

#[test]
fn rename_and_drop_of_one_column() {
    assert_eq!(
        contradiction(
            "{kind: rename_column, table: users, from: a, to: b}",
            "{kind: drop_column, table: users, column: a}"
        ),
        "3:5: column `users.a` is dropped here but renamed at line 2"
    );
    assert_eq!(
        contradiction(
            "{kind: drop_column, table: users, column: a}",
            "{kind: rename_column, table: users, from: a, to: b}"
        ),
        "3:5: column `users.a` is renamed here but dropped at line 2"
    );
}

#[test]
fn two_type_changes_of_one_column() {
    assert_eq!(
        contradiction(
            "{kind: change_type, table: users, column: age, to: BIGINT}",
            "{kind: change_type, table: users, column: age, to: TEXT}"
        ),
        "3:5: the type of `users.age` is changed twice: to TEXT here and to BIGINT at line 2"
    );
}

#[test]
fn type_change_of_a_dropped_column() {
    assert_eq!(
        contradiction(
            "{kind: drop_column, table: users, column: age}",
            "{kind: change_type, table: users, column: age, to: TEXT}"
        ),
        "3:5: the type of `users.age` is changed here but the column is dropped at line 2"
    );
}

#[test]
fn two_columns_renamed_to_one_name() {
    assert_eq!(
        contradiction(
            "{kind: rename_column, table: users, from: a, to: c}",
            "{kind: rename_column, table: users, from: b, to: c}"
        ),
        "3:5: columns `users.a` (at line 2) and `users.b` are both renamed to `c`"
    );
}

#[test]
fn two_renames_of_one_table() {
    assert_eq!(
        contradiction("{kind: rename_table, from: users, to: a}", "{kind: rename_table, from: users, to: b}"),
        "3:5: table `users` is renamed twice: to `b` here and to `a` at line 2"
    );
}

#[test]
fn two_tables_renamed_to_one_name() {
    assert_eq!(
        contradiction("{kind: rename_table, from: a, to: c}", "{kind: rename_table, from: b, to: c}"),
        "3:5: tables `a` (at line 2) and `b` are both renamed to `c`"
    );
}

#[test]
fn quoted_names_are_distinct_by_case() {
    let text = "changes:\n  - {kind: drop_column, table: users, column: '\"A\"'}\n  - {kind: drop_column, table: users, column: '\"a\"'}\n";
    assert!(parse(text).is_ok());
}

#[test]
fn swap_and_rename_with_type_change_are_valid() {
    let text = "changes:
  - {kind: rename_column, table: users, from: a, to: b}
  - {kind: rename_column, table: users, from: b, to: a}
  - {kind: change_type, table: users, column: a, to: BIGINT}
  - {kind: rename_table, from: t1, to: t2}
  - {kind: rename_table, from: t2, to: t1}
";
    assert_eq!(parse(text).unwrap().changes.len(), 5);
}

#[test]
fn reports_every_error_in_file_order() {
    let text = "changes:
  - {kind: drop_column, table: users}
  - 12
  - {kind: rename_column, table: users, from: a, to: b}
  - {kind: rename_column, table: users, from: a, to: c}
";
    assert_eq!(
        errors(text),
        vec![
            "2:5: missing field `column` (drop_column needs table, column)",
            "3:5: change 2 must be a mapping with a `kind`, found a number",
            "5:5: column `users.a` is renamed twice: to `c` here and to `b` at line 4",
        ]
    );
}

#[test]
fn validate_without_origins_names_change_numbers() {
    let set = ChangeSet::new(vec![
        Change::DropColumn { table: table("t"), column: Ident::new("c") },
        Change::DropColumn { table: table("t"), column: Ident::new("c") },
    ]);
    let errs = validate_changes(Path::new("m.sql"), &set);
    assert_eq!(errs[0].to_string(), "m.sql: duplicate change: drop column t.c is already given at change 1");
}

#[test]
fn name_parsing() {
    assert_eq!(parse_table_name("`proj-1`.ds.t").unwrap().parts.len(), 3);
    assert_eq!(
        parse_table_name("[dbo].[My Table]").unwrap().parts[1],
        Ident { value: "My Table".into(), quoted: true }
    );
    assert!(parse_table_name("a.").is_err());
    assert!(parse_column_name("\"a\"\"b\"").is_ok());
    assert!(parse_column_name("\"a\"b\"").is_err());
}

#[test]
fn load_reports_unreadable_file() {
    let err = load_change_file(Path::new("/nonexistent/changes.yaml")).unwrap_err();
    assert!(err.to_string().starts_with("/nonexistent/changes.yaml: cannot read change file:"));
}
