//! Syntax facts about host languages that more than one language crate needs.

use tree_sitter::Node;

/// For a Python identifier: `Some(Some(right))` for `name = right`, `Some(None)` for any other binding, `None` for
/// a use.
pub fn python_binding(id: Node<'_>) -> Option<Option<Node<'_>>> {
    let parent = id.parent()?;
    let is_field = |f: &str| parent.child_by_field_name(f).is_some_and(|c| c.id() == id.id());
    match parent.kind() {
        "assignment" if is_field("left") => {
            Some(parent.child_by_field_name("right").filter(|r| !matches!(r.kind(), "assignment" | "yield")))
        }
        "augmented_assignment" | "for_statement" | "for_in_clause" if is_field("left") => Some(None),
        "named_expression" if is_field("name") => Some(None),
        "function_definition" | "class_definition" if is_field("name") => Some(None),
        "default_parameter" | "typed_default_parameter" if is_field("name") => Some(None),
        "except_clause" if is_field("alias") => Some(None),
        "as_pattern" if is_field("alias") => Some(None),
        "pattern_list"
        | "tuple_pattern"
        | "list_pattern"
        | "as_pattern_target"
        | "parameters"
        | "lambda_parameters"
        | "typed_parameter"
        | "list_splat_pattern"
        | "dictionary_splat_pattern"
        | "global_statement"
        | "nonlocal_statement"
        | "aliased_import"
        | "dotted_name"
        | "delete_statement"
        | "keyword_pattern"
        | "case_pattern" => Some(None),
        _ => None,
    }
}

/// The column name Spring Boot's default naming (Hibernate's `CamelCaseToUnderscores`)
/// derives from a field name: an underscore before each capital between two lower-case
/// letters, then lower case. `firstName` → `first_name`, `userID` → `userid`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        let between_lower =
            i > 0 && chars[i - 1].is_lowercase() && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        if c.is_uppercase() && between_lower {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The table name Flask-SQLAlchemy gives a model class without `__tablename__`: an
/// underscore before a capital that follows a lower-case letter or digit, or that starts a
/// capitalized word inside the name. `User` → `user`, `UserEvent` → `user_event`,
/// `HTTPLog` → `http_log`.
pub fn flask_table_name(class: &str) -> String {
    let chars: Vec<char> = class.chars().collect();
    let mut out = String::with_capacity(class.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        let after_lower = i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
        let word_start = i > 0 && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        if c.is_uppercase() && (after_lower || word_start) {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out.trim_start_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names() {
        assert_eq!(snake_case("firstName"), "first_name");
        assert_eq!(snake_case("age"), "age");
        assert_eq!(snake_case("userID"), "userid");
        assert_eq!(snake_case("addressLine1"), "address_line1");
        assert_eq!(flask_table_name("User"), "user");
        assert_eq!(flask_table_name("UserEvent"), "user_event");
        assert_eq!(flask_table_name("HTTPLog"), "http_log");
        assert_eq!(flask_table_name("Post2Tag"), "post2_tag");
    }
}
