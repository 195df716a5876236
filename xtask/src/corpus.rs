//! A deterministic generator of a mixed SQL/Python/Java tree of real-looking code, for
//! benchmarks. About 1% of files reference the `users` table and its columns `user_name`,
//! `age` and `legacy_flag`; no other file contains those words as whole words.
//!
//! Kept std-only in one file so that `benches/plan.rs` can include it with `#[path]`:
//! one copy of the code, and no extra workspace crate or dependency edge for a test helper.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// The change set the corpus is built for, in the change-file format of DESIGN.md.
pub const CHANGES_YAML: &str = "\
changes:
  - kind: rename_column
    table: users
    from: user_name
    to: username
  - kind: change_type
    table: users
    column: age
    from: INT
    to: BIGINT
  - kind: drop_column
    table: users
    column: legacy_flag
";

/// The words only the ~1% of `users` files contain.
#[cfg(test)]
const WATCHED: [&str; 4] = ["users", "user_name", "age", "legacy_flag"];

/// splitmix64: tiny, fast, and good enough to pick templates.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    pub fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    /// Uniform in (0, 1].
    pub fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ty {
    Id,
    Big,
    Int,
    Money,
    Text,
    Time,
    Date,
    Bool,
}

struct Col {
    name: &'static str,
    ty: Ty,
}

const fn c(name: &'static str, ty: Ty) -> Col {
    Col { name, ty }
}

struct Table {
    name: &'static str,
    alias: &'static str,
    entity: &'static str,
    /// How other tables name a foreign key to this one.
    key: &'static str,
    cols: &'static [Col],
}

use Ty::*;

static TABLES: &[Table] = &[
    Table {
        name: "orders",
        alias: "o",
        entity: "Order",
        key: "order_id",
        cols: &[
            c("id", Id),
            c("account_id", Big),
            c("status", Text),
            c("currency", Text),
            c("amount_cents", Money),
            c("discount_cents", Money),
            c("placed_at", Time),
            c("shipped_at", Time),
            c("region", Text),
            c("is_gift", Bool),
        ],
    },
    Table {
        name: "invoices",
        alias: "i",
        entity: "Invoice",
        key: "invoice_id",
        cols: &[
            c("id", Id),
            c("order_id", Big),
            c("account_id", Big),
            c("invoice_number", Text),
            c("total_cents", Money),
            c("tax_cents", Money),
            c("due_date", Date),
            c("paid_at", Time),
            c("status", Text),
        ],
    },
    Table {
        name: "accounts",
        alias: "a",
        entity: "Account",
        key: "account_id",
        cols: &[
            c("id", Id),
            c("account_name", Text),
            c("plan_tier", Text),
            c("country_code", Text),
            c("opened_at", Time),
            c("closed_at", Time),
            c("balance_cents", Money),
            c("owner_email", Text),
            c("is_enterprise", Bool),
        ],
    },
    Table {
        name: "events",
        alias: "e",
        entity: "Event",
        key: "event_id",
        cols: &[
            c("id", Id),
            c("account_id", Big),
            c("session_id", Big),
            c("event_type", Text),
            c("payload", Text),
            c("device", Text),
            c("occurred_at", Time),
            c("source", Text),
            c("retries", Int),
        ],
    },
    Table {
        name: "payments",
        alias: "p",
        entity: "Payment",
        key: "payment_id",
        cols: &[
            c("id", Id),
            c("invoice_id", Big),
            c("method", Text),
            c("amount_cents", Money),
            c("captured_at", Time),
            c("processor", Text),
            c("status", Text),
            c("attempt_count", Int),
        ],
    },
    Table {
        name: "shipments",
        alias: "s",
        entity: "Shipment",
        key: "shipment_id",
        cols: &[
            c("id", Id),
            c("order_id", Big),
            c("warehouse_id", Big),
            c("carrier", Text),
            c("tracking_code", Text),
            c("shipped_at", Time),
            c("delivered_at", Time),
            c("parcel_count", Int),
        ],
    },
    Table {
        name: "products",
        alias: "pr",
        entity: "Product",
        key: "product_id",
        cols: &[
            c("id", Id),
            c("sku", Text),
            c("title", Text),
            c("category", Text),
            c("unit_price_cents", Money),
            c("weight_grams", Int),
            c("active", Bool),
            c("launched_on", Date),
        ],
    },
    Table {
        name: "line_items",
        alias: "li",
        entity: "LineItem",
        key: "line_item_id",
        cols: &[
            c("id", Id),
            c("order_id", Big),
            c("product_id", Big),
            c("quantity", Int),
            c("unit_price_cents", Money),
            c("discount_cents", Money),
            c("created_at", Time),
        ],
    },
    Table {
        name: "subscriptions",
        alias: "sb",
        entity: "Subscription",
        key: "subscription_id",
        cols: &[
            c("id", Id),
            c("account_id", Big),
            c("plan_tier", Text),
            c("started_at", Time),
            c("ended_at", Time),
            c("seats", Int),
            c("mrr_cents", Money),
            c("auto_renew", Bool),
        ],
    },
    Table {
        name: "warehouses",
        alias: "w",
        entity: "Warehouse",
        key: "warehouse_id",
        cols: &[
            c("id", Id),
            c("warehouse_code", Text),
            c("city", Text),
            c("country_code", Text),
            c("capacity", Int),
            c("opened_on", Date),
        ],
    },
    Table {
        name: "refunds",
        alias: "r",
        entity: "Refund",
        key: "refund_id",
        cols: &[
            c("id", Id),
            c("payment_id", Big),
            c("amount_cents", Money),
            c("reason_code", Text),
            c("refunded_at", Time),
        ],
    },
    Table {
        name: "sessions",
        alias: "se",
        entity: "Session",
        key: "session_id",
        cols: &[
            c("id", Id),
            c("account_id", Big),
            c("started_at", Time),
            c("ended_at", Time),
            c("device", Text),
            c("landing_path", Text),
            c("page_views", Int),
        ],
    },
];

