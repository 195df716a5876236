//! Loading change files (YAML or JSON) with every error located at file:line:column.
//!
//! JSON is valid YAML 1.2, so one parser reads both. The whole file is checked before
//! anything is reported, so a user sees every mistake at once.

mod item;
mod names;
mod validate;

pub use names::{parse_column_name, parse_table_name, NameError};
pub use validate::validate_changes;

use crate::change::{ChangeSet, Origin};
use crate::error::{InputError, InputErrors};
use crate::suggest;
use crate::yaml::{describe, line_column, origin};
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::path::Path;

/// Parses and validates a change file's text. `path` is only used in messages.
pub fn parse_change_file(path: &Path, text: &str) -> Result<ChangeSet, InputErrors> {
    let mut report = Report::new(path);
    let docs = match MarkedYaml::load_from_str(text) {
        Ok(docs) => docs,
        Err(e) => {
            let (line, column) = line_column(*e.marker());
            let message = format!("invalid YAML: {}", e.info());
            return Err(InputError::at(path, line, column, message).into());
        }
    };
    let set = match docs.first() {
        None => {
            report.at_line(1, 1, "the change file is empty: expected a `changes:` list");
            ChangeSet::default()
        }
        Some(root) => {
            if let Some(extra) = docs.get(1) {
                report.node(extra, "a change file holds one YAML document; another one starts here");
            }
            read_root(root, &mut report)
        }
    };
    report.errors.extend(validate_changes(path, &set));
    report.finish(set)
}

/// Reads and parses a change file.
pub fn load_change_file(path: &Path) -> Result<ChangeSet, InputErrors> {
    let text = read_change_text(path)?;
    parse_change_file(path, &text)
}

/// Reads a change file's text; a byte that is not UTF-8 is reported at its line and column.
pub fn read_change_text(path: &Path) -> Result<String, InputError> {
    crate::error::read_text(path, "cannot read change file")
}

/// Collects located errors while the file is read.
struct Report<'p> {
    path: &'p Path,
    errors: Vec<InputError>,
}

impl<'p> Report<'p> {
    fn new(path: &'p Path) -> Self {
        Report { path, errors: Vec::new() }
    }

    fn at_line(&mut self, line: usize, column: usize, message: impl Into<String>) {
        self.errors.push(InputError::at(self.path, line, column, message));
    }

    fn node(&mut self, node: &MarkedYaml, message: impl Into<String>) {
        let origin = origin_of(node);
        self.at_line(origin.line, origin.column, message);
    }

    fn finish(mut self, set: ChangeSet) -> Result<ChangeSet, InputErrors> {
        if self.errors.is_empty() {
            return Ok(set);
        }
        self.errors.sort_by_key(|e| (e.line, e.column));
        Err(InputErrors(self.errors))
    }
}

fn origin_of(node: &MarkedYaml) -> Origin {
    let (line, column) = origin(node);
    Origin { line, column }
}

fn read_root(root: &MarkedYaml, report: &mut Report) -> ChangeSet {
    let YamlData::Mapping(map) = &root.data else {
        let found = describe(root);
        report
            .node(root, format!("expected a mapping with a `changes:` list at the top level, found {found}"));
        return ChangeSet::default();
    };
    let mut changes = None;
    for (key, value) in map {
        match as_str(key) {
            Some("changes") => changes = Some(value),
            Some(other) => {
                let message =
                    format!("unknown top-level field `{other}`{}", suggest::hint(other, &["changes"]));
                report.node(key, message);
            }
            None => report.node(key, format!("field names must be strings, found {}", describe(key))),
        }
    }
    match changes {
        None => {
            report.node(root, "missing `changes`: the top level needs a `changes:` list");
            ChangeSet::default()
        }
        Some(list) => read_changes(list, report),
    }
}

fn read_changes(list: &MarkedYaml, report: &mut Report) -> ChangeSet {
    let YamlData::Sequence(items) = &list.data else {
        report.node(list, format!("`changes` must be a list of changes, found {}", describe(list)));
        return ChangeSet::default();
    };
    if items.is_empty() {
        report.node(list, "`changes` is empty: list at least one change");
    }
    let mut set = ChangeSet::default();
    for (index, node) in items.iter().enumerate() {
        if let Some(change) = item::read_change(index, node, report) {
            set.changes.push(change);
            set.origins.push(origin_of(node));
        }
    }
    set
}

/// The text of a string scalar.
fn as_str<'a>(node: &'a MarkedYaml) -> Option<&'a str> {
    match &node.data {
        YamlData::Value(Scalar::String(s)) => Some(s.as_ref()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
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
        let text =
            "{\"changes\": [\n  {\"kind\": \"drop_column\", \"table\": \"users\", \"colum\": \"a\"}\n]}";
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
        assert_eq!(
            one_error("changes: users\n"),
            "1:10: `changes` must be a list of changes, found a string"
        );
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
            vec![
                "2:57: `users.Name` is renamed to itself",
                "3:53: table `analytics.users` is renamed to itself",
            ]
        );
    }

    #[test]
    fn quoted_case_change_is_a_real_rename() {
        let text = "changes:\n  - {kind: rename_column, table: users, from: '\"UserName\"', to: username}\n";
        assert!(parse(text).is_ok());
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
    fn load_reports_unreadable_file() {
        let err = load_change_file(Path::new("/nonexistent/changes.yaml")).unwrap_err();
        assert!(err.to_string().starts_with("/nonexistent/changes.yaml: cannot read change file:"));
    }

    #[test]
    fn a_byte_that_is_not_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.yaml");
        std::fs::write(&path, b"changes:\n  - kind: r\xe9name\n").unwrap();
        let err = read_change_text(&path).unwrap_err();
        assert_eq!((err.line, err.column, err.message.as_str()), (2, 12, "not UTF-8 text: byte 0xe9"));
    }
}
