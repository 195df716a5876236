//! Every mistake a rule author can make is reported at file:line:column.

use std::path::Path;

const GOOD: &str = r#"id: python/psycopg2-identifier
language: python
description: psycopg2.sql.Identifier("user_name") names a column.
confidence: likely
query: |
  (call
    function: (_) @function
    arguments: (argument_list . (string) @name .)
    (#match? @function "(^|[.])Identifier$"))
where:
  - capture: name
    names: column
on:
  rename_column:
    rewrite:
      capture: name
      template: "{{ change.to }}"
"#;

fn errors(text: &str) -> Vec<String> {
    match ripple_rules::parse_rule_file(Path::new("r.yaml"), text) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
    }
}

fn one_error(text: &str) -> String {
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:?}");
    e[0].clone()
}

#[test]
fn the_tutorial_rule_loads() {
    assert!(errors(GOOD).is_empty(), "{:?}", errors(GOOD));
}

#[test]
fn malformed_yaml() {
    let e = one_error("id: python/x\nlanguage: [python\n");
    assert!(e.starts_with("r.yaml:3:1: invalid YAML"), "{e}");
    let e = one_error("- just\n- a list\n");
    assert_eq!(e, "r.yaml:1:1: a rule file must be a mapping, found a list");
}

#[test]
fn invalid_query_points_into_the_query() {
    let e = one_error(&GOOD.replace("(string) @name", "(strin) @name"));
    assert_eq!(e, "r.yaml:8:34: invalid query: unknown node type `strin` (python grammar)");
    let e =
        one_error(&GOOD.replace("(argument_list . (string) @name .)", "(argument_list . (string) @name ."));
    assert!(e.starts_with("r.yaml:"), "{e}");
    assert!(e.contains("invalid query"), "{e}");
    let e = one_error(&GOOD.replace("#match?", "#matches?"));
    assert!(e.starts_with("r.yaml:9:6: unknown query predicate `#matches?`"), "{e}");
}

#[test]
fn unknown_capture_in_a_predicate() {
    let e = one_error(&GOOD.replace("  - capture: name\n", "  - capture: nme\n"));
    assert!(e.starts_with("r.yaml:11:14: unknown capture `@nme` (did you mean `@name`?)"), "{e}");
}

#[test]
fn unknown_capture_in_a_template() {
    let e = one_error(&GOOD.replace("{{ change.to }}", "{{ capture.nam }}"));
    assert!(e.starts_with("r.yaml:17:21: unknown capture `nam`"), "{e}");
    let e = one_error(
        &GOOD.replace("      capture: name\n      template", "      capture: names\n      template"),
    );
    assert!(e.starts_with("r.yaml:16:16: unknown capture `@names`"), "{e}");
}

#[test]
fn unknown_filter() {
    let e = one_error(&GOOD.replace("{{ change.to }}", "{{ change.to | java_gettr }}"));
    assert!(e.starts_with("r.yaml:17:33: unknown filter `java_gettr` (did you mean `java_getter`?)"), "{e}");
}

#[test]
fn unknown_fields() {
    let e = one_error(&GOOD.replace("confidence: likely", "confidense: likely"));
    assert!(
        e.starts_with("r.yaml:4:1: unknown field `confidense` in a rule (did you mean `confidence`?)"),
        "{e}"
    );
    let e = errors(&GOOD.replace("    names: column", "    name: column"));
    assert!(
        e.iter().any(
            |e| e.starts_with("r.yaml:12:5: unknown field `name` in a predicate (did you mean `names`?)")
        ),
        "{e:?}"
    );
    let e = one_error(&GOOD.replace("{{ change.to }}", "{{ change.too }}"));
    assert!(e.starts_with("r.yaml:17:21: unknown field `change.too` (did you mean `change.to`?)"), "{e}");
    let e = one_error(&GOOD.replace("  rename_column:", "  rename_colum:"));
    assert!(e.starts_with("r.yaml:14:3: unknown field `rename_colum` in `on` (a change kind) (did you mean `rename_column`?)"), "{e}");
}

#[test]
fn values_out_of_place() {
    let e = one_error(&GOOD.replace("{{ change.to }}", "{{ change.to_type }}"));
    assert!(e.contains("`change.to_type` has no value for a rename_column change"), "{e}");
    let e = one_error(&GOOD.replace("language: python", "language: cobol"));
    assert!(e.contains("unknown language `cobol`"), "{e}");
    let e = one_error(&GOOD.replace("id: python/psycopg2-identifier", "id: java/x"));
    assert!(e.starts_with("r.yaml:1:5: `id` must be `python/<name>`"), "{e}");
}

#[test]
fn no_input_panics() {
    for text in ["", ":", "id:", "on: 3", "where: [1]\non: {}", "query: |\n  (", "{{", "id: [\n"] {
        let _ = errors(text);
    }
}
