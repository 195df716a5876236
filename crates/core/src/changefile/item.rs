//! One entry of the `changes:` list: its kind, its fields and their values.

use super::names::{parse_column_name, parse_table_name, same_spelling, same_table, NameError};
use super::{as_str, Report};
use crate::change::{Change, ChangeKind, Ident, TableName};
use crate::suggest;
use crate::yaml::describe;
use saphyr::{MarkedYaml, Scalar, YamlData};

/// What a field holds, which decides how its value is checked.
#[derive(Clone, Copy)]
enum Holds {
    Table,
    Column,
    Type,
}

struct Field {
    name: &'static str,
    holds: Holds,
    required: bool,
}

const fn field(name: &'static str, holds: Holds) -> Field {
    Field { name, holds, required: true }
}

const RENAME_COLUMN: &[Field] =
    &[field("table", Holds::Table), field("from", Holds::Column), field("to", Holds::Column)];
const CHANGE_TYPE: &[Field] = &[
    field("table", Holds::Table),
    field("column", Holds::Column),
    Field { name: "from", holds: Holds::Type, required: false },
    field("to", Holds::Type),
];
const DROP_COLUMN: &[Field] = &[field("table", Holds::Table), field("column", Holds::Column)];
const RENAME_TABLE: &[Field] = &[field("from", Holds::Table), field("to", Holds::Table)];

/// The fields each kind takes.
fn fields_of(kind: ChangeKind) -> &'static [Field] {
    match kind {
        ChangeKind::RenameColumn => RENAME_COLUMN,
        ChangeKind::ChangeType => CHANGE_TYPE,
        ChangeKind::DropColumn => DROP_COLUMN,
        ChangeKind::RenameTable => RENAME_TABLE,
    }
}

fn kind_list() -> String {
    ChangeKind::names().join(", ")
}

fn field_list(fields: &[Field]) -> String {
    fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
}

/// A checked field value.
enum Value {
    Table(TableName),
    Column(Ident),
    Type(String),
}

/// The fields of one item that passed their checks, with their value nodes for messages.
struct Read<'n> {
    values: Vec<(&'static str, Value, &'n MarkedYaml<'n>)>,
}

impl Read<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.values.iter().find(|(n, _, _)| *n == name).map(|(_, v, _)| v)
    }
    fn node(&self, name: &str) -> Option<&MarkedYaml<'_>> {
        self.values.iter().find(|(n, _, _)| *n == name).map(|(_, _, node)| *node)
    }
    fn table(&self, name: &str) -> Option<TableName> {
        match self.get(name) {
            Some(Value::Table(t)) => Some(t.clone()),
            _ => None,
        }
    }
    fn column(&self, name: &str) -> Option<Ident> {
        match self.get(name) {
            Some(Value::Column(c)) => Some(c.clone()),
            _ => None,
        }
    }
    fn ty(&self, name: &str) -> Option<String> {
        match self.get(name) {
            Some(Value::Type(t)) => Some(t.clone()),
            _ => None,
        }
    }
}

/// Reads the `index`th item; errors go to `report`, and `None` means it is unusable.
pub(super) fn read_change(index: usize, node: &MarkedYaml, report: &mut Report) -> Option<Change> {
    let YamlData::Mapping(map) = &node.data else {
        let message =
            format!("change {} must be a mapping with a `kind`, found {}", index + 1, describe(node));
        report.node(node, message);
        return None;
    };
    let mut kind_node = None;
    let mut fields = Vec::new();
    for (key, value) in map {
        match as_str(key) {
            Some("kind") => kind_node = Some((key, value)),
            Some(name) => fields.push((name, key, value)),
            None => report.node(key, format!("field names must be strings, found {}", describe(key))),
        }
    }
    let Some((kind_key, kind_node)) = kind_node else {
        report.node(node, format!("missing field `kind` (one of {})", kind_list()));
        return None;
    };
    let (kind, spec) = read_kind(kind_key, kind_node, report)?;
    let read = read_fields(kind, spec, &fields, report);
    let missing: Vec<_> =
        spec.iter().filter(|f| f.required && !fields.iter().any(|(name, _, _)| *name == f.name)).collect();
    for f in &missing {
        report.node(node, format!("missing field `{}` ({kind} needs {})", f.name, field_list(spec)));
    }
    build(kind, read?, report)
}

