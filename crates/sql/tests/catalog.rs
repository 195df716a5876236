//! The catalog the engine builds from the DDL of the scanned tree, carried into a join
//! whose unqualified columns only the catalog can bind (fixtures/catalog_non_ascii: one
//! table has a non-ASCII name).

use ripple_core::changefile::load_change_file;
use ripple_core::engine::{plan, NoProgress, Request, RuleSet};
use ripple_sql::catalog::SqlCatalogSource;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name)
}

/// The plan's diffs and findings for a fixture directory.
fn planned(name: &str) -> String {
    let dir = fixture(name);
    let mut rules = RuleSet::new();
    for rule in ripple_sql::rules() {
        rules.add(rule);
    }
    rules.add_catalog_source(Arc::new(SqlCatalogSource));
    let changes = load_change_file(&dir.join("changes.yaml")).expect("the change file loads");
    let request = Request::new(changes, vec![dir.clone()]);
    let plan = plan(&rules, &request, &NoProgress).expect("the fixture plans");
    let mut out = String::new();
    for file in &plan.files {
        out.push_str(&file.diff);
    }
    out.push_str("findings:\n");
    for f in &plan.findings {
        let path = f.path.strip_prefix(&dir).unwrap_or(&f.path).to_string_lossy().replace('\\', "/");
        out.push_str(&format!("  {path}:{}:{} {} {}\n", f.line, f.column, f.rule, f.message));
    }
    out
}

#[test]
fn scanned_ddl_of_a_non_ascii_table_name_resolves_a_join() {
    insta::assert_snapshot!("catalog_non_ascii", planned("catalog_non_ascii"));
}
