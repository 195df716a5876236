//! A dropped column of a model, seed or snapshot. Its readers through `ref()` are review
//! findings, never edits: taking the column out of a reader's own result would change that
//! model's outputs in turn, for its readers and its YAML. A dropped model column whose
//! select item the plan removed: its YAML column entry goes too, the whole block (`- name:` with its tests and description) at its exact lines, so
//! the properties file keeps describing what the model produces. Comments around the
//! block stay. An entry whose block cannot be bounded with certainty (flow style, the only
//! entry of its list, a block scalar running past it) stays a finding.

use super::matching::spells;
use super::rename::plan_path;
use super::yaml::{get, items, str_of, Offsets};
use super::{match_table, read_disk, rewritten, same_path, NodeKind, Project};
use crate::ids::{DBT_COLUMNS, DROPPED_COLUMN};
use ripple_core::plan::{Plan, PlanFinding};
use ripple_core::{Change, Confidence, Edit, Lang, Severity};
use saphyr::{LoadableYamlNode, MarkedYaml, YamlData};
use std::path::PathBuf;

/// The edits that take a dropped column of a dbt dataset out of its readers' results
/// become findings.
pub(crate) fn readers_reported(plan: &mut Plan, projects: &[Project]) {
    for i in 0..plan.changes.len() {
        let Change::DropColumn { table, column } = plan.changes[i].change.clone() else { continue };
        let found = match_table(projects, &table);
        let [m] = found[..] else { continue };
        if m.node.kind == NodeKind::Source {
            continue;
        }
        let own = m.node.file.as_deref();
        let readers: Vec<PathBuf> = plan
            .files
            .iter()
            .filter(|f| {
                f.language == Lang::Sql
                    && m.project.owns(&f.path)
                    && own.is_none_or(|o| !same_path(o, &f.path))
            })
            .filter(|f| f.edits.iter().any(|e| e.change == i && e.rule == DROPPED_COLUMN.id))
            .map(|f| f.path.clone())
            .collect();
        for path in readers {
            let taken = plan.take_edits(&path, |e| e.change == i && e.rule == DROPPED_COLUMN.id);
            let message = format!(
                "column {table}.{column} is dropped; this model reads it through {} and was not changed: remove it here, and from what reads this model, by hand",
                m.node.dbt_name()
            );
            let mut told = false;
            for f in plan.findings.iter_mut().filter(|f| {
                f.change == Some(i)
                    && f.rule == DROPPED_COLUMN.id
                    && same_path(&f.path, &path)
                    && f.message.contains("removed from this result")
            }) {
                f.message = message.clone();
                told = true;
            }
            if !told {
                plan.findings.extend(taken.iter().take(1).map(|e| PlanFinding {
                    path: path.clone(),
                    line: e.line,
                    column: e.column,
                    rule: DROPPED_COLUMN.id.to_string(),
                    change: Some(i),
                    severity: Severity::Review,
                    reason: DROPPED_COLUMN.reason,
                    message: message.clone(),
                }));
                plan.findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
                plan.summary.findings = plan.findings.len();
            }
        }
    }
}

/// Removes the YAML column entries of the model columns the plan drops from their models.
pub(crate) fn remove_entries(plan: &mut Plan, roots: &[PathBuf], projects: &[Project]) {
    for i in 0..plan.changes.len() {
        let Change::DropColumn { table, column } = &plan.changes[i].change else { continue };
        let found = match_table(projects, table);
        let [m] = found[..] else { continue };
        let (Some(file), Some(entry)) = (&m.node.file, &m.node.yaml) else { continue };
        if m.node.kind != NodeKind::Model {
            continue;
        }
        // The plan took the column out of the model: its file no longer spells it.
        let (Some(after), Some(before)) = (rewritten(plan, file), read_disk(file)) else { continue };
        if !spells(&before, &column.value) || spells(&after, &column.value) {
            continue;
        }
        let Some(text) = read_disk(&entry.path) else { continue };
        let Some((span, line)) = entry_block(&text, &m.node.name, &column.value) else { continue };
        let edit = Edit {
            start: span.0,
            end: span.1,
            replacement: String::new(),
            rule: DBT_COLUMNS.id.to_string(),
            change: i,
            confidence: Confidence::Certain,
        };
        let target = plan_path(plan, roots, &entry.path);
        if plan.add_edits(&target, Lang::Yaml, vec![edit]).is_err() {
            continue;
        }
        plan.findings.retain(|f| {
            !(f.change == Some(i)
                && f.rule == DBT_COLUMNS.id
                && f.line == line
                && same_path(&f.path, &target.path))
        });
        plan.summary.findings = plan.findings.len();
    }
}

