//! Every built-in rule's fixtures pass, run from the source tree and from the embedded copy.

use ripple_core::Hosts;
use ripple_rules::testing::RuleTestStatus;
use std::path::PathBuf;

/// The hosts of the languages the built-in rules are written for.
fn hosts() -> Hosts {
    let mut hosts = Hosts::default();
    hosts.add(ripple_python::host());
    hosts.add(ripple_java::host());
    hosts
}

fn report(cases: &[ripple_rules::testing::RuleTestCase]) -> String {
    cases
        .iter()
        .filter(|c| c.status != RuleTestStatus::Passed)
        .map(|c| format!("{} / {}: {:?}\n{}\n", c.rule, c.case, c.status, c.detail))
        .collect()
}

#[test]
fn builtin_rule_fixtures_pass() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    // RIPPLE_UPDATE_SNAPSHOTS=1 accepts the current results, as `ripple rules test --update`.
    let update = std::env::var_os("RIPPLE_UPDATE_SNAPSHOTS").is_some();
    let cases = ripple_rules::run_tests(Some(&dir), update, &hosts()).expect("built-in rules load");
    assert!(cases.len() >= 10, "expected every built-in rule to have cases, got {}", cases.len());
    let failures = report(&cases);
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn embedded_rule_fixtures_pass() {
    let cases = ripple_rules::run_tests(None, false, &hosts()).expect("embedded rules load");
    let failures = report(&cases);
    assert!(failures.is_empty(), "{failures}");
    let lib = ripple_rules::RuleLibrary::load(&[]).expect("built-in rules load");
    let ids: Vec<&str> = lib.rules.iter().map(|r| r.id.as_str()).collect();
    for id in [
        "python/pyspark-table",
        "python/sqlalchemy-tablename",
        "java/jpa-table",
        "java/jdbc-resultset-getter",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}
