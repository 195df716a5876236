//! Spring Data JDBC's default naming: an aggregate class without `@Table` maps to the table
//! its simple name gives (`PetType` → `pet_type`), and each of its properties without
//! `@Column` to the column its name gives (`birthDate` → `birth_date`), as
//! `NamingStrategy`'s defaults do (`ParsingUtils.reconcatenateCamelCase`). A record with
//! Spring's `@Table` names its table but not its components' columns, which follow the same
//! naming. When such a name is renamed the class gains `@Table("new")` and the property
//! `@Column("new")` (with their import when the file lacks it), which keeps the Java names.
//!
//! A class counts as a Spring Data JDBC aggregate only with Spring Data's own `@Id`
//! (`org.springframework.data.annotation.Id`) on a property, in a file that imports nothing
//! of JPA or of another Spring Data store (MongoDB, Neo4j, Redis... read the same `@Id`).
//! A property whose type may be another entity (not a plain value type) is reported, never
//! annotated: it may map a table of its own rather than a column.

use crate::ids;
use crate::syntax::{annotation_name, annotation_value, children, descendants, imports, modifiers, text_of};
use ripple_core::{
    Change, Confidence, Lang, Rule, RuleContext, RuleOutput, Severity, SourceFile, TableMatch,
};
use tree_sitter::Node;

pub struct DefaultNaming;

impl Rule for DefaultNaming {
    fn id(&self) -> &str {
        ids::SPRING_DATA_DEFAULT_NAMING.id
    }

    fn language(&self) -> Lang {
        Lang::Java
    }

    /// A class or property maps a changed name only where code spells it (its host spelling).
    fn reads_code_only(&self) -> bool {
        true
    }

    fn run(&self, file: &SourceFile<'_>, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
        run(file.tree().root_node(), file.text, ctx, out);
    }
}

const MAPPING: &str = "org.springframework.data.relational.core.mapping";
const SPRING_ID: &str = "org.springframework.data.annotation.Id";
/// Imports after which `@Id` is not (only) Spring Data JDBC's.
const OTHER_STORES: [&str; 14] = [
    "javax.persistence",
    "jakarta.persistence",
    "org.springframework.data.mongodb",
    "org.springframework.data.neo4j",
    "org.springframework.data.redis",
    "org.springframework.data.cassandra",
    "org.springframework.data.elasticsearch",
    "org.springframework.data.couchbase",
    "org.springframework.data.keyvalue",
    "org.springframework.data.gemfire",
    "org.springframework.data.solr",
    "org.springframework.data.r2dbc.mapping",
    "com.azure.spring.data",
    "org.springframework.data.aerospike",
];
/// Class annotations of other mappings: such a class is not a JDBC aggregate by default naming.
const OTHER_CLASS_ANNOTATIONS: [&str; 8] =
    ["Table", "Entity", "Document", "Node", "RedisHash", "Embeddable", "MappedSuperclass", "KeySpace"];
/// Property annotations after which the property maps no column by its own name.
const NOT_A_COLUMN: [&str; 4] = ["Column", "Transient", "MappedCollection", "Embedded"];
/// Types a property of which certainly maps one column (Spring Data JDBC's simple types).
const VALUE_TYPES: [&str; 30] = [
    "byte",
    "short",
    "int",
    "long",
    "float",
    "double",
    "boolean",
    "char",
    "Byte",
    "Short",
    "Integer",
    "Long",
    "Float",
    "Double",
    "Boolean",
    "Character",
    "String",
    "BigDecimal",
    "BigInteger",
    "UUID",
    "LocalDate",
    "LocalDateTime",
    "LocalTime",
    "Instant",
    "OffsetDateTime",
    "ZonedDateTime",
    "Date",
    "Timestamp",
    "byte[]",
    "AggregateReference",
];

