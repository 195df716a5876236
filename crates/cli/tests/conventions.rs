//! End-to-end: the command-line conventions: shell completions, man pages, `-q`, and
//! `apply --interactive` driven through a pseudo-terminal; and the conventions of the source
//! tree itself (`layout`): no file over 600 lines, no import circle between modules.

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

/// The source tree's own conventions, read from the files as text: no source file over 600
/// lines, and no import circle between the modules of a crate.
mod layout {
    use super::common::root;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    const MAX_LINES: usize = 600;

    /// A module's path inside its crate (`resolve::bind`); the crate root is empty.
    type ModPath = Vec<String>;

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if !matches!(e.file_name().to_str(), Some("target" | "fixtures" | "snapshots" | ".git")) {
                    rust_files(&p, out);
                }
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    #[test]
    fn no_source_file_is_over_600_lines() {
        let root = root();
        let mut files = Vec::new();
        for dir in ["src", "crates", "xtask", "benches", "tests"] {
            rust_files(&root.join(dir), &mut files);
        }
        assert!(files.len() > 100, "found the sources under {}", root.display());
        let long: Vec<String> = files
            .iter()
            .filter_map(|f| {
                let n = std::fs::read_to_string(f).unwrap().lines().count();
                (n > MAX_LINES).then(|| format!("{} ({n} lines)", f.strip_prefix(&root).unwrap().display()))
            })
            .collect();
        assert!(long.is_empty(), "over {MAX_LINES} lines, split them: {long:?}");
    }

    /// Every library and binary crate: its `src` folder.
    fn crate_sources() -> Vec<PathBuf> {
        let root = root();
        let mut dirs = vec![root.join("src"), root.join("xtask/src")];
        for e in std::fs::read_dir(root.join("crates")).unwrap().flatten() {
            if e.path().join("src").is_dir() {
                dirs.push(e.path().join("src"));
            }
        }
        dirs
    }

    /// A crate's modules from its file layout: `a/b.rs` and `a/b/mod.rs` are `a::b`.
    fn modules(src: &Path) -> BTreeMap<ModPath, PathBuf> {
        let mut files = Vec::new();
        rust_files(src, &mut files);
        let mut out = BTreeMap::new();
        for f in files {
            let rel = f.strip_prefix(src).unwrap().with_extension("");
            let mut path: ModPath = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
            if matches!(path.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                path.pop();
            }
            out.insert(path, f);
        }
        out
    }

