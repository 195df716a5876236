//! After the plan: the change set checked against what the tree knows, so that a misspelled
//! column or a wrong path does not pass as "nothing to do".

use crate::catalog::Catalog;
use crate::change::Change;
use crate::plan::{Plan, Warning};
use crate::suggest::closest;
use std::path::PathBuf;

/// The warnings of `plan`: nothing to scan under `roots`; a change whose table the catalog
/// knows without its column; a change that no edit and no finding is about.
pub(super) fn check(plan: &Plan, catalog: &Catalog, roots: &[PathBuf]) -> Vec<Warning> {
    if plan.summary.files_scanned == 0 {
        let roots = roots.iter().map(|r| r.display().to_string()).collect::<Vec<_>>().join(", ");
        let message = format!("no files to scan under {roots}: no file of a language ripple reads");
        return vec![Warning { message, change: None }];
    }
    let referenced = referenced(plan);
    let mut warnings = Vec::new();
    for (i, change) in plan.changes.iter().enumerate() {
        if change.derived_from.is_some() {
            continue;
        }
        if let Some(message) = unknown_column(change, catalog) {
            warnings.push(Warning { message, change: Some(i) });
        }
        if !referenced[i] {
            let message = format!(
                "{}: no edit and no finding is about this change; is a name misspelled, or the path wrong?",
                change.change
            );
            warnings.push(Warning { message, change: Some(i) });
        }
    }
    warnings
}

/// For each change, whether an edit or a finding is about it or about a change derived from it.
fn referenced(plan: &Plan) -> Vec<bool> {
    let mut referenced = vec![false; plan.changes.len()];
    let edits = plan.files.iter().flat_map(|f| f.edits.iter().map(|e| e.change));
    for mut i in edits.chain(plan.findings.iter().filter_map(|f| f.change)) {
        while let Some(slot) = referenced.get_mut(i) {
            *slot = true;
            match plan.changes[i].derived_from {
                Some(from) if from != i => i = from,
                _ => break,
            }
        }
    }
    referenced
}

/// "users has no column user_nme; did you mean user_name?" when the catalog knows the table.
fn unknown_column(change: &Change, catalog: &Catalog) -> Option<String> {
    let column = change.column()?;
    let table = change.table();
    let parts: Vec<(&str, bool)> = table.parts.iter().map(|p| (p.value.as_str(), p.quoted)).collect();
    let columns = catalog.columns_of(&parts)?;
    if columns.iter().any(|c| column.matches(&c.value, c.quoted)) {
        return None;
    }
    if let Change::RenameColumn { to, .. } = change {
        if columns.iter().any(|c| to.matches(&c.value, c.quoted)) {
            return Some(format!(
                "{change}: {table} has no column {column} but has {to}: is the change applied already?"
            ));
        }
    }
    let names: Vec<&str> = columns.iter().map(|c| c.value.as_str()).collect();
    let hint = match (closest(&column.value, &names), change) {
        (Some(near), _) => format!("; did you mean {near}?"),
        (None, Change::DropColumn { .. }) => "; is it dropped already?".to_string(),
        (None, _) => String::new(),
    };
    Some(format!("{change}: {table} has no column {column} in the catalog{hint}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CatalogTable;
    use crate::change::{Ident, TableName};
    use crate::plan::{PlanChange, Summary};

    fn users() -> Catalog {
        let mut catalog = Catalog::default();
        catalog.add(CatalogTable::new(
            TableName { parts: vec![Ident::new("users")] },
            vec![Ident::new("id"), Ident::new("user_name")],
        ));
        catalog
    }

    fn drop(column: &str) -> Change {
        Change::DropColumn {
            table: TableName { parts: vec![Ident::new("users")] },
            column: Ident::new(column),
        }
    }

    fn plan(changes: Vec<Change>, files_scanned: usize) -> Plan {
        Plan {
            version: 1,
            changes: changes.into_iter().map(PlanChange::from).collect(),
            files: Vec::new(),
            moves: Vec::new(),
            findings: Vec::new(),
            warnings: Vec::new(),
            suggested_migration: Vec::new(),
            summary: Summary { files_scanned, ..Summary::default() },
        }
    }

    #[test]
    fn a_misspelled_column_gets_the_nearest_one() {
        let message = unknown_column(&drop("user_nme"), &users()).unwrap();
        assert!(
            message.ends_with("users has no column user_nme in the catalog; did you mean user_name?"),
            "{message}"
        );
        assert_eq!(unknown_column(&drop("USER_NAME"), &users()), None, "unquoted names fold case");
        assert_eq!(unknown_column(&drop("x"), &Catalog::default()), None, "an unknown table says nothing");
    }

    #[test]
    fn an_unreferenced_change_and_an_empty_tree_are_warned_about() {
        let warnings = check(&plan(vec![drop("id")], 3), &users(), &[]);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].change, Some(0));
        assert!(warnings[0].message.contains("no edit and no finding"), "{}", warnings[0].message);

        let warnings = check(&plan(vec![drop("id")], 0), &users(), &["empty".into()]);
        assert_eq!(
            warnings,
            vec![Warning {
                message: "no files to scan under empty: no file of a language ripple reads".into(),
                change: None
            }]
        );
    }
}
