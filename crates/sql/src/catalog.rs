//! Table columns from DDL: `--catalog` files and the CREATE TABLE / CREATE VIEW / ALTER
//! TABLE ADD COLUMN statements found in scanned repos. The resolver uses them to bind
//! unqualified columns in joins; a table or view whose columns cannot all be named is left
//! out, since a partial column list would prove an absence that is not there.

use crate::statements::{ident, parse_lenient, table_name};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use ripple_core::discover::SourcePath;
use ripple_core::prefilter::is_word_byte as is_word;
use ripple_core::{
    CatalogEntry, CatalogSite, CatalogSource, CatalogTable, Dialect, Ident, InputError, InputErrors, Lang,
    SourceText, TableName,
};
use sqlparser::ast::{
    AlterTableOperation, ColumnDef, ColumnOption, Expr, Query, SelectItem, SetExpr, Statement,
};
use std::path::Path;
use std::sync::LazyLock;

/// The tables a DDL text defines (for `--catalog` files, read whole).
pub fn tables_of(text: &str, dialect: Dialect) -> Vec<CatalogTable> {
    let mut tables: Vec<CatalogTable> = Vec::new();
    for statement in parse_lenient(&without_meta_commands(text), dialect) {
        match entry_of(&statement) {
            Some(CatalogEntry::Defines(t)) => tables.push(t),
            // Only extends a table defined earlier: an ALTER alone does not list every column.
            Some(CatalogEntry::Extends(added)) => {
                if let Some(t) = tables.iter_mut().find(|t| t.name == added.name) {
                    t.columns.extend(added.columns);
                }
            }
            None => {}
        }
    }
    tables
}

/// What one statement says about a table's columns, if all of them can be named.
fn entry_of(statement: &Statement) -> Option<CatalogEntry> {
    match statement {
        Statement::CreateTable(create) => {
            let name = table_name(&create.name)?;
            let columns = if !create.columns.is_empty() {
                Some(create.columns.iter().map(|c| ident(&c.name)).collect())
            } else {
                create.query.as_deref().and_then(outputs)
            };
            let serial = create.columns.iter().filter(|c| is_serial(c)).map(|c| ident(&c.name)).collect();
            columns.map(|columns| CatalogEntry::Defines(CatalogTable { name, columns, serial }))
        }
        Statement::CreateView(view) => {
            let name = table_name(&view.name)?;
            let columns = if view.columns.is_empty() {
                outputs(&view.query)
            } else {
                Some(view.columns.iter().map(|c| ident(&c.name)).collect())
            };
            columns.map(|columns| CatalogEntry::Defines(CatalogTable::new(name, columns)))
        }
        Statement::AlterTable(alter) => {
            let name = table_name(&alter.name)?;
            let added: Vec<&ColumnDef> = alter
                .operations
                .iter()
                .filter_map(|op| match op {
                    AlterTableOperation::AddColumn { column_def, .. } => Some(column_def),
                    _ => None,
                })
                .collect();
            let columns: Vec<Ident> = added.iter().map(|c| ident(&c.name)).collect();
            let serial = added.iter().filter(|c| is_serial(c)).map(|c| ident(&c.name)).collect();
            (!columns.is_empty()).then_some(CatalogEntry::Extends(CatalogTable { name, columns, serial }))
        }
        _ => None,
    }
}

/// Is the column numbered by a sequence its table owns: a Postgres serial pseudo-type, or
/// `GENERATED ... AS IDENTITY`?
fn is_serial(column: &ColumnDef) -> bool {
    let ty = column.data_type.to_string().to_ascii_lowercase();
    matches!(ty.as_str(), "smallserial" | "serial" | "bigserial" | "serial2" | "serial4" | "serial8")
        || column
            .options
            .iter()
            .any(|o| matches!(o.option, ColumnOption::Generated { generation_expr: None, .. }))
}

/// psql meta-commands (`\set`, `\connect`) end at the end of their line, not at a
/// semicolon: blank them so they do not swallow the statement that follows.
fn without_meta_commands(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| if line.trim_start().starts_with('\\') { "\n" } else { line })
        .collect()
}

/// The output names of a query, if every one of them is known.
fn outputs(query: &Query) -> Option<Vec<Ident>> {
    let mut body = query.body.as_ref();
    loop {
        match body {
            SetExpr::Select(select) => {
                return select
                    .projection
                    .iter()
                    .map(|item| match item {
                        SelectItem::ExprWithAlias { alias, .. } => Some(ident(alias)),
                        SelectItem::UnnamedExpr(Expr::Identifier(i)) => Some(ident(i)),
                        SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts)) => parts.last().map(ident),
                        _ => None,
                    })
                    .collect();
            }
            SetExpr::Query(q) => body = q.body.as_ref(),
            // A set operation takes its names from its first branch.
            SetExpr::SetOperation { left, .. } => body = left.as_ref(),
            _ => return None,
        }
    }
}

