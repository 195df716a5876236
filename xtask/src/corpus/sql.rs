//! SQL files: dbt models, reports and DDL.

use super::*;

pub(super) fn sql_dbt(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String) {
    let mat = rng.pick(&["table", "view", "incremental", "ephemeral"]);
    let _ = writeln!(out, "{{{{ config(materialized='{mat}', tags=['{}']) }}}}\n", rng.pick(DOMAINS));
    // Each CTE: its name, the table it derives from, and the columns it exposes.
    let mut ctes: Vec<(String, &'static Table, Vec<&'static Col>)> = Vec::new();
    out.push_str("with ");
    let mut n = 0;
    while out.len() < target || ctes.len() < 2 {
        if n > 0 {
            out.push_str(",\n\n");
        }
        if ctes.len() >= 2 && rng.percent(45) {
            // Enrich the latest CTE: join an earlier one it has a key to, or add a window.
            let (lname, lt, lcols) = ctes[ctes.len() - 1].clone();
            let join =
                fks(lt).filter(|(fk, _)| lcols.iter().any(|c| c.name == fk.name)).find_map(|(fk, r)| {
                    ctes.iter()
                        .find(|(_, x, _)| x.name == r.name)
                        .map(|(rn, _, rc)| (fk, rn.clone(), rc.clone(), r))
                });
            let name = format!("{}_enriched_{n}", lt.name);
            let _ = writeln!(out, "{name} as (\n\n    select");
            let mut cols: Vec<&'static Col> = lcols.iter().copied().filter(|_| rng.percent(70)).collect();
            if cols.is_empty() {
                cols.push(lcols[0]);
            }
            for col in &cols {
                let _ = writeln!(out, "        {lname}.{},", col.name);
            }
            let exposed = cols.clone();
            match join {
                Some((fk, rname, rcols, r)) => {
                    let rc = rcols[rng.below(rcols.len())];
                    let _ = writeln!(
                        out,
                        "        {rname}.{} as {}_{}",
                        rc.name,
                        r.entity.to_lowercase(),
                        rc.name
                    );
                    let _ = writeln!(
                        out,
                        "    from {lname}\n    left join {rname}\n        on {rname}.id = {lname}.{}",
                        fk.name
                    );
                }
                None => {
                    let part = lcols[rng.below(lcols.len())];
                    let _ =
                        writeln!(out, "        count(*) over (partition by {lname}.{}) as peers", part.name);
                    let _ = writeln!(out, "    from {lname}");
                }
            }
            out.push_str("\n)");
            ctes.push((name, lt, exposed));
        } else {
            let t = tables.next(rng);
            let name = format!("{}_src_{n}", t.name);
            let _ = writeln!(out, "{name} as (\n\n    select");
            let cols = some_cols(rng, t, 3);
            let mut exposed = Vec::new();
            for (k, col) in cols.iter().enumerate() {
                let sep = if k + 1 < cols.len() { "," } else { "" };
                if matches!(col.ty, Money) && rng.percent(40) {
                    let _ = writeln!(
                        out,
                        "        cast({0} as numeric(18, 2)) / 100 as {0}_units{sep}",
                        col.name
                    );
                } else {
                    let _ = writeln!(out, "        {}{sep}", col.name);
                    exposed.push(*col);
                }
            }
            if t.name == USERS.name || rng.percent(30) {
                let _ = writeln!(out, "    from {}", t.name);
            } else {
                let _ = writeln!(out, "    from {{{{ ref('stg_{}') }}}}", t.name);
            }
            if let Some(w) = t.cols.iter().find(|c| c.ty == Time) {
                if *mat == "incremental" {
                    let _ = writeln!(
                        out,
                        "    {{% if is_incremental() %}}\n    where {w} > (select max({w}) from {{{{ this }}}})\n    {{% endif %}}",
                        w = w.name
                    );
                } else if rng.percent(50) {
                    let _ = writeln!(out, "    where {} >= '{{{{ var(\"start_date\") }}}}'", w.name);
                }
            }
            out.push_str("\n)");
            ctes.push((name, t, exposed));
        }
        n += 1;
    }
    let (last, _, cols) = &ctes[ctes.len() - 1];
    let g = cols.iter().find(|c| c.ty == Text).unwrap_or(&cols[0]);
    let _ = writeln!(
        out,
        "\n\nselect\n    {g},\n    count(*) as row_count\nfrom {last}\ngroup by 1\norder by row_count desc",
        g = g.name
    );
}

pub(super) fn sql_report(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String) {
    let _ = writeln!(
        out,
        "-- Reporting queries for the {} team.\n-- Run against the read replica.\n",
        rng.pick(DOMAINS)
    );
    while out.len() < target {
        let t = tables.next(rng);
        let _ = writeln!(out, "-- {}", rng.pick(TITLES));
        let q = if rng.percent(85) {
            select_query(rng, t, Ph::Literal)
        } else {
            write_query(rng, t, Ph::Literal)
        };
        for l in &q.lines {
            out.push_str(l);
            out.push('\n');
        }
        out.pop();
        out.push_str(";\n\n");
    }
}

pub(super) fn sql_ddl(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String) {
    let _ = writeln!(out, "-- Migration for the {} schema.\nBEGIN;\n", rng.pick(DOMAINS));
    let mut k = 0;
    while out.len() < target {
        let t = tables.next(rng);
        let name = if k == 0 || t.name == USERS.name {
            t.name.to_string()
        } else {
            format!("{}_{}", t.name, rng.pick(&["archive", "history", "snapshot", "staging", "2023", "2024"]))
        };
        let _ = writeln!(out, "CREATE TABLE IF NOT EXISTS {name} (");
        for col in t.cols {
            let extra = match col.ty {
                Id => " PRIMARY KEY",
                Big => " NOT NULL",
                Bool => " DEFAULT FALSE",
                Time if col.name == "created_at" => " DEFAULT CURRENT_TIMESTAMP",
                _ => "",
            };
            let _ = writeln!(out, "    {} {}{extra},", col.name, sql_type(col));
        }
        let _ = writeln!(out, "    inserted_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP\n);\n");
        for (fk, r) in fks(t) {
            let _ = writeln!(out, "CREATE INDEX idx_{name}_{} ON {name} ({});", fk.name, fk.name);
            if rng.percent(50) {
                let _ = writeln!(
                    out,
                    "ALTER TABLE {name} ADD CONSTRAINT fk_{name}_{} FOREIGN KEY ({}) REFERENCES {} (id);",
                    fk.name, fk.name, r.name
                );
            }
        }
        let col = data_col(rng, t);
        let _ = writeln!(out, "COMMENT ON COLUMN {name}.{} IS 'Maintained by the nightly load.';", col.name);
        if rng.percent(40) {
            let _ = writeln!(out, "ALTER TABLE {name} ADD COLUMN note_{k} TEXT;");
        }
        let _ = writeln!(out, "GRANT SELECT ON {name} TO reporting_ro;\n");
        k += 1;
    }
    out.push_str("COMMIT;\n");
}

// ---------------------------------------------------------------------------------------