/// Spring Data's `ParsingUtils.reconcatenateCamelCase(name, "_")`: split before a capital
/// that does not follow a capital, `_` or `$`, and before a capital that starts a
/// capitalized word (`(?<!(^|[A-Z_$]))(?=[A-Z])|(?<!^)(?=[A-Z][a-z])`), then lower-cased.
/// `PetType` → `pet_type`, `userID` → `user_id`, `HTMLParser` → `html_parser`.
pub fn spring_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        let after_other = i > 0 && !(chars[i - 1].is_uppercase() || matches!(chars[i - 1], '_' | '$'));
        let word_start = i > 0 && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        if c.is_uppercase() && (after_other || word_start) {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// How the file can name Spring's `Column` and `Table`: by their simple names, unless it
/// imports another class of that name.
struct Spelling {
    column: String,
    table: String,
}

fn spelling(root: Node<'_>, src: &str, name: &str) -> String {
    let other = children(root).into_iter().filter(|n| n.kind() == "import_declaration").any(|n| {
        let t: String = text_of(n, src).unwrap_or("").split_whitespace().collect();
        let path = t.trim_start_matches("import").trim_end_matches(';');
        path.rsplit('.').next() == Some(name) && path != format!("{MAPPING}.{name}")
    });
    if other {
        format!("{MAPPING}.{name}")
    } else {
        name.to_string()
    }
}

/// A mapped class: where its table name comes from.
struct Mapped<'a> {
    class: Node<'a>,
    /// The table, and whether it is derived from the class name (no `@Table`).
    table: String,
    derived: bool,
}

/// A property that maps a column by its name: its declaration (field or record component),
/// its name and type.
struct Property<'a> {
    decl: Node<'a>,
    name: Node<'a>,
    ty: Option<Node<'a>>,
}

pub fn run(root: Node<'_>, src: &str, ctx: &RuleContext<'_>, out: &mut RuleOutput) {
    let Some(classes) = mapped_classes(root, src) else { return };
    let spell = Spelling { column: spelling(root, src, "Column"), table: spelling(root, src, "Table") };
    let mut needs: Vec<(&str, usize)> = Vec::new();
    for m in &classes {
        for (index, change) in ctx.changes.iter() {
            let parts = [(m.table.as_str(), false)];
            let confidence = match change.table().matches_parts(&parts) {
                TableMatch::No => continue,
                TableMatch::Exact => Confidence::Certain,
                TableMatch::Unqualified => Confidence::Likely,
            };
            if let Change::RenameTable { to, .. } = change {
                if m.derived {
                    if let Some(reference) = back_reference(m.class, src) {
                        let name = text_of(reference, src).unwrap_or("");
                        let message = format!(
                            "Spring Data JDBC maps `{}` to {} by its class name, but `{name}` may hold \
                             entities of another table, whose column back to this one is named after the \
                             table (Spring Data JDBC 2) or the class (3): add `@Table(\"{}\")` by hand, with \
                             an `idColumn` on its `@MappedCollection`",
                            class_name(m, src),
                            change.table(),
                            to.name().value
                        );
                        let span = m
                            .class
                            .child_by_field_name("name")
                            .map_or((0, 0), |n| (n.start_byte(), n.end_byte()));
                        out.finding(
                            span,
                            ids::SPRING_DATA_DEFAULT_NAMING.id,
                            Some(index),
                            Severity::Review,
                            message,
                        );
                        continue;
                    }
                    let new = format!("@{}(\"{}\")", spell.table, to.name().value);
                    if insert_annotation(m.class, &new, index, confidence, src, out) {
                        needs.push(("Table", index));
                    }
                }
                continue;
            }
            let Some(column) = change.column() else { continue };
            if spell.column == "Column" {
                named_columns(m, change, (index, confidence), src, out);
            }
            for p in properties(m.class, src) {
                let Some(name) = text_of(p.name, src) else { continue };
                if !column.matches(&spring_name(name), false) {
                    continue;
                }
                if let Some(needed) = follow(m, &p, change, (index, confidence), &spell, src, out) {
                    needs.push((needed, index));
                }
            }
        }
    }
    add_imports(root, src, &needs, out);
}