fn read_kind(
    key: &MarkedYaml,
    node: &MarkedYaml,
    report: &mut Report,
) -> Option<(ChangeKind, &'static [Field])> {
    let Some(text) = as_str(node) else {
        if is_empty(node) {
            report.node(key, format!("`kind` is empty (one of {})", kind_list()));
        } else {
            report.node(node, format!("`kind` must be a string, found {}", describe(node)));
        }
        return None;
    };
    let text = text.trim();
    if let Some(kind) = ChangeKind::from_name(text) {
        return Some((kind, fields_of(kind)));
    }
    let message = if text.is_empty() {
        format!("`kind` is empty (one of {})", kind_list())
    } else {
        let hint = suggest::hint(text, &ChangeKind::names());
        format!("unknown kind `{text}`{hint}; kinds are {}", kind_list())
    };
    report.node(node, message);
    None
}

/// Checks each present field; `None` when any of them (or a required one) is unusable.
fn read_fields<'n>(
    kind: ChangeKind,
    spec: &'static [Field],
    fields: &[(&str, &'n MarkedYaml<'n>, &'n MarkedYaml<'n>)],
    report: &mut Report,
) -> Option<Read<'n>> {
    let mut read = Read { values: Vec::new() };
    let mut ok = true;
    for (name, key, value) in fields {
        let Some(f) = spec.iter().find(|f| f.name == *name) else {
            let names: Vec<&str> = spec.iter().map(|f| f.name).collect();
            let hint = match suggest::closest(name, &names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("{kind} takes {}", field_list(spec)),
            };
            report.node(key, format!("unknown field `{name}` in {kind} ({hint})"));
            ok = false;
            continue;
        };
        match read_value(f, value) {
            Ok(v) => read.values.push((f.name, v, value)),
            Err(e) => {
                // A missing value has no text of its own to point at; its key does.
                let at = if matches!(value.data, YamlData::Value(Scalar::Null)) { key } else { value };
                report.node(at, e.to_string());
                ok = false;
            }
        }
    }
    let complete = spec.iter().all(|f| !f.required || read.get(f.name).is_some());
    (ok && complete).then_some(read)
}

fn is_empty(node: &MarkedYaml) -> bool {
    match &node.data {
        YamlData::Value(Scalar::Null) => true,
        YamlData::Value(Scalar::String(s)) => s.trim().is_empty(),
        _ => false,
    }
}

/// Why a field's value is unusable.
#[derive(Debug, thiserror::Error)]
enum ValueError {
    #[error("`{0}` is empty")]
    Empty(&'static str),
    #[error("`{field}` must be {expected}, found {found}")]
    NotAString { field: &'static str, expected: &'static str, found: &'static str },
    #[error(transparent)]
    Name(#[from] NameError),
}

fn read_value(f: &Field, node: &MarkedYaml) -> Result<Value, ValueError> {
    if is_empty(node) {
        return Err(ValueError::Empty(f.name));
    }
    let Some(text) = as_str(node) else {
        let expected = match f.holds {
            Holds::Table => "a table name",
            Holds::Column => "a column name",
            Holds::Type => "a type name",
        };
        return Err(ValueError::NotAString { field: f.name, expected, found: describe(node) });
    };
    Ok(match f.holds {
        Holds::Table => Value::Table(parse_table_name(text)?),
        Holds::Column => Value::Column(parse_column_name(text)?),
        Holds::Type => Value::Type(text.trim().to_string()),
    })
}

fn build(kind: ChangeKind, read: Read, report: &mut Report) -> Option<Change> {
    let change = match kind {
        ChangeKind::RenameColumn => Change::RenameColumn {
            table: read.table("table")?,
            from: read.column("from")?,
            to: read.column("to")?,
        },
        ChangeKind::ChangeType => Change::ChangeType {
            table: read.table("table")?,
            column: read.column("column")?,
            from: read.ty("from"),
            to: read.ty("to")?,
        },
        ChangeKind::DropColumn => {
            Change::DropColumn { table: read.table("table")?, column: read.column("column")? }
        }
        ChangeKind::RenameTable => Change::RenameTable { from: read.table("from")?, to: read.table("to")? },
    };
    if let Some(message) = renames_to_itself(&change) {
        if let Some(node) = read.node("to") {
            report.node(node, message);
        }
        return None;
    }
    Some(change)
}

fn renames_to_itself(change: &Change) -> Option<String> {
    match change {
        Change::RenameColumn { table, from, to } if same_spelling(from, to) => {
            Some(format!("`{table}.{from}` is renamed to itself"))
        }
        Change::RenameTable { from, to } if same_table(from, to) => {
            Some(format!("table `{from}` is renamed to itself"))
        }
        _ => None,
    }
}
