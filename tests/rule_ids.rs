//! Every rule id a plan prints is explained by `ripple rules explain`: the plan runs over
//! every fixture with a change set (the fixture trees, the rule fixture cases, the SQL
//! fixtures) in both output-name modes, and each id of its edits and findings must be
//! explained the way the command explains it. A new id literal without a registry entry
//! fails here.

// The SQL fixtures' header format (fixtures/sql/README.md), read as the SQL tests read it.
#[path = "../crates/sql/tests/common/mod.rs"]
mod sql_fixtures;

use ripple::{NoProgress, Options, OutputNames, Plan, Request, RuleDocs, RuleSet};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every directory under `dir` that holds a `changes.yaml`.
fn change_trees(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.join("changes.yaml").is_file() {
        out.push(dir.to_path_buf());
    }
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("readable fixture dir").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries.into_iter().filter(|p| p.is_dir()) {
        change_trees(&path, out);
    }
}

fn ids_of(plan: &Plan, into: &mut BTreeSet<String>) {
    for file in &plan.files {
        into.extend(file.edits.iter().map(|e| e.rule.clone()));
    }
    into.extend(plan.findings.iter().map(|f| f.rule.clone()));
}

/// The ids of the plan of `request`, in both output-name modes.
fn plan_ids(rules: &RuleSet, request: Request, into: &mut BTreeSet<String>) {
    for output_names in [OutputNames::Preserve, OutputNames::Propagate] {
        let options = Options::new(request.options.dialect, output_names);
        let request = request.clone().with_options(options);
        ids_of(&ripple::plan(rules, &request, &NoProgress).expect("fixture plans"), into);
    }
}

/// The fixture trees and the rule fixture cases.
fn change_tree_ids(rules: &RuleSet, into: &mut BTreeSet<String>) {
    let mut trees = Vec::new();
    change_trees(&root().join("fixtures"), &mut trees);
    change_trees(&root().join("rules"), &mut trees);
    assert!(trees.len() > 50, "fixture trees found: {}", trees.len());
    for tree in trees {
        let changes =
            ripple::load_changes(&tree.join("changes.yaml"), Default::default()).expect("changes load");
        plan_ids(rules, Request::new(changes, vec![tree]), into);
    }
}

/// The SQL fixtures, each planned at the path its header names.
fn sql_fixture_ids(rules: &RuleSet, into: &mut BTreeSet<String>) {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/sql"))
        .expect("fixtures/sql exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    paths.sort();
    assert!(paths.len() > 10, "SQL fixtures found: {}", paths.len());
    for path in paths {
        let name = path.file_stem().expect("fixture name").to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).expect("fixture is UTF-8");
        let fx = sql_fixtures::parse_header(&name, &text);
        let dir = tempfile::tempdir().expect("temp dir");
        let at = dir.path().join(&fx.path);
        std::fs::create_dir_all(at.parent().expect("fixture path has a parent")).expect("fixture dir");
        std::fs::write(&at, &text).expect("fixture written");
        let roots = vec![dir.path().to_path_buf()];
        plan_ids(
            rules,
            Request::new(fx.changes, roots).with_options(fx.options).with_catalog(fx.catalog),
            into,
        );
    }
}

#[test]
fn every_printed_rule_id_is_explained() {
    let rules = ripple::rules(&[]).expect("built-in rules load");
    let mut printed = BTreeSet::new();
    change_tree_ids(&rules, &mut printed);
    sql_fixture_ids(&rules, &mut printed);
    assert!(printed.len() > 20, "ids printed: {printed:?}");
    let docs = RuleDocs::load(&[]).expect("rules load");
    let unexplained: Vec<&String> = printed.iter().filter(|id| docs.explain(id).is_none()).collect();
    assert!(unexplained.is_empty(), "printed but not explained by `ripple rules explain`: {unexplained:?}");
}

#[test]
fn every_rule_and_registered_id_is_explained() {
    let docs = RuleDocs::load(&[]).expect("rules load");
    for rule in ripple::rules(&[]).expect("built-in rules load").rules() {
        let info = docs.explain(rule.id()).unwrap_or_else(|| panic!("`{}` is not explained", rule.id()));
        assert!(!info.description.is_empty(), "`{}` has no description", rule.id());
    }
    for id in ripple::ids::all() {
        let group = id.language.map_or("core", |l| l.name());
        assert!(id.id.starts_with(&format!("{group}/")), "{} is not under {group}/", id.id);
        assert!(!id.summary.is_empty() && !id.explanation.is_empty() && !id.example.is_empty(), "{}", id.id);
        assert_eq!(ripple::ids::all().filter(|other| other.id == id.id).count(), 1, "{} twice", id.id);
    }
}
