//! End-to-end tests of MyBatis XML mappers on fixtures/mybatis: statements with dynamic
//! tags, fragments, CDATA and entities, result maps, and negative cases that must stay
//! untouched.

mod common;

use common::{assert_apply_is_idempotent, assert_negatives_untouched, plan_fixture, ripple, root, stdout};

fn plan(dir: &str, extra: &[&str]) -> String {
    plan_fixture("mybatis", dir, extra)
}

#[test]
fn mappers_preserve() {
    insta::assert_snapshot!("mappers_preserve", plan("mappers", &[]));
}

#[test]
fn mappers_propagate() {
    insta::assert_snapshot!("mappers_propagate", plan("mappers", &["--output-names", "propagate"]));
}

#[test]
fn negatives_are_untouched() {
    assert_negatives_untouched("mybatis", &["NotAMapper"]);
    insta::assert_snapshot!("negative", plan("negative", &[]));
}

/// A mapper that is not well-formed XML is reported, never half-read.
#[test]
fn malformed_mapper_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Broken.xml"),
        "<mapper namespace=\"x\">\n  <select id=\"a\">SELECT user_name FROM users</update>\n</mapper>\n",
    )
    .unwrap();
    let changes = root().join("fixtures/mybatis/changes.yaml");
    let o = ripple(dir.path(), &["plan", "--changes", changes.to_str().unwrap(), "."]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(text.contains("2:45: [mybatis/embedded-sql] this mapper is not well-formed XML"), "{text}");
    assert!(text.contains("0 edits in 0 files; 1 findings for review, 0 info"), "{text}");
}

/// Applying the plan, then planning again, changes nothing more.
#[test]
fn apply_is_idempotent() {
    for mode in ["preserve", "propagate"] {
        assert_apply_is_idempotent("mybatis", &["--output-names", mode]);
    }
}
