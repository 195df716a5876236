//! End-to-end: a table rename in two repos that manage their schema with Flyway. In Postgres
//! the data script's reads of the owned sequence follow the rename and the suggested
//! migration renames the sequence with its table; in both dialects each new name that must
//! be quoted is quoted as that dialect quotes.

mod common;

use common::{ripple, root, scrub, stderr, stdout};

fn plan(format: &str, repo: &str, dialect: &str) -> String {
    let o = ripple(
        &root().join("fixtures/owned_sequences"),
        &["plan", "-v", "--format", format, "--dialect", dialect, "--changes", "changes.yaml", repo],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn owned_sequences_follow_the_table_rename() {
    insta::assert_snapshot!("owned_sequences_text", scrub(&plan("text", "pg", "postgres")));
}

#[test]
fn suggested_migrations_rename_the_sequence_and_quote_per_dialect() {
    for (repo, dialect) in [("pg", "postgres"), ("mysql", "mysql")] {
        let plan: serde_json::Value = serde_json::from_str(&plan("json", repo, dialect)).unwrap();
        insta::assert_json_snapshot!(
            format!("owned_sequences_suggested_{repo}"),
            plan["suggested_migration"]
        );
    }
}
