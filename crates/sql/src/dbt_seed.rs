//! dbt seeds: a CSV file of a dbt project is the dataset its stem names, and its header's
//! fields are that dataset's columns. A renamed column is renamed in the header at the
//! exact span of the field's content (inside its quotes), so quoting, line endings and every
//! row stay as they were; a dropped or retyped column is reported, since the rows would
//! need a field removed or their values checked.

use crate::dbt::seeds::header;
use crate::ids::DBT_SEED_HEADER;
use ripple_core::{Change, Confidence, Lang, Rule, RuleContext, RuleOutput, Severity, SourceFile, TableName};
use std::path::Path;

/// The rule that renames and reports the columns of a seed's CSV header.
pub struct DbtSeed;

impl Rule for DbtSeed {
    fn id(&self) -> &str {
        DBT_SEED_HEADER.id
    }

    fn language(&self) -> Lang {
        Lang::Csv
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        out.extend(analyse(file.path, file.text, ctx.changes));
    }
}

/// How surely `table` names the seed of file `path`: by its stem alone, or by a name whose
/// last part is the stem (a schema ripple cannot check here; the dbt stage checks it).
fn names_seed(path: &Path, table: &TableName) -> Option<Confidence> {
    let stem = path.file_stem()?.to_str()?;
    table.name().matches(stem, false).then_some(match table.parts.len() {
        1 => Confidence::Certain,
        _ => Confidence::Likely,
    })
}

/// The edits and findings of one seed's CSV text for a change set.
pub fn analyse(path: &Path, text: &str, changes: &ripple_core::ChangeSet) -> RuleOutput {
    let mut out = RuleOutput::default();
    let fields = header(path, text);
    for (i, change) in changes.iter() {
        let Some(conf) = names_seed(path, change.table()) else { continue };
        let Some(column) = change.column() else { continue };
        for field in fields.iter().filter(|f| column.matches(&f.name, false)) {
            let span = (field.at.start, field.at.end);
            let quoted = text[..span.0].ends_with('"');
            match change {
                Change::RenameColumn { to, .. } => {
                    let plain = !to.value.contains([',', '"', '\n', '\r']) && to.value.trim() == to.value;
                    if quoted || plain {
                        out.edit(span, to.value.replace('"', "\"\""), DBT_SEED_HEADER.id, i, conf);
                    } else {
                        out.finding(span, DBT_SEED_HEADER.id, Some(i), Severity::Review, format!(
                            "column {} of this seed is renamed to {to}, which its unquoted header field cannot hold; rename it by hand",
                            field.name
                        ));
                    }
                }
                Change::DropColumn { .. } => out.finding(span, DBT_SEED_HEADER.id, Some(i), Severity::Review, format!(
                    "column {} of this seed is dropped; remove its field from the header and every row by hand",
                    field.name
                )),
                Change::ChangeType { to, .. } => out.finding(span, DBT_SEED_HEADER.id, Some(i), Severity::Review, format!(
                    "column {} of this seed changes type to {to}; check its values (and its column_types config) by hand",
                    field.name
                )),
                Change::RenameTable { .. } => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ripple_core::{ChangeSet, Ident};

    fn rename(table: &str, from: &str, to: &str) -> ChangeSet {
        ChangeSet::new(vec![Change::RenameColumn {
            table: TableName::parse(table),
            from: Ident::parse(from),
            to: Ident::parse(to),
        }])
    }

    fn apply(text: &str, out: &RuleOutput) -> String {
        let mut t = text.to_string();
        for e in out.edits.iter().rev() {
            t.replace_range(e.start..e.end, &e.replacement);
        }
        t
    }

    #[test]
    fn the_header_field_follows_in_its_quoting() {
        let path = Path::new("seeds/raw_customers.csv");
        let text = "id,\"first_name\",last_name\r\n1,Ann,Last_name\r\n";
        let out = analyse(path, text, &rename("raw_customers", "last_name", "surname"));
        assert_eq!(apply(text, &out), "id,\"first_name\",surname\r\n1,Ann,Last_name\r\n");
        let out = analyse(path, text, &rename("raw_customers", "first_name", "given name"));
        assert_eq!(apply(text, &out), "id,\"given name\",last_name\r\n1,Ann,Last_name\r\n");
        // Another seed's column, and a name an unquoted field cannot hold.
        assert!(analyse(path, text, &rename("raw_orders", "last_name", "surname")).edits.is_empty());
        let out = analyse(path, text, &rename("raw_customers", "last_name", "a,b"));
        assert!(out.edits.is_empty());
        assert_eq!(out.findings.len(), 1);
    }

    #[test]
    fn a_drop_is_a_finding() {
        let change =
            Change::DropColumn { table: TableName::parse("raw.raw_customers"), column: Ident::parse("id") };
        let out = analyse(Path::new("raw_customers.csv"), "id,name\n1,a\n", &ChangeSet::new(vec![change]));
        assert!(out.edits.is_empty());
        assert_eq!(out.findings.len(), 1);
    }
}
