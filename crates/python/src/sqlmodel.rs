//! SQLModel tables: `class Item(ItemBase, table=True)` maps the table `item` (its class name
//! lower-cased, unless `__tablename__` names one), and each annotated field of the class, or
//! of a base class it inherits from in the same file, maps the column of the field's name.
//! The fields are shared with the API's schemas (`ItemCreate(ItemBase)`), so a change is
//! reported at the field, never rewritten: the reviewer decides whether the field follows.

use crate::ids;
use ripple_core::{Change, Lang, Rule, RuleContext, RuleOutput, Severity, SourceFile};
use std::collections::{HashMap, HashSet};
use tree_sitter::Node;

/// The SQLModel field rule.
pub struct SqlModelFields;

fn text<'t>(node: Node<'_>, src: &'t str) -> &'t str {
    src.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// A top-level class: its name node, its base class names, whether it says `table=True`,
/// and its body.
struct Class<'t> {
    name: Node<'t>,
    bases: Vec<String>,
    table: bool,
    body: Node<'t>,
}

fn classes<'t>(root: Node<'t>, src: &str) -> Vec<Class<'t>> {
    let mut cursor = root.walk();
    let nodes: Vec<Node<'t>> = root
        .named_children(&mut cursor)
        .map(|n| {
            if n.kind() == "decorated_definition" {
                n.child_by_field_name("definition").unwrap_or(n)
            } else {
                n
            }
        })
        .filter(|n| n.kind() == "class_definition")
        .collect();
    nodes
        .into_iter()
        .filter_map(|n| {
            let (name, body) = (n.child_by_field_name("name")?, n.child_by_field_name("body")?);
            let (mut bases, mut table) = (Vec::new(), false);
            if let Some(supers) = n.child_by_field_name("superclasses") {
                let mut c = supers.walk();
                for s in supers.named_children(&mut c) {
                    match s.kind() {
                        "keyword_argument" => {
                            let key = s.child_by_field_name("name").map(|k| text(k, src));
                            let value = s.child_by_field_name("value").map(|v| text(v, src));
                            table |= key == Some("table") && value == Some("True");
                        }
                        _ => bases.push(text(s, src).to_string()),
                    }
                }
            }
            Some(Class { name, bases, table, body })
        })
        .collect()
}

/// The annotated fields of a class body that map columns: (name node, statement text).
fn fields<'t>(body: Node<'t>, src: &str) -> Vec<Node<'t>> {
    let mut cursor = body.walk();
    let statements: Vec<Node<'t>> = body.named_children(&mut cursor).collect();
    statements
        .into_iter()
        .filter_map(|s| {
            let a = s
                .named_child(0)
                .filter(|a| s.kind() == "expression_statement" && a.kind() == "assignment")?;
            a.child_by_field_name("type")?;
            let left = a.child_by_field_name("left").filter(|l| l.kind() == "identifier")?;
            let right = a.child_by_field_name("right").map_or("", |r| text(r, src));
            // A relationship maps no column; `sa_column` names its column itself.
            let maps_own_name = !right.starts_with("Relationship") && !right.contains("sa_column");
            (maps_own_name && !text(left, src).starts_with("__")).then_some(left)
        })
        .collect()
}

/// The table a table class maps: its `__tablename__`, else its name lower-cased.
fn table_of(class: &Class<'_>, src: &str) -> String {
    let mut cursor = class.body.walk();
    let named = class.body.named_children(&mut cursor).find_map(|s| {
        let a = s.named_child(0).filter(|a| a.kind() == "assignment")?;
        let left = a.child_by_field_name("left")?;
        let right = a.child_by_field_name("right").filter(|r| r.kind() == "string")?;
        (text(left, src) == "__tablename__").then(|| text(right, src).trim_matches(['"', '\'']).to_string())
    });
    named.unwrap_or_else(|| text(class.name, src).to_lowercase())
}

impl Rule for SqlModelFields {
    fn id(&self) -> &str {
        ids::SQLMODEL_FIELD.id
    }

    fn language(&self) -> Lang {
        Lang::Python
    }

    /// A field maps a changed column only where code spells it.
    fn reads_code_only(&self) -> bool {
        true
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        let src = file.text;
        if !src.contains("sqlmodel") || ctx.changes.iter().all(|(_, c)| c.column().is_none()) {
            return;
        }
        let all = classes(file.tree().root_node(), src);
        let by_name: HashMap<&str, &Class<'_>> = all.iter().map(|c| (text(c.name, src), c)).collect();
        let mut reported = HashSet::new();
        for table_class in all.iter().filter(|c| c.table) {
            let table = table_of(table_class, src);
            let model = text(table_class.name, src);
            // The class and the bases it inherits from in this file, nearest first.
            let mut chain = vec![table_class];
            let mut i = 0;
            while i < chain.len() {
                for base in &chain[i].bases {
                    if let Some(b) = by_name
                        .get(base.as_str())
                        .filter(|b| !chain.iter().any(|c| c.name.id() == b.name.id()))
                    {
                        chain.push(b);
                    }
                }
                i += 1;
            }
            for class in chain {
                for field in fields(class.body, src) {
                    let name = text(field, src);
                    for (index, change) in ctx.changes.iter() {
                        let Some(column) = change.column() else { continue };
                        if !column.matches(name, false)
                            || change.table().matches_parts(&[(table.as_str(), false)])
                                == ripple_core::TableMatch::No
                            || !reported.insert((field.id(), index))
                        {
                            continue;
                        }
                        let owner = text(class.name, src);
                        let via = if owner == model {
                            String::new()
                        } else {
                            format!(" (from `{owner}`, which API schemas may share)")
                        };
                        let (severity, message) = match change {
                            Change::RenameColumn { to, .. } => (Severity::Review, format!(
                                "SQLModel maps field `{name}` of `{model}`{via} to column {table}.{name} by its name; \
                                 rename the field, or give it `sa_column_kwargs={{\"name\": \"{}\"}}`, by hand", to.value)),
                            Change::DropColumn { .. } => (Severity::Review, format!(
                                "`{name}` is dropped from {table}; SQLModel model `{model}` still maps it{via}")),
                            Change::ChangeType { to, .. } => (Severity::Info, format!(
                                "`{name}` of {table} becomes {to}; update the type SQLModel model `{model}` gives it{via}")),
                            Change::RenameTable { .. } => continue,
                        };
                        out.finding(
                            (field.start_byte(), field.end_byte()),
                            self.id(),
                            Some(index),
                            severity,
                            message,
                        );
                    }
                }
            }
        }
    }
}
