//! Property tests of the rule-file loader: built-in rule files with bytes cut, flipped and
//! inserted, and any text at all, load or fail with errors that name the file and a line
//! within it; none panics.

use proptest::prelude::*;
use ripple_rules::{embedded_files, parse_rule_file};
use std::path::Path;

/// Tokens that break YAML, tree-sitter queries and templates in interesting ways.
const TOKENS: &[&str] = &[
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    ":",
    "- ",
    "\t",
    "\n",
    "&a ",
    "*a",
    "!!binary ",
    "---\n",
    "#",
    "\\",
    "(",
    ")",
    "@",
    "{{",
    "}}",
    "|",
    ">",
    "%",
    "é",
    "\u{feff}",
    "~",
    "null",
    "1e999",
    "  ",
];

/// A built-in rule file (not a type map) and an edit of it: (cut or insert at, token).
fn mutant() -> impl Strategy<Value = String> {
    let rules: Vec<&'static str> = embedded_files()
        .iter()
        .filter(|(rel, _)| {
            !rel.starts_with("types/")
                && !rel.starts_with("dbt/")
                && rel.ends_with(".yaml")
                && rel.matches('/').count() == 1
        })
        .map(|(_, text)| *text)
        .collect();
    (
        proptest::sample::select(rules),
        proptest::collection::vec(
            (any::<prop::sample::Index>(), 0usize..4, proptest::sample::select(TOKENS)),
            1..4,
        ),
    )
        .prop_map(|(text, edits)| {
            let mut s = text.to_string();
            for (at, how, token) in edits {
                let mut i = at.index(s.len() + 1);
                while !s.is_char_boundary(i) {
                    i -= 1;
                }
                match how {
                    0 => s.truncate(i),
                    1 => {
                        let end = s[i..].char_indices().nth(20).map_or(s.len(), |(j, _)| i + j);
                        s.replace_range(i..end, "");
                    }
                    _ => s.insert_str(i, token),
                }
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn rule_files_load_or_fail_located(text in prop_oneof![4 => mutant(), 1 => any::<String>()]) {
        let path = Path::new("rules/x/mutant.yaml");
        if let Err(errors) = parse_rule_file(path, &text) {
            prop_assert!(!errors.0.is_empty());
            let lines = text.lines().count() + 1;
            for e in &errors.0 {
                prop_assert_eq!(&e.path, path);
                prop_assert!(e.line <= lines, "line {} of {}: {}", e.line, lines, e);
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}

/// The generator starts from rule files that load.
#[test]
fn the_seeds_load() {
    for (rel, text) in embedded_files().iter().filter(|(rel, _)| {
        !rel.starts_with("types/")
            && !rel.starts_with("dbt/")
            && rel.ends_with(".yaml")
            && rel.matches('/').count() == 1
    }) {
        assert!(parse_rule_file(Path::new(rel), text).is_ok(), "{rel}");
    }
}
