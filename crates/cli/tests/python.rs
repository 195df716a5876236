//! End-to-end: the `ripple` binary over the Python fixture tree (embedded SQL in every
//! string form, the host APIs, output-name modes, and prose that must stay untouched).

mod common;

use common::{copy_tree, ripple, root, scrub, stdout};

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
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&root().join("fixtures/python"), dir.path());
        let changes = dir.path().join("changes.yaml");
        let changes = changes.to_str().unwrap();
        let mut args = vec!["apply", "--changes", changes];
        args.extend_from_slice(extra);
        args.push(".");
        let o = ripple(dir.path(), &args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        args[0] = "plan";
        args.splice(1..1, ["--format", "json"]);
        let again = ripple(dir.path(), &args);
        let plan: serde_json::Value = serde_json::from_str(&stdout(&again)).unwrap();
        assert_eq!(plan["summary"]["edits"], 0, "{extra:?}: {}", stdout(&again));
    }
}

/// Django: raw SQL in `Model.objects.raw`, `cursor.execute` and `RawSQL`, and a
/// `ForeignKey` whose `<field>_id` column is renamed; `.raw` of anything else is no SQL.
#[test]
fn django_raw_sql_and_foreign_keys() {
    let args = ["plan", "-v", "--changes", "fixtures/django/changes.yaml", "fixtures/django"];
    insta::assert_snapshot!("django", scrub(&run(&args)));
}
