//! Property tests of the Python string regions: whatever the literal (quotes, prefixes,
//! escapes, f-string holes, `%s`, implicit and `+` concatenation, any text at all), finding
//! its SQL never panics, and every region byte that maps to the file maps to that very byte.

use proptest::prelude::*;
use ripple_core::changefile::parse_change_file;
use ripple_core::{Catalog, Host, Hosts, Lang, Options, RuleContext, SourceFile};
use std::path::Path;

/// Pieces of string contents: SQL, escapes, holes, placeholders and awkward characters.
const CONTENT: &[&str] = &[
    "select ",
    "user_name",
    " from ",
    "users",
    " where id = ",
    "%s",
    "%(id)s",
    "%%",
    "{x}",
    "{{",
    "}}",
    "{",
    "}",
    "\\n",
    "\\'",
    "\\\"",
    "\\\\",
    "\\x41",
    "\\u00e9",
    "\\N{BULLET}",
    "\\\n",
    "é",
    "'",
    "\"",
    " ",
    ",",
];

const PREFIXES: &[&str] = &["", "r", "b", "f", "rb", "Rb", "fr", "u", "F"];
const QUOTES: &[&str] = &["'", "\"", "'''", "\"\"\""];
const JOINS: &[&str] = &[" ", " + ", "\n    ", " +\n    "];

/// A string expression: literals joined implicitly or with `+`, maybe parenthesised.
fn expression() -> impl Strategy<Value = String> {
    let literal = (
        proptest::sample::select(PREFIXES),
        proptest::sample::select(QUOTES),
        proptest::collection::vec(proptest::sample::select(CONTENT), 0..12),
    )
        .prop_map(|(p, q, parts)| format!("{p}{q}{}{q}", parts.concat()));
    (proptest::collection::vec(literal, 1..5), proptest::sample::select(JOINS), any::<bool>()).prop_map(
        |(lits, join, parens)| {
            let e = lits.join(join);
            if parens {
                format!("({e})")
            } else {
                e
            }
        },
    )
}

fn source() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => expression().prop_map(|e| format!("def f(cursor):\n    q = {e}\n    cursor.execute(q)\n    cursor.execute({e})\n")),
        1 => any::<String>().prop_map(|t| format!("cursor.execute(\"{t} user_name\")\n{t}")),
    ]
}

/// Runs the Python host's SQL-string discovery on `src`; checks every mapped byte.
fn check(src: &str) -> Result<usize, TestCaseError> {
    let changes = parse_change_file(
        Path::new("c.yaml"),
        "changes:\n  - {kind: rename_column, table: users, from: user_name, to: username}\n",
    )
    .unwrap();
    let names = changes.matcher();
    let (options, catalog, hosts) = (Options::default(), Catalog::default(), Hosts::default());
    let ctx = RuleContext {
        changes: &changes,
        options: &options,
        catalog: &catalog,
        names: &names,
        hosts: &hosts,
        placed: None,
    };
    let file = SourceFile::new(Path::new("q.py"), Lang::Python, src);
    let strings = ripple_python::Python.sql_strings(&file, &ctx);
    let mut mapped = 0;
    for i in 0..strings.len() {
        let s = strings.get(i);
        let text = s.region.text().as_bytes();
        for (at, &byte) in text.iter().enumerate() {
            if let Some((from, to)) = s.region.map_span(at, at + 1) {
                prop_assert_eq!(to, from + 1);
                prop_assert_eq!(src.as_bytes()[from], byte, "region byte {} of {:?}", at, s.region.text());
                prop_assert!(s.span.0 <= from && to <= s.span.1, "outside the expression");
                mapped += 1;
            }
        }
        let _ = strings.escape(i, "\"user name\"");
    }
    Ok(mapped)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn region_bytes_map_back_exactly(src in source()) {
        check(&src)?;
    }
}

/// The generator reaches SQL: a plain query maps its every byte.
#[test]
fn a_plain_query_maps_every_byte() {
    let src = "cursor.execute(\"select user_name from users\")\n";
    assert_eq!(check(src).unwrap(), "select user_name from users".len());
}
