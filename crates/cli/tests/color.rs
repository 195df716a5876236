//! `--color auto` follows the environment as anstream reads it: CLICOLOR_FORCE forces
//! colors into a pipe, NO_COLOR turns them off, and a pipe alone has none.

use std::path::Path;
use std::process::Command;

fn plan_stdout(color: &str, env: &[(&str, &str)]) -> String {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("crates/cli is two levels down");
    let mut command = Command::new(env!("CARGO_BIN_EXE_ripple"));
    command
        .args(["plan", "--color", color, "--changes", "fixtures/demo/changes.yaml", "fixtures/demo"])
        .current_dir(root);
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    let out = command.output().expect("run ripple");
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}

#[test]
fn auto_honours_the_environment() {
    assert!(!plan_stdout("auto", &[]).contains('\x1b'), "a pipe has no colors");
    assert!(plan_stdout("auto", &[("CLICOLOR_FORCE", "1")]).contains("\x1b[32m+"), "CLICOLOR_FORCE");
    assert!(plan_stdout("auto", &[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")]).contains("\x1b[32m+"));
    let no_color = plan_stdout("auto", &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!no_color.contains('\x1b'), "NO_COLOR wins over CLICOLOR_FORCE");
}

#[test]
fn the_flag_overrides_the_environment() {
    assert!(plan_stdout("always", &[("NO_COLOR", "1")]).contains("\x1b[32m+"));
    assert!(!plan_stdout("never", &[("CLICOLOR_FORCE", "1")]).contains('\x1b'));
}
