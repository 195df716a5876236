//! Tables defined by a file's place: plain-SQL warehouses keep one query per produced table
//! at a path that names it (`sql/<project>/<dataset>/<table>/query.sql` in BigQuery ETL
//! repos, `<schema>/<table>.sql`). A layout is such a path pattern (`layouts` in
//! `ripple.toml`); the BigQuery ETL one is known by default. A file whose path matches is
//! the definition of the table the path names: the SQL rules treat its final query as that
//! table's columns, as they do a dbt model's.

use crate::change::{Ident, TableName};
use std::path::{Path, PathBuf};

/// The layout every run knows: BigQuery ETL's `sql/<project>/<dataset>/<table>/query.sql`,
/// wherever the `sql` folder is.
pub const BIGQUERY_ETL: &str = "**/sql/{project}/{dataset}/{table}/query.sql";

/// The file beside a layout's `query.sql` that lists the table's columns (BigQuery ETL).
pub const SCHEMA_FILE: &str = "schema.yaml";

/// What a placeholder of a pattern names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// `{project}`, `{database}`, `{catalog}`: the outermost qualifier.
    Project,
    /// `{dataset}`, `{schema}`: the qualifier next to the table.
    Dataset,
    /// `{table}`.
    Table,
}

/// One `/`-separated piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// Text matched as written.
    Literal(String),
    /// `prefix{part}suffix`.
    Capture { prefix: String, part: Part, suffix: String },
    /// `*`: any one folder.
    Any,
}

/// One path pattern that names the table a file defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLayout {
    /// The pattern as written.
    pub pattern: String,
    /// A leading `**/`: the pattern may start at any folder of the path.
    anywhere: bool,
    segments: Vec<Segment>,
}

impl TableLayout {
    /// Parses a pattern; the error says what is wrong and at which byte of the pattern.
    pub fn parse(pattern: &str) -> Result<TableLayout, (usize, String)> {
        let (anywhere, rest, mut at) = match pattern.strip_prefix("**/") {
            Some(rest) => (true, rest, 3),
            None => (false, pattern, 0),
        };
        if rest.is_empty() {
            return Err((at, "a layout names a file: it cannot be empty".into()));
        }
        if rest.starts_with('/') {
            return Err((at, "a layout is relative to its root: it cannot start with `/`".into()));
        }
        let mut segments = Vec::new();
        let mut seen: Vec<Part> = Vec::new();
        for piece in rest.split('/') {
            segments.push(segment(piece, at, &mut seen)?);
            at += piece.len() + 1;
        }
        if !seen.contains(&Part::Table) {
            return Err((0, "a layout names its table: it needs `{table}`".into()));
        }
        if !matches!(segments.last(), Some(Segment::Literal(_) | Segment::Capture { .. })) {
            return Err((pattern.len(), "a layout ends with a file name".into()));
        }
        Ok(TableLayout { pattern: pattern.to_string(), anywhere, segments })
    }

    /// The table a file defines, from its path (relative to its root, or as reported for a
    /// pattern that starts with `**/`).
    pub fn table_of(&self, relative: &Path, path: &Path) -> Option<TableName> {
        let parts = |p: &Path| -> Option<Vec<String>> {
            p.components()
                .filter(|c| !matches!(c, std::path::Component::CurDir))
                .map(|c| c.as_os_str().to_str().map(str::to_string))
                .collect()
        };
        if !self.anywhere {
            return self.match_parts(&parts(relative)?);
        }
        let all = parts(path)?;
        let n = self.segments.len();
        (n <= all.len()).then(|| self.match_parts(&all[all.len() - n..])).flatten()
    }

    fn match_parts(&self, parts: &[String]) -> Option<TableName> {
        if parts.len() != self.segments.len() {
            return None;
        }
        let mut found: Vec<(Part, &str)> = Vec::new();
        for (segment, part) in self.segments.iter().zip(parts) {
            match segment {
                Segment::Literal(text) if text == part => {}
                Segment::Literal(_) => return None,
                Segment::Any => {}
                Segment::Capture { prefix, part: what, suffix } => {
                    let name = part.strip_prefix(prefix.as_str())?.strip_suffix(suffix.as_str())?;
                    if !is_name(name) {
                        return None;
                    }
                    found.push((*what, name));
                }
            }
        }
        found.sort_by_key(|(p, _)| *p);
        Some(TableName { parts: found.into_iter().map(|(_, n)| Ident::new(n)).collect() })
    }

