//! The progress bar, under a pseudo-terminal (`script` from util-linux gives the run one):
//! it is drawn on stderr for column and table changes alike, names its stage, and is
//! cleared at the end; with stderr a pipe nothing is drawn.

mod common;

use common::{ripple, root, stderr};
use std::process::Command;

/// Runs `ripple plan` over `tree` with stderr on a pseudo-terminal; what the terminal got.
fn on_a_terminal(tree: &std::path::Path, changes: &str) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("no `script` here: the pseudo-terminal test does not run");
        return None;
    }
    let bin = env!("CARGO_BIN_EXE_ripple");
    let cmd = format!("{bin} plan --changes {changes} . >/dev/null");
    let o = Command::new("script")
        .args(["-q", "-e", "-c", &cmd, "/dev/null"])
        .current_dir(tree)
        .env("RIPPLE_PROGRESS_DELAY_MS", "0")
        .env("TERM", "xterm")
        .output()
        .expect("run script");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

#[test]
fn the_bar_shows_every_stage_for_every_change_kind() {
    let dir = tempfile::tempdir().unwrap();
    // Enough files for the scan to outlast a few redraws.
    for i in 0..400 {
        let sql = format!("SELECT u.user_name, u.id FROM users u WHERE u.id = {i};\n").repeat(20);
        std::fs::write(dir.path().join(format!("q{i}.sql")), sql).unwrap();
    }
    let change_dir = tempfile::tempdir().unwrap();
    for (kind, change) in [
        ("column", "{kind: rename_column, table: users, from: user_name, to: username}"),
        ("table", "{kind: rename_table, from: users, to: customers}"),
    ] {
        let changes = change_dir.path().join(format!("{kind}.yaml"));
        std::fs::write(&changes, format!("changes:\n  - {change}\n")).unwrap();
        let Some(terminal) = on_a_terminal(dir.path(), changes.to_str().unwrap()) else { return };
        assert!(terminal.contains("scanning ") && terminal.contains("/400 files ["), "{kind}: {terminal:?}");
        // Cleared at the end: the last thing drawn erases the line.
        assert!(
            terminal.trim_end().ends_with("\u{1b}[2K") || terminal.ends_with('\r'),
            "{kind}: {terminal:?}"
        );
    }
}

#[test]
fn no_bar_on_a_pipe() {
    let o = ripple(&root(), &["plan", "--changes", "fixtures/demo/changes.yaml", "fixtures/demo"]);
    assert!(!stderr(&o).contains("files ["), "{}", stderr(&o));
}
