//! Type maps as data (`rules/types/*.yaml`): SQL type aliases per dialect, and named maps
//! from a canonical SQL type to host-language text (JDBC getters, Java types, pandas dtypes,
//! Spark types). Each named map is a template filter.

use crate::yaml::{self, Node, Value};
use ripple_core::InputError;
use std::collections::BTreeMap;
use std::path::Path;

/// One named map, usable as `{{ change.to_type | name }}`.
#[derive(Debug, Clone, Default)]
pub struct TypeFilter {
    /// What the map gives (shown to rule authors).
    pub description: String,
    /// Canonical SQL type → text.
    pub map: BTreeMap<String, String>,
}

/// Every loaded type map: the SQL type aliases and the named maps.
#[derive(Debug, Clone, Default)]
pub struct TypeMaps {
    /// Normalised alias → canonical type.
    aliases: BTreeMap<String, String>,
    /// The named maps, by filter name.
    pub filters: BTreeMap<String, TypeFilter>,
}

/// Upper case, single spaces, no spaces around parentheses and commas: `number( 38, 0 )`
/// and `NUMBER(38,0)` are the same type.
pub fn normalize(t: &str) -> String {
    let upper = t.trim().to_ascii_uppercase();
    let mut out = String::new();
    for word in upper.split_whitespace() {
        let joins = out.ends_with(['(', ',']) || word.starts_with([')', ',', '(']);
        if !out.is_empty() && !joins {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

impl TypeMaps {
    /// The canonical name of a SQL type: an alias resolves, a known type stays, otherwise
    /// parameters are dropped (`VARCHAR(255)` → `VARCHAR`) and that is resolved.
    pub fn canonical(&self, t: &str) -> String {
        let n = normalize(t);
        if let Some(c) = self.aliases.get(&n) {
            return c.clone();
        }
        if self.filters.values().any(|f| f.map.contains_key(&n)) {
            return n;
        }
        let base = n.split('(').next().unwrap_or(&n).trim().to_string();
        self.aliases.get(&base).cloned().unwrap_or(base)
    }

    /// Applies the map `filter` to a SQL type; `None` when the map has no entry for it.
    pub fn apply(&self, filter: &str, sql_type: &str) -> Option<String> {
        self.filters.get(filter)?.map.get(&self.canonical(sql_type)).cloned()
    }

    /// Reads one `rules/types/*.yaml` file into these maps; later files override entries.
    pub fn load(&mut self, path: &Path, text: &str, errors: &mut Vec<InputError>) {
        let root = match yaml::parse(path, text) {
            Ok(Some(root)) => root,
            Ok(None) => return,
            Err(e) => return errors.push(e),
        };
        let at = |n: &Node, m: String| InputError::at(path, n.line, n.column, m);
        let Value::Map(fields) = &root.value else {
            return errors.push(at(
                &root,
                format!("expected a mapping with `aliases` and `filters`, found {}", root.describe()),
            ));
        };
        for (key, value) in fields {
            match key.as_str() {
                Some("aliases") => self.load_aliases(value, &at, errors),
                Some("filters") => self.load_filters(value, &at, errors),
                Some(other) => {
                    let hint = ripple_core::suggest::hint(other, &["aliases", "filters"]);
                    errors.push(at(key, format!("unknown field `{other}` in a type map{hint}")))
                }
                None => errors.push(at(key, "field names must be strings".into())),
            }
        }
    }

    fn load_aliases(
        &mut self,
        node: &Node,
        at: &dyn Fn(&Node, String) -> InputError,
        errors: &mut Vec<InputError>,
    ) {
        for (canonical, list) in
            map_entries(node, "`aliases` maps a canonical type to a list of aliases", at, errors)
        {
            let Some(canonical) = canonical.as_str() else {
                errors.push(at(canonical, "a canonical type must be a string".into()));
                continue;
            };
            let canonical = normalize(canonical);
            let Value::Seq(items) = &list.value else {
                errors.push(at(
                    list,
                    format!("aliases of `{canonical}` must be a list, found {}", list.describe()),
                ));
                continue;
            };
            for item in items {
                match scalar_text(item) {
                    Some(alias) => {
                        self.aliases.insert(normalize(&alias), canonical.clone());
                    }
                    None => {
                        errors.push(at(item, format!("an alias must be a string, found {}", item.describe())))
                    }
                }
            }
        }
    }

    fn load_filters(
        &mut self,
        node: &Node,
        at: &dyn Fn(&Node, String) -> InputError,
        errors: &mut Vec<InputError>,
    ) {
        for (name, body) in map_entries(node, "`filters` maps a filter name to its map", at, errors) {
            let Some(name) = name.as_str().filter(|n| is_filter_name(n)) else {
                errors.push(at(name, "a filter name is a word of letters, digits and `_`".into()));
                continue;
            };
            let Value::Map(fields) = &body.value else {
                errors.push(at(
                    body,
                    format!("filter `{name}` needs `description` and `map`, found {}", body.describe()),
                ));
                continue;
            };
            let filter = self.filters.entry(name.to_string()).or_default();
            for (key, value) in fields {
                match (key.as_str(), &value.value) {
                    (Some("description"), Value::Str(s)) => filter.description = s.trim().to_string(),
                    (Some("map"), Value::Map(pairs)) => {
                        for (from, to) in pairs {
                            match (scalar_text(from), scalar_text(to)) {
                                (Some(f), Some(t)) => {
                                    filter.map.insert(normalize(&f), t);
                                }
                                _ => errors.push(at(from, "map entries are `SQL_TYPE: text`".into())),
                            }
                        }
                    }
                    (Some(k @ ("description" | "map")), _) => errors
                        .push(at(value, format!("`{k}` has the wrong shape: found {}", value.describe()))),
                    (Some(other), _) => {
                        let hint = ripple_core::suggest::hint(other, &["description", "map"]);
                        errors.push(at(key, format!("unknown field `{other}` in filter `{name}`{hint}")))
                    }
                    (None, _) => errors.push(at(key, "field names must be strings".into())),
                }
            }
        }
    }
}

/// The entries of a mapping; anything else is reported as "`what`, found …" and gives none.
fn map_entries<'n>(
    node: &'n Node,
    what: &str,
    at: &dyn Fn(&Node, String) -> InputError,
    errors: &mut Vec<InputError>,
) -> &'n [(Node, Node)] {
    match &node.value {
        Value::Map(entries) => entries,
        _ => {
            errors.push(at(node, format!("{what}, found {}", node.describe())));
            &[]
        }
    }
}

fn is_filter_name(n: &str) -> bool {
    !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A scalar as text: YAML reads `INT8: getLong` keys as strings, but `1: x` as a number.
fn scalar_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_parameters_resolve() {
        let mut maps = TypeMaps::default();
        let mut errors = Vec::new();
        let text = "aliases:\n  BIGINT: [INT8, INT64, 'NUMBER(38,0)']\n  INTEGER: [INT, INT4]\n\
                    filters:\n  java_getter:\n    description: getter\n    map:\n      BIGINT: getLong\n      INTEGER: getInt\n      VARCHAR: getString\n";
        maps.load(Path::new("t.yaml"), text, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(maps.apply("java_getter", "int8").as_deref(), Some("getLong"));
        assert_eq!(maps.apply("java_getter", "number( 38, 0 )").as_deref(), Some("getLong"));
        assert_eq!(maps.apply("java_getter", "int4").as_deref(), Some("getInt"));
        assert_eq!(maps.apply("java_getter", "varchar(255)").as_deref(), Some("getString"));
        assert_eq!(maps.apply("java_getter", "GEOGRAPHY"), None);
        assert_eq!(maps.apply("nope", "INT"), None);
    }
}