    /// Where the file goes when its table is renamed to `to` (whose missing qualifiers stay
    /// as the path has them), with the part of the path that names the table: the folder of
    /// a fixed file name (`query.sql` and what lies beside it), else the file.
    /// `path` is the file's path as reported, which ends with the part the layout matched.
    pub fn moved(&self, path: &Path, to: &TableName) -> Option<(PathBuf, PathBuf)> {
        let all: Vec<&std::ffi::OsStr> = path.iter().collect();
        let n = self.segments.len();
        let start = all.len().checked_sub(n)?;
        let tail: Option<Vec<String>> = all[start..].iter().map(|s| s.to_str().map(str::to_string)).collect();
        self.match_parts(&tail?)?;
        let mut new: Vec<String> = all[start..].iter().map(|s| s.to_string_lossy().into_owned()).collect();
        let mut parts: Vec<Part> = self
            .segments
            .iter()
            .filter_map(|s| match s {
                Segment::Capture { part, .. } => Some(*part),
                _ => None,
            })
            .collect();
        parts.sort();
        // The new name's parts, from the right, stand for the path's captured parts.
        let named: Vec<(Part, &Ident)> = parts.iter().rev().copied().zip(to.parts.iter().rev()).collect();
        for (k, segment) in self.segments.iter().enumerate() {
            if let Segment::Capture { prefix, part, suffix } = segment {
                if let Some((_, id)) = named.iter().find(|(p, _)| p == part) {
                    new[k] = format!("{prefix}{}{suffix}", id.value);
                }
            }
        }
        let base: PathBuf = all[..start].iter().collect();
        let keep = if self.file_name().is_some() { n - 1 } else { n };
        let old: PathBuf = all[..start + keep].iter().collect();
        let moved = new[..keep].iter().fold(base, |p, s| p.join(s));
        Some((old, moved))
    }

    /// Does the layout's file have a fixed name (`query.sql`) with [`SCHEMA_FILE`] beside it?
    fn file_name(&self) -> Option<&str> {
        match self.segments.last()? {
            Segment::Literal(name) => Some(name),
            _ => None,
        }
    }
}

/// A piece of a pattern, `at` its byte offset in the pattern.
fn segment(piece: &str, at: usize, seen: &mut Vec<Part>) -> Result<Segment, (usize, String)> {
    match piece {
        "" => return Err((at, "a layout has an empty folder name (`//`)".into())),
        "*" => return Ok(Segment::Any),
        "**" => return Err((at, "`**` only starts a layout (`**/sql/...`)".into())),
        "." | ".." => return Err((at, format!("a layout cannot name `{piece}`"))),
        _ => {}
    }
    let Some(open) = piece.find('{') else {
        if let Some(bad) = piece.find(['}', '*']) {
            return Err((at + bad, format!("`{}` outside a placeholder", &piece[bad..=bad])));
        }
        return Ok(Segment::Literal(piece.to_string()));
    };
    let close = piece[open..].find('}').map(|c| open + c).ok_or((at + open, "`{` is not closed".into()))?;
    let name = &piece[open + 1..close];
    let part = match name {
        "project" | "database" | "catalog" => Part::Project,
        "dataset" | "schema" => Part::Dataset,
        "table" => Part::Table,
        _ => {
            return Err((
                at + open,
                format!("unknown placeholder `{{{name}}}`: one of {{project}}, {{database}}, {{dataset}}, {{schema}}, {{table}}"),
            ))
        }
    };
    if seen.contains(&part) {
        return Err((at + open, format!("`{{{name}}}` names a part the layout already has")));
    }
    seen.push(part);
    let (prefix, suffix) = (&piece[..open], &piece[close + 1..]);
    if let Some(bad) = suffix.find(['{', '}', '*']) {
        return Err((at + close + 1 + bad, "one placeholder per folder or file name".into()));
    }
    if let Some(bad) = prefix.find(['}', '*']) {
        return Err((at + bad, format!("`{}` outside a placeholder", &prefix[bad..=bad])));
    }
    Ok(Segment::Capture { prefix: prefix.into(), part, suffix: suffix.into() })
}

/// A part of a table name as a folder spells it: letters, digits, `_`, `-` (BigQuery
/// projects), `$`; never a hidden folder.
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '$'))
}

/// A file's table by its place, and the layout that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The table the file defines (or, for a [`SCHEMA_FILE`], lists the columns of).
    pub table: TableName,
    /// The layout its path matches.
    pub layout: TableLayout,
}

/// The layouts of a run: the default one and those of `ripple.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLayouts(Vec<TableLayout>);

impl Default for TableLayouts {
    fn default() -> Self {
        TableLayouts(vec![TableLayout::parse(BIGQUERY_ETL).expect("the default layout parses")])
    }
}

impl TableLayouts {
    /// The default layout and these.
    pub fn with(extra: Vec<TableLayout>) -> Self {
        let mut all = TableLayouts::default();
        for l in extra {
            all.add(l);
        }
        all
    }

    /// Adds a layout unless it is known already.
    pub fn add(&mut self, layout: TableLayout) {
        if !self.0.contains(&layout) {
            self.0.push(layout);
        }
    }

    /// The layouts, the default first.
    pub fn iter(&self) -> impl Iterator<Item = &TableLayout> {
        self.0.iter()
    }

    /// The table a file defines by its place: the first layout its path matches.
    pub fn table_of(&self, relative: &Path, path: &Path) -> Option<TableName> {
        self.placed(relative, path).map(|p| p.table)
    }

