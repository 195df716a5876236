//! Every mistake a rule author can make is reported at file:line:column.

use std::path::Path;

/// The tutorial rule (docs/RULES.md): each test breaks it in one place.
const GOOD: &str = include_str!("data/psycopg2-identifier.yaml");

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

/// Each case breaks the tutorial rule in one place: (text, replacement, part of the message).
const ONE_MISTAKE: &[(&str, &str, &str)] = &[
    (
        "(string) @name",
        "(strin) @name",
        "r.yaml:8:34: invalid query: unknown node type `strin` (python grammar)",
    ),
    ("(argument_list . (string) @name .)", "(argument_list . (string) @name .", "invalid query"),
    ("#match?", "#matches?", "r.yaml:9:6: unknown query predicate `#matches?`"),
    (
        "  - capture: name\n",
        "  - capture: nme\n",
        "r.yaml:11:14: unknown capture `@nme` (did you mean `@name`?)",
    ),
    ("{{ change.to }}", "{{ capture.nam }}", "r.yaml:17:21: unknown capture `nam`"),
    (
        "      capture: name\n      template",
        "      capture: names\n      template",
        "r.yaml:16:16: unknown capture `@names`",
    ),
    (
        "{{ change.to }}",
        "{{ change.to | java_gettr }}",
        "r.yaml:17:33: unknown filter `java_gettr` (did you mean `java_getter`?)",
    ),
    (
        "confidence: likely",
        "confidense: likely",
        "r.yaml:4:1: unknown field `confidense` in a rule (did you mean `confidence`?)",
    ),
    (
        "{{ change.to }}",
        "{{ change.too }}",
        "r.yaml:17:21: unknown field `change.too` (did you mean `change.to`?)",
    ),
    (
        "  rename_column:",
        "  rename_colum:",
        "r.yaml:14:3: unknown field `rename_colum` in `on` (a change kind) (did you mean `rename_column`?)",
    ),
    ("{{ change.to }}", "{{ change.to_type }}", "`change.to_type` has no value for a rename_column change"),
    ("language: python", "language: cobol", "unknown language `cobol`"),
    ("id: python/psycopg2-identifier", "id: java/x", "r.yaml:1:5: `id` must be `python/<name>`"),
];

#[test]
fn one_mistake_gives_one_located_error() {
    for (text, replacement, expected) in ONE_MISTAKE {
        assert!(GOOD.contains(text), "{text}");
        let e = one_error(&GOOD.replace(text, replacement));
        assert!(e.contains(expected), "{text} -> {replacement}: {e}");
        assert!(e.starts_with("r.yaml:"), "{e}");
    }
}

#[test]
fn a_misspelled_predicate_field_is_located() {
    let e = errors(&GOOD.replace("    names: column", "    name: column"));
    assert!(
        e.iter().any(
            |e| e.starts_with("r.yaml:12:5: unknown field `name` in a predicate (did you mean `names`?)")
        ),
        "{e:?}"
    );
}

#[test]
fn no_input_panics() {
    for text in ["", ":", "id:", "on: 3", "where: [1]\non: {}", "query: |\n  (", "{{", "id: [\n"] {
        let _ = errors(text);
    }
}
