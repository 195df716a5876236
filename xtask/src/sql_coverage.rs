//! `cargo xtask sql-coverage DIR --changes FILE [--dialect D] [--list yes]`: of the statements in DIR's
//! `.sql` files that mention a changed name, how many ripple can analyse from tree-sitter,
//! how many only from the sqlparser fallback, and how many neither (`--list yes` prints
//! each of those with its reason).

use anyhow::{Context, Result};
use ripple_core::changefile::load_change_file;
use ripple_core::Dialect;
use ripple_sql::coverage::{coverage, Coverage};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn run(dir: &Path, changes: &Path, dialect: Option<&str>, list: bool) -> Result<()> {
    let changes = load_change_file(changes).map_err(|e| anyhow::anyhow!("{e}"))?;
    let dialect = match dialect {
        Some(d) => Dialect::from_name(d).with_context(|| format!("unknown dialect {d}"))?,
        None => Dialect::Generic,
    };
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    let mut total = Coverage::default();
    let mut touched = 0;
    for f in &files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(_) => continue,
        };
        let c = coverage(&text, &changes, dialect);
        if list {
            for (line, why) in &c.refused {
                println!("{}:{line}: {why}", f.display());
            }
        }
        if c.statements > 0 {
            touched += 1;
        }
        total.add(c);
    }
    let n = total.statements;
    let pct = |k: usize| if n == 0 { 0.0 } else { 100.0 * k as f64 / n as f64 };
    let neither = total.refused.len();
    println!("{}: {} .sql files, {touched} mention a changed name", dir.display(), files.len());
    println!("statements mentioning a changed name: {n}");
    println!("  modelled by tree-sitter:        {:>6} ({:.1}%)", total.tree_sitter, pct(total.tree_sitter));
    println!("  modelled only by the fallback:  {:>6} ({:.1}%)", total.fallback, pct(total.fallback));
    println!("  tree-sitter kind not analysed:  {:>6} ({:.1}%)", total.unsupported, pct(total.unsupported));
    println!("  neither (stay findings):        {:>6} ({:.1}%)", neither, pct(neither));
    println!(
        "analysable: before the fallback {:.1}%, after {:.1}%",
        pct(total.tree_sitter),
        pct(total.tree_sitter + total.fallback)
    );
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for (_, r) in &total.refused {
        *reasons.entry(generalise(r)).or_default() += 1;
    }
    let mut top: Vec<(String, usize)> = reasons.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if !top.is_empty() {
        println!("most frequent reasons for neither:");
    }
    for (r, k) in top.into_iter().take(15) {
        println!("  {k:>5}  {r}");
    }
    Ok(())
}

/// A reason with its quoted names and found tokens blanked, so that like reasons group.
fn generalise(r: &str) -> String {
    let mut out = String::new();
    let mut in_tick = false;
    for c in r.chars() {
        match c {
            '`' => {
                in_tick = !in_tick;
                out.push(c);
                if in_tick {
                    out.push('…');
                }
            }
            _ if in_tick => {}
            _ => out.push(c),
        }
    }
    match out.find(", found: ") {
        Some(i) => format!("{}, found: …)", &out[..i]),
        None => out,
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for e in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let e = e?;
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || matches!(name.as_str(), "target" | "dbt_packages" | "node_modules") {
            continue;
        }
        if e.file_type()?.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "sql") {
            out.push(p);
        }
    }
    Ok(())
}
