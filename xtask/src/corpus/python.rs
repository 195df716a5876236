//! Python files: ETL jobs with SQL strings, SQLAlchemy models, pandas jobs.

use super::*;

pub(super) fn py_sql(q: &Query, indent: &str, out: &mut String) {
    out.push_str("\"\"\"\n");
    for l in &q.lines {
        let _ = writeln!(out, "{indent}    {l}");
    }
    let _ = write!(out, "{indent}\"\"\"");
}

pub(super) fn py_params(q: &Query) -> String {
    let items: Vec<String> = q.params.iter().map(|c| format!("\"{0}\": {0}", c.name)).collect();
    format!("{{{}}}", items.join(", "))
}

pub(super) fn py_args(q: &Query) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for c in &q.params {
        if !seen.contains(&c.name) {
            seen.push(c.name);
        }
    }
    seen.iter().map(|n| format!(", {n}")).collect()
}

pub(super) fn py_etl(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String) {
    out.push_str(
        "\"\"\"Nightly ETL job: extract from the operational database, load into the warehouse.\"\"\"\n\n\
         import logging\nimport os\nfrom datetime import datetime, timedelta\n\nimport psycopg2\nimport psycopg2.extras\n\n\
         log = logging.getLogger(__name__)\n\nBATCH_SIZE = int(os.environ.get(\"BATCH_SIZE\", \"5000\"))\n\n\n",
    );
    let mut k = 0;
    while out.len() < target {
        let t = tables.next(rng);
        match rng.below(3) {
            0 => {
                let q = select_query(rng, t, Ph::Pyformat);
                let _ = writeln!(out, "def extract_{}_{k}(conn{}):", t.name, py_args(&q));
                let _ = writeln!(out, "    \"\"\"Pull {} rows for the next load.\"\"\"", t.name);
                out.push_str("    sql = ");
                py_sql(&q, "    ", out);
                let _ = writeln!(
                    out,
                    "\n    with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:\n        cur.execute(sql, {})\n        rows = cur.fetchall()\n    log.info(\"extracted %d rows from {}\", len(rows))\n    return rows\n\n",
                    py_params(&q),
                    t.name
                );
            }
            1 => {
                let col = data_col(rng, t);
                let money = t.cols.iter().find(|c| c.ty == Money);
                let _ =
                    writeln!(out, "def transform_{}_{k}(rows):\n    out = []\n    for row in rows:", t.name);
                let _ = writeln!(out, "        if row.get(\"{}\") is None:\n            continue", col.name);
                if let Some(m) = money {
                    let _ =
                        writeln!(out, "        row[\"{0}_units\"] = (row.get(\"{0}\") or 0) / 100.0", m.name);
                }
                let _ = writeln!(out, "        row[\"loaded_at\"] = datetime.utcnow()\n        out.append(row)\n    return out\n\n");
            }
            _ => {
                let q = write_query(rng, t, Ph::Pyformat);
                let _ = writeln!(out, "def load_{}_{k}(conn, batch):", t.name);
                out.push_str("    sql = ");
                py_sql(&q, "    ", out);
                let _ = writeln!(
                    out,
                    "\n    with conn.cursor() as cur:\n        for start in range(0, len(batch), BATCH_SIZE):\n            cur.executemany(sql, batch[start:start + BATCH_SIZE])\n    conn.commit()\n\n"
                );
            }
        }
        k += 1;
    }
    out.push_str(
        "def main():\n    conn = psycopg2.connect(os.environ[\"WAREHOUSE_DSN\"])\n    try:\n        log.info(\"run started at %s\", datetime.utcnow() - timedelta(hours=1))\n    finally:\n        conn.close()\n\n\nif __name__ == \"__main__\":\n    main()\n",
    );
}

pub(super) fn sa_type(c: &Col) -> &'static str {
    match c.ty {
        Id | Big => "BigInteger",
        Int => "Integer",
        Money => "Numeric(12, 2)",
        Text => "String(64)",
        Time => "DateTime(timezone=True)",
        Date => "Date",
        Bool => "Boolean",
    }
}

