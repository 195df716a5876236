//! Field access on a record column (BigQuery `t.rec.field`, `rec.field`). The builders
//! record a dotted name as qualifier and column; when its leading parts name no source in
//! view, the name is a column followed by its fields. This pass moves the split to the
//! column, so the column is the one bound and rewritten, and the field names, which are
//! data of the column, never are.

use super::{Model, NamePart};

impl Model {
    /// Re-splits every dotted column name whose qualifier names no source: after the
    /// longest leading part that names one, or after the first part when that names no
    /// source and is no part of a table name the statement spells (`users.x` beside
    /// `FROM users u` stays a qualifier nobody answers to, and is reported as such).
    pub(crate) fn split_field_paths(&mut self) {
        for i in 0..self.columns.len() {
            let c = &self.columns[i];
            let Some(scope) = c.scope else { continue };
            if c.qualifier.is_empty() || self.source_named(scope, &c.qualifier).is_some() {
                continue;
            }
            let prefix =
                (1..c.qualifier.len()).rev().find(|&k| self.source_named(scope, &c.qualifier[..k]).is_some());
            let k = match prefix {
                Some(k) => k,
                None if !self.spells_table_part(&c.qualifier[0]) => 0,
                None => continue,
            };
            let c = &mut self.columns[i];
            c.name = c.qualifier.split_off(k).swap_remove(0);
            c.bare_item = false;
            // The item is a field of the column, not the column: it is named after the field.
            for sc in &mut self.scopes {
                for it in sc.items.iter_mut().filter(|it| it.column == Some(i)) {
                    it.column = None;
                }
                for it in sc.items.iter_mut().filter(|it| it.named_after.is_some_and(|(k, _)| k == i)) {
                    it.named_after = None;
                }
            }
            self.type_uses.retain(|u| u.column != i);
        }
    }

    /// Is `p` a part of a table name the statement spells?
    fn spells_table_part(&self, p: &NamePart) -> bool {
        self.tables.iter().any(|t| t.parts.iter().any(|q| q.same(p)))
    }
}