static USERS: Table = Table {
    name: "users",
    alias: "u",
    entity: "User",
    key: "user_id",
    cols: &[
        c("id", Id),
        c("account_id", Big),
        c("user_name", Text),
        c("email", Text),
        c("age", Int),
        c("legacy_flag", Bool),
        c("created_at", Time),
    ],
};

const DOMAINS: &[&str] = &[
    "billing",
    "fulfillment",
    "catalog",
    "growth",
    "finance",
    "support",
    "logistics",
    "marketing",
    "risk",
    "ledger",
    "search",
    "inventory",
    "platform",
    "insights",
    "crm",
    "payouts",
];
const TEXT_VALUES: &[&str] =
    &["open", "paid", "pending", "void", "shipped", "eu-west", "premium", "web", "ios"];
const TIME_VALUES: &[&str] = &[
    "TIMESTAMP '2024-01-01 00:00:00'",
    "CURRENT_DATE - INTERVAL '30' DAY",
    "CURRENT_TIMESTAMP - INTERVAL '7' DAY",
    "DATE '2023-07-01'",
];
const TITLES: &[&str] = &[
    "Daily revenue by region",
    "Open items older than a week",
    "Monthly cohort retention",
    "Top accounts by spend",
    "Late deliveries per carrier",
    "Refund rate by processor",
    "Churned subscriptions last quarter",
    "Weekly active sessions",
    "Inventory turnover",
    "Invoices past due",
];

fn table_by_key(key: &str) -> Option<&'static Table> {
    TABLES.iter().chain(std::iter::once(&USERS)).find(|t| t.key == key)
}

fn fks(t: &'static Table) -> impl Iterator<Item = (&'static Col, &'static Table)> {
    t.cols.iter().filter(|c| c.ty == Big).filter_map(|c| table_by_key(c.name).map(|r| (c, r)))
}

fn sql_type(c: &Col) -> &'static str {
    match c.ty {
        Id | Big => "BIGINT",
        Int => "INT",
        Money => "NUMERIC(12,2)",
        Text if c.name.ends_with("email") || c.name == "payload" => "TEXT",
        Text => "VARCHAR(64)",
        Time => "TIMESTAMP",
        Date => "DATE",
        Bool => "BOOLEAN",
    }
}

fn literal(rng: &mut Rng, c: &Col) -> String {
    match c.ty {
        Id | Big => rng.range(1, 99_999).to_string(),
        Int => rng.range(0, 500).to_string(),
        Money => format!("{}.{:02}", rng.range(1, 5000), rng.below(100)),
        Text => format!("'{}'", rng.pick(TEXT_VALUES)),
        Time => rng.pick(TIME_VALUES).to_string(),
        Date => format!("DATE '2024-{:02}-{:02}'", rng.range(1, 12), rng.range(1, 28)),
        Bool => if rng.percent(50) { "TRUE" } else { "FALSE" }.to_string(),
    }
}

