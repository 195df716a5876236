//! What is known of table columns, from `--catalog` DDL and DDL found in scanned repos.

use crate::change::{Ident, TableName};

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub tables: Vec<CatalogTable>,
}

#[derive(Debug, Clone)]
pub struct CatalogTable {
    pub name: TableName,
    pub columns: Vec<Ident>,
}

impl Catalog {
    /// The known columns of the table a reference names, if the catalog knows it.
    pub fn columns_of(&self, reference: &[(&str, bool)]) -> Option<&[Ident]> {
        self.tables
            .iter()
            .find(|t| t.name.matches_parts(reference) != crate::change::TableMatch::No)
            .map(|t| t.columns.as_slice())
    }

    pub fn add(&mut self, table: CatalogTable) {
        if let Some(existing) = self.tables.iter_mut().find(|t| t.name == table.name) {
            for c in table.columns {
                if !existing.columns.contains(&c) {
                    existing.columns.push(c);
                }
            }
        } else {
            self.tables.push(table);
        }
    }
}
