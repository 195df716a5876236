//! Java files: JDBC DAOs, JPA entities and services.

use super::*;

pub(super) fn java_type(c: &Col) -> &'static str {
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

pub(super) fn java_get(c: &Col) -> String {
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

pub(super) fn java_set(c: &Col, i: usize) -> String {
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
pub(super) fn java_sql(q: &Query, indent: &str, out: &mut String) {
    for (k, l) in q.lines.iter().enumerate() {
        if k > 0 {
            let _ = write!(out, "\n{indent}+ ");
        }
        let sep = if k + 1 < q.lines.len() { " " } else { "" };
        let _ = write!(out, "\"{}{sep}\"", l.trim_start().replace('"', "\\\""));
    }
}

pub(super) fn java_params(q: &Query) -> String {
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

pub(super) const JAVA_IMPORTS: &str = "import java.math.BigDecimal;\nimport java.sql.Connection;\nimport java.sql.PreparedStatement;\nimport java.sql.ResultSet;\nimport java.sql.SQLException;\nimport java.sql.Timestamp;\nimport java.time.Instant;\nimport java.time.LocalDate;\nimport java.util.ArrayList;\nimport java.util.HashMap;\nimport java.util.List;\nimport java.util.Map;\n";

pub(super) fn java_dao(
    rng: &mut Rng,
    tables: &mut Tables,
    target: usize,
    out: &mut String,
    pkg: &str,
    class: &str,
) {
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

pub(super) fn java_entity(
    rng: &mut Rng,
    tables: &mut Tables,
    target: usize,
    out: &mut String,
    pkg: &str,
    class: &str,
) {
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

pub(super) fn java_service(
    rng: &mut Rng,
    tables: &mut Tables,
    target: usize,
    out: &mut String,
    pkg: &str,
    class: &str,
) {
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