    /// The table a file defines by its place, with the layout that says so.
    pub fn placed(&self, relative: &Path, path: &Path) -> Option<Placed> {
        self.0.iter().find_map(|l| Some(Placed { table: l.table_of(relative, path)?, layout: l.clone() }))
    }

    /// The table whose columns a [`SCHEMA_FILE`] lists: the one its sibling query file
    /// (the layout's fixed file name) defines.
    pub fn schema_table_of(&self, relative: &Path, path: &Path) -> Option<Placed> {
        if relative.file_name().and_then(|n| n.to_str()) != Some(SCHEMA_FILE) {
            return None;
        }
        self.0.iter().find_map(|l| {
            let name = l.file_name()?;
            let sibling = path.with_file_name(name);
            let table = l.table_of(&relative.with_file_name(name), &sibling).filter(|_| sibling.is_file())?;
            Some(Placed { table, layout: l.clone() })
        })
    }
}

/// Does a change's table name `placed`, the table a file's place defines? Compared from the
/// right, as a reference: `telemetry_derived.clients_v1` names
/// `moz-fx-data-shared-prod.telemetry_derived.clients_v1`, `other_derived.clients_v1` does not.
pub fn names(change: &TableName, placed: &TableName) -> bool {
    let parts: Vec<(&str, bool)> = placed.parts.iter().map(|p| (p.value.as_str(), p.quoted)).collect();
    change.matches_parts(&parts) != crate::change::TableMatch::No
}

/// Is `path` a [`SCHEMA_FILE`] beside the query file of a default layout (read as YAML)?
pub fn is_table_schema(path: &Path) -> bool {
    TableLayouts::default().schema_table_of(path, path).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(layout: &str, path: &str) -> Option<String> {
        let l = TableLayout::parse(layout).unwrap();
        l.table_of(Path::new(path), Path::new(path)).map(|t| t.to_string())
    }

    #[test]
    fn paths_name_their_tables() {
        assert_eq!(
            table(BIGQUERY_ETL, "sql/moz-fx-data-shared-prod/telemetry_derived/clients_v1/query.sql")
                .as_deref(),
            Some("moz-fx-data-shared-prod.telemetry_derived.clients_v1")
        );
        assert_eq!(
            table(BIGQUERY_ETL, "repo/sql/p/ds/t/query.sql").as_deref(),
            Some("p.ds.t"),
            "`**/` starts anywhere"
        );
        assert_eq!(
            table("{schema}/{table}.sql", "analytics/orders.sql").as_deref(),
            Some("analytics.orders")
        );
        assert_eq!(table("warehouse/*/{schema}/{table}.sql", "warehouse/x/a/b.sql").as_deref(), Some("a.b"));
        assert_eq!(table("{table}/{schema}.sql", "t/s.sql").as_deref(), Some("s.t"), "parts in name order");
        for no in [
            "sql/p/ds/t/view.sql",
            "sql/p/ds/query.sql",
            "sql/p/ds/t/extra/query.sql",
            "sql/p/.hidden/t/query.sql",
        ] {
            assert_eq!(table(BIGQUERY_ETL, no), None, "{no}");
        }
        assert_eq!(table("{schema}/{table}.sql", "a/b/c.sql"), None, "anchored at the root");
        assert_eq!(table("{schema}/{table}.sql", "a/b.py"), None);
    }

    #[test]
    fn a_renamed_table_moves_its_folder_or_file() {
        let moved = |layout: &str, path: &str, to: &str| {
            let l = TableLayout::parse(layout).unwrap();
            let (old, new) = l.moved(Path::new(path), &TableName::parse(to)).unwrap();
            format!("{} -> {}", old.display(), new.display())
        };
        assert_eq!(
            moved(BIGQUERY_ETL, "repo/sql/p/ds/t_v1/query.sql", "t_v2"),
            "repo/sql/p/ds/t_v1 -> repo/sql/p/ds/t_v2"
        );
        assert_eq!(moved(BIGQUERY_ETL, "sql/p/ds/t/query.sql", "ds2.u"), "sql/p/ds/t -> sql/p/ds2/u");
        assert_eq!(moved("{schema}/{table}.sql", "a/b.sql", "c"), "a/b.sql -> a/c.sql");
    }

    #[test]
    fn mistakes_say_where() {
        let err = |p: &str| TableLayout::parse(p).unwrap_err();
        assert_eq!(err("{schema}/{tabel}.sql").0, 9);
        assert!(err("{schema}/{tabel}.sql").1.starts_with("unknown placeholder `{tabel}`"));
        assert_eq!(err("{schema}/x.sql").1, "a layout names its table: it needs `{table}`");
        assert_eq!(err("{table}/{table}.sql").0, 8);
        assert_eq!(err("{schema}/{table.sql").0, 9);
        assert_eq!(err("a//{table}.sql").0, 2);
        assert_eq!(err("{schema}{table}.sql").0, 8);
        assert_eq!(err("a/**/{table}.sql").0, 2);
        assert!(err("{table}/*").1.contains("ends with a file name"));
        assert!(err("/abs/{table}.sql").1.contains("relative"));
    }
}
