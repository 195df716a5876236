//! Stage 3, the catalog: the `--catalog` tables, and the table definitions the read stage
//! indexed, read from the kept text when a rule first asks about their table.

use super::RuleSet;
use crate::catalog::{Catalog, CatalogEntry, SiteText};
use crate::change::TableName;
use crate::discover::SourcePath;
use crate::lang::Lang;
use crate::rule::Dialect;
use crate::source::SourceText;
use crate::table_layout::TableLayouts;
use std::sync::Arc;

/// Learns table columns from the DDL of scanned files (CREATE TABLE, views), so rules can
/// resolve unqualified columns in joins. The engine indexes every file cheaply and reads a
/// statement only when a rule asks about its table.
pub trait CatalogSource: Send + Sync {
    /// The language of the files it reads.
    fn language(&self) -> Lang;

    /// A cheap scan of a file's bytes as on disk: each statement that may define or extend
    /// a table. Most files have none.
    fn index(&self, file: &SourcePath, bytes: &[u8]) -> Vec<CatalogSite>;

    /// Reads the statement at `offset` of a file indexed before.
    fn read(&self, source: &SourceText, offset: usize, dialect: Dialect) -> Option<CatalogEntry>;

    /// Reads a whole file that defines `table` by its place (a table layout): the table's
    /// columns, if the file's final statement names them all.
    fn read_placed(
        &self,
        _source: &SourceText,
        _table: &TableName,
        _dialect: Dialect,
    ) -> Option<CatalogEntry> {
        None
    }
}

/// The offset of the site of a file a table layout names: the whole file defines the table.
pub const PLACED_SITE: usize = usize::MAX - 1;

/// A statement that may define or extend a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogSite {
    /// The table's lower-cased name.
    pub table: String,
    /// The statement's byte offset in the file as on disk (a source may use offsets past
    /// the end for whole-file definitions, such as a dbt model).
    pub offset: usize,
}

/// The catalog the rules consult: the request's, plus the indexed sites of the read files
/// when `indexed` (column changes need other tables' columns to resolve joins). `files` are
/// the texts the read stage kept, each with the sites it indexed.
pub(super) fn build_catalog<'a>(
    rules: &RuleSet,
    given: &Catalog,
    files: impl Iterator<Item = (SiteText, &'a [CatalogSite])>,
    indexed: bool,
    dialect: Dialect,
    layouts: &TableLayouts,
) -> Catalog {
    let mut catalog = given.clone();
    if !indexed {
        return catalog;
    }
    for (source, sites) in files {
        for site in sites {
            catalog.add_site(&site.table, source.clone(), site.offset);
        }
    }
    let sources = rules.catalog_sources().to_vec();
    let layouts = layouts.clone();
    catalog.set_reader(Arc::new(move |source: &SourceText, offset: usize| -> Option<CatalogEntry> {
        let lang = source.file.lang;
        let mut of_lang = sources.iter().filter(|s| s.language() == lang);
        if offset == PLACED_SITE {
            let table = layouts.table_of(&source.file.relative, &source.file.path)?;
            return of_lang.find_map(|s| s.read_placed(source, &table, dialect));
        }
        of_lang.find_map(|s| s.read(source, offset, dialect))
    }));
    catalog
}
