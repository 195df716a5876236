//! Faults through the command line: statements nested too deep to analyse, huge lines and
//! change sets (each with a bound on time; the run goes on past each of them), patches of
//! odd files and names through `git apply`, UTF-16 and hidden files, read-only files.

mod common;

use common::{ripple, stdout};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

const CHANGES: &str =
    "changes:\n  - kind: rename_column\n    table: users\n    from: user_name\n    to: username\n";

/// A shallow statement after each deep one: it must still be rewritten.
const PLAIN: &str = "select user_name from users;\n";

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `ripple plan --format json` over `tree` in `dir`, within `limit`.
fn plan_json(dir: &Path, changes: &str, tree: &str, limit: Duration) -> Value {
    let started = Instant::now();
    let o = ripple(dir, &["plan", "--changes", changes, "--format", "json", tree]);
    let took = started.elapsed();
    assert!(o.status.code().is_some(), "killed by a signal: {o:?}");
    assert!(took < limit, "took {took:?}, more than {limit:?}");
    serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {o:?}"))
}

/// Per file: its edits' count and its findings (line, rule, message), sorted by path.
fn outline(plan: &Value) -> String {
    let mut out = String::new();
    let mut paths: Vec<&str> = Vec::new();
    for f in plan["files"].as_array().unwrap() {
        paths.push(f["path"].as_str().unwrap());
    }
    for f in plan["findings"].as_array().unwrap() {
        paths.push(f["path"].as_str().unwrap());
    }
    paths.sort();
    paths.dedup();
    for p in paths {
        let edits = plan["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == p)
            .map_or(0, |f| f["edits"].as_array().unwrap().len());
        writeln!(out, "{p}: {edits} edits").unwrap();
        for f in plan["findings"].as_array().unwrap().iter().filter(|f| f["path"] == p) {
            writeln!(
                out,
                "  {}: [{}] {}",
                f["line"],
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
            .unwrap();
        }
    }
    out
}

#[test]
fn statements_nested_too_deep_are_findings_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "changes.yaml", CHANGES);
    let t = dir.path().join("t");
    let ors = (0..1800).map(|i| format!("user_name = 'a{i}'")).collect::<Vec<_>>().join(" OR ");
    write(&t, "ors.sql", &format!("select user_name from users where {ors};\n{PLAIN}"));
    let parens = format!("{}user_name{}", "(".repeat(5000), ")".repeat(5000));
    write(&t, "parens.sql", &format!("select user_name from users where {parens};\n{PLAIN}"));
    let plus = vec!["user_name"; 3000].join(" + ");
    write(&t, "plus.sql", &format!("select {plus} from users;\n{PLAIN}"));
    let ands = (0..3000).map(|i| format!("user_name <> {i}")).collect::<Vec<_>>().join(" AND ");
    write(&t, "ands.sql", &format!("delete from users where {ands};\n{PLAIN}"));
    let subqueries = format!("{}users{}", "(select user_name from ".repeat(600), ") s".repeat(600));
    write(&t, "subqueries.sql", &format!("select user_name from {subqueries};\n{PLAIN}"));
    // Within the limit: still rewritten.
    let near = format!("{}user_name{}", "(".repeat(300), ")".repeat(300));
    write(&t, "near.sql", &format!("select user_name from users where {near};\n"));
    let pieces = |n: usize| {
        (0..n).map(|i| format!("\"select user_name from users where a = {i} \"")).collect::<Vec<_>>()
    };
    write(
        &t,
        "app/chain.py",
        &format!("q = {}\ncursor.execute(\"{}\")\n", pieces(2000).join(" + "), PLAIN.trim()),
    );
    write(
        &t,
        "app/Chain.java",
        &format!(
            "class Chain {{\n  void f() {{\n    String q = {};\n    jdbc.execute(q);\n    jdbc.execute(\"{}\");\n  }}\n}}\n",
            pieces(2000).join(" + "),
            PLAIN.trim()
        ),
    );
    let plan = plan_json(dir.path(), "changes.yaml", "t", Duration::from_secs(120));
    insta::assert_snapshot!("deep_nesting", outline(&plan));
}