/// The file's mapped classes: aggregates without `@Table`, and records with Spring's
/// `@Table` (classes with it are the rule files'). `None` when the file is not Spring Data
/// JDBC's.
fn mapped_classes<'a>(root: Node<'a>, src: &str) -> Option<Vec<Mapped<'a>>> {
    let spring_id = imports(root, src, SPRING_ID);
    let other_store = children(root).into_iter().filter(|n| n.kind() == "import_declaration").any(|n| {
        let t = text_of(n, src).unwrap_or("");
        OTHER_STORES.iter().any(|s| t.contains(s))
    });
    if other_store {
        return None;
    }
    let spring_table = imports(root, src, &format!("{MAPPING}.Table"));
    let mut out = Vec::new();
    for class in descendants(root) {
        if !matches!(class.kind(), "class_declaration" | "record_declaration") {
            continue;
        }
        let anns = annotations(class, src);
        let Some(name) = class.child_by_field_name("name").and_then(|n| text_of(n, src)) else { continue };
        let table = anns.iter().find(|(n, _)| *n == "Table").map(|(_, a)| *a);
        if let Some(table) = table {
            let value =
                annotation_value(table, "value", src).or_else(|| annotation_value(table, "name", src));
            let value = value.filter(|v| v.kind() == "string_literal").and_then(|v| text_of(v, src));
            if let (true, "record_declaration", Some(v)) = (spring_table, class.kind(), value) {
                out.push(Mapped { class, table: v.trim_matches('"').to_string(), derived: false });
            }
            continue;
        }
        if !spring_id || anns.iter().any(|(n, _)| OTHER_CLASS_ANNOTATIONS.contains(n)) {
            continue;
        }
        let has_id =
            properties_all(class).iter().any(|d| annotations(*d, src).iter().any(|(n, _)| *n == "Id"));
        if has_id {
            out.push(Mapped { class, table: spring_name(name), derived: true });
        }
    }
    Some(out)
}

/// A property that refers to entities of other tables whose column back to this one has the
/// default name (no `@MappedCollection(idColumn = ...)`): that name follows the owner's table
/// (`getReverseColumnName`: its table name in Spring Data JDBC 2, its class's in 3).
fn back_reference<'a>(class: Node<'a>, src: &str) -> Option<Node<'a>> {
    properties_all(class).into_iter().find_map(|decl| {
        if modifiers(decl, src).iter().any(|w| w == "static" || w == "transient") {
            return None;
        }
        let anns = annotations(decl, src);
        let named = anns
            .iter()
            .any(|(n, a)| *n == "MappedCollection" && annotation_value(*a, "idColumn", src).is_some());
        if named || anns.iter().any(|(n, _)| matches!(*n, "Transient" | "Embedded" | "Column")) {
            return None;
        }
        let ty = decl.child_by_field_name("type").and_then(|t| text_of(t, src))?;
        (!is_value_type(ty)).then(|| decl.child_by_field_name("type")).flatten()
    })
}

/// Every property declaration of a class (its fields) or record (its components).
fn properties_all(class: Node<'_>) -> Vec<Node<'_>> {
    if class.kind() == "record_declaration" {
        let Some(params) = class.child_by_field_name("parameters") else { return vec![] };
        return children(params).into_iter().filter(|p| p.kind() == "formal_parameter").collect();
    }
    let Some(body) = class.child_by_field_name("body") else { return vec![] };
    children(body).into_iter().filter(|f| f.kind() == "field_declaration").collect()
}

/// The properties of a class that map a column by their own name.
fn properties<'a>(class: Node<'a>, src: &str) -> Vec<Property<'a>> {
    let mut out = Vec::new();
    for decl in properties_all(class) {
        let words = modifiers(decl, src);
        if words.iter().any(|w| w == "static" || w == "transient") {
            continue;
        }
        // `@Embedded.Nullable` is named `Nullable` by its last part: its first part counts.
        let not_a_column = annotations(decl, src).iter().any(|(n, a)| {
            let full = a.child_by_field_name("name").and_then(|n| text_of(n, src)).unwrap_or("");
            NOT_A_COLUMN.contains(n) || full.split('.').any(|part| NOT_A_COLUMN.contains(&part))
        });
        if not_a_column {
            continue;
        }
        let ty = decl.child_by_field_name("type");
        if decl.kind() == "formal_parameter" {
            if let Some(name) = decl.child_by_field_name("name") {
                out.push(Property { decl, name, ty });
            }
            continue;
        }
        for d in children(decl).into_iter().filter(|d| d.kind() == "variable_declarator") {
            if let Some(name) = d.child_by_field_name("name") {
                out.push(Property { decl, name, ty });
            }
        }
    }
    out
}

