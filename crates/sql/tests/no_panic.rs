//! Property tests: no input makes the SQL front door (lexer, Jinja masking, statement split,
//! both parsers and the modellers), the region mapper or the change-file and migration
//! loaders panic; masks keep offsets and line breaks, and change-file errors are located.
//! Inputs are drawn from SQL-shaped pieces as well as from any text.

use proptest::prelude::*;
use ripple_core::changefile::parse_change_file;
use ripple_core::{ChangeSet, Dialect, Region};
use ripple_sql::migration::parse_migration;
use ripple_sql::{prepare, PrepareOptions};
use std::path::Path;

/// Pieces that steer the lexer into its states: quotes, comments, dollar bodies, Jinja.
const PIECES: &[&str] = &[
    "select ",
    "user_name",
    " from ",
    "users",
    " where ",
    "(",
    ")",
    ",",
    ";",
    "'",
    "\"",
    "`",
    "--",
    "\n",
    "/*",
    "*/",
    "$$",
    "$fn$",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "E'\\'",
    "\\",
    "[",
    "]",
    " as ",
    " join ",
    " on ",
    "*",
    ".",
    "?",
    ":x",
    "@p",
    " + ",
    " or ",
    "é",
    "\r",
    "\u{feff}",
    "ref('m')",
];

fn sql_text() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(proptest::sample::select(PIECES), 0..60).prop_map(|v| v.concat()),
        any::<String>(),
    ]
}

fn changes() -> ChangeSet {
    let yaml = "changes:\n  - {kind: rename_column, table: users, from: user_name, to: username}\n  - {kind: rename_table, from: users, to: customers}\n";
    parse_change_file(Path::new("c.yaml"), yaml).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn prepare_never_panics(text in sql_text(), d in 0usize..6) {
        let changes = changes();
        let names = changes.matcher();
        let dialect = [Dialect::Generic, Dialect::Postgres, Dialect::Mysql, Dialect::Bigquery, Dialect::Snowflake, Dialect::Spark][d];
        let prepared = prepare(&text, &PrepareOptions { dialect, names: &names, changes: &changes });
        let _ = prepared.dialect();
        // Jinja and bind-parameter masks keep every offset and every line break.
        let masked = prepared.masked_text();
        prop_assert_eq!(masked.len(), text.len());
        for (a, b) in text.bytes().zip(masked.bytes()) {
            prop_assert_eq!(a == b'\n', b == b'\n');
        }
        if !text.contains(['{', '?', ':', '@', '$', '%']) {
            prop_assert_eq!(masked, text.as_str());
        }
    }

    #[test]
    fn region_maps_only_what_it_holds(pieces in proptest::collection::vec((any::<bool>(), "[a-z ']{0,8}"), 0..12), a in 0usize..80, b in 0usize..80) {
        let mut region = Region::new();
        let mut at = 0;
        for (verbatim, text) in &pieces {
            if *verbatim {
                region.push_verbatim(text, at);
                at += text.len() + 1;
            } else {
                region.push_synthetic(text);
            }
        }
        let (start, end) = (a.min(b), a.max(b));
        if let Some((fs, fe)) = region.map_span(start, end) {
            prop_assert!(fs <= fe);
        }
        let _ = region.nearest_file_offset(a);
    }

    #[test]
    fn change_files_never_panic(text in prop_oneof![
        proptest::collection::vec(proptest::sample::select(&[
            "changes:", "\n", "  - ", "kind: ", "rename_column", "drop_column", "change_type", "rename_table",
            "table: ", "from: ", "to: ", "column: ", "users", "\"q\"", "a.b.c", "{", "}", "[", "]", ",", ":",
            "'", "BIGINT", "((((", "&a", "*a", "!!str", "#", "\t", "é", "\u{feff}",
        ][..]), 0..40).prop_map(|v| v.concat()),
        any::<String>(),
    ]) {
        for name in ["c.yaml", "c.json"] {
            if let Err(errors) = parse_change_file(Path::new(name), &text) {
                // Each error names the file and, when it has one, a line within it.
                let lines = text.lines().count() + 1;
                for e in &errors.0 {
                    prop_assert_eq!(e.path.as_path(), Path::new(name));
                    prop_assert!(e.line <= lines, "line {} of {}: {}", e.line, lines, e);
                }
            }
        }
    }

    #[test]
    fn migrations_never_panic(text in prop_oneof![
        proptest::collection::vec(proptest::sample::select(&[
            "ALTER TABLE ", "users ", "RENAME COLUMN ", "RENAME TO ", "DROP COLUMN ", "ALTER COLUMN ", "TYPE ",
            "a ", "TO ", "b", ";", "\n", "(", ")", "'", "--", "BIGINT", "\"x\"",
        ][..]), 0..30).prop_map(|v| v.concat()),
        any::<String>(),
    ]) {
        let _ = parse_migration(Path::new("m.sql"), &text, Dialect::Generic);
    }
}

/// Found by `prepare_never_panics`: the word before a dollar quote was cut inside a
/// multi-byte character.
#[test]
fn a_dollar_quote_after_a_multibyte_character() {
    let changes = changes();
    let names = changes.matcher();
    for text in ["é{##}$$", "select 1 on \u{feff}$$x$$;", "é$$ user_name $$;"] {
        prepare(text, &PrepareOptions { dialect: Dialect::Generic, names: &names, changes: &changes });
    }
}
