//! Property tests of the Java string regions: whatever the expression (literals with
//! escapes, text blocks, `+` chains with constants and unknown operands, any text at all),
//! finding its SQL never panics, and every region byte that maps to the file maps to that
//! very byte.

use proptest::prelude::*;
use ripple_core::changefile::parse_change_file;
use ripple_core::{Catalog, Host, Hosts, Lang, Options, RuleContext, SourceFile};
use std::path::Path;

/// Pieces of string contents: SQL, escapes and awkward characters.
const CONTENT: &[&str] = &[
    "select ",
    "user_name",
    " from ",
    "users",
    " where id = ",
    "?",
    ":id",
    "\\n",
    "\\t",
    "\\\"",
    "\\\\",
    "\\u0041",
    "\\u0022",
    "\\s",
    "\\0",
    "\\12",
    "é",
    "'",
    "\\'",
    " ",
    ",",
    "${x}",
    "\"\"",
];

const OPERANDS: &[&str] = &["Q", "id", "x.name()", "1", "(\"a\" + \"b\")"];

fn literal() -> impl Strategy<Value = String> {
    (any::<bool>(), proptest::collection::vec(proptest::sample::select(CONTENT), 0..12)).prop_map(
        |(block, parts)| {
            let body = parts.concat();
            if block {
                format!("\"\"\"\n        {}\n        \"\"\"", body.replace("\\\"", "\""))
            } else {
                format!("\"{}\"", body.replace('"', "\\\"").replace("\\\\\"", "\\\""))
            }
        },
    )
}

/// A `+` chain of literals and other operands.
fn expression() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![3 => literal(), 1 => proptest::sample::select(OPERANDS).prop_map(String::from)],
        1..6,
    )
    .prop_map(|parts| parts.join(" + "))
}

fn source() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (expression(), expression()).prop_map(|(c, e)| format!(
            "class A {{\n  static final String Q = {c};\n  void f(java.sql.Statement s) throws Exception {{\n    s.executeQuery({e});\n    String q = {e};\n    s.execute(q);\n  }}\n}}\n"
        )),
        1 => any::<String>().prop_map(|t| format!("class A {{ void f() {{ s.executeQuery(\"{t} user_name\"); }} }}\n{t}")),
    ]
}

/// Runs the Java host's SQL-string discovery on `src`; checks every mapped byte.
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
    let file = SourceFile::new(Path::new("A.java"), Lang::Java, src);
    let strings = ripple_java::Java.sql_strings(&file, &ctx);
    let mut mapped = 0;
    for i in 0..strings.len() {
        let s = strings.get(i);
        let text = s.region.text().as_bytes();
        prop_assert_eq!(strings.sql_text(i).len(), text.len(), "the masked text keeps offsets");
        for (at, &byte) in text.iter().enumerate() {
            if let Some((from, to)) = s.region.map_span(at, at + 1) {
                prop_assert_eq!(to, from + 1);
                prop_assert_eq!(src.as_bytes()[from], byte, "region byte {} of {:?}", at, s.region.text());
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
    let src = "class A { void f(java.sql.Statement s) throws Exception { s.executeQuery(\"select user_name from users\"); } }\n";
    assert_eq!(check(src).unwrap(), "select user_name from users".len());
}
