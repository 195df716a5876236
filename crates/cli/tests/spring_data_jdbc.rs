//! End-to-end tests of Spring Data JDBC's default naming on fixtures/spring_data_jdbc: an
//! aggregate without `@Table` and its properties without `@Column`, and look-alikes of other
//! mappings that must stay untouched.

mod common;

use common::{assert_apply_is_idempotent, plan_fixture};

#[test]
fn aggregates_follow_renames_with_annotations() {
    insta::assert_snapshot!(
        "spring_data_jdbc_aggregates",
        plan_fixture("spring_data_jdbc", "aggregates", &[])
    );
}

#[test]
fn look_alikes_are_untouched() {
    let text = plan_fixture("spring_data_jdbc", "negative", &[]);
    assert!(!text.contains("@@"), "{text}");
    assert!(!text.contains("spring-data-default-naming"), "{text}");
    insta::assert_snapshot!("spring_data_jdbc_negative", text);
}

/// Applying the plan, then planning again, changes nothing more; every rewritten file parses.
#[test]
fn apply_is_idempotent() {
    assert_apply_is_idempotent("spring_data_jdbc", &[]);
}
