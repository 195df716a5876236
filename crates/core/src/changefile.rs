//! Loading change files (YAML or JSON) with every error located at file:line:column.
//!
//! JSON is valid YAML 1.2, so one parser reads both. The whole file is checked before
//! anything is reported, so a user sees every mistake at once.

mod item;
mod names;
#[cfg(test)]
mod tests;
mod validate;

pub use names::{parse_column_name, parse_table_name};
pub use validate::validate_changes;

use crate::change::{ChangeSet, Origin};
use crate::error::{InputError, InputErrors};
use crate::suggest;
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::path::Path;

/// Parses and validates a change file's text. `path` is only used in messages.
pub fn parse_change_file(path: &Path, text: &str) -> Result<ChangeSet, InputErrors> {
    let mut report = Report::new(path);
    let docs = match MarkedYaml::load_from_str(text) {
        Ok(docs) => docs,
        Err(e) => {
            let mark = e.marker();
            let message = format!("invalid YAML: {}", e.info());
            return Err(InputError::at(path, mark.line().max(1), mark.col() + 1, message).into());
        }
    };
    let set = match docs.first() {
        None => {
            report.at_line(1, 1, "the change file is empty: expected a `changes:` list");
            ChangeSet::default()
        }
        Some(root) => {
            if let Some(extra) = docs.get(1) {
                report.node(extra, "a change file holds one YAML document; another one starts here");
            }
            read_root(root, &mut report)
        }
    };
    report.errors.extend(validate_changes(path, &set));
    report.finish(set)
}

/// Reads and parses a change file.
pub fn load_change_file(path: &Path) -> Result<ChangeSet, InputErrors> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::file(path, format!("cannot read change file: {e}")))?;
    parse_change_file(path, &text)
}

/// Collects located errors while the file is read.
struct Report<'p> {
    path: &'p Path,
    errors: Vec<InputError>,
}

impl<'p> Report<'p> {
    fn new(path: &'p Path) -> Self {
        Report { path, errors: Vec::new() }
    }

    fn at_line(&mut self, line: usize, column: usize, message: impl Into<String>) {
        self.errors.push(InputError::at(self.path, line, column, message));
    }

    fn node(&mut self, node: &MarkedYaml, message: impl Into<String>) {
        let origin = origin_of(node);
        self.at_line(origin.line, origin.column, message);
    }

    fn finish(mut self, set: ChangeSet) -> Result<ChangeSet, InputErrors> {
        if self.errors.is_empty() {
            return Ok(set);
        }
        self.errors.sort_by_key(|e| (e.line, e.column));
        Err(InputErrors(self.errors))
    }
}

/// saphyr lines are 1-based and columns 0-based; ripple reports both 1-based.
fn origin_of(node: &MarkedYaml) -> Origin {
    let start = node.span.start;
    Origin { line: start.line().max(1), column: start.col() + 1 }
}

fn read_root(root: &MarkedYaml, report: &mut Report) -> ChangeSet {
    let YamlData::Mapping(map) = &root.data else {
        let found = describe(root);
        report
            .node(root, format!("expected a mapping with a `changes:` list at the top level, found {found}"));
        return ChangeSet::default();
    };
    let mut changes = None;
    for (key, value) in map {
        match as_str(key) {
            Some("changes") => changes = Some(value),
            Some(other) => {
                let hint = suggest::closest(other, &["changes"]).map(|s| format!(" (did you mean `{s}`?)"));
                let message = format!("unknown top-level field `{other}`{}", hint.unwrap_or_default());
                report.node(key, message);
            }
            None => report.node(key, format!("field names must be strings, found {}", describe(key))),
        }
    }
    match changes {
        None => {
            report.node(root, "missing `changes`: the top level needs a `changes:` list");
            ChangeSet::default()
        }
        Some(list) => read_changes(list, report),
    }
}

fn read_changes(list: &MarkedYaml, report: &mut Report) -> ChangeSet {
    let YamlData::Sequence(items) = &list.data else {
        report.node(list, format!("`changes` must be a list of changes, found {}", describe(list)));
        return ChangeSet::default();
    };
    if items.is_empty() {
        report.node(list, "`changes` is empty: list at least one change");
    }
    let mut set = ChangeSet::default();
    for (index, node) in items.iter().enumerate() {
        if let Some(change) = item::read_change(index, node, report) {
            set.changes.push(change);
            set.origins.push(origin_of(node));
        }
    }
    set
}

/// The text of a string scalar.
fn as_str<'a>(node: &'a MarkedYaml) -> Option<&'a str> {
    match &node.data {
        YamlData::Value(Scalar::String(s)) => Some(s.as_ref()),
        _ => None,
    }
}

/// What a node is, for messages ("found a list").
fn describe(node: &MarkedYaml) -> &'static str {
    match &node.data {
        YamlData::Value(Scalar::String(_)) | YamlData::Representation(..) => "a string",
        YamlData::Value(Scalar::Integer(_) | Scalar::FloatingPoint(_)) => "a number",
        YamlData::Value(Scalar::Boolean(_)) => "a boolean",
        YamlData::Value(Scalar::Null) => "nothing",
        YamlData::Sequence(_) => "a list",
        YamlData::Mapping(_) => "a mapping",
        YamlData::Tagged(..) => "a tagged value",
        YamlData::Alias(_) => "an alias",
        YamlData::BadValue => "an invalid value",
    }
}