    /// The code of a file without comments, string and character literals, and its unit tests
    /// (a `#[cfg(test)] mod` reaches where it likes).
    fn code(text: &str) -> String {
        let b = text.as_bytes();
        let (mut out, mut i) = (Vec::with_capacity(b.len()), 0);
        let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        while i < b.len() {
            let rest = &b[i..];
            if rest.starts_with(b"//") {
                i += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
            } else if rest.starts_with(b"/*") {
                let mut depth = 0;
                while i < b.len() {
                    if b[i..].starts_with(b"/*") {
                        (depth, i) = (depth + 1, i + 2);
                    } else if b[i..].starts_with(b"*/") {
                        (depth, i) = (depth - 1, i + 2);
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            } else if rest[0] == b'r'
                && (i == 0 || !ident(b[i - 1]) || (b[i - 1] == b'b' && (i < 2 || !ident(b[i - 2]))))
                && matches!(rest.get(1), Some(b'"' | b'#'))
            {
                let hashes = rest[1..].iter().take_while(|&&c| c == b'#').count();
                if rest.get(1 + hashes) != Some(&b'"') {
                    out.push(b'r');
                    i += 1;
                    continue;
                }
                let close = [&b"\""[..], &vec![b'#'; hashes]].concat();
                let body = &rest[2 + hashes..];
                let end = body.windows(close.len()).position(|w| w == close.as_slice()).unwrap_or(body.len());
                out.extend_from_slice(b"\"\"");
                i += 2 + hashes + end + close.len();
            } else if rest[0] == b'"' {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                out.extend_from_slice(b"\"\"");
                i += 1;
            } else if rest[0] == b'\'' && rest.get(1) == Some(&b'\\') {
                i += 3 + rest.get(3..).and_then(|r| r.iter().position(|&c| c == b'\'')).unwrap_or(0) + 1;
            } else if rest[0] == b'\''
                && rest.len() > 2
                && std::str::from_utf8(&rest[1..]).is_ok_and(|s| {
                    let mut cs = s.chars();
                    cs.next().is_some() && cs.next() == Some('\'')
                })
            {
                let len = std::str::from_utf8(&rest[1..]).unwrap().chars().next().unwrap().len_utf8();
                i += len + 2;
            } else {
                out.push(rest[0]);
                i += 1;
            }
        }
        let code = String::from_utf8_lossy(&out).into_owned();
        let tests = code.find("#[cfg(test)]\nmod ").or_else(|| code.find("#[cfg(test)]\npub mod "));
        code[..tests.unwrap_or(code.len())].to_string()
    }

    /// The tokens of a `use` tree: names, `::`, braces, commas, `*`.
    fn tokens(tree: &str) -> Vec<&str> {
        let b = tree.as_bytes();
        let (mut out, mut i) = (Vec::new(), 0);
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_alphanumeric() || c == b'_' {
                let end = (i..b.len())
                    .find(|&j| !(b[j].is_ascii_alphanumeric() || b[j] == b'_'))
                    .unwrap_or(b.len());
                out.push(&tree[i..end]);
                i = end;
            } else if tree[i..].starts_with("::") {
                out.push("::");
                i += 2;
            } else {
                if matches!(c, b'{' | b'}' | b',' | b'*') {
                    out.push(&tree[i..i + 1]);
                }
                i += 1;
            }
        }
        out
    }

    /// Every path a `use` tree names: `a::{b, c::d}` names `a::b` and `a::c::d`.
    fn use_paths(t: &[&str], i: &mut usize, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        loop {
            match t.get(*i).copied() {
                Some("{") => {
                    *i += 1;
                    while !matches!(t.get(*i).copied(), Some("}") | None) {
                        use_paths(t, i, prefix.clone(), out);
                        if t.get(*i) == Some(&",") {
                            *i += 1;
                        }
                    }
                    *i += 1;
                    return;
                }
                Some("::") | Some("*") => *i += 1,
                Some(",") | Some("}") | None => break,
                Some(name) => {
                    prefix.push(name.to_string());
                    *i += if t.get(*i + 1) == Some(&"as") { 3 } else { 1 };
                }
            }
        }
        out.push(prefix);
    }

    /// The paths a file's code names: its `use` trees and every `crate::`, `super::` or
    /// `self::` path written in its code.
    fn named_paths(code: &str) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let b = code.as_bytes();
        let starts =
            |i: usize| i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b':');
        for (i, _) in code.match_indices("use ") {
            if starts(i) {
                let end = code[i..].find(';').map_or(code.len(), |e| i + e);
                use_paths(&tokens(&code[i + 4..end]), &mut 0, Vec::new(), &mut out);
            }
        }
        for head in ["crate::", "super::", "self::"] {
            for (i, _) in code.match_indices(head) {
                if starts(i) {
                    let end = (i..b.len())
                        .find(|&j| !(b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b':'))
                        .unwrap_or(b.len());
                    out.push(code[i..end].split("::").filter(|s| !s.is_empty()).map(String::from).collect());
                }
            }
        }
        out
    }

    /// The module a path written in module `at` names: the longest prefix that is a module.
    fn resolve(at: &ModPath, path: &[String], mods: &BTreeMap<ModPath, PathBuf>) -> Option<ModPath> {
        let mut full: ModPath = match path.first().map(String::as_str) {
            Some("crate") => Vec::new(),
            Some("super") | Some("self") => at.clone(),
            Some(first) if mods.contains_key(&[&at[..], &[first.to_string()]].concat()) => at.clone(),
            _ => return None,
        };
        for seg in path.iter().skip_while(|s| s.as_str() == "crate") {
            match seg.as_str() {
                "super" => {
                    full.pop();
                }
                "self" => {}
                s => full.push(s.to_string()),
            }
        }
        (0..=full.len()).rev().map(|k| full[..k].to_vec()).find(|p| mods.contains_key(p))
    }

    /// Edges `a → b`: module `a` names something of module `b`, neither inside the other (a
    /// module and the modules inside it are one unit of code).
    fn edges(mods: &BTreeMap<ModPath, PathBuf>) -> BTreeSet<(ModPath, ModPath)> {
        let mut out = BTreeSet::new();
        for (m, file) in mods {
            let code = code(&std::fs::read_to_string(file).unwrap());
            for path in named_paths(&code) {
                let Some(to) = resolve(m, &path, mods) else { continue };
                if !to.starts_with(m) && !m.starts_with(&to) {
                    out.insert((m.clone(), to));
                }
            }
        }
        out
    }

    /// The circles: each edge `a → b` from which `a` can be reached again.
    fn circles(edges: &BTreeSet<(ModPath, ModPath)>) -> Vec<String> {
        let mut next: BTreeMap<&ModPath, Vec<&ModPath>> = BTreeMap::new();
        for (a, b) in edges {
            next.entry(a).or_default().push(b);
        }
        let mut found = Vec::new();
        for (a, b) in edges {
            let (mut seen, mut todo) = (BTreeSet::new(), vec![b]);
            while let Some(m) = todo.pop() {
                if m == a {
                    found.push(format!("{} → {} → … → {}", a.join("::"), b.join("::"), a.join("::")));
                    break;
                }
                if seen.insert(m) {
                    todo.extend(next.get(m).into_iter().flatten());
                }
            }
        }
        found
    }

    #[test]
    fn no_import_circle_between_modules() {
        let mut found = Vec::new();
        for src in crate_sources() {
            let mods = modules(&src);
            assert!(!mods.is_empty(), "{} has modules", src.display());
            let crate_name = src.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
            found.extend(circles(&edges(&mods)).into_iter().map(|c| format!("{crate_name}: {c}")));
        }
        assert!(found.is_empty(), "modules that use each other:\n{}", found.join("\n"));
    }

    /// The checker itself: a circle through `use` trees and inline paths is found, a module
    /// and the modules inside it are not a circle, and a path in a comment, a string or a
    /// character names nothing.
    #[test]
    fn the_circle_check_sees_through_use_trees_and_skips_prose() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path();
        std::fs::create_dir_all(src.join("a")).unwrap();
        let files = [
            ("lib.rs", "mod a;\nmod b;\nmod c;\nmod d;\n"),
            ("a.rs", "use crate::{b::{self, X}, c as _};\nmod inner;\n"),
            ("a/inner.rs", "use super::super::a::Y;\n"),
            ("b.rs", "pub fn f() { crate::a::inner::g(); super::d::h() }\n"),
            ("c.rs", "// use crate::d;\nconst S: &str = r#\"crate::d\"#;\nfn l<'a>(c: char) -> bool { c == '\"' && \"crate::d\" != \"\" }\n"),
            ("d.rs", "use crate::b::f;\n#[cfg(test)]\nmod tests {\n    use crate::a;\n}\n"),
        ];
        for (name, text) in files {
            std::fs::write(src.join(name), text).unwrap();
        }
        let e = edges(&modules(src));
        let names: BTreeSet<(String, String)> = e.iter().map(|(a, b)| (a.join("::"), b.join("::"))).collect();
        let expected = [("a", "b"), ("a", "c"), ("b", "a::inner"), ("b", "d"), ("d", "b")];
        assert_eq!(names, expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect());
        assert_eq!(circles(&e), ["b → d → … → b", "d → b → … → d"]);
    }
}
