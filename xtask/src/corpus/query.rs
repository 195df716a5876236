//! SQL queries over the tables, as lines any host language can quote.

use super::*;

/// A query as lines (so each host can quote it its own way) plus what it reads and binds.
pub(super) struct Query {
    pub(super) lines: Vec<String>,
    pub(super) selected: Vec<&'static Col>,
    pub(super) params: Vec<&'static Col>,
    pub(super) writes: bool,
}

pub(super) fn some_cols(rng: &mut Rng, t: &'static Table, min: usize) -> Vec<&'static Col> {
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

pub(super) fn data_col(rng: &mut Rng, t: &'static Table) -> &'static Col {
    &t.cols[rng.range(1, t.cols.len() - 1)]
}

pub(super) fn condition(
    rng: &mut Rng,
    ph: Ph,
    alias: &str,
    c: &'static Col,
    params: &mut Vec<&'static Col>,
) -> String {
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

pub(super) fn where_clause(
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

pub(super) fn select_query(rng: &mut Rng, t: &'static Table, ph: Ph) -> Query {
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

pub(super) fn write_query(rng: &mut Rng, t: &'static Table, ph: Ph) -> Query {
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
pub(super) struct Tables {
    pub(super) users: bool,
    pub(super) first: bool,
}

impl Tables {
    pub(super) fn next(&mut self, rng: &mut Rng) -> &'static Table {
        let take_users = self.users && (self.first || rng.percent(25));
        self.first = false;
        if take_users {
            &USERS
        } else {
            rng.pick(TABLES)
        }
    }
}

pub(super) fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map(|f| f.to_ascii_uppercase().to_string() + cs.as_str()).unwrap_or_default()
        })
        .collect()
}

pub(super) fn camel(snake: &str) -> String {
    let p = pascal(snake);
    let mut cs = p.chars();
    cs.next().map(|f| f.to_ascii_lowercase().to_string() + cs.as_str()).unwrap_or_default()
}
