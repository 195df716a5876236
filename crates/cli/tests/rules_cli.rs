//! `ripple rules ...` end to end: a brand-new rule written to a temporary directory is
//! tested, broken, and used by `ripple plan --rules`.

use std::path::Path;
use std::process::{Command, Output};

fn ripple(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ripple")).args(args).current_dir(cwd).output().expect("run ripple")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The tutorial rule, shared with the rule loader's error tests.
const RULE: &str = include_str!("../../rules/tests/data/psycopg2-identifier.yaml");

const INPUT: &str = "from psycopg2 import sql\n\nquery = sql.SQL(\"SELECT {} FROM users\").format(sql.Identifier('user_name'))\nlabel = \"user_name\"\n";

const CHANGES: &str =
    "changes:\n  - kind: rename_column\n    table: users\n    from: user_name\n    to: username\n";

fn write_rule(dir: &Path) {
    let case = dir.join("python/psycopg2-identifier/rename");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(dir.join("python/psycopg2-identifier.yaml"), RULE).unwrap();
    std::fs::write(case.join("report.py"), INPUT).unwrap();
    std::fs::write(case.join("changes.yaml"), CHANGES).unwrap();
}

#[test]
fn a_new_rule_is_tested_broken_and_planned() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-rules");
    write_rule(&dir);
    let dir_s = dir.to_str().unwrap();

    // No snapshot yet: the case fails and shows what the rule produces.
    let out = ripple(tmp.path(), &["rules", "test", dir_s]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("--update"), "{}", text(&out.stdout));

    let out = ripple(tmp.path(), &["rules", "test", dir_s, "--update"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let snap_path = dir.join("python/psycopg2-identifier/rename/expected.snap");
    let snap = std::fs::read_to_string(&snap_path).unwrap();
    assert!(snap.contains("report.py:3:64 likely \"user_name\" -> \"username\""), "{snap}");
    assert!(
        snap.contains("+query = sql.SQL(\"SELECT {} FROM users\").format(sql.Identifier('username'))"),
        "{snap}"
    );

    let out = ripple(tmp.path(), &["rules", "test", dir_s]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("ok      python/psycopg2-identifier / rename"),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stdout).contains("1 passed, 0 failed"), "{}", text(&out.stdout));

    // A broken expectation fails with a readable diff of expected against actual.
    std::fs::write(&snap_path, snap.replace("'username'", "'user_nam'")).unwrap();
    let out = ripple(tmp.path(), &["rules", "test", dir_s]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAILED  python/psycopg2-identifier / rename"), "{stdout}");
    assert!(stdout.contains("(expected)"), "{stdout}");
    assert!(
        stdout.contains("    -+query = sql.SQL(\"SELECT {} FROM users\").format(sql.Identifier('user_nam'))"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    ++query = sql.SQL(\"SELECT {} FROM users\").format(sql.Identifier('username'))"),
        "{stdout}"
    );
    assert!(stdout.contains("0 passed, 1 failed"), "{stdout}");

    // The rule takes part in a plan.
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::write(repo.join("report.py"), INPUT).unwrap();
    std::fs::write(tmp.path().join("changes.yaml"), CHANGES).unwrap();
    let out = ripple(
        tmp.path(),
        &["plan", "--changes", "changes.yaml", "--rules", dir_s, "--format", "json", "repo"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let edits = plan["files"][0]["edits"].as_array().expect("one file with edits");
    assert_eq!(edits.len(), 1, "{plan}");
    assert_eq!(edits[0]["rule"], "python/psycopg2-identifier");
    assert_eq!(edits[0]["after"], "username");
    assert_eq!(edits[0]["confidence"], "likely");

    // Listed and explained with its fixture.
    let out = ripple(tmp.path(), &["rules", "list", "--rules", dir_s]);
    assert!(text(&out.stdout).contains("python/psycopg2-identifier"), "{}", text(&out.stdout));
    let out = ripple(tmp.path(), &["rules", "explain", "python/psycopg2-identifier", "--rules", dir_s]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout.contains("Example (fixture case `rename`)") && stdout.contains("== report.py =="),
        "{stdout}"
    );
}

#[test]
fn builtin_rules_pass_their_fixtures() {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("crates/cli is two levels down");
    let out = ripple(root, &["rules", "test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = ripple(root, &["rules", "test", "rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains(" 0 failed"), "{}", text(&out.stdout));
}

#[test]
fn author_errors_stop_before_scanning() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("bad");
    write_rule(&dir);
    let broken =
        RULE.replace("(string) @name", "(strng) @name").replace("{{ change.to }}", "{{ change.to | nope }}");
    std::fs::write(dir.join("python/psycopg2-identifier.yaml"), broken).unwrap();
    std::fs::write(tmp.path().join("changes.yaml"), CHANGES).unwrap();
    let file = dir.join("python/psycopg2-identifier.yaml");
    let file = file.display();
    for args in [
        vec!["plan", "--changes", "changes.yaml", "--rules", dir.to_str().unwrap(), "."],
        vec!["rules", "test", dir.to_str().unwrap()],
        vec!["rules", "list", "--rules", dir.to_str().unwrap()],
    ] {
        let out = ripple(tmp.path(), &args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("error: {file}:8:34: invalid query: unknown node type `strng`")),
            "{stderr}"
        );
        assert!(stderr.contains(&format!("error: {file}:17:33: unknown filter `nope`")), "{stderr}");
        assert!(out.stdout.is_empty(), "nothing is scanned or printed: {}", text(&out.stdout));
    }
    let out = ripple(tmp.path(), &["rules", "explain", "python/no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
}
