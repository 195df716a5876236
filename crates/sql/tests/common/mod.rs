//! What the fixture tests share: the fixture header (fixtures/sql/README.md), a run of the
//! SQL rules the way the engine runs them (rules, merge, validation), and the snapshot
//! rendering.
#![allow(dead_code)]

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

pub struct Fixture {
    pub changes: ChangeSet,
    pub options: Options,
    pub catalog: Catalog,
    pub path: PathBuf,
    /// A swap undoes itself when run again: such fixtures skip the second-run check.
    pub rerun_check: bool,
}

/// The fixtures, sorted by name.
pub fn fixture_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("fixtures/sql exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    paths.sort();
    paths
}

pub fn split_column(raw: &str) -> (TableName, Ident) {
    let (t, c) = raw.rsplit_once('.').unwrap_or_else(|| panic!("`{raw}` must be table.column"));
    (TableName::parse(t), Ident::parse(c))
}

pub fn parse_change(spec: &str) -> Change {
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

pub fn parse_header(name: &str, text: &str) -> Fixture {
    let mut fx = Fixture {
        changes: ChangeSet::default(),
        options: Options::default(),
        catalog: Catalog::default(),
        path: PathBuf::from(format!("{name}.sql")),
        rerun_check: true,
    };
    let mut own_ddl = false;
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
                    // The engine's catalog holds the DDL of every scanned file, this one included.
                    None if opt == "catalog-from-file" => own_ddl = true,
                    _ => panic!("unknown option `{opt}` in {name}"),
                }
            }
        } else if let Some(rest) = line.strip_prefix("catalog:") {
            for t in rest.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                let (tname, cols) = t.split_once('(').expect("catalog entry table(col, ...)");
                let columns = cols.trim_end_matches(')').split(',').map(|c| Ident::parse(c.trim())).collect();
                fx.catalog.add(CatalogTable::new(TableName::parse(tname.trim()), columns));
            }
        }
    }
    if own_ddl {
        for t in ripple_sql::catalog::tables_of(text, fx.options.dialect) {
            fx.catalog.add(t);
        }
    }
    assert!(!fx.changes.is_empty(), "{name}: first line must be `-- changes: ...`");
    fx
}

/// Rules, merge and validation, as `engine::scan_file` runs them.
pub fn run(fx: &Fixture, text: &str) -> (Vec<Edit>, Vec<Finding>) {
    let names = NameMatcher::new(fx.changes.watched_names());
    let hosts = ripple_core::Hosts::default();
    let ctx = RuleContext {
        changes: &fx.changes,
        options: &fx.options,
        catalog: &fx.catalog,
        names: &names,
        hosts: &hosts,
        placed: None,
    };
    if !names.is_relevant(text.as_bytes()) {
        return (Vec::new(), Vec::new());
    }
    let file = SourceFile::new(&fx.path, Lang::Sql, text);
    let mut out = RuleOutput::default();
    for rule in ripple_sql::rules() {
        rule.run(&file, &ctx, &mut out);
    }
    let (edits, mut findings) = merge_edits(std::mem::take(&mut out.edits));
    findings.append(&mut out.findings);
    let edits = validate(Lang::Sql, text, file.parsed_tree(), edits, &mut findings);
    (edits, findings)
}

pub fn render(name: &str, text: &str, edits: &[Edit], findings: &[Finding]) -> String {
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

pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sql")
}