/// Follows `change` into a property that maps its column; the import the edit needs.
fn follow(
    m: &Mapped<'_>,
    p: &Property<'_>,
    change: &Change,
    (index, confidence): (usize, Confidence),
    spell: &Spelling,
    src: &str,
    out: &mut RuleOutput,
) -> Option<&'static str> {
    let id = ids::SPRING_DATA_DEFAULT_NAMING.id;
    let name = text_of(p.name, src).unwrap_or("");
    let how = if m.derived {
        format!("Spring Data JDBC maps `{name}` of the aggregate `{}` by its name", class_name(m, src))
    } else {
        format!("Spring Data JDBC maps the component `{name}` by its name")
    };
    let value = p.ty.and_then(|t| text_of(t, src)).is_some_and(is_value_type);
    let span = (p.name.start_byte(), p.name.end_byte());
    // The name is judged here, so the safety net does not call it a Java name left as written.
    out.seen.push(span);
    match change {
        Change::RenameColumn { to, .. } if value => {
            let new = format!("@{}(\"{}\")", spell.column, to.value);
            insert_annotation(p.decl, &new, index, confidence, src, out).then_some("Column")
        }
        Change::RenameColumn { to, .. } => {
            let message = format!(
                "{how} if it holds a value (its type may be an entity of its own table); if it maps \
                 {change_col}, add `@Column(\"{to}\")`",
                change_col = change.column().map(|c| c.value.as_str()).unwrap_or(""),
                to = to.value
            );
            out.finding(span, id, Some(index), Severity::Review, message);
            None
        }
        Change::DropColumn { table, column } => {
            let message = format!("`{}` is dropped from {table}, and {how}", column.value);
            out.finding(span, id, Some(index), Severity::Review, message);
            None
        }
        Change::ChangeType { to, column, .. } => {
            let message =
                format!("`{}` becomes {to}, and {how}: check the type of this property", column.value);
            out.finding(span, id, Some(index), Severity::Review, message);
            None
        }
        Change::RenameTable { .. } => None,
    }
}

/// Properties of a class the rule files do not read (one without `@Table`, a record) that
/// name their column in Spring's `@Column("...")`: a rename rewrites the name.
fn named_columns(
    m: &Mapped<'_>,
    change: &Change,
    (index, confidence): (usize, Confidence),
    src: &str,
    out: &mut RuleOutput,
) {
    let id = ids::SPRING_DATA_DEFAULT_NAMING.id;
    let Some(column) = change.column() else { return };
    for decl in properties_all(m.class) {
        for (name, ann) in annotations(decl, src) {
            let value = annotation_value(ann, "value", src).or_else(|| annotation_value(ann, "name", src));
            let Some(value) = value.filter(|v| name == "Column" && v.kind() == "string_literal") else {
                continue;
            };
            let text = text_of(value, src).unwrap_or("");
            let inner = text.trim_matches('"');
            if inner.len() + 2 != text.len() || !column.matches(inner, false) {
                continue;
            }
            let span = (value.start_byte() + 1, value.end_byte() - 1);
            match change {
                Change::RenameColumn { to, .. } => {
                    out.edit(span, to.value.clone(), id, index, confidence);
                }
                Change::DropColumn { table, .. } => {
                    let message = format!("`{inner}` is dropped from {table}; this mapping must go with it");
                    out.finding(span, id, Some(index), Severity::Review, message);
                }
                Change::ChangeType { to, .. } => {
                    let message =
                        format!("`{inner}` becomes {to}: check the type of the property mapped here");
                    out.finding(span, id, Some(index), Severity::Review, message);
                }
                Change::RenameTable { .. } => {}
            }
        }
    }
}

