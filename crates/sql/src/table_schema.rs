//! The `schema.yaml` beside a BigQuery ETL `query.sql`: the table's columns as `fields:`
//! entries (`name`, `type`, `mode`, nested `fields` of a RECORD). A renamed column of the
//! table the folder defines is renamed in its top-level entry's `name:` (only that scalar
//! changes); a dropped or retyped one is reported at its entry, since the schema must change
//! with the query by hand. An entry ripple cannot rewrite in place is reported.

use crate::dbt::yaml::{entry, get, items, str_of, Offsets};
use crate::dbt_yaml::replacement;
use crate::ids;
use ripple_core::plan::{Plan, PlanFinding};
use ripple_core::table_layout::names;
use ripple_core::{Change, Confidence, Lang, Rule, RuleContext, RuleOutput, Severity, SourceFile};
use saphyr::{LoadableYamlNode, MarkedYaml};
use std::path::PathBuf;

/// The rule id of table schema edits and findings.
pub const RULE: &str = ids::TABLE_SCHEMA.id;

/// The rule that follows column changes into a table's `schema.yaml`.
pub struct TableSchema;

impl Rule for TableSchema {
    fn id(&self) -> &str {
        RULE
    }

    fn language(&self) -> Lang {
        Lang::Yaml
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        let Some(placed) = ctx.placed else { return };
        let changes: Vec<(usize, &Change)> = ctx
            .changes
            .iter()
            .filter(|(_, c)| c.column().is_some() && names(c.table(), &placed.table))
            .collect();
        if changes.is_empty() {
            return;
        }
        let text = file.text;
        let docs = match MarkedYaml::load_from_str(text) {
            Ok(d) => d,
            Err(e) => {
                let at = Offsets::new(text).byte(e.marker().index());
                let msg = format!(
                    "the schema of {} does not load ({}); its columns were not checked",
                    placed.table,
                    e.info()
                );
                out.finding((at, at), RULE, None, Severity::Review, msg);
                return;
            }
        };
        let offsets = Offsets::new(text);
        for doc in &docs {
            for (i, change) in &changes {
                let column = change.column().expect("a column change");
                for field in items(get(doc, "fields")) {
                    let Some((_, name)) = entry(field, "name") else { continue };
                    let Some(value) = str_of(name).filter(|v| column.matches(v, false)) else { continue };
                    let span = offsets.span(name);
                    let table = &placed.table;
                    match change {
                        Change::RenameColumn { to, .. } => match replacement(text, span, value, &to.value) {
                            Ok(new) => out.edit(span, new, RULE, *i, Confidence::Certain),
                            Err(why) => out.finding(
                                span,
                                RULE,
                                Some(*i),
                                Severity::Review,
                                format!("field {value} of {table}'s schema is renamed to {to}, but {why}; rename it by hand"),
                            ),
                        },
                        Change::DropColumn { .. } => out.finding(
                            span,
                            RULE,
                            Some(*i),
                            Severity::Review,
                            format!("field {value} of {table} is dropped: remove its entry from the schema"),
                        ),
                        Change::ChangeType { to, .. } => {
                            let at = get(field, "type").map(|t| offsets.span(t)).unwrap_or(span);
                            let msg = format!("field {value} of {table} changes type to {to}: update its `type` in the schema");
                            out.finding(at, ids::TYPE_CHANGE_CAST.id, Some(*i), Severity::Review, msg);
                        }
                        Change::RenameTable { .. } => {}
                    }
                }
            }
        }
    }
}

/// Withdraws a `schema.yaml` rename whose `query.sql` beside it does not rename the column it
/// produces (the query reads its own table, or its output could not be renamed: a review
/// finding there for the change), so the schema never disagrees with the query that fills
/// it; the schema's entry becomes a review finding instead.
pub fn settle(plan: &mut Plan) {
    let schemas: Vec<PathBuf> = plan
        .files
        .iter()
        .filter(|f| {
            f.path.file_name().is_some_and(|n| n == "schema.yaml") && f.edits.iter().any(|e| e.rule == RULE)
        })
        .map(|f| f.path.clone())
        .collect();
    for path in schemas {
        let query = path.with_file_name("query.sql");
        let changes: Vec<usize> = plan
            .files
            .iter()
            .filter(|f| f.path == path)
            .flat_map(|f| f.edits.iter().filter(|e| e.rule == RULE).map(|e| e.change))
            .collect();
        let unsettled: Vec<usize> = changes
            .into_iter()
            .filter(|&i| {
                let edited =
                    plan.files.iter().any(|f| f.path == query && f.edits.iter().any(|e| e.change == i));
                let doubted = plan
                    .findings
                    .iter()
                    .any(|f| f.path == query && f.change == Some(i) && f.severity == Severity::Review);
                !edited || doubted
            })
            .collect();
        if unsettled.is_empty() {
            continue;
        }
        let taken = plan.take_edits(&path, |e| e.rule == RULE && unsettled.contains(&e.change));
        for e in taken {
            plan.findings.push(PlanFinding {
                path: path.clone(),
                line: e.line,
                column: e.column,
                rule: RULE.to_string(),
                change: Some(e.change),
                severity: Severity::Review,
                reason: ids::TABLE_SCHEMA.reason,
                message: format!(
                    "field {} is not renamed to {}: the query beside it still produces the old name (see its findings); rename both by hand",
                    e.before, e.after
                ),
            });
        }
    }
    plan.findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    plan.summary.findings = plan.findings.len();
}
