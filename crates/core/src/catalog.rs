//! What is known of table columns, from `--catalog` DDL (given up front) and from DDL found
//! in scanned repos. Scanned DDL is indexed cheaply by table name and read only when a rule
//! asks about that table, so a large tree of DDL that no changed query joins costs a scan,
//! never a parse.

use crate::change::{Ident, TableMatch, TableName};
use crate::discover::SourcePath;
use crate::source::{FileStat, SourceText};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// A table and its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogTable {
    /// The table's name, as qualified as its definition wrote it.
    pub name: TableName,
    /// Its columns, in definition order.
    pub columns: Vec<Ident>,
    /// Its columns numbered by a sequence the table owns (`SERIAL`, `BIGSERIAL`,
    /// `GENERATED ... AS IDENTITY`), which Postgres names `<table>_<column>_seq`.
    pub serial: Vec<Ident>,
}

impl CatalogTable {
    /// A table with these columns, none of them serial.
    pub fn new(name: TableName, columns: Vec<Ident>) -> Self {
        CatalogTable { name, columns, serial: Vec::new() }
    }
}

/// What one DDL statement says about a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogEntry {
    /// CREATE TABLE / CREATE VIEW: every column.
    Defines(CatalogTable),
    /// ALTER TABLE ... ADD COLUMN: columns added to a table defined elsewhere.
    Extends(CatalogTable),
}

/// Reads the DDL statement at a byte offset of a file.
pub type SiteReader = dyn Fn(&SourceText, usize) -> Option<CatalogEntry> + Send + Sync;

/// What is known of table columns: given up front, or indexed in scanned files.
#[derive(Clone, Default)]
pub struct Catalog {
    /// Known up front (`--catalog`); these win over scanned DDL.
    pub tables: Vec<CatalogTable>,
    /// Scanned DDL by lower-cased table name, read on first use.
    sites: HashMap<String, Sites>,
    reader: Option<Arc<SiteReader>>,
}

/// The text a site is read from: kept by the read stage (the file is relevant or read in
/// full by an expander), or read again from disk when a rule first asks about the site's
/// table. Files that only define tables are not kept: on a big tree they are most of the
/// bytes, and most of their tables are never asked about.
#[derive(Clone)]
pub enum SiteText {
    /// The text the read stage kept.
    Kept(Arc<SourceText>),
    /// A file whose text was not kept.
    OnDisk(SourcePath),
}

impl SiteText {
    fn path(&self) -> &std::path::Path {
        match self {
            SiteText::Kept(s) => s.path(),
            SiteText::OnDisk(f) => &f.path,
        }
    }

    /// The text; a file that cannot be read again, or is not UTF-8, defines nothing.
    fn load(&self) -> Option<Arc<SourceText>> {
        match self {
            SiteText::Kept(s) => Some(Arc::clone(s)),
            SiteText::OnDisk(f) => {
                let bytes = std::fs::read(&f.path).ok()?;
                let stat = FileStat { len: bytes.len() as u64 };
                SourceText::new(f.clone(), bytes, stat).ok().map(Arc::new)
            }
        }
    }
}

#[derive(Clone, Default)]
struct Sites {
    /// The file each site is in, and its offset there.
    at: Vec<(SiteText, usize)>,
    loaded: OnceLock<Vec<CatalogTable>>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog").field("tables", &self.tables).field("indexed", &self.sites.len()).finish()
    }
}

impl Catalog {
    /// The known columns of the table a reference names, if the catalog knows it.
    pub fn columns_of(&self, reference: &[(&str, bool)]) -> Option<&[Ident]> {
        self.table(reference).map(|t| t.columns.as_slice())
    }

    /// What is known of the table a reference names, if the catalog knows it.
    pub fn table(&self, reference: &[(&str, bool)]) -> Option<&CatalogTable> {
        let matches = |t: &&CatalogTable| t.name.matches_parts(reference) != TableMatch::No;
        if let Some(t) = self.tables.iter().find(matches) {
            return Some(t);
        }
        let sites = self.sites.get(&reference.last()?.0.to_lowercase())?;
        let reader = self.reader.as_ref()?;
        let tables = sites.loaded.get_or_init(|| read_sites(&sites.at, reader.as_ref()));
        tables.iter().find(matches)
    }

    /// Adds a table known up front, merging columns with an entry of the same name.
    pub fn add(&mut self, table: CatalogTable) {
        if let Some(existing) = self.tables.iter_mut().find(|t| t.name == table.name) {
            merge_columns(existing, table);
        } else {
            self.tables.push(table);
        }
    }