fn class_name<'t>(m: &Mapped<'_>, src: &'t str) -> &'t str {
    m.class.child_by_field_name("name").and_then(|n| text_of(n, src)).unwrap_or("")
}

/// Is a property of this type one column for certain?
fn is_value_type(ty: &str) -> bool {
    let base = ty.split('<').next().unwrap_or(ty).trim();
    let simple = base.rsplit('.').next().unwrap_or(base);
    VALUE_TYPES.contains(&simple) || VALUE_TYPES.contains(&ty.trim())
}

/// Puts `annotation` before `decl`: on a line of its own, indented like it, when `decl`
/// begins its line and spans more than one line or does not begin with an annotation
/// (then its annotations stand on their own lines); else on the same line. Returns whether
/// an edit was made (a second run finds the annotation, as the declaration then has it).
fn insert_annotation(
    decl: Node<'_>,
    annotation: &str,
    index: usize,
    confidence: Confidence,
    src: &str,
    out: &mut RuleOutput,
) -> bool {
    let start = decl.start_byte();
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &src[line_start..start];
    let text = &src[start..decl.end_byte()];
    let one_line = !text.trim_end().contains('\n');
    let own_line = decl.kind() != "formal_parameter"
        && indent.chars().all(|c| c == ' ' || c == '\t')
        && !(text.starts_with('@') && one_line);
    let new = if own_line {
        let eol = if src[..line_start].ends_with("\r\n") { "\r\n" } else { "\n" };
        format!("{annotation}{eol}{indent}")
    } else {
        format!("{annotation} ")
    };
    out.edit((start, start), new, ids::SPRING_DATA_DEFAULT_NAMING.id, index, confidence);
    true
}

/// The annotations of a declaration, by simple name.
fn annotations<'a, 't>(decl: Node<'a>, src: &'t str) -> Vec<(&'t str, Node<'a>)> {
    let Some(mods) = children(decl).into_iter().find(|c| c.kind() == "modifiers") else { return vec![] };
    children(mods)
        .into_iter()
        .filter(|a| a.kind().ends_with("annotation"))
        .filter_map(|a| annotation_name(a, src).map(|n| (n, a)))
        .collect()
}

/// Adds `import <MAPPING>.<Name>;` after the last import for each annotation the edits use
/// that the file does not import yet, in one edit.
fn add_imports(root: Node<'_>, src: &str, needs: &[(&str, usize)], out: &mut RuleOutput) {
    let mut lines = String::new();
    let mut change = None;
    for name in ["Column", "Table"] {
        let Some((_, index)) = needs.iter().find(|(n, _)| *n == name) else { continue };
        if imports(root, src, &format!("{MAPPING}.{name}")) || spelling(root, src, name) != name {
            continue;
        }
        lines.push_str(&format!("\nimport {MAPPING}.{name};"));
        change.get_or_insert(*index);
    }
    let Some(index) = change else { return };
    let last = children(root)
        .into_iter()
        .rev()
        .find(|n| matches!(n.kind(), "import_declaration" | "package_declaration"));
    let at = last.map_or(0, |n| n.end_byte());
    let mut text =
        if last.is_some_and(|n| n.kind() == "package_declaration") { format!("\n{lines}") } else { lines };
    if src.contains("\r\n") {
        text = text.replace('\n', "\r\n");
    }
    out.edit((at, at), text, ids::SPRING_DATA_DEFAULT_NAMING.id, index, Confidence::Certain);
}

#[cfg(test)]
mod tests {
    use super::spring_name;

    #[test]
    fn names_as_spring_data_splits_camel_case() {
        for (name, column) in [
            ("PetType", "pet_type"),
            ("birthDate", "birth_date"),
            ("userID", "user_id"),
            ("HTMLParser", "html_parser"),
            ("addressLine1", "address_line1"),
            ("a1B", "a1_b"),
            ("id", "id"),
        ] {
            assert_eq!(spring_name(name), column, "{name}");
        }
    }
}