/// Loads `--catalog` files. A file that defines no table at all is an error: it is most
/// likely not the DDL the user meant to give.
pub fn load_catalog_files(
    paths: &[std::path::PathBuf],
    dialect: Dialect,
) -> Result<Vec<CatalogTable>, InputErrors> {
    let mut tables = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let found = tables_of(&text, dialect);
                if found.is_empty() {
                    errors.push(no_tables(path));
                }
                tables.extend(found);
            }
            Err(e) => errors.push(InputError::file(path, format!("cannot read catalog: {e}"))),
        }
    }
    if errors.is_empty() {
        Ok(tables)
    } else {
        Err(InputErrors(errors))
    }
}

fn no_tables(path: &Path) -> InputError {
    InputError::file(path, "no CREATE TABLE or CREATE VIEW that ripple can read: is this the schema's DDL?")
}

/// The catalog source for scanned `.sql` files.
pub struct SqlCatalogSource;

/// Words that may stand between CREATE and TABLE/VIEW.
const MODIFIERS: [&str; 15] = [
    "or",
    "replace",
    "temp",
    "temporary",
    "external",
    "transient",
    "unlogged",
    "global",
    "local",
    "recursive",
    "secure",
    "materialized",
    "dynamic",
    "volatile",
    "iceberg",
];

impl CatalogSource for SqlCatalogSource {
    fn language(&self) -> Lang {
        Lang::Sql
    }

    fn index(&self, file: &SourcePath, bytes: &[u8]) -> Vec<CatalogSite> {
        let mut sites = self.ddl_sites(bytes);
        if let Some(model) = dbt_model_name(&file.path, bytes) {
            sites.push((model, DBT_MODEL));
        }
        sites.into_iter().map(|(table, offset)| CatalogSite { table, offset }).collect()
    }

    fn read(&self, source: &SourceText, offset: usize, dialect: Dialect) -> Option<CatalogEntry> {
        // Offsets are in the file as on disk, byte-order mark included.
        let (path, text) = (source.path(), source.file_text());
        if offset == DBT_MODEL {
            return model_entry(path, text, dialect);
        }
        let statement = text.get(offset..)?;
        let end = statement_end(statement.as_bytes());
        parse_lenient(&statement[..end], dialect).first().and_then(entry_of)
    }

    fn read_placed(&self, source: &SourceText, table: &TableName, dialect: Dialect) -> Option<CatalogEntry> {
        let columns = placed_statement(source.text(), dialect)??;
        Some(CatalogEntry::Defines(CatalogTable::new(table.clone(), columns)))
    }
}

/// What the final statement of a file a table layout names says of its table: `None` when
/// it is no query (so the file does not define the table), else its columns when all are
/// named: a query's outputs, a CREATE ... AS query's, an INSERT's column list. Jinja is
/// masked first.
pub(crate) fn placed_statement(text: &str, dialect: Dialect) -> Option<Option<Vec<Ident>>> {
    let masked = crate::source::jinja::mask(text);
    let (word, statement) = crate::statements::last_statement(&masked.text, dialect)?;
    let Some(statement) = statement else {
        // Unparsed, but written as a query: it defines the table, columns unknown.
        return matches!(word.as_str(), "SELECT" | "WITH" | "(" | "INSERT" | "CREATE" | "MERGE")
            .then_some(None);
    };
    match &statement {
        Statement::Query(q) => Some(outputs(q)),
        Statement::CreateTable(c) if c.query.is_some() => Some(entry_of(&statement).and_then(|e| match e {
            CatalogEntry::Defines(t) => Some(t.columns),
            CatalogEntry::Extends(_) => None,
        })),
        Statement::CreateView(v) => Some(outputs(&v.query)),
        Statement::Insert(i) if i.source.is_some() => {
            let named = i.columns.iter().map(|c| match c.0.last() {
                Some(sqlparser::ast::ObjectNamePart::Identifier(id)) => Some(ident(id)),
                _ => None,
            });
            Some((!i.columns.is_empty()).then(|| named.collect::<Option<Vec<Ident>>>()).flatten())
        }
        _ => None,
    }
}