    /// Records that the statement at `offset` of `source` may define or extend `table`.
    pub fn add_site(&mut self, table: &str, source: SiteText, offset: usize) {
        self.sites.entry(table.to_lowercase()).or_default().at.push((source, offset));
    }

    /// How indexed sites are read when a rule first asks about their table.
    pub fn set_reader(&mut self, reader: Arc<SiteReader>) {
        self.reader = Some(reader);
    }
}

fn merge_columns(table: &mut CatalogTable, other: CatalogTable) {
    for c in other.columns {
        if !table.columns.contains(&c) {
            table.columns.push(c);
        }
    }
    for c in other.serial {
        if !table.serial.contains(&c) {
            table.serial.push(c);
        }
    }
}

/// Tables defined at the sites, extended by the ALTERs among them. An extension of a table
/// with no readable definition is dropped: a partial column list would prove an absence
/// that is not there.
fn read_sites(sites: &[(SiteText, usize)], reader: &SiteReader) -> Vec<CatalogTable> {
    // A file with several sites is read once.
    let mut loaded: HashMap<&std::path::Path, Option<Arc<SourceText>>> = HashMap::new();
    let entries: Vec<CatalogEntry> = sites
        .iter()
        .filter_map(|(s, o)| {
            let text = loaded.entry(s.path()).or_insert_with(|| s.load()).clone()?;
            reader(&text, *o)
        })
        .collect();
    let mut tables: Vec<CatalogTable> = Vec::new();
    for e in &entries {
        if let CatalogEntry::Defines(t) = e {
            match tables.iter_mut().find(|x| x.name == t.name) {
                Some(existing) => merge_columns(existing, t.clone()),
                None => tables.push(t.clone()),
            }
        }
    }
    for e in entries {
        if let CatalogEntry::Extends(t) = e {
            if let Some(existing) = tables.iter_mut().find(|x| x.name == t.name) {
                merge_columns(existing, t);
            }
        }
    }
    tables
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn source(path: &str) -> SiteText {
        let file = SourcePath { path: path.into(), relative: path.into(), lang: Lang::Sql };
        SiteText::Kept(Arc::new(SourceText::from_text(file, "")))
    }

    fn table(name: &str, cols: &[&str]) -> CatalogTable {
        CatalogTable::new(TableName::parse(name), cols.iter().map(|c| Ident::new(*c)).collect())
    }

    #[test]
    fn sites_are_read_once_on_first_use_and_extensions_need_a_definition() {
        let reads = Arc::new(AtomicUsize::new(0));
        let counter = reads.clone();
        let mut catalog = Catalog::default();
        catalog.add_site("orders", source("a.sql"), 0);
        catalog.add_site("orders", source("b.sql"), 7);
        catalog.add_site("ghosts", source("b.sql"), 40);
        catalog.set_reader(Arc::new(move |source: &SourceText, offset: usize| {
            counter.fetch_add(1, Ordering::SeqCst);
            match (source.path().to_str()?, offset) {
                ("a.sql", 0) => Some(CatalogEntry::Defines(table("orders", &["id", "total"]))),
                ("b.sql", 7) => Some(CatalogEntry::Extends(table("orders", &["user_id"]))),
                ("b.sql", 40) => Some(CatalogEntry::Extends(table("ghosts", &["x"]))),
                _ => None,
            }
        }));
        assert_eq!(reads.load(Ordering::SeqCst), 0, "nothing is read until asked");
        let cols: Vec<&str> =
            catalog.columns_of(&[("ORDERS", false)]).unwrap().iter().map(|c| c.value.as_str()).collect();
        assert_eq!(cols, vec!["id", "total", "user_id"]);
        catalog.columns_of(&[("orders", false)]);
        assert_eq!(reads.load(Ordering::SeqCst), 2, "each site is read once");
        assert!(catalog.columns_of(&[("ghosts", false)]).is_none());
        assert!(catalog.columns_of(&[("users", false)]).is_none());
    }

    #[test]
    fn tables_given_up_front_win() {
        let mut catalog = Catalog::default();
        catalog.add(table("analytics.orders", &["id"]));
        catalog.add_site("orders", source("a.sql"), 0);
        catalog.set_reader(Arc::new(|_: &SourceText, _| {
            Some(CatalogEntry::Defines(table("orders", &["id", "x"])))
        }));
        assert_eq!(catalog.columns_of(&[("orders", false)]).unwrap().len(), 1);
    }
}
