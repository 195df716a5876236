//! JPA entity fields follow a widening type change of the column they map: `Integer age`
//! becomes `Long age`, with the return type of its getter and the parameter of its setter
//! in the same class. Only when every use of the field in its class is one of those plain
//! accessors (`return age;`, `this.age = age;`): anything else (arithmetic, a constructor
//! that takes the old type, an initializer a `Long` cannot hold) leaves the class as it is
//! and says why. Callers in other classes are out of sight: a finding at the field says
//! they must follow.

use crate::ids;
use crate::syntax::{annotation_name, annotation_value, children, descendants, fields, modifiers, text_of};
use crate::types::{accessor, java_types, suffix_of_java, widens};
use ripple_core::{
    Change, Confidence, Host, Lang, Rule, RuleContext, RuleOutput, Severity, SourceFile, TableMatch,
};
use tree_sitter::Node;

pub struct FieldTypes;

impl Rule for FieldTypes {
    fn id(&self) -> &str {
        ids::JPA_FIELD_TYPE.id
    }

    fn language(&self) -> Lang {
        Lang::Java
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        run(file.tree().root_node(), file.text, ctx, out);
    }

    /// A field maps to a changed column only where code spells it (or its camelCase form).
    fn reads_code_only(&self) -> bool {
        true
    }
}

/// Annotations that map a field to a column by name.
const COLUMN_ANNOTATIONS: [&str; 2] = ["Column", "JoinColumn"];
/// Annotations after which a field maps to no column of its own table.
const NOT_A_COLUMN: [&str; 11] = [
    "Transient",
    "Embedded",
    "EmbeddedId",
    "OneToMany",
    "ManyToMany",
    "OneToOne",
    "ManyToOne",
    "ElementCollection",
    "CollectionTable",
    "JoinTable",
    "Formula",
];

pub fn run(root: Node<'_>, src: &str, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
    let retypes: Vec<(usize, &Change)> =
        ctx.changes.iter().filter(|(_, c)| matches!(c, Change::ChangeType { .. })).collect();
    if retypes.is_empty() {
        return;
    }
    for class in descendants(root).into_iter().filter(|n| n.kind() == "class_declaration") {
        let Some(table) = table_of(class, src) else { continue };
        for (index, change) in &retypes {
            let parts: Vec<(&str, bool)> = table.iter().map(|p| (*p, false)).collect();
            if change.table().matches_parts(&parts) == TableMatch::No {
                continue;
            }
            for (field, declarator) in fields(class) {
                if maps_column(field, declarator, change, src) {
                    retype_field(class, field, declarator, *index, change, src, out);
                }
            }
        }
    }
}

/// The `@Table(name = ..., schema = ...)` of an entity class: [schema,] name.
fn table_of<'t>(class: Node<'_>, src: &'t str) -> Option<Vec<&'t str>> {
    let ann = annotations(class, src).into_iter().find(|(n, _)| *n == "Table")?.1;
    let name = string_value(annotation_value(ann, "name", src)?, src)?;
    let schema = annotation_value(ann, "schema", src).and_then(|v| string_value(v, src));
    Some(schema.into_iter().chain([name]).collect())
}

fn annotations<'a, 't>(decl: Node<'a>, src: &'t str) -> Vec<(&'t str, Node<'a>)> {
    let Some(mods) = children(decl).into_iter().find(|c| c.kind() == "modifiers") else { return vec![] };
    children(mods)
        .into_iter()
        .filter(|a| a.kind().ends_with("annotation"))
        .filter_map(|a| annotation_name(a, src).map(|n| (n, a)))
        .collect()
}

fn string_value<'t>(node: Node<'_>, src: &'t str) -> Option<&'t str> {
    (node.kind() == "string_literal").then(|| text_of(node, src)).flatten().map(|t| t.trim_matches('"'))
}

