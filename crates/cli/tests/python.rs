//! End-to-end: the `ripple` binary over the Python fixture tree (embedded SQL in every
//! string form, the host APIs, output-name modes, and prose that must stay untouched).

mod common;

use common::{assert_apply_is_idempotent, ripple, root, scrub, stdout};

fn run(args: &[&str]) -> String {
    let o = ripple(&root(), args);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    stdout(&o)
}

fn plan(extra: &[&str]) -> String {
    let mut args = vec!["plan", "-v", "--changes", "fixtures/python/changes.yaml"];
    args.extend_from_slice(extra);
    args.push("fixtures/python");
    scrub(&run(&args))
}

fn json(extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["plan", "--format", "json", "--changes", "fixtures/python/changes.yaml"];
    args.extend_from_slice(extra);
    args.push("fixtures/python");
    serde_json::from_str(&run(&args)).expect("valid JSON")
}

#[test]
fn python_fixture_preserve() {
    insta::assert_snapshot!("python_preserve", plan(&[]));
}

#[test]
fn python_fixture_propagate() {
    insta::assert_snapshot!("python_propagate", plan(&["--output-names", "propagate"]));
}

#[test]
fn negatives_are_never_edited() {
    for extra in [&[][..], &["--output-names", "propagate"][..]] {
        let plan = json(extra);
        let files = plan["files"].as_array().expect("files");
        assert!(
            files.iter().all(|f| !f["path"].as_str().unwrap_or("").ends_with("negatives.py")),
            "negatives.py must stay untouched: {plan:#}"
        );
    }
}

/// Applying the plan, then planning again, changes nothing more, in both output-name modes
/// (the DataFrame shims are not added twice).
#[test]
fn apply_is_idempotent() {
    for extra in [&[][..], &["--output-names", "propagate"][..]] {
        assert_apply_is_idempotent("python", extra);
    }
}

/// Django: raw SQL in `Model.objects.raw`, `cursor.execute` and `RawSQL`, and a
/// `ForeignKey` whose `<field>_id` column is renamed; `.raw` of anything else is no SQL.
#[test]
fn django_raw_sql_and_foreign_keys() {
    let args = ["plan", "-v", "--changes", "fixtures/django/changes.yaml", "fixtures/django"];
    insta::assert_snapshot!("django", scrub(&run(&args)));
}

/// Django models without `Meta.db_table` map `<app label>_<model>`: renamed tables gain
/// `db_table` in `Meta` (created when absent), renamed columns `db_column` (a foreign key's
/// column is `<field>_id`), a drop is reported, the app's migrations need a new one; a model
/// naming another table, an abstract model, another model of the app and a peewee model
/// are left alone.
#[test]
fn django_default_table_names() {
    let args = ["plan", "-v", "--changes", "fixtures/django_default/changes.yaml", "fixtures/django_default"];
    insta::assert_snapshot!("django_default", scrub(&run(&args)));
    assert_apply_is_idempotent("django_default", &[]);
}

/// pandas keyword arguments that name result columns, and reads of a `SELECT *` over the
/// changed table, in both output-name modes.
#[test]
fn pandas_result_columns() {
    for (name, extra) in
        [("pandas_reads_preserve", &[][..]), ("pandas_reads_propagate", &["--output-names", "propagate"][..])]
    {
        let mut args = vec!["plan", "-v", "--changes", "fixtures/pandas_reads/changes.yaml"];
        args.extend_from_slice(extra);
        args.push("fixtures/pandas_reads");
        insta::assert_snapshot!(name, scrub(&run(&args)));
        assert_apply_is_idempotent("pandas_reads", extra);
    }
}

/// Every bind-placeholder style parses under every `--dialect`, with the same plan as
/// without one.
#[test]
fn placeholders_parse_under_every_dialect() {
    let plan = |extra: &[&str]| {
        let mut args = vec!["plan", "-v", "--changes", "fixtures/placeholders/changes.yaml"];
        args.extend_from_slice(extra);
        args.push("fixtures/placeholders");
        scrub(&run(&args))
    };
    let generic = plan(&[]);
    insta::assert_snapshot!("placeholders", generic);
    for dialect in ["postgres", "mysql", "bigquery", "snowflake", "spark"] {
        assert_eq!(plan(&["--dialect", dialect]), generic, "--dialect {dialect}");
    }
}