/// How a query spells its parameters: the host's driver convention.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ph {
    Literal,
    Qmark,
    Colon,
    Pyformat,
}

fn param(rng: &mut Rng, ph: Ph, c: &Col) -> String {
    match ph {
        Ph::Literal => literal(rng, c),
        Ph::Qmark => "?".into(),
        Ph::Colon => format!(":{}", c.name),
        Ph::Pyformat => format!("%({})s", c.name),
    }
}

/// A query as lines (so each host can quote it its own way) plus what it reads and binds.
struct Query {
    lines: Vec<String>,
    selected: Vec<&'static Col>,
    params: Vec<&'static Col>,
    writes: bool,
}

fn some_cols(rng: &mut Rng, t: &'static Table, min: usize) -> Vec<&'static Col> {
    let mut out: Vec<&'static Col> = vec![&t.cols[0]];
    for col in &t.cols[1..] {
        if rng.percent(55) {
            out.push(col);
        }
    }
    for col in &t.cols[1..] {
        if out.len() >= min.min(t.cols.len()) {
            break;
        }
        if !out.iter().any(|c| c.name == col.name) {
            out.push(col);
        }
    }
    out
}

fn data_col(rng: &mut Rng, t: &'static Table) -> &'static Col {
    &t.cols[rng.range(1, t.cols.len() - 1)]
}

fn condition(rng: &mut Rng, ph: Ph, alias: &str, c: &'static Col, params: &mut Vec<&'static Col>) -> String {
    let value = param(rng, ph, c);
    if ph != Ph::Literal {
        params.push(c);
    }
    let op = match c.ty {
        Text | Bool | Id | Big => "=",
        Time | Date => ">=",
        Int | Money => *rng.pick(&[">=", "<", ">"]),
    };
    format!("{alias}.{} {op} {value}", c.name)
}

fn where_clause(
    rng: &mut Rng,
    ph: Ph,
    t: &'static Table,
    alias: &str,
    lines: &mut Vec<String>,
    params: &mut Vec<&'static Col>,
) {
    let n = rng.range(1, 3);
    for k in 0..n {
        let col = data_col(rng, t);
        let cond = condition(rng, ph, alias, col, params);
        lines.push(format!("{} {cond}", if k == 0 { "WHERE" } else { "  AND" }));
    }
}

fn select_query(rng: &mut Rng, t: &'static Table, ph: Ph) -> Query {
    let mut lines = Vec::new();
    let mut params = Vec::new();
    let a = t.alias;
    let joins: Vec<_> = fks(t).collect();
    let shape = rng.below(10);
    if shape < 4 || (shape < 6 && joins.is_empty()) {
        let cols = some_cols(rng, t, 3);
        lines.push("SELECT".into());
        for (k, col) in cols.iter().enumerate() {
            lines.push(format!("    {a}.{}{}", col.name, if k + 1 < cols.len() { "," } else { "" }));
        }
        lines.push(format!("FROM {} {a}", t.name));
        where_clause(rng, ph, t, a, &mut lines, &mut params);
        let order = data_col(rng, t);
        lines.push(format!("ORDER BY {a}.{} DESC", order.name));
        if rng.percent(40) {
            lines.push(format!("LIMIT {}", rng.pick(&[10, 50, 100, 500, 1000])));
        }
        return Query { lines, selected: cols, params, writes: false };
    }
    if shape < 6 {
        let (fk, other) = *rng.pick(&joins);
        let b = other.alias;
        let left = some_cols(rng, t, 2);
        let right = some_cols(rng, other, 2);
        lines.push("SELECT".into());
        let mut items: Vec<String> = left.iter().map(|c| format!("{a}.{}", c.name)).collect();
        items.extend(
            right
                .iter()
                .skip(1)
                .map(|c| format!("{b}.{} AS {}_{}", c.name, other.entity.to_lowercase(), c.name)),
        );
        let n = items.len();
        for (k, item) in items.into_iter().enumerate() {
            lines.push(format!("    {item}{}", if k + 1 < n { "," } else { "" }));
        }
        lines.push(format!("FROM {} {a}", t.name));
        lines.push(format!(
            "{} {} {b} ON {b}.id = {a}.{}",
            rng.pick(&["JOIN", "LEFT JOIN", "INNER JOIN"]),
            other.name,
            fk.name
        ));
        where_clause(rng, ph, t, a, &mut lines, &mut params);
        return Query { lines, selected: left, params, writes: false };
    }
    if shape < 9 {
        let group = t.cols.iter().find(|c| c.ty == Text).unwrap_or(&t.cols[0]);
        let measure = t.cols.iter().find(|c| matches!(c.ty, Money | Int)).unwrap_or(&t.cols[0]);
        let when = t.cols.iter().find(|c| matches!(c.ty, Time | Date));
        lines.push("SELECT".into());
        lines.push(format!("    {a}.{},", group.name));
        if let Some(w) = when {
            lines.push(format!("    DATE_TRUNC('month', {a}.{}) AS period_start,", w.name));
        }
        lines.push("    COUNT(*) AS row_count,".into());
        lines.push(format!("    SUM({a}.{}) AS {}_total,", measure.name, measure.name));
        lines.push(format!("    AVG({a}.{}) AS {}_mean", measure.name, measure.name));
        lines.push(format!("FROM {} {a}", t.name));
        where_clause(rng, ph, t, a, &mut lines, &mut params);
        lines.push(if when.is_some() { "GROUP BY 1, 2".into() } else { "GROUP BY 1".into() });
        lines.push(format!("HAVING COUNT(*) > {}", rng.range(1, 20)));
        return Query { lines, selected: vec![group], params, writes: false };
    }
    // A window over a derived table: latest row per partition.
    let part = data_col(rng, t);
    let when = t.cols.iter().find(|c| matches!(c.ty, Time | Date)).unwrap_or(&t.cols[0]);
    let cols = some_cols(rng, t, 3);
    lines.push("SELECT ranked.*".into());
    lines.push("FROM (".into());
    lines.push("    SELECT".into());
    for col in &cols {
        lines.push(format!("        {a}.{},", col.name));
    }
    lines.push(format!(
        "        ROW_NUMBER() OVER (PARTITION BY {a}.{} ORDER BY {a}.{} DESC) AS rn",
        part.name, when.name
    ));
    lines.push(format!("    FROM {} {a}", t.name));
    let mut inner = Vec::new();
    where_clause(rng, ph, t, a, &mut inner, &mut params);
    lines.extend(inner.into_iter().map(|l| format!("    {l}")));
    lines.push(") ranked".into());
    lines.push("WHERE ranked.rn = 1".into());
    Query { lines, selected: cols, params, writes: false }
}

fn write_query(rng: &mut Rng, t: &'static Table, ph: Ph) -> Query {
    let mut lines = Vec::new();
    let mut params = Vec::new();
    match rng.below(3) {
        0 => {
            let cols: Vec<&'static Col> = t.cols[1..].iter().filter(|_| rng.percent(70)).collect();
            let cols = if cols.is_empty() { vec![&t.cols[1]] } else { cols };
            let names: Vec<&str> = cols.iter().map(|c| c.name).collect();
            let values: Vec<String> = cols.iter().map(|c| param(rng, ph, c)).collect();
            lines.push(format!("INSERT INTO {} ({})", t.name, names.join(", ")));
            lines.push(format!("VALUES ({})", values.join(", ")));
            if ph != Ph::Literal {
                params = cols;
            }
        }
        1 => {
            let set = data_col(rng, t);
            let value = param(rng, ph, set);
            if ph != Ph::Literal {
                params.push(set);
            }
            lines.push(format!("UPDATE {} {}", t.name, t.alias));
            lines.push(format!("SET {} = {value}", set.name));
            where_clause(rng, ph, t, t.alias, &mut lines, &mut params);
        }
        _ => {
            lines.push(format!("DELETE FROM {} {}", t.name, t.alias));
            where_clause(rng, ph, t, t.alias, &mut lines, &mut params);
        }
    }
    Query { lines, selected: Vec::new(), params, writes: true }
}

/// Which tables a file draws from: a `users` file mentions `users` first and then now and then.
struct Tables {
    users: bool,
    first: bool,
}

impl Tables {
    fn next(&mut self, rng: &mut Rng) -> &'static Table {
        let take_users = self.users && (self.first || rng.percent(25));
        self.first = false;
        if take_users {
            &USERS
        } else {
            rng.pick(TABLES)
        }
    }
}

fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map(|f| f.to_ascii_uppercase().to_string() + cs.as_str()).unwrap_or_default()
        })
        .collect()
}