/// The offset that marks a whole dbt model file as a site.
const DBT_MODEL: usize = usize::MAX;

/// A dbt model: a `.sql` file that reads `ref()` or `source()`; its name is its stem.
fn dbt_model_name(path: &Path, bytes: &[u8]) -> Option<String> {
    static OPEN: LazyLock<AhoCorasick> =
        LazyLock::new(|| AhoCorasick::new(["{{"]).expect("one literal pattern"));
    static CALLS: LazyLock<AhoCorasick> =
        LazyLock::new(|| AhoCorasick::new(["ref(", "source("]).expect("two literal patterns"));
    let uses_dbt = OPEN.is_match(bytes) && CALLS.is_match(bytes);
    uses_dbt.then(|| path.file_stem()?.to_str().map(str::to_lowercase)).flatten()
}

/// A dbt model's columns: the output names of its (last) query, with Jinja masked; `None`
/// unless every output is named.
fn model_entry(path: &Path, text: &str, dialect: Dialect) -> Option<CatalogEntry> {
    let name = path.file_stem()?.to_str()?;
    let columns = model_columns(text, dialect)?;
    Some(CatalogEntry::Defines(CatalogTable::new(ripple_core::TableName::parse(name), columns)))
}

/// The output names of a dbt model's (last) query, with Jinja masked; `None` unless every
/// output is named.
pub(crate) fn model_columns(text: &str, dialect: Dialect) -> Option<Vec<Ident>> {
    let masked = crate::source::jinja::mask(text);
    let statements = parse_lenient(&masked.text, dialect);
    match statements.last()? {
        Statement::Query(q) => outputs(q),
        _ => None,
    }
}

impl SqlCatalogSource {
    fn ddl_sites(&self, bytes: &[u8]) -> Vec<(String, usize)> {
        // Every SQL file of a tree passes here: search a lower-cased copy with a
        // case-sensitive automaton, which runs vectorized, unlike a case-insensitive one.
        thread_local! {
            static LOWERED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let hits: Vec<(usize, usize, usize)> = LOWERED.with(|cell| {
            let mut lowered = cell.borrow_mut();
            lowered.clear();
            lowered.extend_from_slice(bytes);
            lowered.make_ascii_lowercase();
            KEYWORDS
                .find_iter(lowered.as_slice())
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect()
        });
        let mut sites = Vec::new();
        for (start, end, pattern) in hits {
            if start > 0 && is_word(bytes[start - 1]) {
                continue;
            }
            let mut words = Words { bytes, at: end };
            if !words.space() {
                continue;
            }
            let defines = pattern == 0;
            let mut word = words.word();
            if defines {
                while word.as_deref().is_some_and(|w| MODIFIERS.contains(&w)) {
                    word = words.word();
                }
            }
            if !matches!(word.as_deref(), Some("table") | Some("view") if defines || word.as_deref() == Some("table"))
            {
                continue;
            }
            if let Some(name) = words.table_name() {
                sites.push((name, start));
            }
        }
        sites
    }
}

static KEYWORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(["create", "alter"])
        .expect("two literal patterns")
});

/// A cursor over the words of DDL, skipping whitespace and comments.
struct Words<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Words<'_> {
    /// Skips whitespace and comments; false if there was none.
    fn space(&mut self) -> bool {
        let start = self.at;
        loop {
            let rest = &self.bytes[self.at..];
            if rest.first().is_some_and(|b| b.is_ascii_whitespace()) {
                self.at += 1;
            } else if rest.starts_with(b"--") {
                self.at += rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
            } else if rest.starts_with(b"/*") {
                self.at += rest.windows(2).position(|w| w == b"*/").map_or(rest.len(), |p| p + 2);
            } else {
                return self.at > start;
            }
        }
    }

    /// The next bare word, lower-cased.
    fn word(&mut self) -> Option<String> {
        self.space();
        let len = self.bytes[self.at..].iter().take_while(|b| is_word(**b)).count();
        let word = std::str::from_utf8(&self.bytes[self.at..self.at + len]).ok()?.to_ascii_lowercase();
        self.at += len;
        (len > 0).then_some(word)
    }

    /// `[IF [NOT] EXISTS] [ONLY] a.b."c"`: the last part of the name, lower-cased.
    fn table_name(&mut self) -> Option<String> {
        let mut save = self.at;
        while let Some(w) = self.word() {
            if !matches!(w.as_str(), "if" | "not" | "exists" | "only") {
                break;
            }
            save = self.at;
        }
        self.at = save;
        self.space();
        let mut last = None;
        loop {
            let rest = &self.bytes[self.at..];
            let (part, len) = match rest.first()? {
                b'"' | b'`' | b'[' => {
                    let close = if rest[0] == b'[' { b']' } else { rest[0] };
                    let end = rest[1..].iter().position(|b| *b == close)? + 1;
                    (std::str::from_utf8(&rest[1..end]).ok()?.to_lowercase(), end + 1)
                }
                _ => {
                    let len = rest.iter().take_while(|b| is_word(**b)).count();
                    (std::str::from_utf8(&rest[..len]).ok()?.to_ascii_lowercase(), len)
                }
            };
            if part.is_empty() {
                return last;
            }
            last = Some(part);
            self.at += len;
            if self.bytes.get(self.at) != Some(&b'.') {
                return last;
            }
            self.at += 1;
        }
    }
}

