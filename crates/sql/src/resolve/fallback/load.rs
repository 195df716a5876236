//! Snowflake `COPY INTO t [(a, b)] FROM @stage` and `FROM (SELECT $1, $2 FROM @stage)`:
//! the target's column list names its columns, as an INSERT's does; without one the load
//! goes by position. The staged file's columns (`$1`, `$1:key`) are data, not names.

use super::super::scope::{Place, TableRole};
use super::build::{Builder, R};
use sqlparser::ast::helpers::stmt_data_loading::StageLoadSelectItemKind;
use sqlparser::ast::{Ident, ObjectName};

impl Builder<'_> {
    pub fn copy_into(
        &mut self,
        into: &ObjectName,
        columns: Option<&[Ident]>,
        items: Option<&[StageLoadSelectItemKind]>,
    ) -> R<()> {
        let t = self.table_ref(into, TableRole::Target)?;
        match columns {
            Some(cols) => {
                for c in cols {
                    self.owned(c, t, Place::InsertColumn)?;
                }
            }
            None => self.m.positional_inserts.push(t),
        }
        let scope = self.new_scope(None);
        self.copy_target = Some(t);
        for item in items.unwrap_or_default() {
            match item {
                StageLoadSelectItemKind::SelectItem(si) => self.select_item(si, scope)?,
                StageLoadSelectItemKind::StageLoadSelectItem(s) => {
                    for id in s.alias.iter().chain(&s.item_as) {
                        self.claim(id)?;
                    }
                    if let Some(field) = &s.element {
                        let part = self.name(field)?;
                        self.m.stage_fields.push((t, part));
                    }
                }
            }
        }
        self.copy_target = None;
        Ok(())
    }
}