fn camel(snake: &str) -> String {
    let p = pascal(snake);
    let mut cs = p.chars();
    cs.next().map(|f| f.to_ascii_lowercase().to_string() + cs.as_str()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// SQL files

fn sql_dbt(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String) {
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

fn sql_report(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String) {
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

fn sql_ddl(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String) {
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
// Python files

fn py_sql(q: &Query, indent: &str, out: &mut String) {
    out.push_str("\"\"\"\n");
    for l in &q.lines {
        let _ = writeln!(out, "{indent}    {l}");
    }
    let _ = write!(out, "{indent}\"\"\"");
}

fn py_params(q: &Query) -> String {
    let items: Vec<String> = q.params.iter().map(|c| format!("\"{0}\": {0}", c.name)).collect();
    format!("{{{}}}", items.join(", "))
}

fn py_args(q: &Query) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for c in &q.params {
        if !seen.contains(&c.name) {
            seen.push(c.name);
        }
    }
    seen.iter().map(|n| format!(", {n}")).collect()
}

fn py_etl(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String) {
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

fn sa_type(c: &Col) -> &'static str {
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

fn py_models(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String) {
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

fn py_pandas(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String) {
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
// Java files

fn java_type(c: &Col) -> &'static str {
    match c.ty {
        Id | Big => "Long",
        Int => "Integer",
        Money => "BigDecimal",
        Text => "String",
        Time => "Instant",
        Date => "LocalDate",
        Bool => "Boolean",
    }
}

fn java_get(c: &Col) -> String {
    match c.ty {
        Id | Big => format!("rs.getLong(\"{}\")", c.name),
        Int => format!("rs.getInt(\"{}\")", c.name),
        Money => format!("rs.getBigDecimal(\"{}\")", c.name),
        Text => format!("rs.getString(\"{}\")", c.name),
        Time => format!("rs.getTimestamp(\"{}\").toInstant()", c.name),
        Date => format!("rs.getDate(\"{}\").toLocalDate()", c.name),
        Bool => format!("rs.getBoolean(\"{}\")", c.name),
    }
}

fn java_set(c: &Col, i: usize) -> String {
    let v = camel(c.name);
    match c.ty {
        Id | Big => format!("ps.setLong({i}, {v});"),
        Int => format!("ps.setInt({i}, {v});"),
        Money => format!("ps.setBigDecimal({i}, {v});"),
        Text => format!("ps.setString({i}, {v});"),
        Time => format!("ps.setTimestamp({i}, Timestamp.from({v}));"),
        Date => format!("ps.setDate({i}, java.sql.Date.valueOf({v}));"),
        Bool => format!("ps.setBoolean({i}, {v});"),
    }
}

/// A SQL string as Java writes it: one literal per line, joined with `+`.
fn java_sql(q: &Query, indent: &str, out: &mut String) {
    for (k, l) in q.lines.iter().enumerate() {
        if k > 0 {
            let _ = write!(out, "\n{indent}+ ");
        }
        let sep = if k + 1 < q.lines.len() { " " } else { "" };
        let _ = write!(out, "\"{}{sep}\"", l.trim_start().replace('"', "\\\""));
    }
}

fn java_params(q: &Query) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for c in &q.params {
        if !seen.contains(&c.name) {
            seen.push(c.name);
            out.push(format!("{} {}", java_type(c), camel(c.name)));
        }
    }
    out.join(", ")
}

const JAVA_IMPORTS: &str = "import java.math.BigDecimal;\nimport java.sql.Connection;\nimport java.sql.PreparedStatement;\nimport java.sql.ResultSet;\nimport java.sql.SQLException;\nimport java.sql.Timestamp;\nimport java.time.Instant;\nimport java.time.LocalDate;\nimport java.util.ArrayList;\nimport java.util.HashMap;\nimport java.util.List;\nimport java.util.Map;\n";

fn java_dao(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String, pkg: &str, class: &str) {
    let _ = writeln!(out, "package {pkg};\n\n{JAVA_IMPORTS}import javax.sql.DataSource;\n");
    let _ = writeln!(
        out,
        "/** Plain JDBC access; kept off the ORM for the batch paths. */\npublic class {class} {{\n\n    private final DataSource dataSource;\n\n    public {class}(DataSource dataSource) {{\n        this.dataSource = dataSource;\n    }}\n"
    );
    let mut k = 0;
    while out.len() < target {
        let t = tables.next(rng);
        // Positional binds: a query with `?` binds its params in order.
        let q =
            if rng.percent(75) { select_query(rng, t, Ph::Qmark) } else { write_query(rng, t, Ph::Qmark) };
        let ret = if q.writes { "int" } else { "List<Map<String, Object>>" };
        let _ = writeln!(
            out,
            "    public {ret} {}{}{k}({}) throws SQLException {{",
            if q.writes { "write" } else { "find" },
            t.entity,
            java_params(&q)
        );
        out.push_str("        String sql = ");
        java_sql(&q, "                ", out);
        out.push_str(";\n");
        if !q.writes {
            out.push_str("        List<Map<String, Object>> out = new ArrayList<>();\n");
        }
        out.push_str("        try (Connection conn = dataSource.getConnection();\n             PreparedStatement ps = conn.prepareStatement(sql)) {\n");
        for (i, c) in q.params.iter().enumerate() {
            let _ = writeln!(out, "            {}", java_set(c, i + 1));
        }
        if q.writes {
            out.push_str("            return ps.executeUpdate();\n        }\n    }\n\n");
        } else {
            out.push_str("            try (ResultSet rs = ps.executeQuery()) {\n                while (rs.next()) {\n                    Map<String, Object> row = new HashMap<>();\n");
            for c in &q.selected {
                let _ = writeln!(out, "                    row.put(\"{}\", {});", camel(c.name), java_get(c));
            }
            out.push_str("                    out.add(row);\n                }\n            }\n        }\n        return out;\n    }\n\n");
        }
        k += 1;
    }
    out.push_str("}\n");
}

fn java_entity(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String, pkg: &str, class: &str) {
    let t = tables.next(rng);
    let _ = writeln!(
        out,
        "package {pkg};\n\nimport jakarta.persistence.Column;\nimport jakarta.persistence.Entity;\nimport jakarta.persistence.Id;\nimport jakarta.persistence.Table;\nimport java.math.BigDecimal;\nimport java.time.Instant;\nimport java.time.LocalDate;\nimport java.util.Objects;\n"
    );
    let _ = writeln!(out, "@Entity\n@Table(name = \"{}\")\npublic class {class} {{\n", t.name);
    for c in t.cols {
        if c.ty == Id {
            out.push_str("    @Id\n");
        }
        let _ = writeln!(
            out,
            "    @Column(name = \"{}\"{})\n    private {} {};\n",
            c.name,
            if c.ty == Big { ", nullable = false" } else { "" },
            java_type(c),
            camel(c.name)
        );
    }
    let _ = writeln!(out, "    protected {class}() {{\n    }}\n");
    for c in t.cols {
        let (ty, f, p) = (java_type(c), camel(c.name), pascal(c.name));
        let _ = writeln!(
            out,
            "    public {ty} get{p}() {{\n        return {f};\n    }}\n\n    public void set{p}({ty} {f}) {{\n        this.{f} = {f};\n    }}\n"
        );
    }
    let mut k = 0;
    while out.len() < target {
        // Named native queries kept next to the entity, as some teams do.
        let t2 = if rng.percent(70) { t } else { tables.next(rng) };
        let q = select_query(rng, t2, Ph::Colon);
        let _ = write!(out, "    public static final String {}_QUERY_{k} = ", t2.name.to_uppercase());
        java_sql(&q, "            ", out);
        out.push_str(";\n\n");
        k += 1;
    }
    let _ = writeln!(
        out,
        "    @Override\n    public boolean equals(Object o) {{\n        return o instanceof {class} other && Objects.equals(id, other.id);\n    }}\n\n    @Override\n    public int hashCode() {{\n        return Objects.hashCode(id);\n    }}\n}}"
    );
}

fn java_service(rng: &mut Rng, tables: &mut Tables, target: usize, out: &mut String, pkg: &str, class: &str) {
    let _ = writeln!(
        out,
        "package {pkg};\n\n{JAVA_IMPORTS}import org.springframework.data.jpa.repository.JpaRepository;\nimport org.springframework.data.jpa.repository.Query;\nimport org.springframework.data.repository.query.Param;\nimport org.springframework.jdbc.core.JdbcTemplate;\nimport org.springframework.stereotype.Service;\nimport org.springframework.transaction.annotation.Transactional;\n"
    );
    let _ = writeln!(
        out,
        "@Service\npublic class {class} {{\n\n    private final JdbcTemplate jdbcTemplate;\n\n    public {class}(JdbcTemplate jdbcTemplate) {{\n        this.jdbcTemplate = jdbcTemplate;\n    }}\n"
    );
    let mut k = 0;
    // The nested repository's methods are written aside and count toward the size.
    let mut repo = String::new();
    let mut j = 0;
    while out.len() + repo.len() < target {
        let t = tables.next(rng);
        if rng.percent(25) {
            let q = select_query(rng, t, Ph::Colon);
            repo.push_str("        @Query(nativeQuery = true, value = ");
            java_sql(&q, "                ", &mut repo);
            let mut params: Vec<String> = Vec::new();
            for c in &q.params {
                let p = format!("@Param(\"{}\") {} {}", c.name, java_type(c), camel(c.name));
                if !params.contains(&p) {
                    params.push(p);
                }
            }
            let _ = writeln!(
                repo,
                ")\n        List<Map<String, Object>> report{}{j}({});\n",
                t.entity,
                params.join(", ")
            );
            j += 1;
            continue;
        }
        let q =
            if rng.percent(70) { select_query(rng, t, Ph::Qmark) } else { write_query(rng, t, Ph::Qmark) };
        let args: Vec<String> = q.params.iter().map(|c| camel(c.name)).collect();
        let args =
            if args.is_empty() { String::new() } else { format!(",\n                {}", args.join(", ")) };
        // A name bound twice is passed twice but declared once.
        let mut params: Vec<String> = Vec::new();
        for c in &q.params {
            let p = format!("{} {}", java_type(c), camel(c.name));
            if !params.contains(&p) {
                params.push(p);
            }
        }
        if q.writes {
            let _ = writeln!(
                out,
                "    @Transactional\n    public int update{}{k}({}) {{\n        return jdbcTemplate.update(",
                t.entity,
                params.join(", ")
            );
        } else {
            let _ = writeln!(out, "    @Transactional(readOnly = true)\n    public List<Map<String, Object>> list{}{k}({}) {{\n        return jdbcTemplate.queryForList(", t.entity, params.join(", "));
        }
        out.push_str("                ");
        java_sql(&q, "                ", out);
        let _ = writeln!(out, "{args});\n    }}\n");
        k += 1;
    }
    if !repo.is_empty() {
        let _ =
            writeln!(out, "    public interface {class}Repository extends JpaRepository<Object, Long> {{\n");
        out.push_str(&repo);
        out.push_str("    }\n");
    }
    out.push_str("}\n");
}

// ---------------------------------------------------------------------------------------
// The tree

/// One generated file: where it goes (relative to the output dir) and what it holds.
pub struct GenFile {
    pub path: PathBuf,
    pub text: String,
    pub mentions_users: bool,
}

/// Target size: 1 KiB plus an exponential tail (mean 6 KiB) capped at 37 KiB, so most files
/// are small, a few are large; the last block overshoots, so files average about 8 KiB.
fn target_size(rng: &mut Rng) -> usize {
    let tail = (-rng.unit().ln() * 6144.0).min(36.0 * 1024.0);
    1024 + tail as usize
}

/// Is file `index` one of the ~1% that mention `users`? Spread evenly, offset by the seed.
pub fn mentions_users(index: usize, seed: u64) -> bool {
    index % 100 == (seed % 100) as usize
}

/// Generates file `index` of a corpus; the same (index, seed) always gives the same file.
pub fn generate_file(index: usize, seed: u64) -> GenFile {
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0xD134_2543_DE82_EF95));
    rng.next_u64();
    let users = mentions_users(index, seed);
    let mut tables = Tables { users, first: true };
    let target = target_size(&mut rng);
    let domain = *rng.pick(DOMAINS);
    let mut text = String::with_capacity(target + 2048);
    let kind = rng.below(100);
    let path = if kind < 50 {
        let sub = rng.below(100);
        if sub < 45 {
            let (layer, prefix) =
                *rng.pick(&[("staging", "stg"), ("intermediate", "int"), ("marts", "fct"), ("marts", "dim")]);
            let mut peek = rng.clone();
            let name = tables.clone_peek(&mut peek).name;
            sql_dbt(&mut rng, &mut tables, target, &mut text);
            PathBuf::from(format!("analytics/models/{layer}/{domain}/{prefix}_{name}_{index}.sql"))
        } else if sub < 80 {
            sql_report(&mut rng, &mut tables, target, &mut text);
            PathBuf::from(format!("reporting/{domain}/queries/report_{index}.sql"))
        } else {
            sql_ddl(&mut rng, &mut tables, target, &mut text);
            PathBuf::from(format!("db/migrations/{domain}/V{index}__schema.sql"))
        }
    } else if kind < 80 {
        let sub = rng.below(100);
        if sub < 40 {
            py_etl(&mut rng, &mut tables, target, &mut text);
            PathBuf::from(format!("pipelines/{domain}/jobs/job_{index}.py"))
        } else if sub < 65 {
            py_models(&mut rng, &mut tables, target, &mut text);
            PathBuf::from(format!("services/{domain}/app/models/models_{index}.py"))
        } else {
            py_pandas(&mut rng, &mut tables, target, &mut text);
            PathBuf::from(format!("notebooks/{domain}/analysis/frames_{index}.py"))
        }
    } else {
        let sub = rng.below(100);
        let (kind, suffix) = if sub < 40 {
            ("dao", "Dao")
        } else if sub < 70 {
            ("entity", "Entity")
        } else {
            ("service", "Service")
        };
        let pkg = format!("com.acme.{domain}.{kind}");
        let class = format!("{}{suffix}{index}", pascal(domain));
        match kind {
            "dao" => java_dao(&mut rng, &mut tables, target, &mut text, &pkg, &class),
            "entity" => java_entity(&mut rng, &mut tables, target, &mut text, &pkg, &class),
            _ => java_service(&mut rng, &mut tables, target, &mut text, &pkg, &class),
        }
        PathBuf::from(format!(
            "services/{domain}-service/src/main/java/com/acme/{domain}/{kind}/{class}.java"
        ))
    };
    GenFile { path, text, mentions_users: users }
}

impl Tables {
    /// The table the next draw would give, without consuming the real generator.
    fn clone_peek(&self, rng: &mut Rng) -> &'static Table {
        Tables { users: self.users, first: self.first }.next(rng)
    }
}

/// What a generation run wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    pub users_files: usize,
}

/// Writes `files` files plus `changes.yaml` under `out`, on all cores. Deterministic for a
/// given seed whatever the thread count: each file depends only on (index, seed).
pub fn generate(out: &Path, files: usize, seed: u64) -> io::Result<Stats> {
    std::fs::create_dir_all(out)?;
    std::fs::write(out.join("changes.yaml"), CHANGES_YAML)?;
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(files.max(1));
    let results: Vec<io::Result<Stats>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                s.spawn(move || {
                    let mut stats = Stats::default();
                    let mut made: HashSet<PathBuf> = HashSet::new();
                    for index in (w..files).step_by(workers) {
                        let f = generate_file(index, seed);
                        let path = out.join(&f.path);
                        if let Some(dir) = path.parent() {
                            if !made.contains(dir) {
                                std::fs::create_dir_all(dir)?;
                                made.insert(dir.to_path_buf());
                            }
                        }
                        std::fs::write(&path, f.text.as_bytes())?;
                        stats.files += 1;
                        stats.bytes += f.text.len() as u64;
                        stats.users_files += f.mentions_users as usize;
                    }
                    Ok(stats)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("generator thread panicked")).collect()
    });
    let mut total = Stats::default();
    for r in results {
        let r = r?;
        total.files += r.files;
        total.bytes += r.bytes;
        total.users_files += r.users_files;
    }
    Ok(total)
}

