//! Runs the SQL rules over every fixture in `fixtures/sql/` the way the engine does (rules,
//! merge, validation) and snapshots the diff and the findings. A second run over the
//! rewritten text must produce no edits. The header format is in fixtures/sql/README.md.

use ripple_core::catalog::CatalogTable;
use ripple_core::diff::unified_diff;
use ripple_core::engine::validate;
use ripple_core::merge::{apply_edits, merge_edits};
use ripple_core::position::LineIndex;
use ripple_core::prefilter::NameMatcher;
use ripple_core::{
    Catalog, Change, ChangeSet, Confidence, Dialect, Edit, Finding, Ident, Lang, Options, OutputNames,
    RuleContext, RuleOutput, SourceFile, TableName,
};
use std::path::{Path, PathBuf};

struct Fixture {
    changes: ChangeSet,
    options: Options,
    catalog: Catalog,
    path: PathBuf,
    /// A swap undoes itself when run again: such fixtures skip the second-run check.
    rerun_check: bool,
}

fn split_column(raw: &str) -> (TableName, Ident) {
    let (t, c) = raw.rsplit_once('.').unwrap_or_else(|| panic!("`{raw}` must be table.column"));
    (TableName::parse(t), Ident::parse(c))
}

fn parse_change(spec: &str) -> Change {
    let words: Vec<&str> = spec.split_whitespace().collect();
    match words.as_slice() {
        ["rename_column", tc, to] => {
            let (table, from) = split_column(tc);
            Change::RenameColumn { table, from, to: Ident::parse(to) }
        }
        ["rename_table", from, to] => {
            Change::RenameTable { from: TableName::parse(from), to: TableName::parse(to) }
        }
        ["drop_column", tc] => {
            let (table, column) = split_column(tc);
            Change::DropColumn { table, column }
        }
        ["change_type", tc, rest @ ..] => {
            let (table, column) = split_column(tc);
            let rest = rest.join(" ");
            let (to, from) = match rest.split_once(" from ") {
                Some((to, from)) => (to.to_string(), Some(from.to_string())),
                None => (rest, None),
            };
            Change::ChangeType { table, column, from, to }
        }
        _ => panic!("unknown change spec `{spec}`"),
    }
}

fn parse_header(name: &str, text: &str) -> Fixture {
    let mut fx = Fixture {
        changes: ChangeSet::default(),
        options: Options::default(),
        catalog: Catalog::default(),
        path: PathBuf::from(format!("{name}.sql")),
        rerun_check: true,
    };
    for line in text.lines().take_while(|l| l.starts_with("--")) {
        let line = line.trim_start_matches('-').trim();
        if let Some(rest) = line.strip_prefix("changes:") {
            let changes =
                rest.split(';').map(str::trim).filter(|s| !s.is_empty()).map(parse_change).collect();
            fx.changes = ChangeSet::new(changes);
        } else if let Some(rest) = line.strip_prefix("options:") {
            for opt in rest.split_whitespace() {
                match opt.split_once('=') {
                    Some(("dialect", d)) => {
                        fx.options.dialect = Dialect::from_name(d).expect("known dialect")
                    }
                    Some(("path", p)) => fx.path = PathBuf::from(p),
                    None if opt == "propagate" => fx.options.output_names = OutputNames::Propagate,
                    None if opt == "no-rerun-check" => fx.rerun_check = false,
                    _ => panic!("unknown option `{opt}` in {name}"),
                }
            }
        } else if let Some(rest) = line.strip_prefix("catalog:") {
            for t in rest.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                let (tname, cols) = t.split_once('(').expect("catalog entry table(col, ...)");
                let columns = cols.trim_end_matches(')').split(',').map(|c| Ident::parse(c.trim())).collect();
                fx.catalog.add(CatalogTable { name: TableName::parse(tname.trim()), columns });
            }
        }
    }
    assert!(!fx.changes.is_empty(), "{name}: first line must be `-- changes: ...`");
    fx
}

/// Rules, merge and validation, as `engine::scan_file` runs them.
fn run(fx: &Fixture, text: &str) -> (Vec<Edit>, Vec<Finding>) {
    let names = NameMatcher::new(fx.changes.watched_names());
    let ctx = RuleContext { changes: &fx.changes, options: &fx.options, catalog: &fx.catalog, names: &names };
    if !names.is_relevant(text.as_bytes()) {
        return (Vec::new(), Vec::new());
    }
    let tree = Lang::Sql.parse(text);
    let file = SourceFile { path: &fx.path, lang: Lang::Sql, text, tree: &tree };
    let mut out = RuleOutput::default();
    for rule in ripple_sql::rules() {
        rule.run(&file, &ctx, &mut out);
    }
    let (edits, mut findings) = merge_edits(std::mem::take(&mut out.edits));
    findings.append(&mut out.findings);
    let edits = validate(Lang::Sql, text, &tree, edits, &mut findings);
    (edits, findings)
}

fn render(name: &str, text: &str, edits: &[Edit], findings: &[Finding]) -> String {
    let index = LineIndex::new(text);
    let new_text = apply_edits(text, edits);
    let mut out = String::new();
    if edits.is_empty() {
        out.push_str("(no edits)\n");
    } else {
        out.push_str(&unified_diff(&format!("{name}.sql"), text, &new_text));
    }
    let likely: Vec<String> = edits
        .iter()
        .filter(|e| e.confidence == Confidence::Likely)
        .map(|e| {
            let (l, c) = index.line_col(e.start);
            format!("  {l}:{c} {} {:?} -> {:?}\n", e.rule, &text[e.start..e.end], e.replacement)
        })
        .collect();
    if !likely.is_empty() {
        out.push_str("\nlikely edits (the reference omits a qualifier the change names):\n");
        out.push_str(&likely.concat());
    }
    let mut fs: Vec<(usize, usize, &Finding)> = findings
        .iter()
        .map(|f| {
            let (l, c) = index.line_col(f.start);
            (l, c, f)
        })
        .collect();
    fs.sort_by(|a, b| (a.0, a.1, &a.2.rule).cmp(&(b.0, b.1, &b.2.rule)));
    out.push_str("\nfindings:\n");
    if fs.is_empty() {
        out.push_str("  (none)\n");
    }
    for (l, c, f) in fs {
        let sev = format!("{:?}", f.severity).to_lowercase();
        out.push_str(&format!("  {l}:{c} {} {sev} {}\n", f.rule, f.message));
    }
    out
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sql")
}

#[test]
fn sql_fixtures() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("fixtures/sql exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    paths.sort();
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
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("fixtures/sql exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    paths.sort();
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
