//! End-to-end: the command-line conventions: shell completions, man pages, `-q`, and
//! `apply --interactive` driven through a pseudo-terminal.

mod common;

use common::{copy_tree, ripple, root, stderr, stdout};

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = ripple(&root(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for word in ["plan", "apply", "completions", "changes", "format"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
    for shell in ["bash", "zsh", "fish"] {
        assert!(
            stdout(&ripple(&root(), &["completions", shell])).contains("sarif"),
            "{shell} completes values"
        );
    }
    let bash = stdout(&ripple(&root(), &["completions", "bash"]));
    assert!(bash.contains("complete -F _ripple"), "{bash}");
}

#[test]
fn an_unknown_shell_is_bad_usage() {
    let o = ripple(&root(), &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("invalid value 'tcsh'"), "{}", stderr(&o));
}

#[test]
fn man_pages_for_ripple_and_each_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man");
    let o = ripple(&root(), &["man", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = std::fs::read_to_string(out.join("ripple.1")).unwrap();
    assert!(page.starts_with(".ie"), "roff: {page}");
    assert!(page.contains("ripple\\-plan(1)"), "names the command pages: {page}");
    let plan = std::fs::read_to_string(out.join("ripple-plan.1")).unwrap();
    assert!(plan.contains("\\-\\-format") && plan.contains("sarif"), "{plan}");
    assert!(!help_lists_man(), "the man command is hidden from --help");
}

fn help_lists_man() -> bool {
    stdout(&ripple(&root(), &["--help"])).lines().any(|l| l.trim_start().starts_with("man "))
}

#[test]
fn quiet_apply_prints_nothing_but_writes() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/demo"), dir.path());
    // A change nothing references draws a warning, which -q keeps off stderr.
    std::fs::write(
        dir.path().join("extra.yaml"),
        std::fs::read_to_string(dir.path().join("changes.yaml")).unwrap()
            + "  - kind: drop_column\n    table: users\n    column: never_used\n",
    )
    .unwrap();
    let loud = ripple(dir.path(), &["plan", "--changes", "extra.yaml", "."]);
    assert!(stderr(&loud).contains("warning:"), "{}", stderr(&loud));
    let o = ripple(dir.path(), &["apply", "-q", "--changes", "extra.yaml", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!((stdout(&o).as_str(), stderr(&o).as_str()), ("", ""));
    let after = ripple(dir.path(), &["plan", "--check", "-q", "--changes", "changes.yaml", "."]);
    assert!(stdout(&after).contains("\n0 edits in 0 files"), "{}", stdout(&after));
}

#[test]
fn quiet_and_verbose_conflict() {
    let o = ripple(&root(), &["plan", "-q", "-v", "--changes", "fixtures/demo/changes.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}

/// `apply --interactive` in a pseudo-terminal made by util-linux `script`, which types
/// `answers` into it; returns what the terminal showed.
#[cfg(target_os = "linux")]
mod interactive {
    use super::common::{copy_tree, ripple, root};
    use std::io::Write;
    use std::process::{Command, Stdio};

    fn session(dir: &std::path::Path, answers: &str) -> String {
        let ripple = env!("CARGO_BIN_EXE_ripple");
        let line = format!("'{ripple}' apply --interactive --color never --changes changes.yaml .");
        let mut child = Command::new("script")
            .args(["--quiet", "--return", "--command", &line, "/dev/null"])
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("run script(1)");
        child.stdin.take().unwrap().write_all(answers.as_bytes()).unwrap();
        let o = child.wait_with_output().unwrap();
        let shown = String::from_utf8_lossy(&o.stdout).replace("\r\n", "\n");
        assert_eq!(o.status.code(), Some(0), "{shown}");
        shown
    }

    fn demo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&root().join("fixtures/demo"), dir.path());
        dir
    }

    fn read(dir: &tempfile::TempDir, path: &str) -> String {
        std::fs::read_to_string(dir.path().join(path)).unwrap()
    }

    #[test]
    fn yes_help_no_then_quit_writes_only_the_first_edit() {
        let dir = demo();
        let before = read(&dir, "analytics/reports/active_users.sql");
        let shown = session(dir.path(), "y\n?\nn\nq\n");
        assert!(shown.contains("analytics/reports/active_users.sql:4:5 [sql/rename-column]"), "{shown}");
        assert!(shown.contains("-    user_name,\n+    username AS user_name,\n"), "{shown}");
        for n in ["(1/16)", "(3/16)"] {
            assert_eq!(shown.matches(&format!("{n} Apply this edit [y,n,a,q,?]? ")).count(), 1, "{shown}");
        }
        assert_eq!(shown.matches("(2/16) Apply this edit").count(), 2, "asked again after ?: {shown}");
        assert!(shown.contains("q - quit; do not apply this edit or any remaining one"), "{shown}");
        assert!(!shown.contains("(4/16)"), "{shown}");
        assert!(shown.contains("rewrote analytics/reports/active_users.sql (1 edits)"), "{shown}");
        let after = read(&dir, "analytics/reports/active_users.sql");
        let changed: Vec<(&str, &str)> = before.lines().zip(after.lines()).filter(|(a, b)| a != b).collect();
        assert_eq!(changed, [("    user_name,", "    username AS user_name,")]);
        let untouched = std::fs::read_to_string(root().join("fixtures/demo/db/schema.sql")).unwrap();
        assert_eq!(read(&dir, "db/schema.sql"), untouched, "edits after q are not written");
    }

    #[test]
    fn all_applies_the_rest_as_apply_does() {
        let (asked, plain) = (demo(), demo());
        let shown = session(asked.path(), "n\na\n");
        assert!(!shown.contains("(3/16)"), "a answers the rest: {shown}");
        let o = ripple(plain.path(), &["apply", "--changes", "changes.yaml", "."]);
        assert_eq!(o.status.code(), Some(0));
        assert!(shown.contains("\n15 edits in 6 files"), "{shown}");
        let (ours, theirs) = (
            read(&asked, "analytics/reports/active_users.sql"),
            read(&plain, "analytics/reports/active_users.sql"),
        );
        let differ: Vec<(&str, &str)> = ours.lines().zip(theirs.lines()).filter(|(a, b)| a != b).collect();
        assert_eq!(differ, [("    user_name,", "    username AS user_name,")], "only the edit answered n");
        for f in
            ["warehouse/models/staging/stg_users.sql", "services/etl/jobs/export_users.py", "db/schema.sql"]
        {
            assert_eq!(read(&asked, f), read(&plain, f), "{f}");
        }
    }

    #[test]
    fn the_end_of_input_answers_quit() {
        let dir = demo();
        let shown = session(dir.path(), "");
        assert!(!shown.contains("rewrote"), "{shown}");
        assert!(shown.contains("\n0 edits in 0 files"), "{shown}");
    }
}
