//! Faults of what ripple reads: statements nested thousands deep, megabyte lines, tens of
//! thousands of changes, and malformed change files and rule files (each run must end in
//! exit 0 or 2 with a located message, within a time limit).

use super::mutate::mutate;
use super::run::{write, Ripple, CHANGES};
use super::{Sizes, Tally};
use crate::corpus::Rng;
use anyhow::Result;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

/// Time one plan of a pathological file may take (a debug build, on a shared machine).
const DEEP_LIMIT: Duration = Duration::from_secs(120);
/// Time one run over a malformed input may take.
const INPUT_LIMIT: Duration = Duration::from_secs(30);

/// Each pathological file alone in a tree, planned and applied within [`DEEP_LIMIT`].
pub fn deep_and_huge(
    ripple: &Ripple,
    dir: &Path,
    sizes: &Sizes,
    _: &mut Rng,
    tally: &mut Tally,
) -> Result<String> {
    let plain = "select user_name from users;\n";
    let join = |n: usize, f: &dyn Fn(usize) -> String, sep: &str| (0..n).map(f).collect::<Vec<_>>().join(sep);
    let piece = |i: usize| format!("\"select user_name from users where a = {i} \"");
    let cases: Vec<(&str, String)> = vec![
        (
            "ors.sql",
            format!(
                "select user_name from users where {};\n{plain}",
                join(1800, &|i| format!("user_name = 'a{i}'"), " OR ")
            ),
        ),
        (
            "parens.sql",
            format!(
                "select user_name from users where {}user_name{};\n{plain}",
                "(".repeat(5000),
                ")".repeat(5000)
            ),
        ),
        ("plus.sql", format!("select {} from users;\n{plain}", vec!["user_name"; 3000].join(" + "))),
        (
            "case.sql",
            format!(
                "select {}user_name{} from users;\n{plain}",
                "case when a then ".repeat(800),
                " end".repeat(800)
            ),
        ),
        (
            "subqueries.sql",
            format!(
                "select user_name from {}users{};\n{plain}",
                "(select user_name from ".repeat(600),
                ") s".repeat(600)
            ),
        ),
        (
            "jinja.sql",
            format!(
                "{}select user_name from users{}\n",
                "{% if x %}".repeat(2000),
                "{% endif %}".repeat(2000)
            ),
        ),
        (
            "line.sql",
            join(sizes.long, &|i| format!("select user_name, c{i} from users where id = {i};"), " ") + "\n",
        ),
        ("chain.py", format!("q = {}\ncursor.execute(q)\n", join(2000, &piece, " + "))),
        (
            "nested.py",
            format!(
                "q = {}\"select user_name from users\"{}\ncursor.execute(q)\n",
                "(".repeat(3000),
                ")".repeat(3000)
            ),
        ),
        (
            "line.py",
            format!(
                "cursor.execute(\"{}\")\n",
                join(sizes.long / 2, &|i| format!("select user_name from users where id = {i};"), " ")
            ),
        ),
        (
            "Chain.java",
            format!(
                "class Chain {{ void f() {{ String q = {}; jdbc.execute(q); }} }}\n",
                join(2000, &piece, " + ")
            ),
        ),
        (
            "Nested.java",
            format!(
                "class N {{ void f() {{ jdbc.execute({}\"select user_name from users\"{}); }} }}\n",
                "(".repeat(3000),
                ")".repeat(3000)
            ),
        ),
    ];
    std::fs::write(dir.join("changes.yaml"), CHANGES)?;
    let mut many = String::from("changes:\n");
    for i in 0..sizes.long {
        writeln!(many, "  - {{kind: rename_column, table: t{}, from: c{i}, to: d{i}}}", i % 50)?;
    }
    std::fs::write(dir.join("many.yaml"), many)?;
    let mut slowest = (String::new(), Duration::ZERO);
    for (name, text) in &cases {
        let work = dir.join("work");
        let _ = std::fs::remove_dir_all(&work);
        write(&work, name, text)?;
        for args in [
            &["plan", "--format", "json", "--changes", "../changes.yaml", "."][..],
            &["apply", "--quiet", "--changes", "../changes.yaml", "."],
        ] {
            let o = ripple.run(&work, args, DEEP_LIMIT)?;
            tally.saw(&format!("{} {name}", args[0]), &o);
            if o.took > slowest.1 {
                slowest = (format!("{} {name}", args[0]), o.took);
            }
        }
    }
    let work = dir.join("work");
    let _ = std::fs::remove_dir_all(&work);
    write(&work, "a.sql", "select c1 from t1;\n")?;
    let o = ripple.run(&work, &["plan", "--changes", "../many.yaml", "."], DEEP_LIMIT)?;
    tally.saw("plan with many changes", &o);
    Ok(format!(
        "{} files nested thousands deep or with lines of {} statements, and {} changes ({:.1} s); slowest: {} ({:.1} s)",
        cases.len(),
        sizes.long,
        sizes.long,
        o.took.as_secs_f64(),
        slowest.0,
        slowest.1.as_secs_f64()
    ))
}

/// Valid change files in each form ripple reads, the seeds of the malformed ones.
const CHANGE_SEEDS: &[(&str, &str)] = &[
    (
        "yaml",
        "changes:\n  - kind: rename_column\n    table: users\n    from: user_name\n    to: username\n  - kind: change_type\n    table: users\n    column: age\n    from: INT\n    to: BIGINT\n  - kind: drop_column\n    table: users\n    column: legacy_flag\n  - kind: rename_table\n    from: orders\n    to: purchases\n",
    ),
    (
        "json",
        r#"{"changes": [{"kind": "rename_column", "table": "users", "from": "user_name", "to": "username"}, {"kind": "change_type", "table": "users", "column": "age", "from": "INT", "to": "BIGINT"}]}"#,
    ),
    (
        "sql",
        "ALTER TABLE users RENAME COLUMN user_name TO username;\nALTER TABLE users ALTER COLUMN age TYPE BIGINT;\nALTER TABLE users DROP COLUMN legacy_flag;\nALTER TABLE orders RENAME TO purchases;\n",
    ),
];