/// The byte span of the lines of column `column`'s entry in model `model`'s YAML entry, and
/// the 1-based line of its `name:`; `None` when the block cannot be bounded with certainty.
fn entry_block(text: &str, model: &str, column: &str) -> Option<((usize, usize), usize)> {
    let docs = MarkedYaml::load_from_str(text).ok()?;
    let offsets = Offsets::new(text);
    let mut found = Vec::new();
    for doc in &docs {
        for m in items(get(doc, "models")).iter().filter(|m| get(m, "name").and_then(str_of) == Some(model)) {
            let columns = items(get(m, "columns"));
            for col in columns {
                if get(col, "name").and_then(str_of).is_some_and(|n| n.eq_ignore_ascii_case(column)) {
                    found.push((col, columns.len()));
                }
            }
        }
    }
    let [(col, siblings)] = found[..] else { return None };
    if siblings < 2 {
        return None;
    }
    let start = offsets.byte(col.span.start.index());
    let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
    // Block style: the entry's line is `<indent>- ` and then the entry.
    let lead = &text[line_start..start];
    let dash = lead.find('-')?;
    if !lead[..dash].chars().all(|c| c == ' ') || !lead[dash + 1..].chars().all(char::is_whitespace) {
        return None;
    }
    let last = offsets.byte(deep_end(col)?);
    // The end of the line holding the entry's last character.
    let last = text[..last].trim_end_matches(['\n', '\r', ' ']).len();
    let end = text[last..].find('\n').map_or(text.len(), |p| last + p + 1);
    // What follows is a sibling entry or less indented; a line more indented would still be
    // the entry's (a block scalar the markers do not cover).
    let next = text[end..].lines().find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    if next.is_some_and(|l| l.len() - l.trim_start_matches(' ').len() > dash) {
        return None;
    }
    let line = text[..start].matches('\n').count() + 1;
    Some(((line_start, end), line))
}

/// The char index past the last scalar inside `node`.
fn deep_end(node: &MarkedYaml<'_>) -> Option<usize> {
    match &node.data {
        YamlData::Mapping(m) => m.iter().filter_map(|(k, v)| deep_end(k).max(deep_end(v))).max(),
        YamlData::Sequence(s) => s.iter().filter_map(deep_end).max(),
        _ => Some(node.span.end.index()),
    }
}

#[cfg(test)]
mod tests {
    use super::entry_block;

    const YAML: &str = "models:\n  - name: m\n    columns:\n      - name: a\n      # about b\n      - name: b\n        description: >\n          Folded.\n        tests:\n          - not_null\n      # about c\n      - name: c\n";

    fn removed(text: &str, column: &str) -> Option<String> {
        entry_block(text, "m", column).map(|((s, e), _)| format!("{}{}", &text[..s], &text[e..]))
    }

    #[test]
    fn the_whole_block_goes_and_comments_stay() {
        let out = removed(YAML, "b").unwrap();
        assert_eq!(out, "models:\n  - name: m\n    columns:\n      - name: a\n      # about b\n      # about c\n      - name: c\n");
        assert_eq!(removed(YAML, "c").unwrap(), "models:\n  - name: m\n    columns:\n      - name: a\n      # about b\n      - name: b\n        description: >\n          Folded.\n        tests:\n          - not_null\n      # about c\n");
    }

    #[test]
    fn unbounded_blocks_are_left() {
        assert_eq!(removed("models:\n  - name: m\n    columns:\n      - name: a\n", "a"), None);
        assert_eq!(removed("models:\n  - name: m\n    columns: [{name: a}, {name: b}]\n", "a"), None);
        assert_eq!(removed(YAML, "z"), None);
        assert_eq!(entry_block(YAML, "other", "a"), None);
    }
}