/// Does `text` contain `word` as a whole word (ASCII case-insensitive, `[A-Za-z0-9_]` words)?
#[cfg(test)]
fn has_word(text: &str, word: &str) -> bool {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let lower = text.to_ascii_lowercase();
    lower.match_indices(word).any(|(i, m)| {
        (i == 0 || !is_word(bytes[i - 1])) && (i + m.len() == bytes.len() || !is_word(bytes[i + m.len()]))
    })
}

#[cfg(test)]
mod tests {
    // Paths, not imports: benches/plan.rs compiles this module with cfg(test) but no harness.
    #[test]
    fn only_users_files_mention_watched_words() {
        let mut users = 0;
        for index in 0..1500 {
            let f = super::generate_file(index, 7);
            let mentions = super::WATCHED.iter().any(|w| super::has_word(&f.text, w));
            assert_eq!(mentions, f.mentions_users, "file {index} {}", f.path.display());
            if f.mentions_users {
                users += 1;
                assert!(super::has_word(&f.text, "users"), "{}", f.path.display());
            }
        }
        assert_eq!(users, 15);
    }

    #[test]
    fn deterministic_and_sized() {
        let a = super::generate_file(42, 1);
        let b = super::generate_file(42, 1);
        assert_eq!((a.path, a.text), (b.path, b.text));
        let sizes: Vec<usize> = (0..2000).map(|i| super::generate_file(i, 3).text.len()).collect();
        let mean = sizes.iter().sum::<usize>() / sizes.len();
        assert!((6_500..10_000).contains(&mean), "mean size {mean}");
        assert!(*sizes.iter().max().unwrap() < 48 * 1024);
        assert!(*sizes.iter().min().unwrap() >= 1024);
    }
}