pub(super) fn py_models(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String) {
    out.push_str(
        "from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, ForeignKey, Integer, Numeric, String, text\n\
         from sqlalchemy.orm import declarative_base, relationship\n\nBase = declarative_base()\n\n\n",
    );
    let mut k = 0;
    while out.len() < target {
        let t = tables.next(rng);
        let class = format!("{}{}", t.entity, if k == 0 { String::new() } else { k.to_string() });
        let table = if k == 0 || t.name == USERS.name {
            t.name.to_string()
        } else {
            format!("{}_{}", t.name, rng.pick(&["archive", "history", "v2"]))
        };
        let _ = writeln!(out, "class {class}(Base):\n    __tablename__ = \"{table}\"");
        if rng.percent(40) {
            let _ = writeln!(out, "    __table_args__ = {{\"schema\": \"{}\"}}", rng.pick(DOMAINS));
        }
        out.push('\n');
        for col in t.cols {
            match col.ty {
                Id => {
                    let _ = writeln!(out, "    {} = Column(BigInteger, primary_key=True)", col.name);
                }
                Big => match table_by_key(col.name) {
                    Some(r) => {
                        let _ = writeln!(
                            out,
                            "    {} = Column(BigInteger, ForeignKey(\"{}.id\"), nullable=False)",
                            col.name, r.name
                        );
                    }
                    None => {
                        let _ = writeln!(out, "    {} = Column(BigInteger)", col.name);
                    }
                },
                _ => {
                    let _ = writeln!(
                        out,
                        "    {} = Column({}, nullable={})",
                        col.name,
                        sa_type(col),
                        if rng.percent(50) { "True" } else { "False" }
                    );
                }
            }
        }
        if let Some((_, r)) = fks(t).next() {
            let _ = writeln!(
                out,
                "\n    {} = relationship(\"{}\", lazy=\"selectin\")",
                r.entity.to_lowercase(),
                r.entity
            );
        }
        let q = select_query(rng, t, Ph::Colon);
        let _ = writeln!(
            out,
            "\n    @classmethod\n    def fetch_report(cls, session{}):\n        stmt = text(",
            py_args(&q)
        );
        out.push_str("            ");
        py_sql(&q, "            ", out);
        let _ = writeln!(
            out,
            "\n        )\n        return session.execute(stmt, {}).mappings().all()\n\n    def __repr__(self):\n        return f\"<{class} id={{self.id}}>\"\n\n",
            py_params(&q)
        );
        k += 1;
    }
}

pub(super) fn py_pandas(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String) {
    out.push_str(
        "import numpy as np\nimport pandas as pd\nfrom sqlalchemy import create_engine, text\n\n\
         ENGINE = create_engine(\"postgresql+psycopg2://reporting@warehouse/analytics\")\n\n\n",
    );
    let mut k = 0;
    while out.len() < target {
        let t = tables.next(rng);
        let q = select_query(rng, t, Ph::Colon);
        let _ = writeln!(out, "def {}_frame_{k}(engine=ENGINE{}):", t.name, py_args(&q));
        out.push_str("    query = text(");
        py_sql(&q, "    ", out);
        let _ = writeln!(out, ")\n    df = pd.read_sql(query, engine, params={})", py_params(&q));
        let first = q.selected.first().map(|c| c.name).unwrap_or("id");
        if let Some(m) = t.cols.iter().find(|c| c.ty == Money) {
            if q.selected.iter().any(|c| c.name == m.name) {
                let _ = writeln!(out, "    df[\"{0}_units\"] = df[\"{0}\"].astype(float) / 100", m.name);
            }
        }
        let _ = writeln!(
            out,
            "    df = df.dropna(subset=[\"{first}\"])\n    summary = df.groupby(\"{first}\", as_index=False).size()\n    summary[\"share\"] = summary[\"size\"] / max(len(df), 1)\n    return summary.sort_values(\"share\", ascending=False)\n\n"
        );
        if rng.percent(35) {
            let _ = writeln!(
                out,
                "def plot_{}_{k}(df):\n    ax = df.plot.bar(x=df.columns[0], y=\"share\", figsize=(10, 4))\n    ax.set_title(\"{}\")\n    return ax\n\n",
                t.name,
                rng.pick(TITLES)
            );
        }
        k += 1;
    }
    out.push_str("if __name__ == \"__main__\":\n    print(np.__version__)\n");
}

// ---------------------------------------------------------------------------------------
