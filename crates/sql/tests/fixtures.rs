//! Runs the SQL rules over every fixture in `fixtures/sql/` the way the engine does (rules,
//! merge, validation) and snapshots the diff and the findings. A second run over the
//! rewritten text must produce no edits. The header format is in fixtures/sql/README.md.

mod common;

use common::{fixture_paths, parse_header, render, run};
use ripple_core::merge::apply_edits;

#[test]
fn sql_fixtures() {
    let paths = fixture_paths();
    assert!(paths.len() >= 10, "fixtures found: {}", paths.len());
    let mut second_run_failures = Vec::new();
    for path in &paths {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let fx = parse_header(&name, &text);
        let (edits, findings) = run(&fx, &text);
        insta::assert_snapshot!(name.clone(), render(&name, &text, &edits, &findings));

        // A second run over the rewritten text changes nothing.
        let rewritten = apply_edits(&text, &edits);
        let (again, _) = run(&fx, &rewritten);
        if fx.rerun_check && !again.is_empty() {
            second_run_failures.push(format!("{name}: {:?}", again));
        }
    }
    assert!(second_run_failures.is_empty(), "second run produced edits:\n{}", second_run_failures.join("\n"));
}

#[test]
fn nothing_happens_without_a_mention() {
    let fx = parse_header("x", "-- changes: rename_table users customers\n");
    let (edits, findings) = run(&fx, "select id from accounts;\n");
    assert!(edits.is_empty() && findings.is_empty());
}

#[test]
fn arbitrary_bytes_do_not_panic() {
    let fx = parse_header(
        "x",
        "-- changes: rename_column users.user_name username; drop_column users.legacy_flag\n",
    );
    for text in [
        "select user_name from users where x = 'unterminated",
        "select \"user_name from users",
        "/* users user_name",
        "{{ user_name",
        "select é, user_name from users u where u.ü = 'ß';",
        "create table users (user_name text,);",
        "create table users (legacy_flag bool);",
        ";;;users;;",
        "select $$ users $x$ user_name",
        "update users set user_name = :user_name where user_name = ?",
        "with users as (select 1) select user_name from users",
    ] {
        let _ = run(&fx, text);
    }
}

#[test]
fn truncated_and_mangled_fixtures_do_not_panic() {
    let paths = fixture_paths();
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let fx = parse_header("x", &text);
        let cuts = (0..text.len()).step_by(13).filter(|&i| text.is_char_boundary(i));
        for cut in cuts {
            let _ = run(&fx, &text[..cut]);
            // Drop one character in the middle, too.
            let mut mangled = text.clone();
            if let Some((i, _)) = mangled.char_indices().nth(cut / 2) {
                mangled.remove(i);
                let _ = run(&fx, &mangled);
            }
        }
    }
}
