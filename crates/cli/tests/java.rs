//! End-to-end tests of Java support on fixtures/java: SQL in strings, JDBC and Spring
//! calls, JPA mappings, and negative cases that must stay untouched.

mod common;

use common::{assert_apply_is_idempotent, assert_negatives_untouched, plan_fixture};

fn plan(dir: &str, extra: &[&str]) -> String {
    plan_fixture("java", dir, extra)
}

#[test]
fn fixtures_plan_as_snapshotted() {
    let cases: [(&str, &str, &[&str]); 6] = [
        ("jdbc_preserve", "jdbc", &[]),
        ("jdbc_propagate", "jdbc", &["--output-names", "propagate"]),
        ("spring_preserve", "spring", &[]),
        ("spring_propagate", "spring", &["--output-names", "propagate"]),
        ("jpa", "jpa", &[]),
        ("regions", "regions", &[]),
    ];
    for (snapshot, dir, extra) in cases {
        insta::assert_snapshot!(snapshot, plan(dir, extra));
    }
}

#[test]
fn mybatis_annotations_preserve() {
    insta::assert_snapshot!("mybatis_annotations_preserve", plan("mybatis", &[]));
}

#[test]
fn mybatis_annotations_propagate() {
    insta::assert_snapshot!(
        "mybatis_annotations_propagate",
        plan("mybatis", &["--output-names", "propagate"])
    );
}

/// Native queries with `IN ?1`, `IN :ids` and SpEL parameters parse and are rewritten.
#[test]
fn native_query_parameters() {
    insta::assert_snapshot!("native_params", plan("native_params", &[]));
}

/// `@Select` of a library other than MyBatis holds no SQL.
#[test]
fn other_select_annotations_are_not_sql() {
    let text = plan("mybatis_negative", &[]);
    assert!(text.contains("0 edits"), "{text}");
    assert!(!text.contains("sql/"), "{text}");
    insta::assert_snapshot!("mybatis_negative", text);
}

#[test]
fn negatives_are_untouched() {
    assert_negatives_untouched("java", &[]);
    insta::assert_snapshot!("negative", plan("negative", &[]));
}

/// Applying the plan, then planning again, changes nothing more; every rewritten file parses.
#[test]
fn apply_is_idempotent() {
    assert_apply_is_idempotent("java", &[]);
}
