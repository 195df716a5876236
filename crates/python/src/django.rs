//! Django models without `Meta.db_table`: Django names their table `<app label>_<model
//! name lower-cased>`, the app label being the package that holds `models.py` (or the
//! `models/` package). Column changes on such a table reach the model's fields through
//! the rule files (`binds_table` with `naming: app`); a rename of the table is this rule's:
//! the model keeps its name and gains `db_table = "<new>"` in its `Meta`, which is created
//! with the body's indentation when the model has none.

use crate::ids;
use ripple_core::{
    Change, Confidence, Lang, Rule, RuleContext, RuleOutput, Severity, SourceFile, TableMatch,
};
use std::path::Path;
use tree_sitter::Node;

/// The app label of a models module: `catalog` for `catalog/models.py` and
/// `catalog/models/book.py`. `None` for any other file, whose classes ripple does not take
/// for Django models.
pub(crate) fn app_label(path: &Path) -> Option<String> {
    let parent = path.parent()?;
    let dir = |p: &Path| p.file_name().and_then(|n| n.to_str()).map(str::to_string);
    if path.file_name().is_some_and(|n| n == "models.py") {
        dir(parent)
    } else if parent.file_name().is_some_and(|n| n == "models") && path.extension().is_some_and(|e| e == "py")
    {
        dir(parent.parent()?)
    } else {
        None
    }
}

/// The table Django gives the model `class` of `file` when its `Meta` names none.
pub(crate) fn default_table(class: &str, file: &SourceFile<'_>) -> Option<String> {
    // Other ORMs (peewee, Flask-SQLAlchemy) have `Model` classes with other conventions.
    if !file.text.contains("django") {
        return None;
    }
    Some(format!("{}_{}", app_label(file.path)?, class.to_lowercase()))
}

fn text<'t>(node: Node<'_>, src: &'t str) -> &'t str {
    &src[node.start_byte()..node.end_byte()]
}

/// Does the class derive from `models.Model` (or `Model` imported from it)?
fn is_model(class: Node<'_>, src: &str) -> bool {
    let Some(supers) = class.child_by_field_name("superclasses") else { return false };
    let mut cursor = supers.walk();
    let found = supers.named_children(&mut cursor).any(|s| matches!(text(s, src), "models.Model" | "Model"));
    found
}

/// The statements of a block that are assignments `name = value`, as (name, statement).
fn assignments<'t>(block: Node<'t>, src: &str) -> Vec<(String, Node<'t>)> {
    let mut cursor = block.walk();
    block
        .named_children(&mut cursor)
        .filter(|s| s.kind() == "expression_statement")
        .filter_map(|s| {
            let a = s.named_child(0).filter(|a| a.kind() == "assignment")?;
            let left = a.child_by_field_name("left").filter(|l| l.kind() == "identifier")?;
            Some((text(left, src).to_string(), s))
        })
        .collect()
}

/// The `class Meta:` of a model body.
fn meta<'t>(body: Node<'t>, src: &str) -> Option<Node<'t>> {
    let mut cursor = body.walk();
    let found = body.named_children(&mut cursor).find(|c| {
        c.kind() == "class_definition"
            && c.child_by_field_name("name").is_some_and(|n| text(n, src) == "Meta")
    });
    found
}

/// The indentation of the line `node` starts on.
fn indent_of(src: &str, node: Node<'_>) -> String {
    let line = src[..node.start_byte()].rfind('\n').map_or(0, |i| i + 1);
    src[line..].chars().take_while(|c| *c == ' ' || *c == '\t').collect()
}

/// The end of the line of the last statement in `block` (past a trailing comment): where
/// a new statement of the block goes.
fn block_end(src: &str, block: Node<'_>) -> usize {
    let end = block.end_byte();
    src[end..].find(['\n', '\r']).map_or(src.len(), |i| end + i)
}

fn line_ending(src: &str) -> &'static str {
    if src.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// Renames of the tables of Django models that name none.
pub(crate) struct DefaultTables;

impl Rule for DefaultTables {
    fn id(&self) -> &str {
        ids::DJANGO_DEFAULT_TABLE.id
    }

    fn language(&self) -> Lang {
        Lang::Python
    }