#[test]
fn time_is_linear_in_the_number_of_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut changes = String::from("changes:\n");
    for i in 0..20_000 {
        writeln!(changes, "  - {{kind: rename_column, table: t{}, from: c{i}, to: d{i}}}", i % 50).unwrap();
    }
    write(dir.path(), "changes.yaml", &changes);
    write(dir.path(), "t/a.sql", "select c1 from t1;\n");
    // Quadratic validation took minutes here.
    let plan = plan_json(dir.path(), "changes.yaml", "t", Duration::from_secs(60));
    assert_eq!(plan["changes"].as_array().unwrap().len(), 20_000);
    assert_eq!(plan["summary"]["edits"], 1);
}

#[test]
fn time_is_linear_in_the_length_of_a_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "changes.yaml", CHANGES);
    let statements: Vec<String> =
        (0..20_000).map(|i| format!("select user_name, c{i} from users where id = {i};")).collect();
    write(dir.path(), "t/one_line.sql", &(statements.join(" ") + "\n"));
    let plan = plan_json(dir.path(), "changes.yaml", "t", Duration::from_secs(120));
    assert_eq!(plan["summary"]["edits"], 20_000);
}

/// Files whose names and contents git handles specially, each with a statement to rewrite.
fn odd_files(t: &Path) -> Vec<String> {
    let mut names = vec![
        "bom.sql".to_string(),
        "cr.sql".into(),
        "tab\tname.sql".into(),
        "new\nline.sql".into(),
        "back\\slash.sql".into(),
        "quote\"d.sql".into(),
        "space d.sql".into(),
        "é.sql".into(),
    ];
    std::fs::create_dir_all(t).unwrap();
    for n in &names {
        let text = match n.as_str() {
            "bom.sql" => format!("\u{feff}{PLAIN}"),
            "cr.sql" => "select user_name\rfrom users;\nselect 1;\r\n".into(),
            _ => PLAIN.to_string(),
        };
        std::fs::write(t.join(n), text).unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.sql");
        std::fs::write(t.join(name), PLAIN).unwrap();
        names.push("caf\u{fffd}.sql".into());
    }
    names
}

fn git_apply(dir: &Path, patch: &[u8], check: bool) -> std::process::Output {
    use std::io::Write as _;
    let mut args = vec!["apply", "-v"];
    if check {
        args.push("--check");
    }
    let mut child = std::process::Command::new("git")
        .args(&args)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("git");
    child.stdin.take().unwrap().write_all(patch).unwrap();
    child.wait_with_output().unwrap()
}

/// The patch of every odd file applies with `git apply`, under a relative and an absolute
/// PATH, and leaves nothing more to do.
#[test]
fn patches_round_trip_through_git_apply() {
    for absolute in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "changes.yaml", CHANGES);
        let t = dir.path().join("t");
        let names = odd_files(&t);
        let tree = if absolute { t.to_string_lossy().into_owned() } else { "t".to_string() };
        let o = ripple(dir.path(), &["plan", "--changes", "changes.yaml", "--format", "patch", &tree]);
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        let patch = o.stdout;
        let text = String::from_utf8_lossy(&patch);
        assert_eq!(text.matches("diff --git ").count(), names.len(), "{text}");
        let check = git_apply(dir.path(), &patch, true);
        assert!(
            check.status.success(),
            "git apply --check: {}\n{text}",
            String::from_utf8_lossy(&check.stderr)
        );
        let applied = git_apply(dir.path(), &patch, false);
        assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
        assert_eq!(
            std::fs::read(t.join("bom.sql")).unwrap(),
            b"\xEF\xBB\xBFselect username as user_name from users;\n"
        );
        assert_eq!(
            std::fs::read(t.join("cr.sql")).unwrap(),
            b"select username as user_name\rfrom users;\nselect 1;\r\n"
        );
        let again = ripple(dir.path(), &["plan", "--changes", "changes.yaml", "--format", "patch", &tree]);
        assert_eq!(String::from_utf8_lossy(&again.stdout), "", "absolute: {absolute}");
    }
}

/// Headers of odd names, quoted as git quotes them.
#[test]
fn patch_headers_quote_odd_names() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "changes.yaml", CHANGES);
    odd_files(&dir.path().join("t"));
    let o = ripple(dir.path(), &["plan", "--changes", "changes.yaml", "--format", "patch", "t"]);
    let headers: String = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.starts_with("diff --git "))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!("patch_headers", headers);
}