/// The length of the statement at the start of `bytes`: up to its `;` outside quotes,
/// comments and dollar-quoted bodies, or the end.
fn statement_end(bytes: &[u8]) -> usize {
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        i += match rest[0] {
            b';' => return i + 1,
            b'\'' | b'"' | b'`' => rest[1..].iter().position(|b| *b == rest[0]).map_or(rest.len(), |p| p + 2),
            b'-' if rest.starts_with(b"--") => rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len()),
            b'/' if rest.starts_with(b"/*") => {
                rest.windows(2).position(|w| w == b"*/").map_or(rest.len(), |p| p + 2)
            }
            b'$' if rest.starts_with(b"$$") => {
                rest[2..].windows(2).position(|w| w == b"$$").map_or(rest.len(), |p| p + 4)
            }
            _ => 1,
        };
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(tables: &[CatalogTable]) -> Vec<String> {
        tables
            .iter()
            .map(|t| {
                let cols: Vec<&str> = t.columns.iter().map(|c| c.value.as_str()).collect();
                format!("{}({})", t.name, cols.join(", "))
            })
            .collect()
    }

    #[test]
    fn tables_views_and_added_columns() {
        let ddl = "\\set ON_ERROR_STOP on\nCREATE TABLE users (id BIGINT, user_name TEXT);\n\
                   ALTER TABLE users ADD COLUMN age INT;\n\
                   CREATE VIEW active AS SELECT u.id, user_name AS login FROM users u;\n\
                   CREATE VIEW opaque AS SELECT * FROM users;\n\
                   CREATE TABLE analytics.orders AS SELECT id, total FROM raw_orders;";
        assert_eq!(
            names(&tables_of(ddl, Dialect::Generic)),
            vec!["users(id, user_name, age)", "active(id, login)", "analytics.orders(id, total)"]
        );
    }

    #[test]
    fn defining_statements_are_indexed_by_table_name() {
        let s = SqlCatalogSource;
        let text = "-- schema\nCREATE TABLE IF NOT EXISTS app.\"Users\" (id INT);\n\
                    create or replace view v_orders as select 1 as x;\n\
                    CREATE INDEX i ON t (a);\ncreate_engine(url);\n\
                    ALTER TABLE ONLY orders ADD COLUMN total INT;\nALTER INDEX i RENAME TO j;";
        let file = SourcePath { path: "schema.sql".into(), relative: "schema.sql".into(), lang: Lang::Sql };
        let sites = s.index(&file, text.as_bytes());
        let names: Vec<&str> = sites.iter().map(|site| site.table.as_str()).collect();
        assert_eq!(names, vec!["users", "v_orders", "orders"]);
        let source = SourceText::from_text(file, text);
        let read: Vec<String> = sites
            .iter()
            .filter_map(|site| s.read(&source, site.offset, Dialect::Generic))
            .map(|e| match e {
                CatalogEntry::Defines(t) => format!("defines {}", names_of(&t)),
                CatalogEntry::Extends(t) => format!("extends {}", names_of(&t)),
            })
            .collect();
        assert_eq!(read, vec!["defines app.\"Users\"(id)", "defines v_orders(x)", "extends orders(total)"]);
    }

    fn names_of(t: &CatalogTable) -> String {
        let cols: Vec<&str> = t.columns.iter().map(|c| c.value.as_str()).collect();
        format!("{}({})", t.name, cols.join(", "))
    }

    #[test]
    fn statement_ends_skip_quotes_comments_and_bodies() {
        assert_eq!(statement_end(b"create table a (b text default ';'); x"), 36);
        assert_eq!(statement_end(b"create function f() as $$ a; b $$; x"), 34);
        assert_eq!(statement_end(b"create table t -- ;\n (a int)"), 28);
    }
}