    /// A model's default table is renamed only where code spells the model's class.
    fn reads_code_only(&self) -> bool {
        true
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        let renames: Vec<(usize, &Change)> =
            ctx.changes.iter().filter(|(_, c)| matches!(c, Change::RenameTable { .. })).collect();
        if renames.is_empty() || default_table("x", file).is_none() {
            return;
        }
        let src = file.text;
        let root = file.tree().root_node();
        let mut cursor = root.walk();
        let classes: Vec<Node<'_>> = root
            .named_children(&mut cursor)
            .map(|n| {
                if n.kind() == "decorated_definition" {
                    n.child_by_field_name("definition").unwrap_or(n)
                } else {
                    n
                }
            })
            .filter(|n| n.kind() == "class_definition" && is_model(*n, src))
            .collect();
        for class in classes {
            let (Some(name), Some(body)) =
                (class.child_by_field_name("name"), class.child_by_field_name("body"))
            else {
                continue;
            };
            let meta = meta(body, src);
            let meta_body = meta.and_then(|m| m.child_by_field_name("body"));
            let settings = meta_body.map(|b| assignments(b, src)).unwrap_or_default();
            // A table named, an abstract model (no table) or a proxy (its parent's table).
            if settings.iter().any(|(n, _)| matches!(n.as_str(), "db_table" | "abstract" | "proxy")) {
                continue;
            }
            let Some(table) = default_table(text(name, src), file) else { continue };
            for &(index, change) in &renames {
                let Change::RenameTable { from, to } = change else { continue };
                let m = from.matches_parts(&[(table.as_str(), false)]);
                if m == TableMatch::No {
                    continue;
                }
                let confidence =
                    if m == TableMatch::Exact { Confidence::Certain } else { Confidence::Likely };
                let span = (name.start_byte(), name.end_byte());
                // Django quotes `db_table` whole: a schema cannot be written there.
                let new = match to.parts.as_slice() {
                    [t] if !t.value.contains(['"', '\\']) => t.value.clone(),
                    _ => {
                        let message = format!(
                            "Django maps `{}` to the table {table} by its app and class name; \
                             not rewritten for {change}: set `db_table` in its `Meta` by hand",
                            text(name, src)
                        );
                        out.finding(span, self.id(), Some(index), Severity::Review, message);
                        continue;
                    }
                };
                // A body written on the line of its `class` has no indentation to follow.
                let same_line = |block: Node<'_>, owner: Node<'_>| {
                    block.named_child(0).is_none_or(|f| f.start_position().row == owner.start_position().row)
                };
                if same_line(body, class) || meta.zip(meta_body).is_some_and(|(m, mb)| same_line(mb, m)) {
                    let message = format!(
                        "Django maps `{}` to the table {table} by its app and class name; add \
                         `db_table = \"{new}\"` to its `Meta` to follow the rename",
                        text(name, src)
                    );
                    out.finding(span, self.id(), Some(index), Severity::Review, message);
                    continue;
                }
                let eol = line_ending(src);
                let line = format!("db_table = \"{new}\"");
                let (at, insert) = match (meta, meta_body) {
                    (Some(_), Some(mb)) => {
                        let first = mb.named_child(0).unwrap_or(mb);
                        (block_end(src, mb), format!("{eol}{}{line}", indent_of(src, first)))
                    }
                    _ => {
                        let first = body.named_child(0).unwrap_or(body);
                        let inner = indent_of(src, first);
                        let unit = inner
                            .strip_prefix(&indent_of(src, class))
                            .filter(|u| !u.is_empty())
                            .unwrap_or("    ");
                        (
                            block_end(src, body),
                            format!("{eol}{eol}{inner}class Meta:{eol}{inner}{unit}{line}"),
                        )
                    }
                };
                out.edit((at, at), insert, self.id(), index, confidence);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_labels_come_from_the_models_module() {
        assert_eq!(app_label(Path::new("site/catalog/models.py")).as_deref(), Some("catalog"));
        assert_eq!(app_label(Path::new("catalog/models/book.py")).as_deref(), Some("catalog"));
        assert_eq!(app_label(Path::new("catalog/views.py")), None);
        assert_eq!(app_label(Path::new("models.py")), None);
    }
}
