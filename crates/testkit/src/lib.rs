//! What the tests of ripple's host crates share, as a dev-dependency: the property that a
//! host's SQL strings map back to the file byte for byte.
#![warn(missing_docs)]

use proptest::prelude::*;
use ripple_core::changefile::parse_change_file;
use ripple_core::{Catalog, Host, Hosts, Lang, Options, RuleContext, SourceFile};
use std::path::Path;

/// What [`check_regions`] demands of a host beyond the byte-exact mapping.
#[derive(Debug, Clone, Copy, Default)]
pub struct Demands {
    /// Every mapped byte lies inside the string's expression (a host that follows constants
    /// maps bytes to their definitions elsewhere, so it cannot demand this).
    pub inside_expression: bool,
    /// The masked SQL text keeps the region's offsets.
    pub masked_keeps_offsets: bool,
}

/// Runs `host`'s SQL-string discovery on `src` (a file at `path` of language `lang`) for a
/// rename of `users.user_name`; checks every mapped byte and answers how many mapped.
pub fn check_regions(
    host: &dyn Host,
    path: &str,
    lang: Lang,
    src: &str,
    demands: Demands,
) -> Result<usize, TestCaseError> {
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
    let file = SourceFile::new(Path::new(path), lang, src);
    let strings = host.sql_strings(&file, &ctx);
    let mut mapped = 0;
    for i in 0..strings.len() {
        let s = strings.get(i);
        let text = s.region.text().as_bytes();
        if demands.masked_keeps_offsets {
            prop_assert_eq!(strings.sql_text(i).len(), text.len(), "the masked text keeps offsets");
        }
        for (at, &byte) in text.iter().enumerate() {
            if let Some((from, to)) = s.region.map_span(at, at + 1) {
                prop_assert_eq!(to, from + 1);
                prop_assert_eq!(src.as_bytes()[from], byte, "region byte {} of {:?}", at, s.region.text());
                if demands.inside_expression {
                    prop_assert!(s.span.0 <= from && to <= s.span.1, "outside the expression");
                }
                mapped += 1;
            }
        }
        let _ = strings.escape(i, "\"user name\"");
    }
    Ok(mapped)
}
