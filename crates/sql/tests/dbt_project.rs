//! The dbt project model over fixtures/dbt: two projects (shop, with an installed package,
//! a manifest, seeds and a snapshot; finance, without a manifest and with broken refs), the
//! datasets each defines, the calls of their SQL, which datasets a change's table matches,
//! and the integrity check.

use ripple_core::TableName;
use ripple_sql::dbt::{check, load_projects, match_table, read_disk, Located, Project};
use std::fmt::Write;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dbt")
}

fn projects() -> Vec<Project> {
    load_projects(&[fixture()], &read_disk)
}

fn at(l: &Located) -> String {
    let path = l.path.strip_prefix(fixture()).unwrap_or(&l.path).to_string_lossy().replace('\\', "/");
    format!("{path}:{}:{}", l.line, l.column)
}

fn render(p: &Project) -> String {
    let mut out = format!("project {} (manifest: {}, packages: {})\n", p.name, p.manifest, p.packages.len());
    for n in &p.nodes {
        let cols: Vec<String> = n
            .columns
            .iter()
            .map(|c| {
                format!("{}{}", c.name, c.data_type.as_ref().map(|t| format!(" {t}")).unwrap_or_default())
            })
            .collect();
        let _ = writeln!(
            out,
            "  {} {} = {} at {} yaml {} columns [{}]",
            n.kind.word(),
            n.dbt_name(),
            n.physical_name(),
            at(&n.defined_at),
            n.yaml.as_ref().map(at).unwrap_or("-".into()),
            cols.join(", ")
        );
        if !n.header.is_empty() {
            let header: Vec<String> =
                n.header.iter().map(|c| format!("{} at {}", c.name, at(&c.at))).collect();
            let _ = writeln!(out, "    header: {}", header.join(", "));
        }
    }
    for c in &p.calls {
        let _ = writeln!(out, "  call {} at {}", c.target, at(&c.at));
    }
    for prob in check(p) {
        let _ = writeln!(out, "  problem {:?} at {}: {}", prob.kind, at(&prob.at), prob.message);
    }
    out
}

#[test]
fn projects_datasets_calls_and_problems() {
    let rendered: String = projects().iter().map(render).collect();
    insta::assert_snapshot!("dbt_projects", rendered);
}

#[test]
fn changes_match_datasets_by_dbt_or_physical_name() {
    let projects = projects();
    let mut out = String::new();
    for table in [
        "stg_customers",
        "ecom.raw_customers",
        "raw.ecom_app.raw_customers",
        "ecom_app.raw_customers",
        "raw_customers",
        "orders_v2",
        "raw_orders",
        "dbt_prod_marts.dim_customers",
        "other.dim_customers",
        "customers",
        "snapshots.customers_snapshot",
        "reference.country_codes",
        "calendar",
    ] {
        let found: Vec<String> = match_table(&projects, &TableName::parse(table))
            .iter()
            .map(|m| {
                format!(
                    "{}:{}{}{}",
                    m.project.name,
                    m.node.dbt_name(),
                    if m.by_dbt_name { " by dbt name" } else { " by physical name" },
                    if m.exact { "" } else { " (inexact)" }
                )
            })
            .collect();
        let _ =
            writeln!(out, "{table}: {}", if found.is_empty() { "nothing".into() } else { found.join("; ") });
    }
    insta::assert_snapshot!("dbt_matches", out);
}