/// What malformed inputs are made of besides their seed's own bytes.
const INPUT_TOKENS: &[&[u8]] = &[
    b"\"",
    b"'",
    b"[",
    b"]",
    b"{",
    b"}",
    b":",
    b"- ",
    b"\t",
    b"\n",
    b"&a ",
    b"*a",
    b"!!binary ",
    b"---\n",
    b"...\n",
    b"#",
    b"\\",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"((((",
    b"BIGINT; DROP TABLE x",
    b"kind: ",
    b"null",
    b"~",
    b"1e999",
    b"-1",
    b"%YAML 1.2\n",
    b"<<: *a\n",
    b";",
    b"--",
    b"/*",
    b"$$",
];

/// Deeply nested structures, which a recursive parser would overflow on.
fn nested_seeds() -> Vec<(&'static str, String)> {
    vec![
        ("yaml", format!("changes: {}{}\n", "[".repeat(20_000), "]".repeat(20_000))),
        (
            "yaml",
            format!(
                "changes:\n{}",
                (0..5000).map(|i| format!("{}- \n", " ".repeat(i * 2 % 400))).collect::<String>()
            ),
        ),
        ("json", format!("{{\"changes\": {}{}}}", "[".repeat(20_000), "]".repeat(20_000))),
        ("yaml", format!("changes: {}a{}\n", "{a: ".repeat(5000), "}".repeat(5000))),
        (
            "sql",
            format!(
                "ALTER TABLE users ALTER COLUMN age TYPE {}INT{};\n",
                "ARRAY<".repeat(5000),
                ">".repeat(5000)
            ),
        ),
    ]
}

/// Runs ripple over `tree` with each input from `inputs`, counting exits.
fn run_inputs(
    ripple: &Ripple,
    dir: &Path,
    inputs: &[(String, Vec<u8>)],
    args: &dyn Fn(&str) -> Vec<String>,
    tally: &mut Tally,
) -> Result<BTreeMap<String, usize>> {
    let work = dir.join("work");
    std::fs::create_dir_all(&work)?;
    std::fs::write(work.join("a.sql"), "select user_name, age from users join orders on true;\n")?;
    let mut exits = BTreeMap::new();
    for (name, bytes) in inputs {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("under dir"))?;
        std::fs::write(&path, bytes)?;
        let args = args(name);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = ripple.run(&work, &args, INPUT_LIMIT)?;
        tally.saw(name, &o);
        let key = o.code.map_or("signal".to_string(), |c| format!("exit {c}"));
        *exits.entry(key).or_default() += 1;
        std::fs::remove_file(&path)?;
    }
    Ok(exits)
}

fn describe(exits: &BTreeMap<String, usize>) -> String {
    exits.iter().map(|(k, n)| format!("{n} {k}")).collect::<Vec<_>>().join(", ")
}

/// Change files (YAML, JSON, SQL migrations) with bytes flipped, cut, inserted and nested.
pub fn malformed_changes(
    ripple: &Ripple,
    dir: &Path,
    sizes: &Sizes,
    rng: &mut Rng,
    tally: &mut Tally,
) -> Result<String> {
    let mut inputs = Vec::new();
    for (i, (ext, text)) in nested_seeds().into_iter().enumerate() {
        inputs.push((format!("nested{i}.{ext}"), text.into_bytes()));
    }
    for i in 0..sizes.malformed {
        let (ext, seed) = CHANGE_SEEDS[i % CHANGE_SEEDS.len()];
        inputs.push((format!("c{i}.{ext}"), mutate(seed.as_bytes(), rng, INPUT_TOKENS)));
    }
    let exits = run_inputs(
        ripple,
        dir,
        &inputs,
        &|name| {
            ["plan", "--format", "json", "--changes", &format!("../{name}"), "."].map(String::from).to_vec()
        },
        tally,
    )?;
    Ok(format!("{} malformed change files: {}", inputs.len(), describe(&exits)))
}

/// Built-in rule files with bytes flipped, cut and inserted, given with `--rules`.
pub fn malformed_rules(
    ripple: &Ripple,
    dir: &Path,
    sizes: &Sizes,
    rng: &mut Rng,
    tally: &mut Tally,
) -> Result<String> {
    let rules = crate::workspace_root().join("rules");
    let mut seeds = Vec::new();
    for lang in ["python", "java", "types"] {
        for e in std::fs::read_dir(rules.join(lang))?.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "yaml") {
                seeds.push((format!("{lang}/{}", e.file_name().to_string_lossy()), std::fs::read(&p)?));
            }
        }
    }
    seeds.sort();
    std::fs::write(dir.join("changes.yaml"), CHANGES)?;
    let mut inputs = Vec::new();
    for i in 0..sizes.malformed / 2 {
        let (name, seed) = &seeds[rng.below(seeds.len())];
        inputs.push((format!("r{i}/{name}"), mutate(seed, rng, INPUT_TOKENS)));
    }
    let exits = run_inputs(
        ripple,
        dir,
        &inputs,
        &|name| {
            let root = name.split('/').next().expect("rN/lang/file");
            ["plan", "--changes", "../changes.yaml", "--rules", &format!("../{root}"), "."]
                .map(String::from)
                .to_vec()
        },
        tally,
    )?;
    Ok(format!(
        "{} malformed rule files from {} built-in ones: {}",
        inputs.len(),
        seeds.len(),
        describe(&exits)
    ))
}