/// UTF-16 files that mention a changed name are reported; hidden files are scanned.
#[test]
fn utf16_files_are_reported_and_hidden_files_scanned() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "changes.yaml", CHANGES);
    let t = dir.path().join("t");
    let utf16 = |text: &str, le: bool| -> Vec<u8> {
        let mut out = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for u in text.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    };
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(t.join("le.sql"), utf16(PLAIN, true)).unwrap();
    std::fs::write(t.join("be.sql"), utf16(PLAIN, false)).unwrap();
    std::fs::write(t.join("other.sql"), utf16("select 1;\n", true)).unwrap();
    write(&t, ".hidden.sql", PLAIN);
    write(&t, ".config/a.sql", PLAIN);
    let plan = plan_json(dir.path(), "changes.yaml", "t", Duration::from_secs(60));
    insta::assert_snapshot!("utf16_and_hidden", outline(&plan));
}

/// A read-only file and a file in a read-only folder: rewritten with their modes kept where
/// the user may write them anyway (root), else refused with a message; never a panic, never
/// a temporary file left behind.
#[cfg(unix)]
#[test]
fn read_only_files_are_kept_or_refused_cleanly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "changes.yaml", CHANGES);
    let t = dir.path().join("t");
    write(&t, "a.sql", PLAIN);
    write(&t, "locked/b.sql", PLAIN);
    let mode = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    mode(&t.join("a.sql"), 0o444);
    mode(&t.join("locked"), 0o555);
    let o = ripple(dir.path(), &["apply", "--changes", "changes.yaml", "t"]);
    mode(&t.join("locked"), 0o755);
    let code = o.status.code();
    assert!(matches!(code, Some(0..=2)), "{o:?}");
    for (file, folder) in [("a.sql", &t), ("b.sql", &t.join("locked"))] {
        let text = std::fs::read_to_string(folder.join(file)).unwrap();
        assert!(text == PLAIN || text == "select username as user_name from users;\n", "{text}");
        let names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| n == file || n == "locked"), "{names:?}");
    }
    assert_eq!(std::fs::metadata(t.join("a.sql")).unwrap().permissions().mode() & 0o777, 0o444);
    if code == Some(0) {
        assert_eq!(
            std::fs::read_to_string(t.join("a.sql")).unwrap(),
            "select username as user_name from users;\n"
        );
    }
}

/// The JSON plan names odd files as the patch does: its diff headers quoted as git quotes
/// them, and a name that is not UTF-8 kept whole in `path_bytes`, so the saved plan applies
/// to that very file.
#[cfg(unix)]
#[test]
fn json_plans_keep_odd_names_whole() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "changes.yaml", CHANGES);
    let t = dir.path().join("t");
    odd_files(&t);
    let o = ripple(dir.path(), &["plan", "--changes", "changes.yaml", "--format", "json", "t"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let plan: Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut rows = String::new();
    for f in plan["files"].as_array().unwrap() {
        let header = f["diff"].as_str().unwrap().lines().next().unwrap().to_string();
        writeln!(
            rows,
            "{} {} | {header}",
            f["path"],
            f.get("path_bytes").map_or("-".into(), Value::to_string)
        )
        .unwrap();
    }
    insta::assert_snapshot!("json_plan_odd_names", rows);
    // Each JSON header (relative to PATH) is the `---` line of a patch made from PATH.
    let patch = ripple(&t, &["plan", "--changes", "../changes.yaml", "--format", "patch", "."]);
    let patch = String::from_utf8_lossy(&patch.stdout).into_owned();
    for line in rows.lines() {
        let header = line.split(" | ").nth(1).unwrap();
        assert!(patch.lines().any(|l| l == header), "{header}\n{patch}");
    }
    std::fs::write(dir.path().join("plan.json"), &o.stdout).unwrap();
    let o = ripple(dir.path(), &["apply", "--plan", "plan.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.sql");
    assert_eq!(std::fs::read_to_string(t.join(name)).unwrap(), "select username as user_name from users;\n");
}

/// An error that cannot be written (stderr on a full disk) still exits 2, never a panic.
#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_stderr_is_no_panic() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_ripple"))
        .args(["plan", "--changes", "no-such-changes.yaml", "."])
        .current_dir(std::env::temp_dir())
        .stderr(full)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run ripple");
    assert_eq!(status.code(), Some(2));
}