/// Does this field map to the changed column, by `@Column(name = ...)` or by its own name
/// (`age`, or `firstName` under Spring Boot's snake_case naming)?
fn maps_column(field: Node<'_>, declarator: Node<'_>, change: &Change, src: &str) -> bool {
    let Some(column) = change.column() else { return false };
    let words = modifiers(field, src);
    if words.iter().any(|w| w == "static" || w == "transient") {
        return false;
    }
    let anns = annotations(field, src);
    if anns.iter().any(|(n, _)| NOT_A_COLUMN.contains(n)) {
        return false;
    }
    let columns: Vec<Node<'_>> =
        anns.iter().filter(|(n, _)| COLUMN_ANNOTATIONS.contains(n)).map(|(_, a)| *a).collect();
    // `@Column(table = ...)` maps a column of a secondary table.
    if columns.iter().any(|a| annotation_value(*a, "table", src).is_some()) {
        return false;
    }
    let named =
        columns.iter().find_map(|a| annotation_value(*a, "name", src)).and_then(|v| string_value(v, src));
    match named {
        Some(name) => column.matches(name, false),
        None => declarator.child_by_field_name("name").and_then(|n| text_of(n, src)).is_some_and(|name| {
            column.matches(name, false) || column.matches(&crate::Java.field_column(name), false)
        }),
    }
}

/// An edit the retype makes, or why it cannot.
type Plan = Result<Vec<((usize, usize), String)>, String>;

fn retype_field(
    class: Node<'_>,
    field: Node<'_>,
    declarator: Node<'_>,
    index: usize,
    change: &Change,
    src: &str,
    out: &mut RuleOutput,
) {
    let Change::ChangeType { from, to, .. } = change else { return };
    let (Some(ty), Some(name)) = (
        field.child_by_field_name("type"),
        declarator.child_by_field_name("name").and_then(|n| text_of(n, src)),
    ) else {
        return;
    };
    let old = text_of(ty, src).unwrap_or("");
    let (Some(have), Some(want)) = (suffix_of_java(old), accessor(to)) else { return };
    // The field must hold what the old column held (when the change says what that was),
    // and the new type must take every old value.
    let mirrors_old = from.as_deref().is_none_or(|f| accessor(f) == Some(have));
    if have == want {
        out.seen.push((field.start_byte(), field.end_byte()));
        return;
    }
    if !mirrors_old || !widens(have, want) {
        return;
    }
    let Some((primitive, boxed)) = java_types(want) else { return };
    let new = if old == java_types(have).map_or("", |t| t.0) {
        primitive.to_string()
    } else if old.starts_with("java.lang.") {
        format!("java.lang.{boxed}")
    } else {
        boxed.to_string()
    };
    let boxed_field = new != primitive;
    let mut accessors = Vec::new();
    let plan: Plan = (|| {
        if children(field).iter().filter(|c| c.kind() == "variable_declarator").count() > 1 {
            return Err("the declaration holds more than one field".into());
        }
        if boxed_field && declarator.child_by_field_name("value").is_some() {
            return Err(format!("its initializer may not convert to {new} (a boxed type takes no widening)"));
        }
        let mut edits = vec![((ty.start_byte(), ty.end_byte()), new.clone())];
        edits.extend(accessor_edits(class, field, name, (old, &new), src, &mut accessors)?);
        Ok(edits)
    })();
    let column = change.column().map(|c| c.value.as_str()).unwrap_or("");
    let span = (declarator.start_byte(), declarator.end_byte());
    match plan {
        Ok(edits) => {
            let getter = format!("get{}", capitalized(name));
            let setter = format!("set{}", capitalized(name));
            for (at, text) in edits {
                out.edit(at, text, ids::JPA_FIELD_TYPE, index, Confidence::Certain);
            }
            out.seen.extend(accessors);
            out.finding(
                span,
                ids::JPA_FIELD_TYPE,
                Some(index),
                Severity::Review,
                format!("`{column}` becomes {to}: the field `{name}` is now {new}, with its accessors in this class; code in other classes that calls `{getter}()` or `{setter}(...)` with {old} must follow"),
            );
        }
        Err(why) => out.finding(
            span,
            ids::JPA_FIELD_TYPE,
            Some(index),
            Severity::Review,
            format!("`{column}` becomes {to}: the field `{name}` ({old}) should become {new}, but {why}; not rewritten"),
        ),
    }
    out.seen.push((field.start_byte(), field.end_byte()));
}

fn capitalized(name: &str) -> String {
    let mut c = name.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The retyped return of the plain getter and parameter of the plain setter (their spans go
/// to `seen`); an error naming the first other use of the field in the class.
fn accessor_edits(
    class: Node<'_>,
    field: Node<'_>,
    name: &str,
    (old, new): (&str, &str),
    src: &str,
    seen: &mut Vec<(usize, usize)>,
) -> Plan {
    let Some(body) = class.child_by_field_name("body") else { return Ok(vec![]) };
    let mut edits = Vec::new();
    for member in children(body) {
        if member.id() == field.id() {
            continue;
        }
        let uses = descendants(member)
            .into_iter()
            .filter(|n| n.kind() == "identifier" && text_of(*n, src) == Some(name))
            .count();
        if uses == 0 {
            continue;
        }
        let method = text_of(member.child_by_field_name("name").unwrap_or(member), src).unwrap_or("");
        let line = member.start_position().row + 1;
        let other = || Err(format!("`{method}` (line {line}) uses it in a way ripple does not follow"));
        if member.kind() != "method_declaration" {
            return other();
        }
        let cap = capitalized(name);
        if method == format!("get{cap}") || method == format!("is{cap}") {
            match plain_getter(member, name, old, src) {
                Some(ret) => {
                    edits.push(((ret.start_byte(), ret.end_byte()), new.to_string()));
                    seen.push((member.start_byte(), member.end_byte()));
                }
                None => return other(),
            }
        } else if method == format!("set{cap}") {
            match plain_setter(member, name, old, src) {
                Some(param) => {
                    edits.push(((param.start_byte(), param.end_byte()), new.to_string()));
                    seen.push((member.start_byte(), member.end_byte()));
                }
                None => return other(),
            }
        } else {
            return other();
        }
    }
    Ok(edits)
}

/// The statements of a method body, if it has one.
fn statements(method: Node<'_>) -> Option<Vec<Node<'_>>> {
    Some(
        children(method.child_by_field_name("body")?)
            .into_iter()
            .filter(|c| !c.kind().contains("comment"))
            .collect(),
    )
}

fn is_field_ref(expr: Node<'_>, name: &str, src: &str) -> bool {
    let t: String = text_of(expr, src).unwrap_or("").split_whitespace().collect();
    t == name || t == format!("this.{name}")
}

/// `T getAge() { return age; }`: its return type node.
fn plain_getter<'a>(method: Node<'a>, name: &str, old: &str, src: &str) -> Option<Node<'a>> {
    let params = method.child_by_field_name("parameters")?;
    let ret = method.child_by_field_name("type")?;
    if !children(params).is_empty() || text_of(ret, src) != Some(old) {
        return None;
    }
    match statements(method)?.as_slice() {
        [stmt] if stmt.kind() == "return_statement" => {
            let value = stmt.named_child(0)?;
            is_field_ref(value, name, src).then_some(ret)
        }
        _ => None,
    }
}

/// `void setAge(T v) { this.age = v; }`: its parameter's type node.
fn plain_setter<'a>(method: Node<'a>, name: &str, old: &str, src: &str) -> Option<Node<'a>> {
    let params = children(method.child_by_field_name("parameters")?);
    let [param] = params.as_slice() else { return None };
    let ty = param.child_by_field_name("type")?;
    let pname = text_of(param.child_by_field_name("name")?, src)?;
    if param.kind() != "formal_parameter" || text_of(ty, src) != Some(old) {
        return None;
    }
    match statements(method)?.as_slice() {
        [stmt] if stmt.kind() == "expression_statement" => {
            let assign = stmt.named_child(0).filter(|a| a.kind() == "assignment_expression")?;
            let left = assign.child_by_field_name("left")?;
            let right = assign.child_by_field_name("right")?;
            let op = assign.child_by_field_name("operator").and_then(|o| text_of(o, src));
            let ok = op == Some("=")
                && is_field_ref(left, name, src)
                && text_of(right, src) == Some(pname)
                && (pname != name || text_of(left, src).is_some_and(|l| l.starts_with("this")));
            ok.then_some(ty)
        }
        _ => None,
    }
}
